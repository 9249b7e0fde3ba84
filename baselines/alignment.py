"""Text an extractor returns, mapped back onto the document's lines.

Extractors (trafilatura, readability, boilerpipe, jusText) return the article as text
of their own making: they join or split lines differently from the renderer, collapse
or keep white space, decode entities, drop soft hyphens. So both sides are compared
as *keys*: NFKC, case-folded, without white space and invisible format characters.
The document's line keys are concatenated into one stream; each extracted paragraph is
looked up in it, first after the point where the previous one was found (extractors keep
page order), then anywhere; a paragraph found nowhere (the extractor edited it, or joined
words of two lines) is looked up in runs of four words the same way, and the words of a
run found nowhere one by one, just after the last point found. A line is content when at least half of its key
is covered by what was found.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Sequence

import numpy as np

MIN_COVERED = 0.5  # share of a line's key the extracted text must cover for the line to count as kept
CHUNK_WORDS = 4    # an edited paragraph is looked up in runs of this many words, specific enough to place
WORD_WINDOW = 200  # how far past the last found point a word of an edited paragraph may be looked up


def key(text: str) -> str:
    """What survives every extractor's rewriting: NFKC, case-folded, no white space, no format
    characters (soft hyphen, zero-width joiners)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")


@dataclass(frozen=True)
class Alignment:
    """Per document line, how much of its key the extracted text covered."""

    covered: tuple[float, ...]

    def kept(self, threshold: float = MIN_COVERED) -> list[bool]:
        return [share >= threshold for share in self.covered]


class _Stream:
    """The document's line keys end to end, with a mark per character once it is found."""

    def __init__(self, lines: Sequence[str]):
        keys = [key(line) for line in lines]
        self.text = "".join(keys)
        self.starts = np.cumsum([0] + [len(k) for k in keys[:-1]]).tolist() if keys else []
        self.lengths = [len(k) for k in keys]
        self.found = np.zeros(len(self.text), dtype=bool)

    def find(self, needle: str, start: int, end: int | None = None) -> int:
        return self.text.find(needle, start, len(self.text) if end is None else end)

    def mark(self, at: int, length: int) -> int:
        self.found[at:at + length] = True
        return at + length

    def covered(self) -> tuple[float, ...]:
        out = []
        for start, length in zip(self.starts, self.lengths):
            out.append(float(self.found[start:start + length].mean()) if length else 0.0)
        return tuple(out)


def align(lines: Sequence[str], extracted: str) -> Alignment:
    """How much of each line the extracted text covers (see the module docstring for how)."""
    stream = _Stream(lines)
    cursor = 0
    for paragraph in extracted.split("\n"):
        at, needle = _anywhere(stream, key(paragraph), cursor)
        if at >= 0:
            cursor = stream.mark(at, len(needle))
            continue
        words = paragraph.split()
        for i in range(0, len(words), CHUNK_WORDS):
            chunk = words[i:i + CHUNK_WORDS]
            at, needle = _anywhere(stream, key(" ".join(chunk)), cursor)
            if at >= 0:
                cursor = stream.mark(at, len(needle))
                continue
            for word in chunk:
                needle = key(word)
                at = stream.find(needle, cursor, cursor + WORD_WINDOW + len(needle)) if needle else -1
                if at >= 0:
                    cursor = stream.mark(at, len(needle))
    return Alignment(stream.covered())


def _anywhere(stream: _Stream, needle: str, cursor: int) -> tuple[int, str]:
    """Where the needle is, preferring after the cursor; -1 when nowhere or empty."""
    if not needle:
        return -1, needle
    at = stream.find(needle, cursor)
    return (at if at >= 0 else stream.find(needle, 0)), needle


def kept_lines(lines: Sequence[str], extracted: str, threshold: float = MIN_COVERED) -> list[bool]:
    """Per line: did the extractor keep it?"""
    return align(lines, extracted).kept(threshold)
