"""One document and its gold labels in, the rows of every config out, as columns.

A pure function of its inputs, so a multi-process or distributed runner can map
it over shards; ClassLabel columns hold ids in the order of labels.scheme.
Rows are built column by column (one list per column, one value per row): the Parquet
sink turns a column into an Arrow array in one call, a worker process ships a few lists
instead of a dict per row, and the document is tokenised once, not line by line.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from labels import scheme
from labels.model import GoldDocument, Span
from labels.text import units
from labels.tokens import token_table
from corpus.documents import Document

Columns = dict[str, list[Any]]   # column -> one value per row, in the config's column order
Rows = dict[str, Columns]        # config -> its columns

_ROLE = {r: i for i, r in enumerate(scheme.ROLES)}
_CONTENT = {r: scheme.is_content(r) for r in scheme.ROLES}
_TYPE = {t: i for i, t in enumerate(scheme.ENTITY_TYPES)}
_CONLL = {t: i for i, t in enumerate(scheme.CONLL_TYPES)}
_CONLL_OF = {t: scheme.conll_type(t) for t in scheme.ENTITY_TYPES}
_ONTO_TAG = {t: i for i, t in enumerate(scheme.ONTONOTES_TAGS)}
_CONLL_TAG = {t: i for i, t in enumerate(scheme.CONLL_TAGS)}
_LEVEL = {x: i for i, x in enumerate(scheme.LEVELS)}
_ORIGIN = {x: i for i, x in enumerate(scheme.TARGET_ORIGINS)}
_LABEL = {x: i for i, x in enumerate(scheme.STANCE_LABELS)}


def count(columns: Columns) -> int:
    """Rows in a config's columns."""
    return len(next(iter(columns.values()))) if columns else 0


def _span(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def _tags(starts: list[int], ends: list[int], spans: list[tuple[int, int, str]], ids: dict[str, int]) -> list[int]:
    """IOB2 tag ids of the document's tokens; each span must start and end on token boundaries."""
    tags = [ids["O"]] * len(starts)
    for start, end, label in spans:
        i = bisect_left(starts, start)
        if i == len(starts) or starts[i] != start:
            raise ValueError(f"span [{start}, {end}) does not start on a token boundary")
        tags[i] = ids[f"B-{label}"]
        inside = ids[f"I-{label}"]
        i += 1
        while i < len(ends) and ends[i] <= end:
            tags[i] = inside
            i += 1
        if ends[i - 1] != end:
            raise ValueError(f"span [{start}, {end}) does not end on a token boundary")
    return tags


def rows_for(doc: Document, gold: GoldDocument) -> Rows:
    """Every config's rows of one document with checked gold, as columns."""
    text, doc_id, e = doc.text, doc.doc_id, doc.entry
    lines = units(text)
    numbers = [u.line for u in lines]
    line_starts = [u.start for u in lines]
    role_of = {lab.line: lab.role for lab in gold.lines}
    roles = [role_of[n] for n in numbers]
    entities = sorted(gold.entities, key=lambda x: x.start)
    by_id = {x.id: x for x in entities}
    n_lines, n_ents, n_stance = len(lines), len(entities), len(gold.stance)

    starts, ends, tokens = token_table(text, [c for x in entities for c in (x.start, x.end)])
    onto = _tags(starts, ends, [(x.start, x.end, x.type) for x in entities], _ONTO_TAG)
    coarse = _tags(starts, ends, [(x.start, x.end, c) for x in entities if (c := _CONLL_OF[x.type])], _CONLL_TAG)
    cuts = [bisect_left(starts, u.start) for u in lines] + [len(starts)]
    pieces = list(zip(cuts, cuts[1:]))

    return {
        "documents": {
            "doc_id": [doc_id], "text": [text], "source_file": [e.source_file],
            "source_sha256": [e.source_sha256], "publisher": [e.publisher], "url": [e.url],
            "language": [e.language], "license": [e.license], "license_evidence": [e.license_evidence],
            "date": [e.date], "format": [e.format], "encoding": [e.encoding], "renderer": [e.renderer],
            "html": [doc.html], "num_lines": [n_lines], "num_chars": [len(text)],
        },
        "boilerplate": {
            "doc_id": [doc_id] * n_lines, "line": numbers, "start": line_starts,
            "end": [u.end for u in lines], "text": [u.text for u in lines],
            "xpath": [doc.xpaths[n] for n in numbers] if doc.xpaths else [None] * n_lines,
            "role": [_ROLE[r] for r in roles], "is_content": [_CONTENT[r] for r in roles],
        },
        "entities": {
            "doc_id": [doc_id] * n_ents, "id": [x.id for x in entities],
            "line": [numbers[bisect_right(line_starts, x.start) - 1] for x in entities],
            "start": [x.start for x in entities], "end": [x.end for x in entities],
            "text": [x.text for x in entities], "type": [_TYPE[x.type] for x in entities],
            "conll_type": [_CONLL.get(_CONLL_OF[x.type]) for x in entities],
        },
        "entities_tokens": {
            "id": [f"{doc_id}-{n}" for n in numbers], "doc_id": [doc_id] * n_lines, "line": numbers,
            "tokens": [tokens[a:b] for a, b in pieces], "token_starts": [starts[a:b] for a, b in pieces],
            "token_ends": [ends[a:b] for a, b in pieces], "ner_tags": [onto[a:b] for a, b in pieces],
            "conll_ner_tags": [coarse[a:b] for a, b in pieces],
        },
        "stance": {
            "doc_id": [doc_id] * n_stance, "id": [s.id for s in gold.stance],
            "level": [_LEVEL[s.level] for s in gold.stance], "target": [s.target for s in gold.stance],
            "target_origin": [_ORIGIN[s.target_origin] for s in gold.stance],
            "target_span": [_span(s.target_span) for s in gold.stance],
            "holder": [s.holder for s in gold.stance],
            "holder_span": [_span(by_id[s.holder]) if s.holder else None for s in gold.stance],
            "evidence": [[_span(ev) for ev in s.evidence] for s in gold.stance],
            "label": [_LABEL[s.label] for s in gold.stance],
        },
    }
