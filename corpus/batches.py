"""Rows on their way to the Parquet sink: one Arrow record batch per config for a chunk of
documents, and each document's range of it.

A chunk's columns (corpus.rows) become Arrow arrays in one call per column, in the process that
built them: a worker of a pool ships Arrow buffers rather than Python objects, and the main
process only slices, concatenates and writes. The documents of a chunk share its batches (the
same objects), so pickling the chunk's results stores each batch once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import pyarrow as pa

from corpus.features import SCHEMAS
from corpus.rows import Rows, count


@dataclass(frozen=True)
class RowRange:
    """Rows [start, start + length) of a batch: one document's rows of one config."""

    batch: pa.RecordBatch
    start: int
    length: int

    def rows(self) -> pa.RecordBatch:
        return self.batch.slice(self.start, self.length)

    def first(self) -> dict[str, Any]:
        """The first row as a dict, as the card shows an example."""
        return self.batch.slice(self.start, 1).to_pylist()[0]


def to_batch(config: str, columns: dict[str, list[Any]]) -> pa.RecordBatch:
    schema = SCHEMAS[config]
    return pa.RecordBatch.from_arrays([pa.array(columns[f.name], type=f.type) for f in schema], schema=schema)


def share(documents: Sequence[Rows | None]) -> list[dict[str, RowRange] | None]:
    """Each document's rows (None for a document not built) as its ranges of one batch per config."""
    bounds: list[dict[str, tuple[int, int]] | None] = [None if rows is None else {} for rows in documents]
    batches = {}
    for config, schema in SCHEMAS.items():
        merged: dict[str, list[Any]] = {name: [] for name in schema.names}
        start = 0
        for rows, where in zip(documents, bounds):
            if rows is None:
                continue
            columns = rows[config]
            for name, values in merged.items():
                values += columns[name]
            where[config] = (start, count(columns))
            start += where[config][1]
        batches[config] = to_batch(config, merged)
    return [None if where is None else {c: RowRange(batches[c], *where[c]) for c in where} for where in bounds]
