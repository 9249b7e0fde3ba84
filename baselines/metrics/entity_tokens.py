"""Metrics of token-level entity submissions (one IOB2 tag per token of the entities_tokens view).

Units are the view's rows (lines); chunks never cross them, so per-line chunk counts
add up to the corpus scores and resample like every other metric.
"""
from __future__ import annotations

import numpy as np

from labels import scheme
from baselines.metrics import Metric, register
from baselines.metrics.token_view import CONLLEVAL, IOB2_STRICT, Scheme, chunk_counts, report_from_sums

# Every type either tag set can name, in a fixed order: the columns of the counts.
TYPES: tuple[str, ...] = tuple(dict.fromkeys(scheme.ENTITY_TYPES + scheme.CONLL_TYPES))


def _counts(aligned, reading: Scheme) -> np.ndarray:
    """Per line: gold, predicted and correct chunks per type, tokens tagged right, tokens."""
    c = chunk_counts(list(aligned.gold_tags), list(aligned.pred_tags), reading, TYPES)
    return np.hstack([c.gold, c.pred, c.correct, c.tags_right[:, None], c.tokens[:, None]])


def _scores(s: np.ndarray, reading: Scheme) -> dict[str, float]:
    k = len(TYPES)
    r = report_from_sums(TYPES, s[:k], s[k:2 * k], s[2 * k:3 * k], s[3 * k], s[3 * k + 1], reading)
    return r.flat() | {"accuracy": r.accuracy}


for _name, _reading, _what in (
        ("conlleval", CONLLEVAL, "conlleval.pl's chunk precision, recall and F1 (an I- tag after O or after "
                                 "another type starts a chunk), overall and per type, and its token accuracy"),
        ("iob2_strict", IOB2_STRICT, "seqeval's strict IOB2 chunk precision, recall and F1 (an I- tag that "
                                     "continues no chunk belongs to none), overall and per type, and token accuracy")):
    register(Metric("entities_tokens", _name, _what,
                    stats=lambda a, r=_reading: _counts(a, r), aggregate=lambda s, r=_reading: _scores(s, r),
                    headline=("f1",)))
