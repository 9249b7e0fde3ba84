"""Normalisation and line units: what every offset in the project points into."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


class NotPlainText(ValueError):
    """Bytes that are not a plain UTF-8 text page; the message is the reason, callers name the file.
    `byte` is where UTF-8 decoding failed, when that is the reason."""

    def __init__(self, reason: str, byte: int | None = None):
        super().__init__(reason)
        self.byte = byte


# Line structure and tab are text; every other C0/C1 control (NUL first of all) means a binary
# file, another encoding read as UTF-8, or corruption.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode_plain(raw: bytes) -> str:
    """UTF-8 text (a BOM dropped), or NotPlainText with a one-line reason."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotPlainText("UTF-16 (it starts with a UTF-16 byte-order mark): convert it to UTF-8 first")
    nuls = raw.count(b"\x00")
    if nuls and nuls * 4 >= len(raw) and (raw[1::2].count(b"\x00") * 4 >= len(raw) or raw[0::2].count(b"\x00") * 4 >= len(raw)):
        raise NotPlainText("looks like UTF-16 without a byte-order mark (every other byte is NUL): "
                           "convert it to UTF-8 first")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise NotPlainText(f"not UTF-8 (byte {err.start}): convert it to UTF-8 first", err.start) from None
    bad = _CONTROL.search(text)
    if bad:
        raise NotPlainText(f"control character U+{ord(bad.group()):04X} at character {bad.start()}: "
                           "a binary file or a wrong encoding, not a page")
    return text


def normalise(raw: bytes) -> str:
    """Decode UTF-8 (dropping a BOM), turn CRLF and CR into LF, apply NFC; nothing more.

    Raises NotPlainText for bytes that are not a plain UTF-8 text: callers name the file.
    """
    text = decode_plain(raw)
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
    return list(_units(text))


@lru_cache(maxsize=4)
def _units(text: str) -> tuple[Line, ...]:
    """Cached: validating and building one document split its text several times over."""
    out: list[Line] = []
    start = 0
    for number, piece in enumerate(text.split("\n")):
        if piece.strip():
            out.append(Line(number, start, start + len(piece), piece))
        start += len(piece) + 1
    return tuple(out)
