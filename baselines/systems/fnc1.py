"""The FNC-1 baseline trained on FNC-1, applied to this dataset's stance instances.

The target plays FNC-1's headline and the unit's context its body: the article's body at
article level (as FNC-1 poses the task), the holder's line (the window that holds the
holder's evidence) at source level, where unrelated is never allowed. Two conditions:

- `fnc1-gbdt`: the model trained on FNC-1 only, nothing fitted on this dataset;
- `fnc1-gbdt-finetuned`: that model frozen, with a logistic-regression head over its four class
  log-probabilities and the level fitted on the dataset's training rows (a handful today: a
  boosted model retrained on them would memorise them, a head over five inputs hardly can).

Both are unavailable (skipped with the reason) where no FNC-1 folder is found.
"""
from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from labels.scheme import STANCE_LABELS
from baselines.features.fnc1 import matrix
from baselines.fnc1_model import Trained, trained
from baselines.registry import register
from baselines.system import SystemUnavailable
from baselines.systems.holders import HolderFinding
from baselines.systems.stance import best_allowed, label_scores
from baselines.tasks import TaskInput

PROBABILITY_FLOOR = 1e-6   # keeps log-probabilities finite where the trees are certain


def fnc1_scores(model: Trained, units: pd.DataFrame) -> np.ndarray:
    """(units, STANCE_LABELS) probabilities of the FNC-1 model, target as headline, context as body."""
    proba = model.model.predict_proba(matrix(list(units.target), list(units.context)))
    return label_scores(proba, list(model.model.classes_))


class _Fnc1System(HolderFinding):
    task = "stance"
    tuned_on = "none"    # the official baseline's settings; the head with scikit-learn's defaults
    optional = True      # needs FNC-1, which is outside the project: never on the canonical board

    def _trained(self) -> Trained:
        self.model_ = trained(self.seed)
        return self.model_

    def versions(self) -> dict[str, str]:
        """The FNC-1 model's cache key, what it was trained from and with which features; {} without FNC-1."""
        try:  # a cross-fitted system's folds used the model, the instance described may not have
            model = self._trained()
        except SystemUnavailable:
            return {}
        files = {f"fnc1/{name}": f"sha256:{digest}" for name, digest in model.provenance["files_sha256"].items()}
        return {"fnc1-model": model.key, "fnc1-features": model.provenance["feature_version"]} | files

@register
class Fnc1Gbdt(_Fnc1System):
    """The official FNC-1 baseline (44 hand features, 200 boosted trees) trained on all of FNC-1 only."""

    name = "fnc1-gbdt"
    trained_on = "FNC-1 training set (every pair of train_stances.csv); nothing from this dataset"

    def predict_units(self, inputs: TaskInput) -> pd.DataFrame:
        return best_allowed(inputs.units, fnc1_scores(self._trained(), inputs.units))


@register
class Fnc1GbdtFinetuned(_Fnc1System):
    """fnc1-gbdt frozen, with a logistic-regression head on its log-probabilities and the level fitted on the training rows."""

    name = "fnc1-gbdt-finetuned"
    learned = True
    trained_on = ("FNC-1 training set (the frozen model); the head on the dataset's training rows "
                  "the harness gives it")

    def _head_input(self, units: pd.DataFrame) -> np.ndarray:
        logp = np.log(np.maximum(fnc1_scores(self._trained(), units), PROBABILITY_FLOOR))
        return np.column_stack([logp, (units.level == "source").to_numpy(float)])

    def fit_units(self, inputs: TaskInput, gold: pd.DataFrame) -> None:
        y = inputs.units[["doc_id", "id"]].merge(gold, on=["doc_id", "id"], how="left").label.to_numpy()
        self.classes_ = sorted(set(y), key=STANCE_LABELS.index)
        self.head_ = None
        if len(self.classes_) > 1:  # one class: nothing to separate, that class wherever allowed
            self.head_ = LogisticRegression(max_iter=1000).fit(self._head_input(inputs.units), y)

    def predict_units(self, inputs: TaskInput) -> pd.DataFrame:
        units = inputs.units
        if self.head_ is None:
            scores = label_scores(np.ones((len(units), 1)), self.classes_)
        else:
            scores = label_scores(self.head_.predict_proba(self._head_input(units)), list(self.head_.classes_))
        return best_allowed(units, scores)
