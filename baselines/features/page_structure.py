"""Where each line sits in its page: features from the HTML around it, for the learned line classifier.

A line's block element is found by the XPath the renderer gave it (the page is rendered
again; a document whose stored text the renderer no longer reproduces, or a plain-text
one, has no structure and says so in a `no_markup` feature). XPaths are rebuilt on the
same Lexbor tree with the renderer's numbering (every element child counts), so they
name the same elements. What is read, and why it separates articles from templates:

- the tag path: the block's tag, its parent's, and every tag above it (`in=nav`,
  `in=footer`, `in=article`): templates wrap menus and footers in their own elements;
- class and id words of the block and its ancestors, split at punctuation and camelCase
  (`entry-content` -> entry, content; `sideBar` -> side, bar): a site names its regions;
- link density: the share of the block's text inside links; menus and teasers are links;
- text density: words per 80-character row of the line (Kohlschütter et al. 2010);
- depth of the block in the tree;
- the same text features as the other line systems (baselines.features.lines), and the
  lines before and after: an article paragraph sits among paragraphs, a menu item among
  menu items.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
from selectolax.lexbor import LexborHTMLParser, LexborNode

from corpus.html.render import render, unwrap
from labels.text import units as document_lines
from baselines.features.lines import NAMES, line_features

_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
ROW_CHARS = 80  # Kohlschütter's wrap width for text density
NEIGHBOUR = ("words", "stopword_density", "link_density", "text_density")  # what a line learns of the next


@dataclass(frozen=True)
class Block:
    """What a line's block element says about the line."""

    tags: tuple[str, ...]          # tag path from <html> down to the block
    names: frozenset[str]          # class and id words of the block and its ancestors
    link_density: float            # share of the block's text inside <a> elements


def name_words(value: str) -> set[str]:
    """Words of a class or id attribute, lower-cased: "mainNav side-bar_2" -> main, nav, side, bar, 2."""
    return {w.lower() for w in _WORDS.findall(value)}


def _elements(node: LexborNode):
    """Element children with the renderer's XPath step for each (positions count every element)."""
    counts: dict[str, int] = {}
    child = node.child
    while child is not None:
        tag = child.tag
        if tag and not tag.startswith(("-", "_")):
            counts[tag] = counts.get(tag, 0) + 1
            yield child, f"{tag}[{counts[tag]}]"
        child = child.next


def _link_density(node: LexborNode) -> float:
    text = len("".join(node.text(deep=True).split()))
    links = sum(len("".join(a.text(deep=True).split())) for a in node.css("a"))
    return min(links / text, 1.0) if text else 0.0


def blocks(html: str, xpaths: set[str]) -> dict[str, Block]:
    """The Block of each XPath asked for, found by walking the page once."""
    root = LexborHTMLParser(unwrap(html)).root
    found: dict[str, Block] = {}
    if root is None:
        return found
    on_the_way = {x[:i] for x in xpaths for i in range(len(x) + 1) if i == len(x) or x[i] == "/"}
    stack = [(root, "/html[1]", ("html",), frozenset(_names(root)))]
    while stack:
        node, xpath, tags, names = stack.pop()
        if xpath in xpaths:
            found[xpath] = Block(tags, names, _link_density(node))
        for child, step in _elements(node):
            path = f"{xpath}/{step}"
            if path in on_the_way:  # only the branches that lead to a line's block
                stack.append((child, path, tags + (child.tag,), names | _names(child)))
    return found


def _names(node: LexborNode) -> set[str]:
    attrs = node.attributes
    return name_words(" ".join(v for k, v in attrs.items() if k in ("class", "id") and v))


def line_blocks(html: str | None, lines: list[str]) -> list[Block | None] | None:
    """Each document line's Block, or None when the page has no markup or the renderer does not
    reproduce the stored lines (then the XPaths would point at the wrong elements)."""
    if not html:
        return None
    rendered = render(html).lines
    if [r.text for r in rendered] != lines:
        return None
    by_xpath = blocks(html, {r.xpath for r in rendered})
    return [by_xpath.get(r.xpath) for r in rendered]


def structure(block: Block | None, text: str) -> dict[str, float]:
    """One line's structural features as a sparse dict (names prefixed by kind)."""
    words = len(text.split())
    rows = max(math.ceil(len(text) / ROW_CHARS), 1)
    out = {"text_density": words / rows}
    if block is None:
        out["no_markup"] = 1.0
        return out
    out["depth"] = float(len(block.tags))
    out["link_density"] = block.link_density
    out["tag=" + block.tags[-1]] = 1.0
    if len(block.tags) > 1:
        out["parent=" + block.tags[-2]] = 1.0
    for tag in set(block.tags):
        out["in=" + tag] = 1.0
    for name in block.names:
        out["name=" + name] = 1.0
    return out


def page_line_features(units: pd.DataFrame, documents: pd.DataFrame) -> list[dict[str, float]]:
    """Per unit: its text features (baselines.features.lines), its structure, and its neighbours'
    (the lines before and after it in the whole document, whichever units are asked for)."""
    texts = dict(zip(documents.doc_id, documents.text))
    htmls = dict(zip(documents.doc_id, documents.html)) if "html" in documents else {}
    pages = {}
    for doc_id in dict.fromkeys(units.doc_id):
        if doc_id not in texts:
            raise ValueError(f"a line of document {doc_id!r} came without the document's text")
        lines = document_lines(texts[doc_id])
        frame = pd.DataFrame({"doc_id": doc_id, "start": [u.start for u in lines], "text": [u.text for u in lines]})
        text_rows = line_features(frame, documents[documents.doc_id == doc_id])
        found = line_blocks(htmls.get(doc_id) if isinstance(htmls.get(doc_id), str) else None, [u.text for u in lines])
        block_of = found or [None] * len(lines)
        rows = [structure(b, u.text) | dict(zip(NAMES, r)) for b, u, r in zip(block_of, lines, text_rows)]
        pages[doc_id] = ({u.line: i for i, u in enumerate(lines)}, rows, block_of)
    out = []
    for doc_id, line in zip(units.doc_id, units.line):
        index, rows, block_of = pages[doc_id]
        i = index[int(line)]
        f = dict(rows[i])
        for step, side in ((-1, "prev"), (1, "next")):
            j = i + step
            if not 0 <= j < len(rows):
                f[f"{side}:none"] = 1.0
                continue
            for name in NEIGHBOUR:
                f[f"{side}:{name}"] = rows[j].get(name, 0.0)
            f[f"{side}:same_block"] = float(block_of[i] is not None and block_of[j] is block_of[i])
        out.append(f)
    return out
