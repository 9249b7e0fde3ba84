"""Bytes of an HTML page to a string, choosing the encoding the way a careful browser would.

Order: a byte-order mark; then a declaration (the CleanEval wrapper's `encoding`
attribute, `<meta charset>`, or `<meta http-equiv=Content-Type>`); then detection by
charset-normalizer when nothing is declared. A declaration is only trusted when the
bytes agree with it: a legacy single-byte declaration over bytes that are valid UTF-8
with non-ASCII characters would produce mojibake, so UTF-8 wins and the choice is
recorded. The chosen codec is stored per document, so a rebuild never re-detects.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

# WHATWG Encoding Standard: these labels all mean windows-1252 in a browser.
_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii", "cp1252",
                 "windows-1252", "x-cp1252", "iso_8859-1", "cp819", "ibm819"}
_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_WRAPPER = re.compile(rb"""^\s*<text\b[^>]*?\bencoding\s*=\s*["']([-\w.:]+)["']""", re.IGNORECASE)
_SNIFF_BYTES = 4096  # declarations are looked for where browsers look: the first bytes


class EncodingError(ValueError):
    """The bytes cannot be read as text under any encoding the page allows."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str       # Python codec name actually used
    source: str         # bom | declared | utf-8-over-declared | undeclared-utf-8 | detected


def canonical_codec(label: str) -> str | None:
    """The Python codec for an encoding label, browser-style; None for unknown labels."""
    label = label.strip().lower()
    if label in _WINDOWS_1252:
        return "cp1252"
    if label in ("utf8", "unicode-1-1-utf-8") or label.startswith(("utf-16", "utf16", "ucs-2")):
        return "utf-8"  # a page cannot declare UTF-16 in ASCII bytes; browsers read such a meta as UTF-8
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared(raw: bytes) -> str | None:
    """The first encoding the page declares, as a Python codec name (None when none or unknown)."""
    head = raw[:_SNIFF_BYTES]
    for pattern in (_WRAPPER, _META):
        m = pattern.search(head)
        if m:
            codec = canonical_codec(m.group(1).decode("ascii", "replace"))
            if codec:
                return codec
    return None


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode(raw: bytes) -> Decoded:
    """Decode once, recording how the encoding was chosen (see the module docstring)."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(raw[len(bom):].decode(codec), codec, "bom")
            except UnicodeDecodeError as err:
                raise EncodingError(f"starts with a {codec} byte-order mark but byte {err.start + len(bom)} "
                                    f"is not {codec}") from None
    as_utf8 = _utf8(raw)
    codec = declared(raw)
    if codec is not None:
        if codec != "utf-8" and as_utf8 is not None and not raw.isascii():
            return Decoded(as_utf8, "utf-8", "utf-8-over-declared")
        try:
            return Decoded(raw.decode(codec), codec, "declared")
        except UnicodeDecodeError:
            pass  # a wrong declaration: fall through to what the bytes say
    if as_utf8 is not None:
        return Decoded(as_utf8, "utf-8", "undeclared-utf-8" if codec is None else "utf-8-over-declared")
    return _detect(raw)


_NEAR = 0.15  # charset-normalizer "chaos" within which windows-1252 counts as as good as the best


def _detect(raw: bytes) -> Decoded:
    """charset-normalizer's reading, except that windows-1252 (the web's default for undeclared
    pages, WHATWG) is preferred when it reads the bytes identically or nearly as cleanly:
    on short Western pages the detector's first guess is often another single-byte code page."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(raw))
    if not matches or matches[0].encoding is None:
        raise EncodingError("the encoding cannot be determined (no declaration, not UTF-8, detection failed)")
    best = matches[0]
    codec = canonical_codec(best.encoding) or best.encoding
    text = raw.decode(codec)
    try:
        western = raw.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and (western == text or any(
            canonical_codec(m.encoding) == "cp1252" and m.chaos - best.chaos <= _NEAR for m in matches)):
        return Decoded(western, "cp1252", "detected")
    return Decoded(text, codec, "detected")
