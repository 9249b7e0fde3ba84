"""Raw page bytes to the document text every offset points into: plain text or rendered HTML.

One entry point for `corpus.add` (which chooses how to read a page) and one for the
build (which re-reads it exactly as recorded, never re-detecting anything), so a
stored page always yields the same text.
"""
from __future__ import annotations

import gzip
import io
import re
import zlib
from dataclasses import dataclass

from labels.text import NotPlainText, normalise
from corpus.html.encoding import EncodingError, decode
from corpus.html.render import RENDERER, Rendered, render

GZIP_MAGIC = b"\x1f\x8b"
MAX_PAGE_BYTES = 64 * 1024 * 1024  # a page larger than this, once decompressed, is not a news page
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|text\s[^>]*\bid=|meta[\s>]|title[\s>])",
    re.IGNORECASE | re.DOTALL)
_HTML_ANYWHERE = re.compile(rb"<(html|body)[\s>]", re.IGNORECASE)


class PageError(ValueError):
    """The bytes are not a page the corpus can hold; the message is one line for the user."""


@dataclass(frozen=True)
class Page:
    """A page as stored: its text and how it was read (recorded in the manifest)."""

    text: str
    format: str              # "text" or "html"
    compressed: bool         # the raw bytes are gzip
    encoding: str            # the codec used
    encoding_source: str     # how it was chosen (see corpus.html.encoding)
    renderer: str | None     # renderer version for HTML, None for plain text
    xpaths: tuple[str, ...]  # per line of text, for HTML; empty for plain text
    html: str | None = None  # the decoded markup the text was rendered from


def unpack(raw: bytes) -> tuple[bytes, bool]:
    """The page bytes, decompressed when gzip (recognised by its magic number, not its name)."""
    if not raw.startswith(GZIP_MAGIC):
        return raw, False
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as fh:
            data = fh.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as err:
        raise PageError(f"gzip data is corrupt or truncated ({err})") from None
    if len(data) > MAX_PAGE_BYTES:
        raise PageError(f"decompresses to more than {MAX_PAGE_BYTES // 2**20} MiB")
    return data, True


def is_html(data: bytes) -> bool:
    """HTML is recognised by content: a tag that opens an HTML document, near the start."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head) or _HTML_ANYWHERE.search(head))


def read_page(raw: bytes) -> Page:
    """Read new bytes: gzip, HTML or plain text, encoding chosen as corpus.html.encoding says."""
    if not raw:
        raise PageError("the file is empty")
    data, compressed = unpack(raw)
    if b"\x00" in data[:8000]:  # git's test for a binary file; UTF-16 without a BOM fails it too
        raise PageError(f"NUL byte at byte {data.index(0)}: a binary file (or UTF-16 without a "
                        f"byte-order mark), not a page")
    if is_html(data):
        try:
            decoded = decode(data)
        except EncodingError as err:
            raise PageError(str(err)) from None
        return _html_page(decoded.text, compressed, decoded.encoding, decoded.source)
    try:
        text = normalise(data)  # refuses control characters too (labels.text.decode_plain)
    except NotPlainText as err:
        raise PageError(str(err) if err.byte is None else
                        f"not UTF-8 (byte {err.byte}) and not HTML: convert it to UTF-8 first") from None
    if not text.strip():
        raise PageError("the page has no visible text")
    return Page(text, "text", compressed, "utf-8", "plain-text", None, ())


def reread_page(raw: bytes, format: str, encoding: str, renderer: str | None) -> Page:
    """Read stored bytes exactly as the manifest recorded (same codec, same renderer version)."""
    if format == "text":
        return read_page(raw)
    data, compressed = unpack(raw)
    if renderer != RENDERER:
        raise PageError(f"rendered with renderer {renderer!r}; this code renders {RENDERER!r}, and a "
                        f"rendered text never changes under a version: re-add the page to re-render it")
    try:
        html = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as err:
        raise PageError(f"cannot be decoded as the recorded {encoding!r}: {err}") from None
    return _html_page(html, compressed, encoding, "recorded")


def _html_page(html: str, compressed: bool, encoding: str, source: str) -> Page:
    rendered: Rendered = render(html)
    if not rendered.lines:
        raise PageError("the page has no visible text")
    return Page(rendered.text, "html", compressed, encoding, source, RENDERER,
                tuple(line.xpath for line in rendered.lines), html)
