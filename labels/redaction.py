"""Label files without page text, for pages the repository may not hold.

A page kept in the pages folder (its licence keeps it out of the repository) must
not have its text committed, and a label file quotes the page in every surface:
each line's text, each entity, each evidence span and page target. In the
committed form of such a file every surface is replaced by `text_sha256`, the
first 16 hex digits of the SHA-256 of the surface; the offsets stay. Loading
puts the surfaces back from the document text and proves each one against its
digest, so a shifted offset is caught exactly as a wrong surface would be.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

DIGEST_KEY = "text_sha256"
TARGET_KEY = "target_sha256"
DIGEST_LEN = 16


def digest(surface: str) -> str:
    return hashlib.sha256(surface.encode("utf-8")).hexdigest()[:DIGEST_LEN]


def _spans(data: dict) -> list[tuple[str, str, dict]]:
    """(record, field, span object) for every object that carries a surface, in file order."""
    out: list[tuple[str, str, dict]] = []
    for i, line in enumerate(_list(data, "lines")):
        out.append((f"line {line.get('line', i)}", "text", line))
    for i, ent in enumerate(_list(data, "entities")):
        out.append((str(ent.get("id", f"entities[{i}]")), "text", ent))
    for i, inst in enumerate(_list(data, "stance")):
        record = str(inst.get("id", f"stance[{i}]"))
        if isinstance(inst.get("target_span"), dict):
            out.append((record, "target_span", inst["target_span"]))
        for j, ev in enumerate(inst.get("evidence") or []):
            if isinstance(ev, dict):
                out.append((record, f"evidence[{j}]", ev))
    return out


def _list(data: dict, key: str) -> list[dict]:
    value = data.get(key)
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def is_redacted(data: Any) -> bool:
    """Whether any surface is kept as a digest; looks at the span objects of _spans without naming
    them, as every label file is asked this when it is read."""
    if not isinstance(data, dict):
        return False
    if any(DIGEST_KEY in obj for key in ("lines", "entities") for obj in _list(data, key)):
        return True
    for inst in _list(data, "stance"):
        span, evidence = inst.get("target_span"), inst.get("evidence")
        if TARGET_KEY in inst or (isinstance(span, dict) and DIGEST_KEY in span) or \
                any(isinstance(ev, dict) and DIGEST_KEY in ev for ev in evidence or ()):
            return True
    return False


def _copied(value: Any) -> Any:
    """A copy of decoded JSON (objects and arrays copied, scalars shared): what copy.deepcopy gives
    of it, several times faster, as a build restores every redacted label file."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


def redact(data: dict) -> dict:
    """The committed form: every surface replaced by its digest (a page target by its span's)."""
    out = _copied(data)
    for _, _, obj in _spans(out):
        if isinstance(obj.get("text"), str):
            obj[DIGEST_KEY] = digest(obj.pop("text"))
    for inst in _list(out, "stance"):
        if inst.get("target_origin") == "page" and isinstance(inst.get("target"), str):
            inst[TARGET_KEY] = digest(inst.pop("target"))
    return _ordered(out)


def restore(data: dict, text: str) -> tuple[dict, list[tuple[str, str, str]]]:
    """Surfaces put back from the document text; (record, field, message) for each digest that
    does not match what the offsets select."""
    out = _copied(data)
    problems: list[tuple[str, str, str]] = []
    for record, fld, obj in _spans(out):
        if DIGEST_KEY not in obj:
            continue
        start, end, want = obj.get("start"), obj.get("end"), obj.pop(DIGEST_KEY)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            continue  # left without a surface: the parser reports the missing or bad offsets
        surface = text[start:end]
        if digest(surface) != want:
            problems.append((record, fld, f"{DIGEST_KEY} {want} does not match the text at [{start}, {end}) "
                                          f"(digest {digest(surface)}): the offsets or the page moved"))
        obj["text"] = surface
    for inst in _list(out, "stance"):
        if TARGET_KEY in inst:
            want, span = inst.pop(TARGET_KEY), inst.get("target_span")
            surface = span.get("text") if isinstance(span, dict) else None
            if surface is None or digest(surface) != want:
                problems.append((str(inst.get("id")), "target", "a redacted page target must be the text of "
                                                                 "its target_span"))
            inst["target"] = surface or ""
    return _ordered(out), problems


_ORDER = ("line", "id", "level", "target", TARGET_KEY, "target_origin", "target_span", "holder", "evidence",
          "start", "end", "text", DIGEST_KEY, "role", "type", "label")


def _ordered(data: dict) -> dict:
    """Keys of every record in one fixed order, so a redacted file diffs like a plain one."""
    def order(obj: dict) -> dict:
        known = [k for k in _ORDER if k in obj]
        return {k: obj[k] for k in known + [k for k in obj if k not in known]}

    for key in ("lines", "entities", "stance"):
        if isinstance(data.get(key), list):
            data[key] = [order(x) if isinstance(x, dict) else x for x in data[key]]
    for inst in _list(data, "stance"):
        if isinstance(inst.get("target_span"), dict):
            inst["target_span"] = order(inst["target_span"])
        if isinstance(inst.get("evidence"), list):
            inst["evidence"] = [order(e) if isinstance(e, dict) else e for e in inst["evidence"]]
    return data


def dumps(data: dict) -> str:
    """A label file's JSON with one record per line: compact, and a diff shows exactly the records
    that changed."""
    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            items = ",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f' "{key}": [\n{items}\n ]' if value else f' "{key}": []')
        else:
            parts.append(f' "{key}": {json.dumps(value, ensure_ascii=False)}')
    return "{\n" + ",\n".join(parts) + "\n}\n"
