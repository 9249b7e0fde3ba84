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
from baselines.metrics import Metric, prf, register
from baselines.metrics import semeval

Span = tuple[int, int, str]
VIEWS: dict[str, tuple[tuple[str, ...], Callable[[str], str | None]]] = {
    "ontonotes": (scheme.ENTITY_TYPES, lambda t: t),
    "conll": (scheme.CONLL_TYPES, scheme.conll_type),
}


def _view(spans: list[Span], to: Callable[[str], str | None]) -> list[Span]:
    return [(s, e, to(t)) for s, e, t in spans if to(t) is not None]


def _strict(aligned, view: str) -> np.ndarray:
    """Per line, [tp, fp, fn] for each type of the view."""
    types, to = VIEWS[view]
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
                out.update({f"{t}/{k}": v for k, v in prf(tp, fp, fn).items()})
                out[f"{t}/support"] = float(tp + fn)
        return out
    return aggregate


def _boundary(aligned, view: str) -> np.ndarray:
    _, to = VIEWS[view]
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


def _overlap(aligned, view: str) -> np.ndarray:
    _, to = VIEWS[view]
    out = np.zeros((len(aligned), 3), dtype=np.int64)
    for u, (gold, pred) in enumerate(zip(aligned.gold, aligned.pred)):
        g, p = _view(gold, to), _view(pred, to)
        tp = max_overlap_matches(g, p)
        out[u] = (tp, len(p) - tp, len(g) - tp)
    return out


def _semeval(aligned, view: str) -> np.ndarray:
    types, to = VIEWS[view]
    width = len(semeval.RULES) * (1 + len(types)) * len(semeval.COUNTS)
    out = np.zeros((len(aligned), width), dtype=np.int64)
    for u, (gold, pred) in enumerate(zip(aligned.gold, aligned.pred)):
        out[u] = semeval.line_counts(_view(gold, to), _view(pred, to), types)
    return out


for _view_name, (_types, _) in VIEWS.items():
    register(Metric("entities", f"{_view_name}/strict",
                    f"{_view_name} view: micro precision, recall and F1 of exact (start, end, type) "
                    "matches, overall and per type",
                    stats=lambda a, v=_view_name: _strict(a, v), aggregate=_strict_scores(_types),
                    headline=("f1",)))
    register(Metric("entities", f"{_view_name}/boundary",
                    f"{_view_name} view: P/R/F1 of exact (start, end) matches, type ignored",
                    stats=lambda a, v=_view_name: _boundary(a, v), aggregate=lambda s: prf(*s)))
    register(Metric("entities", f"{_view_name}/overlap",
                    f"{_view_name} view: P/R/F1 where a prediction overlapping a same-type gold span "
                    "counts, maximum one-to-one matching",
                    stats=lambda a, v=_view_name: _overlap(a, v), aggregate=lambda s: prf(*s)))
    register(Metric("entities", f"{_view_name}/semeval",
                    f"{_view_name} view: SemEval-2013 breakdown (as nervaluate counts it) under the strict, "
                    "exact, partial and type rules: correct, incorrect, partial, missed, spurious, possible, "
                    "actual and P/R/F1, overall and per type",
                    stats=lambda a, v=_view_name: _semeval(a, v),
                    aggregate=lambda s, t=_types: semeval.flat(semeval.report_from_sums(s, t))))
