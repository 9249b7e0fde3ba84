"""One document and its gold labels in, the rows of every config out.

A pure function of its inputs, so a multi-process or distributed runner can map
it over shards; ClassLabel columns hold ids in the order of labels.scheme.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Any

from labels import scheme
from labels.model import GoldDocument, Span
from labels.text import units
from labels.tokens import iob2_of_spans, token_spans
from corpus.documents import Document

Rows = dict[str, list[dict[str, Any]]]

_ROLE = {r: i for i, r in enumerate(scheme.ROLES)}
_TYPE = {t: i for i, t in enumerate(scheme.ENTITY_TYPES)}
_CONLL = {t: i for i, t in enumerate(scheme.CONLL_TYPES)}
_ONTO_TAG = {t: i for i, t in enumerate(scheme.ONTONOTES_TAGS)}
_CONLL_TAG = {t: i for i, t in enumerate(scheme.CONLL_TAGS)}
_LEVEL = {x: i for i, x in enumerate(scheme.LEVELS)}
_ORIGIN = {x: i for i, x in enumerate(scheme.TARGET_ORIGINS)}
_LABEL = {x: i for i, x in enumerate(scheme.STANCE_LABELS)}


def _span(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def rows_for(doc: Document, gold: GoldDocument) -> Rows:
    text, doc_id, e = doc.text, doc.doc_id, doc.entry
    lines = units(text)
    line_starts = [u.start for u in lines]
    role_of = {lab.line: lab.role for lab in gold.lines}
    entities = sorted(gold.entities, key=lambda x: x.start)
    by_id = {x.id: x for x in entities}

    def line_of(offset: int) -> int:
        return lines[bisect_right(line_starts, offset) - 1].line

    out: Rows = {
        "documents": [{
            "doc_id": doc_id, "text": text, "source_file": e.source_file, "source_sha256": e.source_sha256,
            "publisher": e.publisher, "url": e.url, "language": e.language, "license": e.license,
            "license_evidence": e.license_evidence, "date": e.date,
            "format": e.format, "encoding": e.encoding, "renderer": e.renderer, "html": doc.html,
            "num_lines": len(lines), "num_chars": len(text),
        }],
        "boilerplate": [
            {"doc_id": doc_id, "line": u.line, "start": u.start, "end": u.end, "text": u.text,
             "xpath": doc.xpaths[u.line] if doc.xpaths else None, "role": _ROLE[role_of[u.line]], "is_content": scheme.is_content(role_of[u.line])}
            for u in lines
        ],
        "entities": [
            {"doc_id": doc_id, "id": x.id, "line": line_of(x.start), "start": x.start, "end": x.end,
             "text": x.text, "type": _TYPE[x.type],
             "conll_type": _CONLL.get(scheme.conll_type(x.type))}
            for x in entities
        ],
        "entities_tokens": [],
        "stance": [
            {"doc_id": doc_id, "id": s.id, "level": _LEVEL[s.level], "target": s.target,
             "target_origin": _ORIGIN[s.target_origin], "target_span": _span(s.target_span),
             "holder": s.holder, "holder_span": _span(by_id[s.holder]) if s.holder else None,
             "evidence": [_span(ev) for ev in s.evidence], "label": _LABEL[s.label]}
            for s in gold.stance
        ],
    }
    j = 0
    for u in lines:
        while j < len(entities) and entities[j].start < u.start:
            j += 1
        k = j
        while k < len(entities) and entities[k].start < u.end:
            k += 1
        inside, j = entities[j:k], k
        cuts = [c for x in inside for c in (x.start, x.end)]
        spans = token_spans(text, u.start, u.end, cuts)
        starts, ends = [a for a, _ in spans], [b for _, b in spans]
        onto = iob2_of_spans(starts, ends, [(x.start, x.end, x.type) for x in inside])
        coarse = iob2_of_spans(starts, ends, [(x.start, x.end, c) for x in inside if (c := scheme.conll_type(x.type))])
        out["entities_tokens"].append({
            "id": f"{doc_id}-{u.line}", "doc_id": doc_id, "line": u.line,
            "tokens": [text[a:b] for a, b in spans],
            "token_starts": starts, "token_ends": ends,
            "ner_tags": [_ONTO_TAG[t] for t in onto], "conll_ner_tags": [_CONLL_TAG[t] for t in coarse],
        })
    return out
