"""Entity chunks on token tag sequences: one IOB decoder, two readings of it, computed with numpy.

seqeval and conlleval.pl build a Python object (or run a Perl loop) per token; scoring
a large token view that way takes minutes. This gives the same numbers from array
operations over all sentences at once (benchmarks/entity_scorer.py checks and times it).

The tagging scheme is data, not branches. Both readings agree on where a chunk goes on:
a token continues the chunk before it when it is I-X, follows a B- or I- token of type
X and does not open a sentence. They differ only in which breaking tags open a chunk:

- strict IOB2 (seqeval `mode="strict", scheme=IOB2`): only B-X; an I- tag that
  continues no chunk (after O, or after another type) belongs to no chunk;
- conlleval (conlleval.pl, and seqeval's default mode): B-X and I-X alike, so such
  an I- tag starts a chunk of its own type.

A predicted chunk is correct when its sentence, start, end and type all equal a gold
chunk's.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Sequence

import numpy as np

from baselines.metrics import PRF

_OUTSIDE, _BEGIN, _INSIDE = 0, 1, 2
_KIND = {"O": _OUTSIDE, "B": _BEGIN, "I": _INSIDE}


@dataclass(frozen=True)
class Scheme:
    """A reading of IOB tags: which tag kinds open a chunk where the previous chunk breaks."""

    name: str
    opens: frozenset[int]


IOB2_STRICT = Scheme("strict IOB2 (seqeval strict mode)", frozenset({_BEGIN}))
CONLLEVAL = Scheme("conlleval (conlleval.pl; an I- tag after O or another type starts a chunk)",
                   frozenset({_BEGIN, _INSIDE}))


@dataclass(frozen=True)
class ChunkCounts:
    """Per sentence and type: gold chunks, predicted chunks, correct chunks; per sentence:
    tokens whose whole tag is right, and tokens. Sums over any set of sentences score it."""

    types: tuple[str, ...]
    gold: np.ndarray      # (n_sentences, n_types)
    pred: np.ndarray      # (n_sentences, n_types)
    correct: np.ndarray   # (n_sentences, n_types)
    tags_right: np.ndarray  # (n_sentences,)
    tokens: np.ndarray      # (n_sentences,)


@dataclass(frozen=True)
class ChunkReport:
    """Micro scores over all chunks, scores per type seen in gold or prediction, and token
    accuracy (the share of tokens whose predicted tag equals the gold tag, as conlleval.pl
    prints it)."""

    scheme: str
    overall: PRF
    per_type: dict[str, PRF]
    found: int            # predicted chunks
    correct: int          # correct chunks
    tokens: int
    accuracy: float

    def flat(self) -> dict[str, float]:
        out = self.overall.flat()
        for name, scores in self.per_type.items():
            out.update(scores.flat(f"{name}/"))
        return out


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


def _chunks(kind: np.ndarray, typ: np.ndarray, first: np.ndarray, scheme: Scheme) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) token positions of every chunk in the scheme's reading.

    O has type -1, so an I- after O never continues. Every token that does not continue
    breaks; a break whose kind the scheme lets open a chunk opens one that runs to the
    next break.
    """
    n = len(kind)
    cont = np.zeros(n, dtype=bool)
    cont[1:] = (kind[1:] == _INSIDE) & (typ[1:] == typ[:-1])
    cont &= ~first
    breaks = np.flatnonzero(~cont)
    opening = np.flatnonzero(np.isin(kind[breaks], list(scheme.opens)))
    return breaks[opening], np.append(breaks, n)[opening + 1]


def chunk_counts(true_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]],
                 scheme: Scheme = IOB2_STRICT, types: Sequence[str] | None = None) -> ChunkCounts:
    """Chunk counts of pred_tags against true_tags (one list of tags per sentence).

    `types` fixes the columns (default: the types seen, sorted). Raises ValueError on
    sentences of unequal length or a tag that is not O, B-TYPE or I-TYPE.
    """
    if len(true_tags) != len(pred_tags):
        raise ValueError(f"{len(true_tags)} gold sentences but {len(pred_tags)} predicted")
    vocab = sorted(set(chain(chain.from_iterable(true_tags), chain.from_iterable(pred_tags))))
    code = {tag: i for i, tag in enumerate(vocab)}
    parsed = [_parse(tag) for tag in vocab]
    seen = sorted({t for k, t in parsed if k != _OUTSIDE})
    types = tuple(seen if types is None else types)
    type_id = {t: i for i, t in enumerate(types)}
    unknown = [t for t in seen if t not in type_id]
    if unknown:
        raise ValueError(f"tag type(s) {', '.join(unknown)} not among {', '.join(types)}")
    kind_of = np.array([k for k, _ in parsed], dtype=np.int8)
    type_of = np.array([type_id[t] if k != _OUTSIDE else -1 for k, t in parsed], dtype=np.int64)

    true_codes, lengths = _encode(true_tags, code)
    pred_codes, pred_lengths = _encode(pred_tags, code)
    if not np.array_equal(lengths, pred_lengths):
        bad = int(np.flatnonzero(lengths != pred_lengths)[0])
        raise ValueError(f"sentence {bad}: {lengths[bad]} gold tags but {pred_lengths[bad]} predicted")
    n, n_sent, k = len(true_codes), len(lengths), len(types)
    offsets = np.cumsum(lengths) - lengths
    first = np.zeros(n, dtype=bool)
    first[offsets[offsets < n]] = True
    sentence_of = np.repeat(np.arange(n_sent), lengths)

    true_type, pred_type = type_of[true_codes], type_of[pred_codes]
    t_start, t_end = _chunks(kind_of[true_codes], true_type, first, scheme)
    p_start, p_end = _chunks(kind_of[pred_codes], pred_type, first, scheme)
    # Chunks of one side never share a start, so a gold chunk is matched when the
    # predicted chunk opening at its start has its end and type.
    pred_end_at = np.full(n + 1, -1, dtype=np.int64)
    pred_end_at[p_start] = p_end
    hit = (pred_end_at[t_start] == t_end) & (pred_type[t_start] == true_type[t_start])

    def per_sentence(starts: np.ndarray, typ: np.ndarray) -> np.ndarray:
        return np.bincount(sentence_of[starts] * k + typ[starts], minlength=n_sent * k).reshape(n_sent, k)

    return ChunkCounts(
        types=types,
        gold=per_sentence(t_start, true_type),
        pred=per_sentence(p_start, pred_type),
        correct=per_sentence(t_start[hit], true_type),
        tags_right=np.bincount(sentence_of[true_codes == pred_codes], minlength=n_sent),
        tokens=lengths)


def report_from_sums(types: Sequence[str], gold: np.ndarray, pred: np.ndarray, correct: np.ndarray,
                     tags_right: float, tokens: float, scheme: Scheme) -> ChunkReport:
    """A report from counts summed over sentences (per-type vectors and two totals)."""
    per_type = {name: PRF.from_counts(c, p - c, g - c)
                for name, g, p, c in zip(types, gold, pred, correct) if g or p}
    return ChunkReport(scheme.name, PRF.from_counts(correct.sum(), pred.sum() - correct.sum(),
                                                     gold.sum() - correct.sum()),
                       per_type, int(pred.sum()), int(correct.sum()), int(tokens),
                       float(tags_right / tokens) if tokens else 0.0)


def report(true_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]],
           scheme: Scheme = IOB2_STRICT) -> ChunkReport:
    """Micro and per-type chunk scores in the scheme's reading."""
    c = chunk_counts(true_tags, pred_tags, scheme)
    return report_from_sums(c.types, c.gold.sum(axis=0), c.pred.sum(axis=0), c.correct.sum(axis=0),
                            c.tags_right.sum(), c.tokens.sum(), scheme)


def strict_scores(true_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]) -> dict[str, float]:
    """seqeval strict IOB2 scores under seqeval's report keys: micro "precision", "recall",
    "f1", "support" (gold chunks), and "TYPE/..." for every type with a chunk on either side."""
    return report(true_tags, pred_tags, IOB2_STRICT).flat()


def conlleval_scores(true_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]) -> ChunkReport:
    """conlleval.pl's chunk scores and token accuracy (its lenient reading of I- tags)."""
    return report(true_tags, pred_tags, CONLLEVAL)
