"""Content fingerprint: sha256 over canonical rows and schema, never over Parquet bytes.

Parquet bytes change with the pyarrow version; the content does not. Each document's rows
are sorted by their natural keys (not the order the gold file lists them in) and hashed
into a per-document digest; the digests are combined in doc_id order, so the fingerprint
does not depend on build order or on how the corpus is split into shards. The schema is
hashed from the project's own description of it (corpus.features.describe), not from a
library's serialisation, which may change between versions.
"""
from __future__ import annotations

import hashlib
import heapq
import tempfile
from functools import partial
from typing import IO, Any, Mapping

import orjson

from corpus.features import CONFIGS, FEATURES, KEYS, describe


def canonical(row: Any) -> bytes:
    """The bytes of json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")) in
    UTF-8, made by orjson about ten times faster (same escapes, same key order; tests compare them)."""
    return orjson.dumps(row, option=orjson.OPT_SORT_KEYS)


canonical_lines = partial(orjson.dumps, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def schema_description() -> dict[str, list[list[Any]]]:
    """Every config's columns in order, each as [name, description]."""
    return {config: [[name, describe(feat)] for name, feat in FEATURES[config].items()] for config in CONFIGS}


def document_digest(doc_id: str, split: str, rows: Mapping[str, list[dict[str, Any]]]) -> str:
    """One document's contribution: its split and every config's rows in natural-key order."""
    h = hashlib.sha256(canonical({"doc_id": doc_id, "split": split}) + b"\n")
    for config in CONFIGS:
        h.update(config.encode() + b"\n")
        encoded = sorted((tuple(row[k] for k in KEYS[config]), canonical(row)) for row in rows.get(config, ()))
        for _, line in encoded:
            h.update(line + b"\n")
    return h.hexdigest()


def columns_digest(doc_id: str, split: str, rows: Mapping[str, Mapping[str, list[Any]]]) -> str:
    """document_digest of rows held as columns (config -> column -> values), the same bytes hashed:
    rows are put in key order by sorting their keys alone and encoded in one pass."""
    h = hashlib.sha256(canonical({"doc_id": doc_id, "split": split}) + b"\n")
    for config in CONFIGS:
        h.update(config.encode() + b"\n")
        columns = rows.get(config)
        if not columns:
            continue
        keys = list(zip(*(columns[k] for k in KEYS[config])))
        if len(set(keys)) < len(keys):  # equal keys: the definition orders such rows by their bytes
            return document_digest(doc_id, split, {c: _records(cols) for c, cols in rows.items()})
        order = sorted(range(len(keys)), key=keys.__getitem__)
        h.update(b"".join(map(canonical_lines, map(_records(columns).__getitem__, order))))
    return h.hexdigest()


def _records(columns: Mapping[str, list[Any]]) -> list[dict[str, Any]]:
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


RUN = 100_000  # digests held in memory before they are sorted and spilled to a temporary file


class Fingerprint:
    """Every document's digest, combined in doc_id order however they arrive.

    Up to `run` digests are held in memory; then they are sorted and spilled to a temporary file
    as one run, and hexdigest merges the runs, so a build of any size holds a bounded number
    (a build of millions of pages would otherwise keep every id and digest in its main process).
    """

    def __init__(self, run: int | None = None) -> None:
        self._run = run or RUN
        self._held: dict[str, str] = {}
        self._runs: list[IO[bytes]] = []

    def add_document(self, doc_id: str, split: str, rows: Mapping[str, list[dict[str, Any]]]) -> None:
        self.add_digest(doc_id, document_digest(doc_id, split, rows))

    def add_digest(self, doc_id: str, digest: str) -> None:
        """A document digest made elsewhere (a worker process, another machine)."""
        if doc_id in self._held or "\t" in doc_id or "\n" in doc_id:
            raise ValueError(f"document id {doc_id!r}: " + ("added twice" if doc_id in self._held
                                                            else "holds a tab or a line break"))
        self._held[doc_id] = digest
        if len(self._held) >= self._run:
            spilled = tempfile.TemporaryFile()
            spilled.writelines(self._lines())
            spilled.seek(0)
            self._runs.append(spilled)
            self._held = {}

    def _lines(self) -> list[bytes]:
        return [f"{doc_id}\t{self._held[doc_id]}\n".encode() for doc_id in sorted(self._held)]

    def hexdigest(self) -> str:
        """The dataset fingerprint: the schema, then every document's digest in doc_id order."""
        h = hashlib.sha256(canonical({"schema": schema_description()}) + b"\n")
        for run in self._runs:
            run.seek(0)
        previous = None
        for line in heapq.merge(*self._runs, self._lines(), key=_doc_id):
            if _doc_id(line) == previous:
                raise ValueError(f"document id {previous.decode()!r}: added twice")
            previous = _doc_id(line)
            h.update(line)
        return h.hexdigest()[:16]


def _doc_id(line: bytes) -> bytes:
    """The id a line of a run starts with; UTF-8 bytes sort as the id's characters do."""
    return line.partition(b"\t")[0]
