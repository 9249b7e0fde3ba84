"""The Label Studio format: labeling config, tasks, and label files to and from annotation results.

One task per document; every label is a region on the page's text. Line roles are regions of the
`role` control covering a whole line; entity mentions are regions of `entity`; a stance instance
is a region of `stance` labelled with its level, anchored on its first evidence span (or its page
target, or the headline when it has neither), carrying its target, origin, label and anchor as
per-region choices and text, and related to its holder mention and to its further evidence and
target regions. Label Studio counts offsets in UTF-16 code units, the project in code points: both
directions convert, and every span is checked against the document text on the way back.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import quoteattr

from labels import scheme
from labels.model import Entity, GoldDocument, LineLabel, Span, StanceInstance
from labels.status import Step
from labels.text import units

TEXT = "text"
ANCHORS = ("evidence", "target", "none")   # what a stance region's own span is
STANCE_REGIONS = ("article", "source", "evidence", "target")


def _labels(name: str, values) -> str:
    return (f'  <Labels name="{name}" toName="{TEXT}">\n'
            + "".join(f"    <Label value={quoteattr(v)}/>\n" for v in values) + "  </Labels>\n")


def _choices(name: str, values, hint: str) -> str:
    return (f'  <Choices name="{name}" toName="{TEXT}" perRegion="true" choice="single" '
            f'showInline="true" hint={quoteattr(hint)}>\n'
            + "".join(f"    <Choice value={quoteattr(v)}/>\n" for v in values) + "  </Choices>\n")


def config() -> str:
    """The labeling config covering all three tasks, from the scheme's own vocabularies."""
    return (
        "<View>\n"
        '  <Header value="$doc_id"/>\n'
        '  <Header value="Roles: one per line. Entities and stance: content lines only (scheme 2)."/>\n'
        + _labels("role", scheme.ROLES)
        + _labels("entity", scheme.ENTITY_TYPES)
        + _labels("stance", STANCE_REGIONS)
        + f'  <Text name="{TEXT}" value="$text" granularity="symbol"/>\n'
        + '  <TextArea name="target" toName="text" perRegion="true" maxSubmissions="1" '
          'placeholder="stance target: the claim, as one sentence"/>\n'
        + _choices("origin", scheme.TARGET_ORIGINS, "where the target comes from")
        + _choices("label", scheme.STANCE_LABELS, "the stance")
        + _choices("anchor", ANCHORS, "what this region's span is")
        + "</View>\n"
    )


# ---------------------------------------------------------------------------- offsets

def _js_offsets(text: str) -> list[int]:
    """UTF-16 offset of every code-point offset 0..len(text)."""
    out, n = [0], 0
    for ch in text:
        n += 2 if ord(ch) > 0xFFFF else 1
        out.append(n)
    return out


@dataclass(frozen=True)
class Offsets:
    """Code points <-> UTF-16 code units for one document."""

    text: str

    def __post_init__(self) -> None:
        js = _js_offsets(self.text)
        object.__setattr__(self, "_js", js)
        object.__setattr__(self, "_py", {v: i for i, v in enumerate(js)})

    def to_js(self, offset: int) -> int:
        return self._js[offset]

    def to_py(self, offset: int) -> int | None:
        """None when the UTF-16 offset falls inside a character (half a surrogate pair)."""
        return self._py.get(offset)


# ---------------------------------------------------------------------------- label file -> results

def _region(rid: str, control: str, span: Span | LineLabel | Entity, label: str, off: Offsets) -> dict[str, Any]:
    return {"id": rid, "from_name": control, "to_name": TEXT, "type": "labels",
            "value": {"start": off.to_js(span.start), "end": off.to_js(span.end), "text": span.text,
                      "labels": [label]}}


def _per_region(rid: str, control: str, kind: str, anchor: Span, values: list[str], off: Offsets) -> dict:
    key = "text" if kind == "textarea" else "choices"
    return {"id": rid, "from_name": control, "to_name": TEXT, "type": kind,
            "value": {"start": off.to_js(anchor.start), "end": off.to_js(anchor.end), key: values}}


def _relation(a: str, b: str) -> dict[str, Any]:
    return {"type": "relation", "from_id": a, "to_id": b, "direction": "right"}


def _headline_span(text: str, doc: GoldDocument) -> Span:
    roles = {x.line: x.role for x in doc.lines}
    u = next((u for u in units(text) if roles.get(u.line) == "headline"), None) or units(text)[0]
    return Span(u.start, u.end, u.text)


def to_results(text: str, doc: GoldDocument) -> list[dict[str, Any]]:
    """Every label of a file as Label Studio results (a prediction or an annotation)."""
    off = Offsets(text)
    out = [_region(f"line-{x.line}", "role", x, x.role, off) for x in doc.lines]
    out += [_region(f"ent-{e.id}", "entity", e, e.type, off) for e in doc.entities]
    for s in doc.stance:
        rid = f"stance-{s.id}"
        if s.evidence:
            anchor, kind = s.evidence[0], "evidence"
        elif s.target_span is not None:
            anchor, kind = s.target_span, "target"
        else:
            anchor, kind = _headline_span(text, doc), "none"
        out.append(_region(rid, "stance", anchor, s.level, off))
        out.append(_per_region(rid, "target", "textarea", anchor, [s.target], off))
        out.append(_per_region(rid, "origin", "choices", anchor, [s.target_origin], off))
        out.append(_per_region(rid, "label", "choices", anchor, [s.label], off))
        out.append(_per_region(rid, "anchor", "choices", anchor, [kind], off))
        for i, ev in enumerate(s.evidence[1:], 1):
            out.append(_region(f"{rid}-ev{i}", "stance", ev, "evidence", off))
            out.append(_relation(rid, f"{rid}-ev{i}"))
        if s.target_span is not None and kind != "target":
            out.append(_region(f"{rid}-target", "stance", s.target_span, "target", off))
            out.append(_relation(rid, f"{rid}-target"))
        if s.holder is not None:
            out.append(_relation(rid, f"ent-{s.holder}"))
    return out


def task(doc_id: str, text: str, labels: GoldDocument | None) -> dict[str, Any]:
    """One task: the page's text and lines, and its draft or current labels as a prediction."""
    data = {"doc_id": doc_id, "text": text,
            "lines": [{"line": u.line, "start": u.start, "end": u.end} for u in units(text)]}
    out: dict[str, Any] = {"data": data}
    if labels is not None:
        version = "+".join(h.by for h in labels.history if h.action == "drafted") or labels.status
        out["predictions"] = [{"model_version": f"{labels.status}:{version}",
                               "result": to_results(text, labels)}]
    return out


# ---------------------------------------------------------------------------- results -> label file

class Refused(Exception):
    """A region that does not fit the scheme: the region and the reason (the caller names the task)."""

    def __init__(self, region: str, reason: str):
        super().__init__(f"region {region}: {reason}")
        self.region, self.reason = region, reason


@dataclass
class _Region:
    rid: str
    control: str
    label: str
    span: Span
    extras: dict[str, list[str]]


def _regions(text: str, results: list[Any]) -> tuple[dict[str, _Region], list[tuple[str, str]]]:
    off = Offsets(text)
    regions: dict[str, _Region] = {}
    extras: dict[str, dict[str, list[str]]] = {}
    relations: list[tuple[str, str]] = []
    for item in results:
        if not isinstance(item, dict):
            raise Refused("?", "a result is not an object")
        rid = str(item.get("id", "?"))
        if item.get("type") == "relation":
            relations.append((str(item.get("from_id")), str(item.get("to_id"))))
            continue
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        control, kind = item.get("from_name"), item.get("type")
        if kind == "labels":
            labels = value.get("labels")
            if control not in ("role", "entity", "stance") or not isinstance(labels, list) or len(labels) != 1:
                raise Refused(rid, f"expected one label of role, entity or stance, "
                              f"got {control}: {labels!r}")
            start, end = value.get("start"), value.get("end")
            a = off.to_py(start) if isinstance(start, int) else None
            b = off.to_py(end) if isinstance(end, int) else None
            if a is None or b is None or not 0 <= a < b <= len(text):
                raise Refused(rid, f"offsets [{start}, {end}) are not a span of the document")
            if value.get("text") is not None and value["text"] != text[a:b]:
                raise Refused(rid, f"text {value['text']!r} does not match the document "
                              f"at [{a}, {b}): {text[a:b]!r}")
            regions[rid] = _Region(rid, control, labels[0], Span(a, b, text[a:b]), {})
        elif kind in ("textarea", "choices"):
            key = "text" if kind == "textarea" else "choices"
            values = value.get(key)
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise Refused(rid, f"{control}: expected a list of strings")
            extras.setdefault(rid, {})[str(control)] = values
        else:
            raise Refused(rid, f"result type {kind!r} is not part of the labeling config")
    for rid, fields in extras.items():
        if rid not in regions:
            raise Refused(rid, f"{', '.join(sorted(fields))} given for no region")
        regions[rid].extras = fields
    return regions, relations


def _one(region: _Region, name: str, allowed) -> str:
    values = region.extras.get(name, [])
    if len(values) != 1 or values[0] not in allowed:
        raise Refused(region.rid, f"{name}: expected one of {', '.join(allowed)}, got {values!r}")
    return values[0]


def from_results(text: str, doc_id: str, results: list[Any], history: tuple[Step, ...],
                 status: str) -> GoldDocument:
    """A label file from one annotation's results; Refused names the region and the reason."""
    regions, relations = _regions(text, results)
    by_line = {(u.start, u.end): u.line for u in units(text)}
    lines: list[LineLabel] = []
    for r in regions.values():
        if r.control == "role":
            if (r.span.start, r.span.end) not in by_line:
                raise Refused(r.rid, f"a role region must cover exactly one whole line, "
                              f"got [{r.span.start}, {r.span.end}) {r.span.text[:40]!r}")
            lines.append(LineLabel(by_line[r.span.start, r.span.end], r.span.start, r.span.end, r.span.text,
                                   r.label))
    mentions = sorted((r for r in regions.values() if r.control == "entity"),
                      key=lambda r: (r.span.start, r.span.end))
    entity_id = {r.rid: f"e{i}" for i, r in enumerate(mentions, 1)}
    entities = [Entity(entity_id[r.rid], r.span.start, r.span.end, r.span.text, r.label) for r in mentions]
    stance = [_instance(r, regions, relations, entity_id)
              for r in regions.values() if r.control == "stance" and r.label in scheme.LEVELS]
    used = {s.id for s in stance}
    numbered = iter(f"s{i}" for i in range(1, len(stance) + len(used) + 2) if f"s{i}" not in used)
    stance = [s if s.id else replace(s, id=next(numbered)) for s in stance]
    return GoldDocument(doc_id, tuple(sorted(lines, key=lambda x: x.line)), tuple(entities),
                        tuple(sorted(stance, key=lambda s: (scheme.LEVELS.index(s.level), _number(s.id)))),
                        status, history)


def _number(sid: str) -> tuple:
    return (int(sid[1:]), "") if sid[1:].isdigit() else (1 << 30, sid)


def _instance(r: _Region, regions, relations, entity_id) -> StanceInstance:
    linked = [regions.get(b) for a, b in relations if a == r.rid]
    if None in linked:
        raise Refused(r.rid, f"related to a region that does not exist")
    holders = [entity_id[x.rid] for x in linked if x.control == "entity"]
    if len(holders) > 1:
        raise Refused(r.rid, f"related to {len(holders)} entity mentions; a holder is one")
    targets = [x.span for x in linked if x.control == "stance" and x.label == "target"]
    more = [x.span for x in linked if x.control == "stance" and x.label == "evidence"]
    anchor = _one(r, "anchor", ANCHORS)
    target_text = r.extras.get("target", [])
    if len(target_text) != 1 or not target_text[0].strip():
        raise Refused(r.rid, f"target: expected one non-empty claim, got {target_text!r}")
    if anchor == "target":
        targets = [r.span] + targets
    if len(targets) > 1:
        raise Refused(r.rid, f"{len(targets)} target spans; a target comes from one span")
    evidence = ([r.span] if anchor == "evidence" else []) + more
    sid = r.rid[len("stance-"):] if r.rid.startswith("stance-") else ""
    return StanceInstance(sid, r.label, target_text[0], _one(r, "origin", scheme.TARGET_ORIGINS),
                          targets[0] if targets else None, holders[0] if holders else None, tuple(evidence),
                          _one(r, "label", scheme.STANCE_LABELS))
