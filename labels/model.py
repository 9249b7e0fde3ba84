"""The gold-file format as typed records, and its parser.

A gold file is JSON, one per document, readable in a diff and editable by hand.
Parsing never guesses: a field of the wrong shape becomes a Problem, not a default.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from operator import itemgetter
from typing import Any, Callable

import orjson

from labels import redaction
from labels.problems import Problem
from labels.status import Step


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class LineLabel:
    line: int
    start: int
    end: int
    text: str
    role: str
    proposed_by: str | None = None   # drafts only: the system (or template) that proposed the role


@dataclass(frozen=True)
class Entity:
    id: str
    start: int
    end: int
    text: str
    type: str
    proposed_by: str | None = None   # drafts only: the system that proposed the mention


@dataclass(frozen=True)
class StanceInstance:
    id: str
    level: str
    target: str
    target_origin: str
    target_span: Span | None
    holder: str | None
    evidence: tuple[Span, ...]
    label: str


@dataclass(frozen=True)
class GoldDocument:
    doc_id: str
    lines: tuple[LineLabel, ...]
    entities: tuple[Entity, ...]
    stance: tuple[StanceInstance, ...]
    status: str = "draft"
    history: tuple[Step, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The on-disk form; key order fixed so rewritten files diff cleanly."""
        out: dict[str, Any] = {"doc_id": self.doc_id, "status": self.status,
                               "history": [h.to_dict() for h in self.history]}
        out["lines"] = [
            _proposed({"line": x.line, "start": x.start, "end": x.end, "text": x.text, "role": x.role}, x)
            for x in self.lines
        ]
        out["entities"] = [
            _proposed({"id": e.id, "start": e.start, "end": e.end, "text": e.text, "type": e.type}, e)
            for e in self.entities
        ]
        out["stance"] = [
            {
                "id": s.id, "level": s.level, "target": s.target,
                "target_origin": s.target_origin,
                "target_span": s.target_span.to_dict() if s.target_span else None,
                "holder": s.holder,
                "evidence": [e.to_dict() for e in s.evidence],
                "label": s.label,
            }
            for s in self.stance
        ]
        return out


def _proposed(record: dict[str, Any], label: LineLabel | Entity) -> dict[str, Any]:
    if label.proposed_by is not None:
        record["proposed_by"] = label.proposed_by
    return record


# Every key a record may have: anything else is a typo or a field the scheme does not know.
KEYS: dict[str, frozenset[str]] = {
    "document": frozenset({"doc_id", "status", "history", "lines", "entities", "stance"}),
    "lines": frozenset({"line", "start", "end", "text", "role", "proposed_by"}),
    "entities": frozenset({"id", "start", "end", "text", "type", "proposed_by"}),
    "stance": frozenset({"id", "level", "target", "target_origin", "target_span", "holder", "evidence", "label"}),
    "span": frozenset({"start", "end", "text"}),
    "history": frozenset({"action", "by"}),
}


def dump(doc: GoldDocument, redact: bool = False) -> str:
    """JSON with one record per line: compact, and a diff shows exactly the labels that changed.
    With redact, every surface is a digest (labels.redaction): for pages the repository may not hold."""
    data = doc.to_dict()
    return redaction.dumps(redaction.redact(data) if redact else data)


def write(path: Path, doc: GoldDocument, redact: bool = False) -> None:
    """Write a label file atomically: a crash never leaves half a file behind."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(dump(doc, redact), encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class _Reader:
    """Pulls typed fields out of JSON objects, recording a Problem for each misfit."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, record: str, fld: str, message: str) -> None:
        self.problems.append(Problem(self.file, record, fld, message))

    def keys(self, obj: dict, record: str, kind: str, fld: str | None = None) -> None:
        """Unknown keys are errors, never silently dropped."""
        for key in sorted(set(obj) - KEYS[kind], key=str):
            where = f"{fld}.{key}" if fld else key
            self.problem(record, where, f"unknown key {key!r}; expected one of {', '.join(sorted(KEYS[kind]))}")

    def get(self, obj: dict, record: str, key: str, kind: type | tuple, optional: bool = False):
        if key not in obj:
            if not optional:
                self.problem(record, key, "missing")
            return None
        value = obj[key]
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            self.problem(record, key, f"expected {names}, got {_preview(value)}")
            return None
        if isinstance(value, str) and not value.isascii() and _has_surrogate(value):
            self.problem(record, key, f"holds a lone surrogate escape ({ascii(value)[:40]}): "
                                      "not a Unicode character; write the character itself")
            return None
        return value

    def span(self, obj: Any, record: str, fld: str) -> Span | None:
        if not isinstance(obj, dict):
            self.problem(record, fld, "expected an object with start, end, text")
            return None
        self.keys(obj, record, "span", fld)
        start = self.get(obj, record, "start", int)
        end = self.get(obj, record, "end", int)
        text = self.get(obj, record, "text", str)
        if start is None or end is None or text is None:
            return None
        return Span(start, end, text)

    def items(self, obj: dict, key: str) -> list[tuple[int, dict]]:
        """(index, record) of every object in a list, unknown keys and non-objects reported."""
        value = self.get(obj, "document", key, list)
        known = KEYS[key]
        out = []
        for i, item in enumerate(value or []):
            if type(item) is dict and known.issuperset(item):  # nothing to report: name it only if needed
                out.append((i, item))
                continue
            record = self.record(key, i, item)
            if not isinstance(item, dict):
                self.problem(record, key, "expected an object")
                continue
            self.keys(item, record, key)
            out.append((i, item))
        return out

    @staticmethod
    def record(key: str, i: int, item: Any) -> str:
        """How problems name a record: its id, its line number, else its place in the list."""
        named = isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].strip() \
            and not _has_surrogate(item["id"])
        numbered = key == "lines" and isinstance(item, dict) and type(item.get("line")) is int
        return item["id"] if named else f"line {item['line']}" if numbered else f"{key}[{i}]"

    def history(self, obj: dict) -> tuple[Step, ...]:
        steps = []
        for i, item in enumerate(self.get(obj, "document", "history", list) or []):
            record = f"history[{i}]"
            if not isinstance(item, dict):
                self.problem("document", record, "expected an object with action, by")
                continue
            self.keys(item, "document", "history", record)
            action, by = self.get(item, "document", "action", str), self.get(item, "document", "by", str)
            if action is not None and by is not None:
                steps.append(Step(action, by))
        return tuple(steps)


class _Fields:
    """The fields of one kind of record, for the fast path of parse: in a document free of lone
    surrogates, a record whose fields are all present with exactly their JSON types needs no
    per-field check."""

    def __init__(self, required: tuple[tuple[str, type], ...], optional: str | None = None):
        self._get = itemgetter(*(k for k, _ in required))
        self._types = tuple(t for _, t in required)
        self._optional = optional   # str or null

    def values(self, obj: dict) -> tuple | None:
        """The values (required, then the optional one) when every field fits, else None: the
        caller then reads the record field by field, recording each problem."""
        try:
            values = self._get(obj)
        except KeyError:
            return None
        if tuple(map(type, values)) != self._types:
            return None
        if self._optional is None:
            return values
        extra = obj.get(self._optional)
        return values + (extra,) if extra is None or type(extra) is str else None


_LINE = _Fields((("line", int), ("start", int), ("end", int), ("text", str), ("role", str)), "proposed_by")
_ENTITY = _Fields((("id", str), ("start", int), ("end", int), ("text", str), ("type", str)), "proposed_by")
_STANCE = _Fields((("id", str), ("level", str), ("target", str), ("target_origin", str), ("label", str),
                   ("evidence", list)), "holder")
_SPAN = _Fields((("start", int), ("end", int), ("text", str)))
_SPAN_KEYS = KEYS["span"]


def _no_surrogates(data: Any) -> bool:
    """No lone surrogate anywhere in the decoded JSON: orjson refuses to encode one (it may refuse
    other things too, such as huge integers; those documents just take the slow path)."""
    try:
        orjson.dumps(data)
    except orjson.JSONEncodeError:
        return False
    return True


def _fast_span(obj: Any) -> Span | None:
    values = _SPAN.values(obj) if type(obj) is dict and _SPAN_KEYS.issuperset(obj) else None
    return None if values is None else Span(*values)


def _fast_stance(item: dict) -> StanceInstance | None:
    """A stance record that the field-by-field reading would take without a problem, else None."""
    values = _STANCE.values(item)
    if values is None or "holder" not in item or "target_span" not in item:
        return None
    sid, level, target, origin, label, evidence_raw, holder = values
    raw_span = item["target_span"]
    target_span = None if raw_span is None else _fast_span(raw_span)
    evidence = tuple(map(_fast_span, evidence_raw))
    if (raw_span is not None and target_span is None) or None in evidence:
        return None
    return StanceInstance(sid, level, target, origin, target_span, holder, evidence, label)


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _preview(value: Any) -> str:
    """A short, printable rendering of a misfit value (never recursing into deep nesting)."""
    if isinstance(value, (dict, list)):
        return f"a JSON {'object' if isinstance(value, dict) else 'array'}"
    return json.dumps(value, ensure_ascii=isinstance(value, str) and _has_surrogate(value))[:40]


def parse(data: Any, file: str) -> tuple[GoldDocument | None, list[Problem]]:
    """Turn decoded JSON into a GoldDocument; records with a malformed field are dropped and reported."""
    r = _Reader(file)
    if not isinstance(data, dict):
        r.problem("document", "-", "expected a JSON object")
        return None, r.problems
    r.keys(data, "document", "document")
    doc_id = r.get(data, "document", "doc_id", str)
    status = r.get(data, "document", "status", str)
    history = r.history(data)

    fast = _no_surrogates(data)
    lines = []
    for i, item in r.items(data, "lines"):
        if fast and (values := _LINE.values(item)) is not None:
            lines.append(LineLabel(*values))
            continue
        record = r.record("lines", i, item)
        line = r.get(item, record, "line", int)
        record = f"line {line}" if line is not None else record
        vals = [r.get(item, record, k, t) for k, t in (("start", int), ("end", int), ("text", str), ("role", str))]
        proposed = r.get(item, record, "proposed_by", str, optional=True)
        if line is not None and None not in vals:
            lines.append(LineLabel(line, *vals, proposed_by=proposed))

    entities = []
    for i, item in r.items(data, "entities"):
        if fast and (values := _ENTITY.values(item)) is not None:
            entities.append(Entity(*values))
            continue
        record = r.record("entities", i, item)
        vals = [r.get(item, record, k, t) for k, t in
                (("id", str), ("start", int), ("end", int), ("text", str), ("type", str))]
        proposed = r.get(item, record, "proposed_by", str, optional=True)
        if None not in vals:
            entities.append(Entity(*vals, proposed_by=proposed))

    stance = []
    for i, item in r.items(data, "stance"):
        if fast and (instance := _fast_stance(item)) is not None:
            stance.append(instance)
            continue
        record = r.record("stance", i, item)
        sid = r.get(item, record, "id", str)
        level = r.get(item, record, "level", str)
        target = r.get(item, record, "target", str)
        origin = r.get(item, record, "target_origin", str)
        label = r.get(item, record, "label", str)
        holder = r.get(item, record, "holder", str, optional=True)
        if "holder" not in item:
            r.problem(record, "holder", "missing (use null at article level)")
        raw_span = item.get("target_span")
        target_span = None if raw_span is None else r.span(raw_span, record, "target_span")
        if "target_span" not in item:
            r.problem(record, "target_span", "missing (use null for an annotator claim)")
        evidence_raw = r.get(item, record, "evidence", list)
        evidence = [r.span(e, record, f"evidence[{i}]") for i, e in enumerate(evidence_raw or [])]
        ok = None not in (sid, level, target, origin, label, evidence_raw) and None not in evidence
        if ok and (raw_span is None or target_span is not None):
            stance.append(StanceInstance(sid, level, target, origin, target_span, holder, tuple(evidence), label))

    if doc_id is None or status is None:
        return None, r.problems
    return GoldDocument(doc_id, tuple(lines), tuple(entities), tuple(stance), status, history), r.problems


def read(path: Path) -> tuple[Any, list[Problem]]:
    """A label file's decoded JSON, or a Problem naming why it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8")), []
    except json.JSONDecodeError as err:
        return None, [Problem(str(path), "document", "-", f"not valid JSON: {err.msg} at line {err.lineno}")]
    except RecursionError:
        return None, [Problem(str(path), "document", "-",
                              "JSON nested too deeply to be a label file: records are at most three levels deep")]
    except (OSError, UnicodeDecodeError) as err:
        return None, [Problem(str(path), "document", "-", f"cannot read: {err}")]


def from_data(data: Any, path: Path,
              text_of: Callable[[str], str | None] | None = None) -> tuple[GoldDocument | None, list[Problem]]:
    """Parse decoded JSON. A file whose surfaces are digests (labels.redaction) gets them back from
    text_of(doc_id), the document text, and each is proved against its digest."""
    if redaction.is_redacted(data):
        doc_id = data.get("doc_id") if isinstance(data, dict) else None
        text = text_of(doc_id) if text_of is not None and isinstance(doc_id, str) else None
        if text is None:
            return None, [Problem(str(path), "document", "doc_id", "its surfaces are kept as digests and the "
                                  "page is not at hand: build or validate with the pages folder present")]
        data, restored = redaction.restore(data, text)
        doc, problems = parse(data, str(path))
        return doc, [Problem(str(path), r, f, m) for r, f, m in restored] + problems
    return parse(data, str(path))


def load(path: Path, text_of: Callable[[str], str | None] | None = None) -> tuple[GoldDocument | None, list[Problem]]:
    """Read and parse one label file (see read and from_data)."""
    data, problems = read(path)
    return (None, problems) if problems else from_data(data, path, text_of)
