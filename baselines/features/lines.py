"""Line features for boilerplate detection, shared by the line heuristic and the line classifier.

Each feature of a line depends on the line and its whole document only, never on which other
lines a cross-validation fold holds, so a line has the same features in training and prediction.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd

from labels.text import units as document_lines

# Column order of `line_features`; see its docstring for what each one means and why.
NAMES: tuple[str, ...] = ("words", "stopword_density", "punct_share", "ends_sentence", "repeats", "position")

SENTENCE_ENDS = frozenset(".!?…")
# Set aside before looking for a sentence end: `He said "no."` and `(Reuters.)` end sentences.
CLOSERS = "\"'”’»)]"


@lru_cache(maxsize=1)
def english_stoplist() -> frozenset[str]:
    """jusText's English stoplist, lower-cased (jusText is imported on first use only)."""
    import justext

    return frozenset(w.lower() for w in justext.get_stoplist("English"))


def _is_punct(ch: str) -> bool:
    """Unicode punctuation (P*) or symbol (S*): separators, quotes, bullets, currency, pipes."""
    return unicodedata.category(ch)[0] in "PS"


def strip_punct(token: str) -> str:
    """A token without its leading and trailing punctuation and symbols: `(said,` -> `said`."""
    i, j = 0, len(token)
    while i < j and _is_punct(token[i]):
        i += 1
    while j > i and _is_punct(token[j - 1]):
        j -= 1
    return token[i:j]


def same_text_key(text: str) -> str:
    """Two lines repeat each other when they match ignoring case and spacing."""
    return " ".join(text.split()).casefold()


def _line(text: str, repeats: int, position: float, stoplist: frozenset[str]) -> tuple[float, ...]:
    tokens = text.split()
    words = len(tokens)
    stop = sum(strip_punct(t).lower() in stoplist for t in tokens) / words if words else 0.0
    visible = [c for c in text if not c.isspace()]
    punct = sum(map(_is_punct, visible)) / len(visible) if visible else 0.0
    ends = text.rstrip().rstrip(CLOSERS)[-1:] in SENTENCE_ENDS
    return float(words), stop, punct, float(ends), float(repeats), position


def line_features(units: pd.DataFrame, documents: pd.DataFrame) -> np.ndarray:
    """One row per unit (doc_id, start, text), one float column per name in `NAMES`:

    - words: whitespace-separated tokens. Length is the strongest single cue: menus, labels and
      buttons are short, article prose is long.
    - stopword_density: share of tokens that, lower-cased and stripped of surrounding punctuation,
      are in jusText's English stoplist (0 for a line without tokens). Prose is rich in function
      words; names, labels and headlines are not. (jusText itself does not strip punctuation, so
      "it," is no stopword there; stripping makes the density depend on words, not on commas.)
    - punct_share: share of non-space characters that are punctuation or symbols (Unicode P*/S*).
      High in breadcrumbs, menus with separators, dates and code; prose has a few per cent.
    - ends_sentence: 1.0 if the line, closing quotes and brackets set aside, ends with . ! ? or ….
    - repeats: how many other lines of the same document have the same text (case and spacing
      ignored). Page templates repeat ("News Feed" at top and bottom); article paragraphs do not.
    - position: the line's start offset over its document's length: 0 at the top, towards 1 at the
      bottom.

    The document (from `documents`, columns doc_id and text) supplies `repeats` and `position`,
    which are computed over all of its lines, not only those in `units`.
    """
    stoplist = english_stoplist()
    texts = dict(zip(documents.doc_id, documents.text))
    counts: dict[str, Counter] = {}
    rows = []
    for doc_id, start, text in zip(units.doc_id, units.start, units.text):
        if doc_id not in texts:
            raise ValueError(f"a line of document {doc_id!r} came without the document's text")
        doc = texts[doc_id]
        if doc_id not in counts:
            counts[doc_id] = Counter(same_text_key(u.text) for u in document_lines(doc))
        repeats = max(counts[doc_id][same_text_key(text)] - 1, 0)
        rows.append(_line(text, repeats, int(start) / max(len(doc), 1), stoplist))
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(NAMES))
