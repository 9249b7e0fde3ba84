"""The official FNC-1 baseline's 44 features (fnc-1-baseline, feature_engineering.py), reproduced
as it computes them, quirks included, since its published scores were made with them:

- hand (26): headline tokens found as substrings of the cleaned body, in it and in its first 255
  characters, with and without stopwords; character grams (2, 8, 4, 16) and word n-grams (2-6)
  of the headline found in the body (whole, first 255 and, for character grams, first 100
  characters). Its character grams are joined with spaces between the characters ("ab" is
  looked for as "a b"), and so are these.
- polarity (2): the parity of refuting words in the headline and in the body;
- refuting (15): which refuting words the headline holds;
- overlap (1): Jaccard overlap of the headline's and the body's lemmas.

One deviation: the original lemmatised with NLTK's WordNet lemmatiser (a data download); this
uses the project's plural stripper (`baselines.features.stance.lemma`), which agrees on regular
noun plurals and differs on words like "was" (WordNet: "wa"). Bump FEATURE_VERSION whenever a
value can change: trained models are cached under it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from baselines.features.stance import REFUTING_WORDS, lemma

FEATURE_VERSION = "fnc1-baseline/1"
# The official list is the project's without "denied" (REFUTING_WORDS adds it).
OFFICIAL_REFUTING = tuple(w for w in REFUTING_WORDS if w != "denied")
CHAR_GRAM_SIZES = (2, 8, 4, 16)   # in the original's order
WORD_GRAM_SIZES = (2, 3, 4, 5, 6)
EARLY, FIRST = 255, 100           # characters of the cleaned body that count as its start
# NLTK's word_tokenize splits these on already cleaned text; nothing else changes there.
_SPLIT_WORDS = {"cannot": ("can", "not"), "gonna": ("gon", "na"), "gotta": ("got", "ta"),
                "wanna": ("wan", "na"), "gimme": ("gim", "me"), "lemme": ("lem", "me")}
# WordNet's noun lemmatiser leaves "denies" alone (no noun "deny"), the plural stripper would not:
# the original's "deny" and "denies" refuting features stay apart.
_NOT_A_NOUN_PLURAL = frozenset({"denies"})
_WORD = re.compile(r"\w+")

NAMES: tuple[str, ...] = (
    ("cooc", "cooc_early", "cooc_stops", "cooc_stops_early")
    + tuple(f"char{n}_{where}" for n in CHAR_GRAM_SIZES for where in ("hits", "early", "first"))
    + tuple(f"word{n}_{where}" for n in WORD_GRAM_SIZES for where in ("hits", "early"))
    + ("polarity_headline", "polarity_body")
    + tuple(f"refuting_{w}" for w in OFFICIAL_REFUTING)
    + ("overlap",))


def clean(text: str) -> str:
    """Lower-cased word characters, runs of anything else become one space."""
    return " ".join(_WORD.findall(text)).lower()


def _lemma(token: str) -> str:
    return token if token in _NOT_A_NOUN_PLURAL else lemma(token)


def lemmas(cleaned: str) -> list[str]:
    """The original's tokens and lemmas of an already cleaned text."""
    out: list[str] = []
    for token in cleaned.split():
        out.extend(_lemma(t) for t in _SPLIT_WORDS.get(token, (token,)))
    return out


def _without_stopwords(words: list[str]) -> list[str]:
    return [w for w in words if w not in ENGLISH_STOP_WORDS]


def _polarity(lemma_list: list[str]) -> int:
    return sum(t in OFFICIAL_REFUTING for t in lemma_list) % 2


@dataclass(frozen=True)
class _Body:
    """What the features read of a body, computed once per body (FNC-1 pairs share 1,683 bodies)."""

    text: str
    early: str
    first: str
    lemmas: frozenset[str]
    polarity: int


@lru_cache(maxsize=4096)
def _body(body: str) -> _Body:
    cleaned = clean(body)
    body_lemmas = lemmas(cleaned)
    return _Body(cleaned, cleaned[:EARLY], cleaned[:FIRST], frozenset(body_lemmas), _polarity(body_lemmas))


def _hits(grams: list[str], *texts: str) -> list[int]:
    return [sum(g in t for g in grams) for t in texts]


def features(headline: str, body: str) -> list[float]:
    """The 44 features of one pair, in the order of NAMES (the original's np.c_[hand, polarity,
    refuting, overlap])."""
    b = _body(body)
    h = clean(headline)
    words = h.split(" ")
    out = [sum(w in b.text for w in words), sum(w in b.early for w in words)]
    stops = sum(w in b.text for w in _without_stopwords(words))
    out += [stops, stops]  # the original counts its "early" variant against the whole body too
    joined = " ".join(_without_stopwords(h.split()))
    for n in CHAR_GRAM_SIZES:
        out += _hits([" ".join(joined[i:i + n]) for i in range(len(joined) - n + 1)], b.text, b.early, b.first)
    for n in WORD_GRAM_SIZES:
        out += _hits([" ".join(words[i:i + n]) for i in range(len(words) - n + 1)], b.text, b.early)
    h_lemmas = lemmas(h)
    out += [_polarity(h_lemmas), b.polarity]
    out += [int(w in h_lemmas) for w in OFFICIAL_REFUTING]
    union = b.lemmas.union(h_lemmas)
    out.append(len(b.lemmas.intersection(h_lemmas)) / len(union) if union else 0.0)
    return [float(v) for v in out]


def matrix(headlines: list[str], bodies: list[str]) -> np.ndarray:
    """(pairs, 44) feature matrix."""
    return np.array([features(h, b) for h, b in zip(headlines, bodies)], dtype=float).reshape(-1, len(NAMES))
