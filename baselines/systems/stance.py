"""Stance baselines: each predicts one FNC-1 label per instance."""
from __future__ import annotations

from collections import Counter

import pandas as pd

from labels.scheme import LABELS_FOR_LEVEL, LEVELS, STANCE_LABELS
from baselines.registry import register
from baselines.system import System
from baselines.tasks import TaskInput


def _most_common(counts: Counter, allowed: frozenset[str]) -> str:
    """Most frequent allowed label; ties go to the label first in FNC-1 order."""
    return max((lab for lab in STANCE_LABELS if lab in allowed),
               key=lambda lab: (counts[lab], -STANCE_LABELS.index(lab)))


@register
class Majority(System):
    """The most frequent training label of each level; learned, so scored cross-fitted."""

    task = "stance"
    name = "majority"
    learned = True

    def fit(self, inputs: TaskInput, gold: pd.DataFrame) -> None:
        df = inputs.units[["doc_id", "id", "level"]].merge(gold, on=["doc_id", "id"])
        overall = Counter(df.label)
        self.majority_ = {
            level: _most_common(Counter(df[df.level == level].label) or overall, LABELS_FOR_LEVEL[level])
            for level in LEVELS
        }

    def predict(self, inputs: TaskInput) -> pd.DataFrame:
        return pd.DataFrame({"doc_id": inputs.units.doc_id, "id": inputs.units.id,
                             "label": [self.majority_[lv] for lv in inputs.units.level]})
