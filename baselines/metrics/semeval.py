"""The SemEval-2013 Task 9.1 entity breakdown, counted exactly as nervaluate 1.2.1 counts it.

Four matching rules, one class each behind one `evaluate(true, pred)`:

- strict: boundaries and type equal -> correct; else overlapping -> incorrect;
- exact: boundaries equal, type ignored -> correct; else overlapping -> incorrect;
- partial: boundaries equal -> correct; else overlapping -> partial (type ignored);
- type: overlapping with the same type -> correct (the closest boundaries win);
  else overlapping with another type -> incorrect.

Every rule is nervaluate's greedy pass: predictions in order, each taking the first
still-unmatched gold span (in order) that qualifies; a prediction that takes none is
spurious, a gold span never taken is missed. "Overlapping" is nervaluate's default
threshold: the shared characters are at least 1% of the gold span. precision =
correct / actual and recall = correct / possible, with correct + partial / 2 in place
of correct under partial and type, where actual = correct + incorrect + partial +
spurious and possible = correct + incorrect + partial + missed. Per type, both sides
are first reduced to that type, as nervaluate does.

nervaluate compares every prediction with every gold span (quadratic in the spans of a
document); here the gold spans a prediction can overlap are found by binary search over
the gold sorted by start, so a document costs O((n + m) log n) for flat gold.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Sequence

import numpy as np

from baselines.metrics import PRF, ratio, where_present

Span = tuple[int, int, str]  # start, end (exclusive), type
COUNTS = ("correct", "incorrect", "partial", "missed", "spurious")
MIN_OVERLAP_PERCENT = 1.0  # nervaluate's default min_overlap_percentage


@dataclass(frozen=True)
class Breakdown:
    """The five SemEval counts of one rule, and the scores they give."""

    correct: float = 0
    incorrect: float = 0
    partial: float = 0
    missed: float = 0
    spurious: float = 0
    half_partial: bool = False  # partial and type rules count a partial match as half correct

    @property
    def possible(self) -> float:
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> float:
        return self.correct + self.incorrect + self.partial + self.spurious

    @property
    def scores(self) -> PRF:
        hit = self.correct + 0.5 * self.partial if self.half_partial else self.correct
        p = hit / self.actual if self.actual > 0 else 0
        r = hit / self.possible if self.possible > 0 else 0
        return PRF(p, r, 2 * (p * r) / (p + r) if (p + r) > 0 else 0, self.possible)

    def flat(self, prefix: str = "") -> dict[str, float]:
        out = {f"{prefix}{k}": float(getattr(self, k)) for k in COUNTS + ("possible", "actual")}
        out.update(self.scores.flat(prefix, support=False))
        return out


class _Gold:
    """Gold spans with the index that finds, for a predicted span, the ones it may overlap."""

    def __init__(self, spans: Sequence[Span]):
        self.spans = spans
        self.order = sorted(range(len(spans)), key=lambda i: spans[i][0])
        self.starts = [spans[i][0] for i in self.order]
        # running maximum of the ends in start order: the first gold span that can reach past
        # a predicted start is found by bisection even when gold spans nest
        self.reach = list(accumulate((spans[i][1] for i in self.order), max))

    def overlapping(self, start: int, end: int, taken: set[int]) -> list[int]:
        """Indices (in list order) of the untaken gold spans sharing enough characters with [start, end)."""
        lo, hi = bisect_right(self.reach, start), bisect_left(self.starts, end)
        out = []
        for j in self.order[lo:hi]:
            gs, ge, _ = self.spans[j]
            shared = min(end, ge) - max(start, gs)
            if j not in taken and shared > 0 and (shared / (ge - gs)) * 100.0 >= MIN_OVERLAP_PERCENT:
                out.append(j)
        return sorted(out)


class MatchRule(ABC):
    """One SemEval matching rule: which overlapping gold span a prediction takes, and as what."""

    name: str
    half_partial: bool = False

    @abstractmethod
    def pick(self, pred: Span, gold: Sequence[Span], candidates: list[int]) -> tuple[int, str] | None:
        """(gold index, "correct" | "incorrect" | "partial") for a prediction, or None (spurious)."""

    def evaluate(self, true: Sequence[Span], pred: Sequence[Span]) -> Breakdown:
        gold, taken = _Gold(true), set()
        counts = dict.fromkeys(COUNTS, 0)
        for p in pred:
            got = self.pick(p, true, gold.overlapping(p[0], p[1], taken))
            if got is None:
                counts["spurious"] += 1
            else:
                taken.add(got[0])
                counts[got[1]] += 1
        counts["missed"] = len(true) - len(taken)
        return Breakdown(**counts, half_partial=self.half_partial)


class _SameElseOverlapping(MatchRule):
    """Take the first candidate that is the same span (by the rule's measure) as correct, else
    the first candidate as the fallback outcome."""

    fallback: str

    @staticmethod
    @abstractmethod
    def same(pred: Span, gold: Span) -> bool:
        """Whether a gold span counts as the predicted one."""

    def pick(self, pred, gold, candidates):
        same = [j for j in candidates if self.same(pred, gold[j])]
        return (same[0], "correct") if same else (candidates[0], self.fallback) if candidates else None


class Strict(_SameElseOverlapping):
    name, fallback = "strict", "incorrect"

    @staticmethod
    def same(pred, gold):
        return gold == pred


class Exact(_SameElseOverlapping):
    name, fallback = "exact", "incorrect"

    @staticmethod
    def same(pred, gold):
        return gold[:2] == pred[:2]


class Partial(_SameElseOverlapping):
    name, fallback, half_partial = "partial", "partial", True

    @staticmethod
    def same(pred, gold):
        return gold[:2] == pred[:2]


class Type(MatchRule):
    name = "type"
    half_partial = True

    def pick(self, pred, gold, candidates):
        typed = [j for j in candidates if gold[j][2] == pred[2]]
        if typed:  # min keeps the first of equally close spans, as nervaluate's strict "<" does
            return min(typed, key=lambda j: abs(gold[j][0] - pred[0]) + abs(gold[j][1] - pred[1])), "correct"
        return (candidates[0], "incorrect") if candidates else None


RULES: tuple[MatchRule, ...] = (Strict(), Exact(), Partial(), Type())


@dataclass(frozen=True)
class SemEvalReport:
    """Per rule, the breakdown over all spans and per type (types seen on either side)."""

    overall: dict[str, Breakdown]
    per_type: dict[str, dict[str, Breakdown]]


def line_counts(true: Sequence[Span], pred: Sequence[Span], types: Sequence[str]) -> np.ndarray:
    """One unit's counts: for each rule, the five counts over all spans, then per type."""
    out = []
    for rule in RULES:
        out.extend(getattr(rule.evaluate(true, pred), k) for k in COUNTS)
        for t in types:
            out.extend(getattr(rule.evaluate([s for s in true if s[2] == t], [s for s in pred if s[2] == t]), k)
                       for k in COUNTS)
    return np.array(out, dtype=np.int64)


def report_from_sums(s: np.ndarray, types: Sequence[str]) -> SemEvalReport:
    """The report of line_counts summed over units."""
    per_rule = s.reshape(len(RULES), 1 + len(types), len(COUNTS))
    overall, per_type = {}, {}
    for rule, block in zip(RULES, per_rule):
        overall[rule.name] = Breakdown(*block[0], half_partial=rule.half_partial)
        for t, row in zip(types, block[1:]):
            if row.any():
                per_type.setdefault(t, {})[rule.name] = Breakdown(*row, half_partial=rule.half_partial)
    return SemEvalReport(overall, per_type)


def semeval(true: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]], types: Sequence[str]) -> SemEvalReport:
    """The breakdown over documents (or lines): spans never match across them."""
    if len(true) != len(pred):
        raise ValueError(f"{len(true)} gold documents but {len(pred)} predicted")
    width = len(RULES) * (1 + len(types)) * len(COUNTS)
    total = sum((line_counts(t, p, types) for t, p in zip(true, pred)), np.zeros(width, dtype=np.int64))
    return report_from_sums(total, types)


def flat(r: SemEvalReport) -> dict[str, float]:
    """"rule/key" overall and "TYPE/rule/key" per type."""
    out: dict[str, float] = {}
    for name, b in r.overall.items():
        out.update(b.flat(f"{name}/"))
    for t, rules in r.per_type.items():
        for name, b in rules.items():
            out.update(b.flat(f"{t}/{name}/"))
    return out


def _breakdown_many(block: np.ndarray, half_partial: bool, prefix: str) -> dict[str, np.ndarray]:
    """Breakdown.flat of many rows of the five counts, an (n, 5) array, at once."""
    correct, incorrect, partial, missed, spurious = (block[:, i].astype(np.float64) for i in range(len(COUNTS)))
    possible = correct + incorrect + partial + missed
    actual = correct + incorrect + partial + spurious
    hit = correct + 0.5 * partial if half_partial else correct
    p, r = ratio(hit, actual), ratio(hit, possible)
    values = (correct, incorrect, partial, missed, spurious, possible, actual, p, r, ratio(2 * (p * r), p + r))
    keys = COUNTS + ("possible", "actual", "precision", "recall", "f1")
    return {f"{prefix}{k}": v for k, v in zip(keys, values)}


def flat_many(s: np.ndarray, types: Sequence[str]) -> dict[str, np.ndarray]:
    """flat(report_from_sums(row, types)) of every row of an (n, k) array of sums at once, NaN where a
    row has no such key (a type with no span under a rule)."""
    per_rule = s.reshape(len(s), len(RULES), 1 + len(types), len(COUNTS))
    out: dict[str, np.ndarray] = {}
    for r, rule in enumerate(RULES):
        out |= _breakdown_many(per_rule[:, r, 0], rule.half_partial, f"{rule.name}/")
    for i, t in enumerate(types):
        for r, rule in enumerate(RULES):
            block = per_rule[:, r, 1 + i]
            out |= where_present(block.any(axis=1), _breakdown_many(block, rule.half_partial, f"{t}/{rule.name}/"))
    return out
