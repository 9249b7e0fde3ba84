"""Seeded two-level bootstrap: resample documents, then units within each drawn document.

Resamples are drawn once per (dataset, task, seed) and shared by every system, so
intervals are comparable and the paired test compares systems on the same resamples.
Each resample has its own generator, so a large (resamples x units) matrix is never held: it is
drawn again, in chunks, whenever counts are summed, and memory stays bounded at any corpus size;
one that fits in a chunk is drawn once and kept, since every metric of every system sums over
it. The numbers depend on neither.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

CONFIDENCE = 0.95
_CHUNK_CELLS = 1 << 23   # weights held at once while summing: 8M int32 cells (32 MiB)


class Resamples:
    """The seeded resamples of one set of units; `sums(stats)` gives each resample's summed counts."""

    def __init__(self, doc_ids: Sequence[str], n_resamples: int, seed: int):
        _, unit_doc = np.unique(np.asarray(doc_ids, dtype=object), return_inverse=True)
        self.n_units = len(unit_doc)
        self.n_resamples = n_resamples
        self.seed = seed
        self.sizes = np.bincount(unit_doc).astype(np.int64) if self.n_units else np.zeros(0, np.int64)
        self.n_documents = len(self.sizes)
        # units grouped by document: position of unit u in that grouping
        order = np.argsort(unit_doc, kind="stable")
        self._offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]]).astype(np.int64)
        self._grouped_position = np.empty(self.n_units, dtype=np.int64)
        self._grouped_position[order] = np.arange(self.n_units)
        self._seeds = np.random.SeedSequence(seed).spawn(n_resamples)
        self._kept: np.ndarray | None = None

    def _row(self, b: int) -> np.ndarray:
        """How often each unit appears in resample b. Drawing a document c times and each time
        its n_d units with replacement is drawing c * n_d of its units uniformly: done here."""
        rng = np.random.default_rng(self._seeds[b])
        docs = self.n_documents
        if not docs:
            return np.zeros(0, dtype=np.int64)
        doc_counts = rng.multinomial(docs, np.full(docs, 1 / docs))
        draws = doc_counts * self.sizes
        doc_of_draw = np.repeat(np.arange(docs), draws)
        picked = self._offsets[doc_of_draw] + (rng.random(len(doc_of_draw)) * self.sizes[doc_of_draw]).astype(np.int64)
        return np.bincount(picked, minlength=self.n_units)[self._grouped_position]

    def weights(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Dense counts of resamples start..stop (small inputs and tests only)."""
        stop = self.n_resamples if stop is None else stop
        return np.array([self._row(b) for b in range(start, stop)], dtype=np.int32).reshape(stop - start, self.n_units)

    def sums(self, stats: np.ndarray) -> np.ndarray:
        """(n_resamples, k): every resample's weighted column sums of an (n_units, k) count matrix."""
        values = np.asarray(stats, dtype=np.float64)
        step = max(1, _CHUNK_CELLS // max(self.n_units, 1))
        if step >= self.n_resamples:
            if self._kept is None:
                self._kept = self.weights()
            return self._kept @ values
        out = np.empty((self.n_resamples, values.shape[1]))
        for start in range(0, self.n_resamples, step):
            stop = min(start + step, self.n_resamples)
            out[start:stop] = self.weights(start, stop) @ values
        return out


class FixedResamples:
    """Resamples given as an explicit (n_resamples, n_units) count matrix, e.g. worked by hand."""

    def __init__(self, weights: np.ndarray, n_documents: int = 0):
        self._weights = np.asarray(weights)
        self.n_resamples, self.n_units = self._weights.shape
        self.n_documents = n_documents

    def sums(self, stats: np.ndarray) -> np.ndarray:
        return self._weights @ np.asarray(stats, dtype=np.float64)


def resample_weights(doc_ids: Sequence[str], n_resamples: int, seed: int) -> Resamples:
    """The resamples shared by every system scored on these units."""
    return Resamples(doc_ids, n_resamples, seed)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def intervals(stats: np.ndarray, resamples: Resamples | FixedResamples,
              aggregate: Callable[[np.ndarray], dict[str, float]],
              aggregate_many: Callable[[np.ndarray], dict[str, np.ndarray]] | None = None) -> dict[str, Interval]:
    """Percentile interval of every aggregated value over the resamples, keys in the order the
    resamples first give them.

    A value may be absent from some resamples (a per-type score when no unit of that type
    was drawn); its interval is taken over the resamples that have it. With `aggregate_many`
    (baselines.metrics.Metric) every resample is aggregated in one call.
    """
    alpha = (1 - CONFIDENCE) / 2
    out = {}
    for key, values in _columns(resamples.sums(stats), aggregate, aggregate_many).items():
        lo, hi = np.nanquantile(values, [alpha, 1 - alpha])
        out[key] = Interval(float(lo), float(hi))
    return out


def _columns(sums: np.ndarray, aggregate: Callable[[np.ndarray], dict[str, float]],
             aggregate_many: Callable[[np.ndarray], dict[str, np.ndarray]] | None) -> dict[str, np.ndarray]:
    """Every aggregated value over the resamples (NaN where a resample has none), keys in the order the
    resamples first give them: resample by resample, or in one call with aggregate_many, whose columns
    are put in that order by calling aggregate on the resamples where some key first appears (which
    also checks that the two agree there)."""
    if aggregate_many is None:
        draws = [aggregate(row) for row in sums]
        keys = dict.fromkeys(k for d in draws for k in d)
        return {key: np.array([d.get(key, np.nan) for d in draws], dtype=float) for key in keys}
    many = aggregate_many(sums)
    first = {key: int(np.argmax(present)) for key, column in many.items() if (present := ~np.isnan(column)).any()}
    ordered: dict[str, np.ndarray] = {}
    for b in sorted(set(first.values())):
        for key, value in aggregate(sums[b]).items():
            if key not in many or many[key][b] != value:
                raise ValueError(f"aggregate_many disagrees with aggregate on {key!r} in resample {b}")
            ordered.setdefault(key, many[key])
    if len(ordered) != len(first):
        raise ValueError(f"aggregate_many gives keys aggregate never does: {sorted(set(first) - set(ordered))}")
    return ordered


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


def paired(stats_a: np.ndarray, stats_b: np.ndarray, resamples: Resamples | FixedResamples,
           aggregate: Callable[[np.ndarray], dict[str, float]], key: str,
           aggregate_many: Callable[[np.ndarray], dict[str, np.ndarray]] | None = None) -> Comparison:
    """Paired bootstrap of value(a) - value(b) on the same resamples of the same units. A value some
    resamples lack (a per-type score when no unit of that type was drawn) is compared over the
    resamples where both systems have it, as `intervals` takes its interval."""
    k = stats_a.shape[1]
    both = resamples.sums(np.hstack([stats_a, stats_b]))
    a, b = (_columns(sums, aggregate, aggregate_many).get(key, np.full(len(sums), np.nan))
            for sums in (both[:, :k], both[:, k:]))
    diff = a - b
    diff = diff[~np.isnan(diff)]
    if not len(diff):
        raise ValueError(f"no resample has a value {key!r} for both systems")
    alpha = (1 - CONFIDENCE) / 2
    lo, hi = np.quantile(diff, [alpha, 1 - alpha])
    p = min(1.0, 2 * min(np.mean(diff <= 0), np.mean(diff >= 0)))
    point = aggregate(stats_a.sum(axis=0))[key] - aggregate(stats_b.sum(axis=0))[key]
    return Comparison(float(point), float(lo), float(hi), float(p))
