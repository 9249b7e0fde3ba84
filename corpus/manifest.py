"""The manifest: one JSON line per document with its provenance and split."""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Iterator

import orjson

from labels.cli import UserError
from corpus.atomic import write_file
from corpus.splits import SPLITS


@dataclass(frozen=True)
class Entry:
    doc_id: str
    source_file: str
    source_sha256: str
    publisher: str | None
    url: str | None
    language: str
    license: str
    split: str
    format: str = "text"                 # text | html
    compression: str | None = None       # gzip when the raw bytes are compressed
    encoding: str = "utf-8"              # the codec the page was read with, never re-detected
    renderer: str | None = None          # the HTML renderer version the text comes from
    pages_path: str | None = None        # kept outside the repository: path in the pages folder
    date: str | None = None              # publication date, as the source gives it
    license_evidence: str | None = None  # where the licence is stated (usually the page footer)

    @property
    def raw_name(self) -> str:
        """The stored copy of the page in corpus/raw, as given, byte for byte."""
        return f"{self.doc_id}.{'txt' if self.format == 'text' else 'html'}" + (".gz" if self.compression else "")

    @property
    def external(self) -> bool:
        """Kept in a pages folder outside the repository (its licence or size keeps it out)."""
        return self.pages_path is not None


_FIELDS = [f.name for f in fields(Entry)]
_REQUIRED = {"doc_id", "source_file", "source_sha256", "language", "license", "split", "format", "encoding"}
_DEFAULTS = {f.name: f.default for f in fields(Entry)}
_FIELD_SET = frozenset(_FIELDS)
_REQUIRED_SET = frozenset(_REQUIRED)
_ABSENT = dict.fromkeys(_FIELDS)     # what from_dict reads for a field the line leaves out
FORMATS = ("text", "html")


def iter_entries(path: Path) -> Iterator[tuple[int, Entry]]:
    """(byte offset, entry) one at a time; a malformed line is a UserError naming file, line and field."""
    if not path.exists():
        return
    seen: set[str] = set()
    with path.open("rb") as fh:
        offset = 0
        # Split on "\n" only: JSON strings may hold U+2028 and other characters that
        # str.splitlines() would treat as line breaks.
        for number, raw in enumerate(fh, 1):
            if raw.strip():
                entry = _parse(raw, f"{path}: line {number}")
                if entry.doc_id in seen:
                    raise UserError(f"{path}: line {number}: doc_id {entry.doc_id} appears twice")
                seen.add(entry.doc_id)
                yield offset, entry
            offset += len(raw)


def entry_at(path: Path, offset: int) -> Entry:
    """Re-read one entry by its byte offset (from iter_entries)."""
    with path.open("rb") as fh:
        fh.seek(offset)
        return _parse(fh.readline(), f"{path}: byte {offset}")


def read(path: Path) -> list[Entry]:
    return [entry for _, entry in iter_entries(path)]


# Provenance goes into tables and one-line messages: a line break or control character in it
# would break them, and a lone surrogate cannot be written as UTF-8 at all.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _parse(raw: bytes, where: str) -> Entry:
    try:  # the common case, one flat object of strings, read and checked in a few C calls
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        obj = None
    if type(obj) is dict and _well_formed(obj):
        return Entry(**{**_ABSENT, **obj})
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise UserError(f"{where}: not UTF-8 (byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise UserError(f"{where}: not valid JSON ({err.msg})") from None
    except RecursionError:
        raise UserError(f"{where}: not a manifest entry (JSON nested too deeply)") from None
    if not isinstance(obj, dict):
        raise UserError(f"{where}: expected a JSON object")
    return from_dict(obj, where)


def _well_formed(obj: dict) -> bool:
    """Whether from_dict would take obj, decoded by orjson (which refuses lone surrogates), as it
    is: known fields only, the required ones present, every value a string (or null where
    allowed) without control characters, format and split among FORMATS and SPLITS. Anything
    else goes through from_dict, which names the problem."""
    if not (_FIELD_SET.issuperset(obj) and _REQUIRED_SET.issubset(obj)):
        return False
    if not all(type(obj[k]) is str for k in _REQUIRED_SET):
        return False
    strings = [v for v in obj.values() if v is not None]
    if any(type(v) is not str for v in strings):
        return False
    return not _CONTROL.search("".join(strings)) and obj["format"] in FORMATS and obj["split"] in SPLITS


def from_dict(obj: dict, where: str) -> Entry:
    """An entry from its fields, or a UserError naming where, the field and what is wrong."""
    # Lines written before the HTML fields existed are plain-text pages read as UTF-8.
    obj = {**{k: v for k, v in _DEFAULTS.items() if k not in obj and isinstance(v, str)}, **obj}
    for name in _FIELDS:
        value = obj.get(name)
        if name in _REQUIRED and not isinstance(value, str):
            raise UserError(f"{where}: {name}: missing or not a string")
        if value is not None and not isinstance(value, str):
            raise UserError(f"{where}: {name}: expected a string or null")
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise UserError(f"{where}: {name}: holds a lone surrogate (not valid Unicode text)") from None
            bad = _CONTROL.search(value)
            if bad:
                raise UserError(f"{where}: {name}: holds a line break or control character "
                                f"(U+{ord(bad.group()):04X}); give it on one line")
    unknown = sorted(set(obj) - set(_FIELDS))
    if unknown:
        raise UserError(f"{where}: {unknown[0]}: unknown field")
    if obj["format"] not in FORMATS:
        raise UserError(f"{where}: format: {obj['format']!r} is not one of {', '.join(FORMATS)}")
    if obj["split"] not in SPLITS:
        raise UserError(f"{where}: split: {obj['split']!r} is not one of {', '.join(SPLITS)}")
    return Entry(**{name: obj.get(name) for name in _FIELDS})


def write(path: Path, entries: list[Entry]) -> None:
    """Write sorted by doc_id, atomically (keeping the file's mode): a crash never leaves half a manifest."""
    lines = [json.dumps(asdict(e), ensure_ascii=False, sort_keys=False) for e in sorted(entries, key=lambda e: e.doc_id)]
    write_file(path, "".join(line + "\n" for line in lines))
