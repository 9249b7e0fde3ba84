"""The token view of entity spans: tokenisation, spans to IOB2 and back, exactly.

Tokens are cut at every entity boundary, so spans -> IOB2 -> spans round-trips
without loss whatever the tokeniser would otherwise do inside a name.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Iterable, Sequence

# Abbreviations with dots (U.S., U.K.), numbers with separators, a possessive 's on
# its own (as in the Penn Treebank), words with inner hyphens or apostrophes, then
# any single other non-space character.
_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,}|\d+(?:[.,:]\d+)*(?![\w])|['’]s\b|\w+(?:-\w+)*(?:['’](?!s\b)\w+)*|[^\w\s]"
)
# The same tokens as the pieces between white space: splitting keeps the gaps, so every offset is a
# running sum of piece lengths, computed without a match object per token.
_SPLIT = re.compile(f"({_TOKEN.pattern})")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def token_spans(text: str, start: int = 0, end: int | None = None, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """(start, end) of every token of text[start:end], split again at each offset in cuts; the build
    reads these directly, without a Token object per token."""
    end = len(text) if end is None else end
    cut_set = sorted({c for c in cuts if start < c < end})
    if not cut_set:
        return [m.span() for m in _TOKEN.finditer(text, start, end)]
    out: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text, start, end):
        a, b = m.span()
        i, j = bisect_right(cut_set, a), bisect_left(cut_set, b)
        if i == j:
            out.append((a, b))
            continue
        bounds = [a, *cut_set[i:j], b]
        out += zip(bounds, bounds[1:])
    return out


def token_table(text: str, cuts: Iterable[int] = ()) -> tuple[list[int], list[int], list[str]]:
    """(starts, ends, texts) of every token of the whole text, split again at each offset in cuts;
    the same tokens as token_spans line by line, since no token holds white space (so none crosses
    a line break) and a cut splits only the token around it."""
    parts = _SPLIT.split(text)
    offsets = list(accumulate(map(len, parts)))
    starts, ends, texts = offsets[0:-1:2], offsets[1::2], parts[1::2]
    for cut in sorted(set(cuts)):
        i = bisect_right(starts, cut) - 1
        if i >= 0 and starts[i] < cut < ends[i]:
            starts.insert(i + 1, cut)
            ends.insert(i, cut)
            texts[i:i + 1] = [text[starts[i]:cut], text[cut:ends[i + 1]]]
    return starts, ends, texts


def tokenize(text: str, start: int = 0, end: int | None = None, cuts: Iterable[int] = ()) -> list[Token]:
    """Tokens of text[start:end] with document offsets, split again at each offset in cuts."""
    return [Token(a, b, text[a:b]) for a, b in token_spans(text, start, end, cuts)]


def iob2_of_spans(starts: Sequence[int], ends: Sequence[int], spans: Sequence[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags for tokens given by their offsets; each span must start and end on token boundaries."""
    tags = ["O"] * len(starts)
    if not spans:
        return tags
    index_of_start = {s: i for i, s in enumerate(starts)}
    for start, end, label in spans:
        i = index_of_start.get(start)
        if i is None:
            raise ValueError(f"span [{start}, {end}) does not start on a token boundary")
        tags[i] = f"B-{label}"
        i += 1
        while i < len(ends) and ends[i] <= end:
            tags[i] = f"I-{label}"
            i += 1
        if ends[i - 1] != end:
            raise ValueError(f"span [{start}, {end}) does not end on a token boundary")
    return tags


def spans_to_iob2(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags for tokens; each span must start and end on token boundaries."""
    return iob2_of_spans([t.start for t in tokens], [t.end for t in tokens], list(spans))


def iob2_to_spans(tokens: Sequence[Token], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Strict IOB2 decoding: an I- tag that does not continue a same-type chunk is dropped,
    as seqeval does in strict mode."""
    spans: list[tuple[int, int, str]] = []
    cur: list | None = None
    for tok, tag in zip(tokens, tags):
        if tag.startswith("B-"):
            if cur:
                spans.append(tuple(cur))
            cur = [tok.start, tok.end, tag[2:]]
        elif tag.startswith("I-") and cur is not None and cur[2] == tag[2:]:
            cur[1] = tok.end
        else:
            if cur:
                spans.append(tuple(cur))
            cur = None
    if cur:
        spans.append(tuple(cur))
    return spans
