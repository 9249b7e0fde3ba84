"""Entity metrics on character spans, in the OntoNotes view and the derived CoNLL view.

- strict: a predicted span is correct when start, end and type all equal a gold span's
  (CoNLL-2003 / seqeval strict); micro P/R/F1 overall and per type.
- boundary: start and end equal, type ignored.
- overlap: the spans share at least one character and have the same type, counted
  by a maximum one-to-one matching (each gold and each predicted span used at most once).
- semeval: the SemEval-2013 breakdown under its four rules (baselines/metrics/semeval.py).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from labels import scheme
from baselines.metrics import PRF, Metric, prf, prf_many, register, where_present
from baselines.metrics import semeval

Span = tuple[int, int, str]
VIEWS: dict[str, tuple[tuple[str, ...], Callable[[str], str | None]]] = {
    "ontonotes": (scheme.ENTITY_TYPES, lambda t: t),
    "conll": (scheme.CONLL_TYPES, scheme.conll_type),
}


def _view(spans: list[Span], to: Callable[[str], str | None]) -> list[Span]:
    return [(s, e, to(t)) for s, e, t in spans if to(t) is not None]


View = tuple[tuple[str, ...], Callable[[str], str | None]]


def _strict(aligned, view: View) -> np.ndarray:
    """Per line, [tp, fp, fn] for each type of the view."""
    types, to = view
    index = {t: i for i, t in enumerate(types)}
    out = np.zeros((len(aligned), 3 * len(types)), dtype=np.int64)
    for u, (gold, pred) in enumerate(zip(aligned.gold, aligned.pred)):
        g, p = set(_view(gold, to)), set(_view(pred, to))
        for span_set, col in ((g & p, 0), (p - g, 1), (g - p, 2)):
            for _, _, t in span_set:
                out[u, 3 * index[t] + col] += 1
    return out


def _strict_scores(types: tuple[str, ...]):
    def aggregate(s: np.ndarray) -> dict[str, float]:
        per = s.reshape(len(types), 3)
        out = prf(*per.sum(axis=0))
        for t, (tp, fp, fn) in zip(types, per):
            if tp + fp + fn:
                out.update(PRF.from_counts(tp, fp, fn).flat(f"{t}/"))
        return out
    return aggregate


def _strict_scores_many(types: tuple[str, ...]):
    def aggregate_many(s: np.ndarray) -> dict[str, np.ndarray]:
        per = s.reshape(len(s), len(types), 3)
        total = per.sum(axis=1)
        out = prf_many(total[:, 0], total[:, 1], total[:, 2])
        for i, t in enumerate(types):
            tp, fp, fn = per[:, i, 0], per[:, i, 1], per[:, i, 2]
            present = (tp + fp + fn) != 0
            scores = prf_many(tp, fp, fn) | {"support": tp + fn}
            out |= where_present(present, scores, f"{t}/")
        return out
    return aggregate_many


def _boundary(aligned, view: View) -> np.ndarray:
    _, to = view
    out = np.zeros((len(aligned), 3), dtype=np.int64)
    for u, (gold, pred) in enumerate(zip(aligned.gold, aligned.pred)):
        g = {(s, e) for s, e, _ in _view(gold, to)}
        p = {(s, e) for s, e, _ in _view(pred, to)}
        out[u] = (len(g & p), len(p - g), len(g - p))
    return out


def max_overlap_matches(gold: list[Span], pred: list[Span]) -> int:
    """Size of a maximum one-to-one matching of predicted to gold spans that overlap and share a
    type (Kuhn's augmenting paths; a line holds few spans, so this is cheap)."""
    edges = [[i for i, (gs, ge, gt) in enumerate(gold) if gt == pt and ps < ge and gs < pe] for ps, pe, pt in pred]
    owner: dict[int, int] = {}

    def augment(p: int, seen: set[int]) -> bool:
        for g in edges[p]:
            if g not in seen:
                seen.add(g)
                if g not in owner or augment(owner[g], seen):
                    owner[g] = p
                    return True
        return False

    return sum(augment(p, set()) for p in range(len(pred)))


def _overlap(aligned, view: View) -> np.ndarray:
    _, to = view
    out = np.zeros((len(aligned), 3), dtype=np.int64)
    for u, (gold, pred) in enumerate(zip(aligned.gold, aligned.pred)):
        g, p = _view(gold, to), _view(pred, to)
        tp = max_overlap_matches(g, p)
        out[u] = (tp, len(p) - tp, len(g) - tp)
    return out


def _semeval(aligned, view: View) -> np.ndarray:
    types, to = view
    width = len(semeval.RULES) * (1 + len(types)) * len(semeval.COUNTS)
    out = np.zeros((len(aligned), width), dtype=np.int64)
    for u, (gold, pred) in enumerate(zip(aligned.gold, aligned.pred)):
        out[u] = semeval.line_counts(_view(gold, to), _view(pred, to), types)
    return out


def register_view(task: str, name: str, view: View) -> None:
    """The span metrics of one view (its types, and the map from a span's type to them)."""
    types, _ = view
    register(Metric(task, f"{name}/strict",
                    f"{name} view: micro precision, recall and F1 of exact (start, end, type) "
                    "matches, overall and per type",
                    stats=lambda a: _strict(a, view), aggregate=_strict_scores(types),
                    aggregate_many=_strict_scores_many(types), headline=("f1",)))
    register(Metric(task, f"{name}/boundary", f"{name} view: P/R/F1 of exact (start, end) matches, type ignored",
                    stats=lambda a: _boundary(a, view), aggregate=lambda s: prf(*s)))
    register(Metric(task, f"{name}/overlap",
                    f"{name} view: P/R/F1 where a prediction overlapping a same-type gold span "
                    "counts, maximum one-to-one matching",
                    stats=lambda a: _overlap(a, view), aggregate=lambda s: prf(*s)))
    register(Metric(task, f"{name}/semeval",
                    f"{name} view: SemEval-2013 breakdown (as nervaluate counts it) under the strict, "
                    "exact, partial and type rules: correct, incorrect, partial, missed, spurious, possible, "
                    "actual and P/R/F1, overall and per type",
                    stats=lambda a: _semeval(a, view),
                    aggregate=lambda s: semeval.flat(semeval.report_from_sums(s, types)),
                    aggregate_many=lambda s: semeval.flat_many(s, types)))


for _name, _view_of in VIEWS.items():
    register_view("entities", _name, _view_of)
# Submissions typed with the CoNLL types themselves (PER, ORG, LOC, MISC), against gold mapped to them.
register_view("entities_conll", "conll", (scheme.CONLL_TYPES, lambda t: t))
