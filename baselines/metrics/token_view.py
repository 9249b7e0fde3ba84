"""Strict IOB2 entity scores on token tag sequences, equal to seqeval's, computed with numpy.

seqeval (`mode="strict", scheme=IOB2`) builds a Python object per token; scoring a
large token view that way takes minutes. This gives the same numbers from array
operations over all sequences at once (benchmarks/entity_scorer.py checks both).

Chunks follow seqeval's strict IOB2 reading: a chunk starts at every B-X and takes
the I-X tokens right after it, within the same sentence; an I- tag that continues
no such chunk (after O, or after a different type) belongs to no chunk. A predicted
chunk is correct when its sentence, start, end and type all equal a gold chunk's.
"""
from __future__ import annotations

from itertools import chain
from typing import Sequence

import numpy as np

from baselines.metrics import prf

_OUTSIDE, _BEGIN, _INSIDE = 0, 1, 2
_KIND = {"O": _OUTSIDE, "B": _BEGIN, "I": _INSIDE}


def _parse(tag: str) -> tuple[int, str]:
    """(kind, type) of one tag, read as seqeval reads it: the first character is the prefix,
    the rest stripped of "-" is the type ("_" when empty)."""
    if not isinstance(tag, str) or not tag or tag[0] not in _KIND:
        raise ValueError(f"invalid IOB2 tag {tag!r}: expected O, B-TYPE or I-TYPE")
    return _KIND[tag[0]], tag[1:].strip("-") or "_"


def _encode(seqs: Sequence[Sequence[str]], code: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Every tag of the concatenated sequences as its vocabulary code, and the sequence lengths."""
    lengths = np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs))
    codes = np.fromiter(map(code.__getitem__, chain.from_iterable(seqs)), dtype=np.int64,
                        count=int(lengths.sum()))
    return codes, lengths


def _chunks(kind: np.ndarray, typ: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) token positions of every strict IOB2 chunk.

    A token continues the chunk before it when it is I-X, follows a B- or I- token of
    type X (O has type -1) and does not open a sentence. Every other token breaks; each
    B- break opens a chunk that runs to the next break.
    """
    n = len(kind)
    cont = np.zeros(n, dtype=bool)
    cont[1:] = (kind[1:] == _INSIDE) & (typ[1:] == typ[:-1])
    cont &= ~first
    breaks = np.flatnonzero(~cont)
    opening = np.flatnonzero(kind[breaks] == _BEGIN)
    return breaks[opening], np.append(breaks, n)[opening + 1]


def strict_scores(true_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]) -> dict[str, float]:
    """seqeval strict IOB2 scores of pred_tags against true_tags (one list of tags per sentence).

    Returns micro "precision", "recall", "f1", "support" (gold chunks), and for every type
    with a chunk in either side "TYPE/precision", "TYPE/recall", "TYPE/f1", "TYPE/support";
    a zero denominator gives 0, as in seqeval. Raises ValueError on sentences of unequal
    length or a tag that is not O, B-TYPE or I-TYPE.
    """
    if len(true_tags) != len(pred_tags):
        raise ValueError(f"{len(true_tags)} gold sentences but {len(pred_tags)} predicted")
    vocab = sorted(set(chain(chain.from_iterable(true_tags), chain.from_iterable(pred_tags))))
    code = {tag: i for i, tag in enumerate(vocab)}
    parsed = [_parse(tag) for tag in vocab]
    types = sorted({t for k, t in parsed if k != _OUTSIDE})
    type_id = {t: i for i, t in enumerate(types)}
    kind_of = np.array([k for k, _ in parsed], dtype=np.int8)
    type_of = np.array([type_id[t] if k != _OUTSIDE else -1 for k, t in parsed], dtype=np.int64)

    true_codes, lengths = _encode(true_tags, code)
    pred_codes, pred_lengths = _encode(pred_tags, code)
    if not np.array_equal(lengths, pred_lengths):
        bad = int(np.flatnonzero(lengths != pred_lengths)[0])
        raise ValueError(f"sentence {bad}: {lengths[bad]} gold tags but {pred_lengths[bad]} predicted")
    n = len(true_codes)
    offsets = np.cumsum(lengths) - lengths
    first = np.zeros(n, dtype=bool)
    first[offsets[offsets < n]] = True

    true_type, pred_type = type_of[true_codes], type_of[pred_codes]
    t_start, t_end = _chunks(kind_of[true_codes], true_type, first)
    p_start, p_end = _chunks(kind_of[pred_codes], pred_type, first)
    # Chunks of one side never share a start, so a gold chunk is matched when the
    # predicted chunk opening at its start has its end and type.
    pred_end_at = np.full(n + 1, -1, dtype=np.int64)
    pred_end_at[p_start] = p_end
    hit = (pred_end_at[t_start] == t_end) & (pred_type[t_start] == true_type[t_start])

    k = len(types)
    gold_n = np.bincount(true_type[t_start], minlength=k)
    pred_n = np.bincount(pred_type[p_start], minlength=k)
    tp = np.bincount(true_type[t_start[hit]], minlength=k)
    out = prf(int(tp.sum()), int(pred_n.sum() - tp.sum()), int(gold_n.sum() - tp.sum()))
    out["support"] = float(gold_n.sum())
    for i, name in enumerate(types):
        if gold_n[i] or pred_n[i]:
            out.update({f"{name}/{key}": v for key, v in
                        prf(int(tp[i]), int(pred_n[i] - tp[i]), int(gold_n[i] - tp[i])).items()})
            out[f"{name}/support"] = float(gold_n[i])
    return out
