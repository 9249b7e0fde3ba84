"""The renderer: an HTML page's visible text, one line per block element, with each line's XPath.

Parsed by selectolax's Lexbor engine: an HTML5 (WHATWG) tree builder, so a page
gets the tree a browser builds, whatever its tag soup, and the tree is fixed by the
standard rather than by a library's error recovery; it is also the fastest of the
maintained parsers (see benchmarks/render.py). Every offset of the gold labels
points into the rendered text, so the rules below never change under a given
RENDERER version: any change to them is a new version.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

RENDERER = "html-1"

# Elements whose content is never visible text.
_DROP = frozenset({
    "head", "title", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
    "math", "canvas", "audio", "video", "map", "datalist", "frameset", "frame", "input", "textarea",
})
# Elements that start and end a line (CSS display other than inline in a browser's default sheet).
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "listing", "main", "menu",
    "nav", "ol", "p", "plaintext", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "xmp",
})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # invisible in a browser; never in a line
_WRAPPER = re.compile(r"^\s*<text\b[^>]*>(.*)</text>\s*$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class RenderedLine:
    text: str
    xpath: str  # the block element the line comes from; lines split by <br> share it


@dataclass(frozen=True)
class Rendered:
    lines: tuple[RenderedLine, ...]

    @property
    def text(self) -> str:
        """The document text: the lines joined by line breaks, ending with one."""
        return "".join(line.text + "\n" for line in self.lines)


def unwrap(html: str) -> str:
    """The page inside a CleanEval `<text id=... title=... encoding=...>` wrapper, or the page itself."""
    m = _WRAPPER.match(html)
    return m.group(1) if m else html


def _hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs or (attrs.get("type") or "").lower() == "hidden":
        return True
    style = attrs.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


class _Lines:
    """Collects text pieces into lines; a line is closed at every block boundary and <br>."""

    def __init__(self) -> None:
        self.lines: list[RenderedLine] = []
        self._pieces: list[str] = []
        self._xpath = ""

    def text(self, piece: str, xpath: str) -> None:
        if not self._pieces:
            self._xpath = xpath
        self._pieces.append(piece)

    def close(self) -> None:
        line = _CONTROL.sub("", "".join(self._pieces))
        line = unicodedata.normalize("NFC", _SPACE.sub(" ", line).strip())
        if line:
            self.lines.append(RenderedLine(line, self._xpath))
        self._pieces = []


def render(html: str) -> Rendered:
    """Visible text of a page: scripts, styles, comments, <head> and hidden elements dropped,
    white space collapsed within a line, one line per block element (and per <br>)."""
    root = LexborHTMLParser(unwrap(html)).root
    out = _Lines()
    if root is not None:
        _walk(root, out)
    out.close()
    return Rendered(tuple(out.lines))


def _walk(root: LexborNode, out: _Lines) -> None:
    # Each frame: the element, its xpath, the innermost block xpath, its next child to visit,
    # and the per-tag counts of its element children seen so far (for XPath positions).
    frames: list[list] = [[root, "/html[1]", "/html[1]", root.child, {}]]
    while frames:
        frame = frames[-1]
        node, xpath, block, child, counts = frame
        if child is None:
            frames.pop()
            if node.tag in _BLOCK:
                out.close()
            continue
        frame[3] = child.next
        tag = child.tag
        if tag == "-text":
            out.text(child.text_content or "", block)
            continue
        if tag is None or tag.startswith("-") or tag.startswith("_"):
            continue  # comments and other non-element nodes
        counts[tag] = counts.get(tag, 0) + 1  # XPath positions count every element, shown or not
        if tag in _DROP or _hidden(child):
            continue
        child_xpath = f"{xpath}/{tag}[{counts[tag]}]"
        if tag == "br":
            out.close()
            continue
        if tag == "select":  # a closed list shows one choice: the selected option, else the first
            _select(child, child_xpath, out)
            continue
        if tag in _BLOCK:
            out.close()
            frames.append([child, child_xpath, child_xpath, child.child, {}])
        else:
            frames.append([child, child_xpath, block, child.child, {}])


def _select(node: LexborNode, xpath: str, out: _Lines) -> None:
    options = node.css("option")
    chosen = next((o for o in options if "selected" in o.attributes), options[0] if options else None)
    out.close()
    if chosen is not None:
        out.text(chosen.text(deep=True), xpath)
    out.close()
