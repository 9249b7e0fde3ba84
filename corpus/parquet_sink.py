"""Streaming Parquet output: one file per config and split, written in record batches.

Rows are buffered only up to a fixed count, so memory stays flat however many
documents pass through; the fixed count also makes row groups deterministic.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.batches import RowRange
from corpus.features import FEATURES, SCHEMAS

BATCH_ROWS = {"documents": 256}
DEFAULT_BATCH_ROWS = 8192
META_PREFIX = "newsbench."


def data_file(config: str, split: str, fingerprint: str) -> str:
    """A split's file, named by the dataset fingerprint. `datasets` keys its cache of a local
    folder on the card's YAML, not on the files' contents, so a content-addressed name (listed
    exactly in the YAML) is what keeps a rebuilt folder from loading an earlier build's rows."""
    return f"data/{config}/{split}-{fingerprint}.parquet"


def data_path(root: Path, config: str, split: str) -> Path:
    """The one file of a config's split in a built folder."""
    found = sorted((root / "data" / config).glob(f"{split}-*.parquet"))
    if len(found) != 1:
        raise FileNotFoundError(f"{root}: expected one data/{config}/{split}-*.parquet, found {len(found)}")
    return found[0]


class ParquetSink:
    """Rows arrive as ranges of Arrow record batches (corpus.batches); a flush concatenates exactly
    BATCH_ROWS of them into one contiguous table and writes it as one row group."""

    def __init__(self, root: Path):
        self.root = root
        self._writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self._buffers: dict[tuple[str, str], list[tuple[pa.RecordBatch, int, int]]] = {}  # (batch, start, length)
        self._buffered: dict[tuple[str, str], int] = {}
        self.counts: dict[tuple[str, str], int] = {}

    def extend(self, config: str, split: str, part: RowRange) -> None:
        """Buffer a document's rows of a config, flushing at exactly every BATCH_ROWS rows (so row
        groups do not depend on how the rows arrive). Rows that continue the last buffered range of
        the same batch lengthen it: a flush then concatenates a chunk's run, not one slice per document."""
        key = (config, split)
        buf = self._buffers.setdefault(key, [])
        self.counts[key] = self.counts.get(key, 0) + part.length
        size = BATCH_ROWS.get(config, DEFAULT_BATCH_ROWS)
        start, end = part.start, part.start + part.length
        while start < end:
            take = min(size - self._buffered.get(key, 0), end - start)
            if buf and buf[-1][0] is part.batch and buf[-1][1] + buf[-1][2] == start:
                buf[-1] = (part.batch, buf[-1][1], buf[-1][2] + take)
            else:
                buf.append((part.batch, start, take))
            self._buffered[key] = self._buffered.get(key, 0) + take
            start += take
            if self._buffered[key] >= size:
                self._flush(key)
                buf = self._buffers[key]

    def _flush(self, key: tuple[str, str]) -> None:
        if not self._buffered.get(key):
            return
        config, split = key
        writer = self._writers.get(key)
        if writer is None:
            writer = self._writers[key] = self._open(config, split)
        parts = [batch.slice(start, length) for batch, start, length in self._buffers[key]]
        writer.write_table(pa.Table.from_batches(parts, schema=SCHEMAS[config]).combine_chunks())
        self._buffers[key], self._buffered[key] = [], 0

    def close(self, metadata: dict[str, str], splits: set[str]) -> None:
        """Flush and close every file, stamping version and fingerprint into each footer.

        A config with no rows in a split still gets an empty file, so every config
        declares the same splits and loads the same way.
        """
        for config in FEATURES:
            for split in splits:
                self._buffers.setdefault((config, split), [])
                self.counts.setdefault((config, split), 0)
        for key in list(self._buffers):
            self._flush(key)
            if key not in self._writers:
                self._writers[key] = self._open(*key)
        for (config, split), writer in self._writers.items():
            writer.add_key_value_metadata({META_PREFIX + k: v for k, v in metadata.items()})
            writer.close()
            self._partial(config, split).rename(self.root / data_file(config, split, metadata["fingerprint"]))
        self._writers.clear()

    def _partial(self, config: str, split: str) -> Path:
        return self.root / "data" / config / f"{split}.partial"

    def _open(self, config: str, split: str) -> pq.ParquetWriter:
        path = self._partial(config, split)
        path.parent.mkdir(parents=True, exist_ok=True)
        return pq.ParquetWriter(path, SCHEMAS[config], compression="zstd")


def read_metadata(path: Path) -> dict[str, str]:
    """The project's key-value metadata of one Parquet file (version, fingerprint, ...)."""
    raw = pq.ParquetFile(path).metadata.metadata or {}
    return {k.decode()[len(META_PREFIX):]: v.decode() for k, v in raw.items()
            if k.decode().startswith(META_PREFIX)}


def hf_features(path: Path) -> dict:
    """The `datasets` features stored in a file's schema (ClassLabel names included)."""
    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta[b"huggingface"])["info"]["features"]
