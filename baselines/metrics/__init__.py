"""Metric registry: each metric turns aligned gold/predictions into per-unit counts and aggregates them.

Per-unit counts make bootstrap resampling a matrix product, and let a user add a
metric for a task with `register(Metric(...))` from outside the package.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

Stats = Callable[[pd.DataFrame], np.ndarray]
Aggregate = Callable[[np.ndarray], dict[str, float]]
AggregateMany = Callable[[np.ndarray], dict[str, np.ndarray]]


@dataclass(frozen=True)
class Metric:
    """`stats` gives an (n_units, k) count matrix; `aggregate` turns a k-vector of sums into values.

    `aggregate_many`, optional, turns an (n, k) array of sums into every value's n results at once
    (NaN where `aggregate` gives no such key; a value it gives is never NaN), so bootstrap intervals
    need no Python call per resample. It must give `aggregate`'s floats exactly: tests compare them.
    """

    task: str
    name: str
    definition: str
    stats: Stats
    aggregate: Aggregate
    headline: tuple[str, ...] = ()
    applies: Callable[[pd.DataFrame], bool] = lambda aligned: True
    aggregate_many: AggregateMany | None = None

    def value(self, aligned: pd.DataFrame) -> dict[str, float]:
        return self.aggregate(self.stats(aligned).sum(axis=0))


METRICS: dict[tuple[str, str], Metric] = {}


def register(m: Metric) -> Metric:
    key = (m.task, m.name)
    if key in METRICS:
        raise ValueError(f"metric {m.name!r} is already registered for task {m.task!r}")
    METRICS[key] = m
    return m


def for_task(task: str) -> list[Metric]:
    from baselines.metrics import boilerplate, entities, entity_tokens, stance  # noqa: F401  (registration)

    return [m for (t, _), m in METRICS.items() if t == task]


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of one class (or of all, micro), and its support (gold count)."""

    precision: float
    recall: float
    f1: float
    support: float

    @classmethod
    def from_counts(cls, tp: float, fp: float, fn: float) -> "PRF":
        """0 (not NaN) where a denominator is 0, as seqeval, sklearn and conlleval.pl do."""
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0, float(tp + fn))

    def flat(self, prefix: str = "", support: bool = True) -> dict[str, float]:
        """The values under flat keys ("TYPE/f1"), the shape bootstrap intervals are drawn over."""
        keys = ("precision", "recall", "f1", "support") if support else ("precision", "recall", "f1")
        return {f"{prefix}{k}": float(getattr(self, k)) for k in keys}


def prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    """Precision, recall and F1 as a flat dict (see PRF.from_counts)."""
    return PRF.from_counts(tp, fp, fn).flat(support=False)


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den elementwise, 0 where den is 0 (the `x / y if y else 0.0` of the scalar scores)."""
    num, den = np.broadcast_arrays(np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64))
    return np.divide(num, den, out=np.zeros(num.shape), where=den != 0)


def where_present(present: np.ndarray, values: dict[str, np.ndarray], prefix: str = "") -> dict[str, np.ndarray]:
    """Each value with its key prefixed, NaN in the rows where `present` is false: the rows whose
    `aggregate` gives no such key (a class or type with no unit there)."""
    return {f"{prefix}{k}": np.where(present, v, np.nan) for k, v in values.items()}


def prf_many(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> dict[str, np.ndarray]:
    """prf of many rows of counts at once, by the same operations in the same order."""
    p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
    return {"precision": p, "recall": r, "f1": ratio(2 * p * r, p + r)}


def confusion_scores(cm: np.ndarray, names: tuple[str, ...]) -> dict[str, float]:
    """Accuracy, per-class P/R/F1 and macro-F1 over the classes present in gold or prediction
    (scikit-learn's `f1_score(average="macro")` convention)."""
    total = cm.sum()
    out = {"accuracy": float(np.trace(cm) / total) if total else 0.0, "n": float(total)}
    f1s = []
    for i, name in enumerate(names):
        if not (cm[i, :].sum() or cm[:, i].sum()):
            continue  # a class in neither gold nor prediction has no scores, not scores of 0
        tp, fp, fn = cm[i, i], cm[:, i].sum() - cm[i, i], cm[i, :].sum() - cm[i, i]
        scores = prf(tp, fp, fn)
        for k, v in scores.items():
            out[f"{name}/{k}"] = v
        out[f"{name}/support"] = float(cm[i, :].sum())
        f1s.append(scores["f1"])
    out["macro_f1"] = float(np.mean(f1s)) if f1s else 0.0
    return out


def confusion_scores_many(cm: np.ndarray, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """confusion_scores of many (k, k) matrices, an (n, k, k) array, at once."""
    total = cm.sum(axis=(1, 2))
    out = {"accuracy": ratio(np.trace(cm, axis1=1, axis2=2), total), "n": total.astype(np.float64)}
    f1s = np.full(cm.shape[:2], np.nan)
    for i, name in enumerate(names):
        gold, pred, tp = cm[:, i, :].sum(axis=1), cm[:, :, i].sum(axis=1), cm[:, i, i]
        present = (gold != 0) | (pred != 0)
        scores = prf_many(tp, pred - tp, gold - tp) | {"support": gold.astype(np.float64)}
        out |= where_present(present, scores, f"{name}/")
        f1s[:, i] = out[f"{name}/f1"]
    # row by row, as np.mean sums a list of eight values or more pairwise, not in order
    out["macro_f1"] = np.array([float(np.mean(row[~np.isnan(row)])) if not np.isnan(row).all() else 0.0
                                for row in f1s])
    return out


def one_hot_confusion(gold: list, pred: list, names: tuple[str, ...]) -> np.ndarray:
    """Per unit, a flattened one-hot confusion matrix (gold row, predicted column)."""
    index = {n: i for i, n in enumerate(names)}
    k = len(names)
    out = np.zeros((len(gold), k * k), dtype=np.int64)
    for u, (g, p) in enumerate(zip(gold, pred)):
        out[u, index[g] * k + index[p]] = 1
    return out
