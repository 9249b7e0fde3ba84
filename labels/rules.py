"""Every rule of the label scheme, checked against the document text.

Pure functions: (text, GoldDocument) in, Problems out. All problems are
collected, never the first only, so one run shows everything to fix.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from operator import itemgetter
from typing import Iterable

from labels import scheme, status
from labels.model import GoldDocument, Span
from labels.problems import Problem
from labels.text import units


def check(text: str, doc: GoldDocument, file: str) -> list[Problem]:
    problems: list[Problem] = []

    def add(record: str, fld: str, message: str) -> None:
        problems.append(Problem(file, record, fld, message))

    def span_ok(record: str, fld: str, span: Span) -> bool:
        if not 0 <= span.start < span.end <= len(text):
            add(record, fld, f"offsets [{span.start}, {span.end}) outside the document (length {len(text)}) or empty")
            return False
        if text[span.start:span.end] != span.text:
            add(record, fld, f"surface {span.text!r} does not match the text at [{span.start}, {span.end}): "
                             f"{text[span.start:span.end]!r}{_nearest(text, span)}")
            return False
        return True

    for fld, message in status.history_problems(doc.status, doc.history):
        add("document", fld, message)
    _check_lines(text, doc, add, span_ok)
    content = _content_spans(text, doc)
    entity_ids = _check_entities(doc, content, add, span_ok)
    _check_stance(text, doc, entity_ids, content, add, span_ok)
    return problems


def _content_spans(text: str, doc: GoldDocument) -> list[tuple[int, int]]:
    """[start, end) of every line whose role is a content role (scheme 2 annotates only these)."""
    return [(u.start, u.end) for u, lab in _labelled_units(text, doc) if scheme.is_content(lab.role)]


def _inside(content: list[tuple[int, int]], span: Span) -> bool:
    """Within one content line; the lines are in text order and disjoint, so only the last one
    starting at or before the span can hold it."""
    i = bisect_right(content, span.start, key=itemgetter(0)) - 1
    return i >= 0 and span.end <= content[i][1]


def _nearest(text: str, span: Span) -> str:
    """Where the surface does occur closest to the given start, as a hint for the fix."""
    if not span.text:
        return ""
    before = text.rfind(span.text, 0, span.start + len(span.text))
    after = text.find(span.text, span.start)
    found = [x for x in (before, after) if x >= 0]
    if not found:
        return "; the surface occurs nowhere in the document"
    at = min(found, key=lambda x: abs(x - span.start))
    return f"; it occurs at [{at}, {at + len(span.text)})"


# Words that name a role or title, never part of a PERSON span ("spokesperson Guo Jiakun" -> "Guo Jiakun").
TITLES = frozenset("""
mr mrs ms dr prof president vice-president prime minister secretary chancellor senator sen rep governor
mayor king queen prince princess pope general gen colonel col captain capt judge justice ambassador
spokesperson spokesman spokeswoman chairman chairwoman chair ceo director editor reporter
""".split())


def _conventions(e) -> list[str]:
    """The scheme's span conventions, each with how to fix the span."""
    out = []
    if e.text.startswith("the "):
        out.append(f"leading 'the' in {e.text!r}: leave it out (start at {e.start + 4}) unless the printed "
                   "name has it, as in 'The Hague'")
    if e.text.endswith(("'s", "\u2019s")) and scheme.conll_type(e.type) is not None:  # not "the 1980's"
        out.append(f"possessive in {e.text!r}: leave out the trailing 's (end at {e.end - 2})")
    if e.type == "PERSON" and " " in e.text and e.text.split(" ", 1)[0].rstrip(".").lower() in TITLES:
        out.append(f"title {e.text.split(' ', 1)[0]!r} inside a PERSON: leave titles and roles out "
                   f"(start at {e.start + len(e.text.split(' ', 1)[0]) + 1})")
    return out


def _duplicates(ids: Iterable[str]) -> list[str]:
    return sorted(k for k, n in Counter(ids).items() if n > 1)


def _check_lines(text, doc, add, span_ok) -> None:
    expected = {u.line: u for u in units(text)}
    seen: set[int] = set()
    for lab in doc.lines:
        record = f"line {lab.line}"
        if lab.line in seen:
            add(record, "line", "labelled more than once")
            continue
        seen.add(lab.line)
        unit = expected.get(lab.line)
        if unit is None:
            add(record, "line", "no such non-empty line in the document")
            continue
        if (lab.start, lab.end) != (unit.start, unit.end):
            add(record, "start", f"line spans [{unit.start}, {unit.end}), label says [{lab.start}, {lab.end})")
        else:
            span_ok(record, "text", Span(lab.start, lab.end, lab.text))
        if lab.role not in scheme.ROLES:
            add(record, "role", f"unknown role {lab.role!r}; expected one of {', '.join(scheme.ROLES)}")
    for number in sorted(set(expected) - seen):
        add(f"line {number}", "role", f"line has no role: {expected[number].text[:50]!r}")


def _check_entities(doc, content, add, span_ok) -> set[str]:
    for dup in _duplicates(e.id for e in doc.entities):
        add(dup, "id", "duplicate entity id")
    placed = []
    for i, e in enumerate(doc.entities):
        if not e.id.strip():
            add(f"entities[{i}]", "id", f"empty entity id for {e.text!r}: give it an id such as e1")
        if e.type not in scheme.ENTITY_TYPES:
            add(e.id, "type", f"unknown entity type {e.type!r}; expected one of {', '.join(scheme.ENTITY_TYPES)}")
        if not span_ok(e.id, "start", e):
            continue
        if "\n" in e.text:
            add(e.id, "text", "entity crosses a line break")
        if e.text != e.text.strip():
            add(e.id, "text", f"entity surface has leading or trailing white space: {e.text!r}")
        for message in _conventions(e):
            add(e.id, "text", message)
        if not _inside(content, e):
            add(e.id, "start", f"entity {e.text!r} at [{e.start}, {e.end}) is outside the content lines: "
                               "scheme 2 annotates entities in headline, subheadline and body lines only")
        placed.append(e)
    placed.sort(key=lambda e: (e.start, e.end))
    for prev, cur in zip(placed, placed[1:]):
        if cur.start < prev.end:
            add(cur.id, "start", f"overlaps {prev.id} {prev.text!r} [{prev.start}, {prev.end}): entities are flat")
    return {e.id for e in doc.entities}


def _check_stance(text, doc, entity_ids, content, add, span_ok) -> None:
    for dup in _duplicates(s.id for s in doc.stance):
        add(dup, "id", "duplicate stance id")
    entities = {e.id: e for e in doc.entities}
    for s in doc.stance:
        if s.level not in scheme.LEVELS:
            add(s.id, "level", f"unknown level {s.level!r}; expected article or source")
        elif s.label not in scheme.LABELS_FOR_LEVEL[s.level]:
            allowed = ", ".join(sorted(scheme.LABELS_FOR_LEVEL[s.level]))
            add(s.id, "label", f"label {s.label!r} not allowed at {s.level} level; expected one of {allowed}")
        if not s.target.strip():
            add(s.id, "target", "empty target")
        if s.target_origin not in scheme.TARGET_ORIGINS:
            add(s.id, "target_origin", f"unknown origin {s.target_origin!r}; expected page or annotator")
        elif s.target_origin == "page" and s.target_span is None:
            add(s.id, "target_span", "a page target needs the span it comes from")
        elif s.target_origin == "annotator" and s.target_span is not None:
            add(s.id, "target_span", "an annotator claim has no span on the page: use null")
        if s.target_span is not None:
            span_ok(s.id, "target_span", s.target_span)
        if s.level == "article" and s.holder is not None:
            add(s.id, "holder", "article-level instances have no holder: use null")
        if s.level == "source":
            if s.holder is None or not s.holder.strip():
                add(s.id, "holder", "source-level instances need a holder entity id (it is empty)")
            elif s.holder not in entity_ids:
                add(s.id, "holder", f"holder {s.holder!r} is not an entity id of this document")
            elif not _inside(content, entities[s.holder]):
                add(s.id, "holder", f"holder {s.holder!r} is outside the content lines: "
                                    "a holder is a mention in the headline, subheadline or body")
        needs_evidence = s.level == "source" or s.label in ("agree", "disagree")
        if needs_evidence and not s.evidence:
            add(s.id, "evidence", f"{s.level}-level {s.label!r} needs at least one evidence span")
        for i, ev in enumerate(s.evidence):
            if span_ok(s.id, f"evidence[{i}]", ev) and s.level == "source" and content and not _inside(content, ev):
                add(s.id, f"evidence[{i}]", "source-level evidence must lie inside one content line")
    _check_coverage(text, doc, add)


def _labelled_units(text, doc):
    roles = {lab.line: lab for lab in doc.lines}
    return [(u, roles[u.line]) for u in units(text) if u.line in roles]


TEASERS = 5  # the scheme asks for the first five teasers of other articles in page order


def _check_coverage(text, doc, add) -> None:
    """The scheme's coverage rules: own headline, the first five teaser blocks, two annotator claims."""
    article = [s for s in doc.stance if s.level == "article"]
    page_spans = [s.target_span for s in article if s.target_span is not None]

    def covered(start: int, end: int) -> bool:
        return any(start <= sp.start and sp.end <= end for sp in page_spans)

    labelled = _labelled_units(text, doc)
    headlines = [u for u, lab in labelled if lab.role == "headline"]
    if not headlines:
        add("document", "lines", "no line has the role headline")
    for u in headlines:
        if not covered(u.start, u.end):
            add("document", "stance", f"no article-level instance targets the headline on line {u.line}")
    block: list = []
    blocks = 0
    for u, lab in labelled + [(None, None)]:
        if lab is not None and lab.role == "related" and (not block or block[-1].line + 2 >= u.line):
            block.append(u)
            continue
        if block:
            blocks += 1
            if blocks <= TEASERS and not covered(block[0].start, block[-1].end):
                add("document", "stance", f"no article-level instance targets the related block at lines "
                                          f"{block[0].line}-{block[-1].line} (one of the first {TEASERS} "
                                          "teasers in page order)")
        block = [u] if lab is not None and lab.role == "related" else []
    claims = sum(1 for s in article if s.target_origin == "annotator")
    if claims < 2:
        add("document", "stance", f"{claims} annotator claims at article level; at least 2 required")
