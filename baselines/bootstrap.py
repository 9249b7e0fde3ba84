"""Seeded two-level bootstrap: resample documents, then units within each drawn document.

Weights are drawn once per (dataset, task, seed) and shared by every system, so
intervals are comparable and the paired test compares systems on the same resamples.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

CONFIDENCE = 0.95


def resample_weights(doc_ids: Sequence[str], n_resamples: int, seed: int) -> np.ndarray:
    """(n_resamples, n_units) counts: how often each unit appears in each resample.

    Drawing a document c times and each time n_d of its units with replacement is
    one multinomial draw of c * n_d units, which is what is sampled here.
    """
    rng = np.random.default_rng(seed)
    docs, unit_doc = np.unique(np.asarray(doc_ids, dtype=object), return_inverse=True)
    members = [np.flatnonzero(unit_doc == d) for d in range(len(docs))]
    weights = np.zeros((n_resamples, len(doc_ids)), dtype=np.int64)
    for b in range(n_resamples):
        doc_counts = rng.multinomial(len(docs), np.full(len(docs), 1 / len(docs)))
        for d in np.flatnonzero(doc_counts):
            units = members[d]
            weights[b, units] = rng.multinomial(doc_counts[d] * len(units), np.full(len(units), 1 / len(units)))
    return weights


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def intervals(stats: np.ndarray, weights: np.ndarray,
              aggregate: Callable[[np.ndarray], dict[str, float]]) -> dict[str, Interval]:
    """Percentile interval of every aggregated value over the resamples.

    A value may be absent from some resamples (a per-type score when no unit of that type
    was drawn); its interval is taken over the resamples that have it.
    """
    draws = [aggregate(row) for row in weights @ stats]
    alpha = (1 - CONFIDENCE) / 2
    out = {}
    for key in dict.fromkeys(k for d in draws for k in d):
        values = np.array([d.get(key, np.nan) for d in draws], dtype=float)
        lo, hi = np.nanquantile(values, [alpha, 1 - alpha])
        out[key] = Interval(float(lo), float(hi))
    return out


@dataclass(frozen=True)
class Comparison:
    """A system against a reference on one value: the difference, its interval, a two-sided p."""

    difference: float
    low: float
    high: float
    p_value: float

    @property
    def significant(self) -> bool:
        return not (self.low <= 0.0 <= self.high)


def paired(stats_a: np.ndarray, stats_b: np.ndarray, weights: np.ndarray,
           aggregate: Callable[[np.ndarray], dict[str, float]], key: str) -> Comparison:
    """Paired bootstrap of value(a) - value(b) on the same resamples of the same units."""
    a = np.array([aggregate(r)[key] for r in weights @ stats_a])
    b = np.array([aggregate(r)[key] for r in weights @ stats_b])
    diff = a - b
    alpha = (1 - CONFIDENCE) / 2
    lo, hi = np.quantile(diff, [alpha, 1 - alpha])
    p = min(1.0, 2 * min(np.mean(diff <= 0), np.mean(diff >= 0)))
    point = aggregate(stats_a.sum(axis=0))[key] - aggregate(stats_b.sum(axis=0))[key]
    return Comparison(float(point), float(lo), float(hi), float(p))
