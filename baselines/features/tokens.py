"""Token features for the entity baselines: tokens of a line, gazetteer lookup, per-token feature dicts.

Tokens are cut again from the line text with the dataset's tokeniser but without the gold
cuts: the `tokens` column of the entity units is split at every gold span boundary
(labels.tokens), so predicting from it would leak where the gold entities start and end.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from labels.scheme import ENTITY_TYPES
from labels.tokens import Token, spans_to_iob2, tokenize

GAZETTEER_PATH = Path(__file__).resolve().parent.parent / "gazetteer.tsv"
SENTENCE_END = frozenset({".", "!", "?"})
_OPENERS = frozenset({'"', "“", "‘", "'", "(", "["})
_SHAPE_RUNS = re.compile(r"(.)\1+")

Span = tuple[int, int, str]


def sentence_initial(tokens: Sequence[Token], i: int) -> bool:
    """True when only opening quotes or brackets stand between token i and the line start or a
    sentence-final mark."""
    j = i - 1
    while j >= 0 and tokens[j].text in _OPENERS:
        j -= 1
    return j < 0 or tokens[j].text in SENTENCE_END


@dataclass(frozen=True)
class Gazetteer:
    """Surface forms and their types, matched case-sensitively on token boundaries, longest first."""

    types: dict[str, str]
    max_tokens: int

    @classmethod
    def of(cls, entries: dict[str, str]) -> "Gazetteer":
        bad = {t for t in entries.values() if t not in ENTITY_TYPES}
        if bad:
            raise ValueError(f"gazetteer types not in the OntoNotes scheme: {', '.join(sorted(bad))}")
        return cls(dict(entries), max((len(tokenize(name)) for name in entries), default=0))

    @classmethod
    def learned(cls, mentions: Counter) -> "Gazetteer":
        """From counts of (surface, type) mentions: each surface with its most frequent type (a tie
        goes to the type first in the scheme's order)."""
        best: dict[str, tuple[int, int, str]] = {}
        for (surface, label), n in mentions.items():
            rank = (n, -ENTITY_TYPES.index(label))
            if surface not in best or rank > best[surface][:2]:
                best[surface] = (*rank, label)
        return cls.of({surface: label for surface, (_, _, label) in sorted(best.items())})

    @classmethod
    def read(cls, path: Path) -> "Gazetteer":
        """A TSV of `name<TAB>TYPE` lines; `#` starts a comment line."""
        entries = {}
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            name, sep, label = line.partition("\t")
            if not sep or not name or name != name.strip():
                raise ValueError(f"{path}:{n}: expected NAME<TAB>TYPE, got {line!r}")
            entries[name] = label.strip()
        return cls.of(entries)

    def matches(self, text: str, tokens: Sequence[Token]) -> list[Span]:
        """Leftmost-longest matches over tokens of `text` (document offsets), never overlapping."""
        out: list[Span] = []
        i = 0
        while i < len(tokens):
            for j in range(min(len(tokens), i + self.max_tokens), i, -1):
                label = self.types.get(text[tokens[i].start:tokens[j - 1].end])
                if label:
                    out.append((tokens[i].start, tokens[j - 1].end, label))
                    i = j
                    break
            else:
                i += 1
        return out


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.read(GAZETTEER_PATH)


def shape(word: str) -> str:
    """Word shape with runs collapsed: "Kyiv" -> "Xx", "U.S." -> "X.X.", "2024" -> "d"."""
    mapped = "".join("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in word)
    return _SHAPE_RUNS.sub(r"\1", mapped)


def _word(tokens: Sequence[Token], i: int) -> str:
    return tokens[i].text.lower() if 0 <= i < len(tokens) else ("<s>" if i < 0 else "</s>")


def _is_title(tokens: Sequence[Token], i: int) -> bool:
    return 0 <= i < len(tokens) and tokens[i].text[:1].isupper()


def token_features(text: str, tokens: Sequence[Token], gazetteer: Gazetteer) -> list[dict[str, str | float]]:
    """One feature dict per token: its form, shape, affixes, capitalisation, gazetteer tag and
    its neighbours' forms; the same dicts feed DictVectorizer and CRFsuite."""
    gaz = spans_to_iob2(tokens, gazetteer.matches(text, tokens))
    out = []
    for i, tok in enumerate(tokens):
        w = tok.text
        f: dict[str, str | float] = {
            "bias": 1.0, "lower": w.lower(), "shape": shape(w), "prefix3": w[:3], "suffix3": w[-3:],
            "title": float(w[:1].isupper()), "upper": float(w.isupper()), "digit": float(any(c.isdigit() for c in w)),
            "initial": float(sentence_initial(tokens, i)), "gaz": gaz[i],
        }
        for d in (-2, -1, 1, 2):
            f[f"lower{d:+d}"] = _word(tokens, i + d)
        for d in (-1, 1):
            f[f"title{d:+d}"] = float(_is_title(tokens, i + d))
            f[f"gaz{d:+d}"] = gaz[i + d] if 0 <= i + d < len(tokens) else "-"
        out.append(f)
    return out
