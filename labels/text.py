"""Normalisation and line units: what every offset in the project points into."""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass


def normalise(raw: bytes) -> str:
    """Decode UTF-8 (dropping a BOM), turn CRLF and CR into LF, apply NFC; nothing more.

    Raises UnicodeDecodeError for bytes that are not UTF-8: callers name the file.
    """
    text = raw.decode("utf-8-sig")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def doc_id_of(text: str) -> str:
    """Content-derived id: the same normalised page never gets two ids."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Line:
    """A boilerplate unit: a line holding a non-whitespace character, without its break."""

    line: int
    start: int
    end: int
    text: str


def units(text: str) -> list[Line]:
    """Every line with a non-whitespace character, numbered among all lines from 0."""
    out: list[Line] = []
    start = 0
    for number, piece in enumerate(text.split("\n")):
        if piece.strip():
            out.append(Line(number, start, start + len(piece), piece))
        start += len(piece) + 1
    return out
