"""Streaming Parquet output: one file per config and split, written in record batches.

Rows are buffered only up to a fixed count, so memory stays flat however many
documents pass through; the fixed count also makes row groups deterministic.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.features import FEATURES

BATCH_ROWS = {"documents": 256}
DEFAULT_BATCH_ROWS = 8192
META_PREFIX = "newsbench."


def data_path(root: Path, config: str, split: str) -> Path:
    """Where a config's split lives; the card's YAML globs the same name."""
    return root / "data" / config / f"{split}-00000-of-00001.parquet"


class ParquetSink:
    def __init__(self, root: Path):
        self.root = root
        self._writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self._buffers: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.counts: dict[tuple[str, str], int] = {}

    def add(self, config: str, split: str, row: dict[str, Any]) -> None:
        key = (config, split)
        buf = self._buffers.setdefault(key, [])
        buf.append(row)
        self.counts[key] = self.counts.get(key, 0) + 1
        if len(buf) >= BATCH_ROWS.get(config, DEFAULT_BATCH_ROWS):
            self._flush(key)

    def _flush(self, key: tuple[str, str]) -> None:
        rows = self._buffers.get(key)
        if not rows:
            return
        config, split = key
        schema = FEATURES[config].arrow_schema
        writer = self._writers.get(key)
        if writer is None:
            path = data_path(self.root, config, split)
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = self._writers[key] = pq.ParquetWriter(path, schema, compression="zstd")
        writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        self._buffers[key] = []

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
                path = data_path(self.root, *key)
                path.parent.mkdir(parents=True, exist_ok=True)
                self._writers[key] = pq.ParquetWriter(path, FEATURES[key[0]].arrow_schema, compression="zstd")
        for writer in self._writers.values():
            writer.add_key_value_metadata({META_PREFIX + k: v for k, v in metadata.items()})
            writer.close()
        self._writers.clear()


def read_metadata(path: Path) -> dict[str, str]:
    """The project's key-value metadata of one Parquet file (version, fingerprint, ...)."""
    raw = pq.ParquetFile(path).metadata.metadata or {}
    return {k.decode()[len(META_PREFIX):]: v.decode() for k, v in raw.items()
            if k.decode().startswith(META_PREFIX)}


def hf_features(path: Path) -> dict:
    """The `datasets` features stored in a file's schema (ClassLabel names included)."""
    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta[b"huggingface"])["info"]["features"]
