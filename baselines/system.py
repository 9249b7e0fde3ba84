"""What a system is: a name, the task it answers, optional training, and predictions.

Predictions are a DataFrame with the same identifying and answer columns as the
gold config (see `Task.required`), labels as names, so a file from anyone's model
is scored by the same code.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import pandas as pd

from baselines.tasks import TaskInput


class SystemUnavailable(Exception):
    """A system that cannot run here (e.g. a model not installed); the run skips it and says why."""


class System(ABC):
    task: ClassVar[str]
    name: ClassVar[str]
    learned: ClassVar[bool] = False      # has a fit step: fitted on the train split
    sees_gold: ClassVar[bool] = False    # only the oracle: predict_with_gold instead of predict
    tuned_on: ClassVar[str] = "none"     # split its design or settings were chosen on: none, validation, test
    optional: ClassVar[bool] = False     # needs something outside the project (a model): never on the canonical board

    def __init__(self, seed: int = 0, **params: Any):
        self.seed = seed
        self.params = params

    def fit(self, inputs: TaskInput, gold: pd.DataFrame) -> None:
        """Learn from training units and their gold answers (only for learned systems)."""

    @abstractmethod
    def predict(self, inputs: TaskInput) -> pd.DataFrame:
        """Answers for inputs.units; never sees gold."""

    def versions(self) -> dict[str, str]:
        """Versions of what the system loads beyond the project's packages (a model, a pipeline)."""
        return {}

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "task": self.task, "class": f"{type(self).__module__}.{type(self).__qualname__}",
                "learned": self.learned, "sees_gold": self.sees_gold, "tuned_on": self.tuned_on,
                "params": dict(self.params), "versions": self.versions()}
