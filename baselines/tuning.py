"""Choosing a learned system's settings on the validation split, never on test.

A system lists the settings it may take in a class attribute `grid` (its default first).
`tune` fits one model per setting on the training split, scores each on validation with
the task's primary metric, and keeps the best (on a tie, the earlier setting: the default
wins unless another is better). The chosen setting is in the returned model's params, so
the result file records it; every setting's validation score comes back beside it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from baselines.guard import guarded_fit, guarded_predict
from baselines.system import System
from baselines.tasks import Task, TaskInput


@dataclass(frozen=True)
class Tuned:
    """What was tried on validation and what was kept."""

    metric: str                                        # "<metric>/<value>", the task's primary
    scores: tuple[tuple[dict[str, Any], float], ...]   # every setting with its validation score
    chosen: dict[str, Any]

    def to_dict(self) -> dict:
        return {"metric": self.metric, "chosen": dict(self.chosen),
                "scores": [{"params": dict(p), "score": s} for p, s in self.scores]}


def tune(task: Task, cls: type[System], seed: int, train: TaskInput, train_gold: pd.DataFrame,
         validation: TaskInput, validation_gold: pd.DataFrame) -> tuple[System, Tuned]:
    """The model fitted on train with the setting that scores best on validation, by the primary
    value of the task as the condition poses it (end-to-end stance ranks by its records)."""
    from baselines.runner import measure  # the runner fits through this module: import when used

    metric, key = task.primary
    best: tuple[float, System] | None = None
    scores = []
    for params in getattr(cls, "grid", ()) or ({},):
        model = cls(seed=seed, **params)
        guarded_fit(model, train, train_gold)
        values, _ = measure(task, validation, validation_gold, guarded_predict(model, validation))
        score = float(values[metric][key])
        scores.append((dict(params), score))
        if best is None or score > best[0]:
            best = (score, model)
    chosen = next(p for p, s in scores if s == best[0])
    return best[1], Tuned(f"{metric}/{key}", tuple(scores), chosen)
