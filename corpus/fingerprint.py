"""Content fingerprint: sha256 over canonical rows and schema, never over Parquet bytes.

Parquet bytes change with the pyarrow version; the content does not. Rows are
fed in build order, so the digest streams and never holds the corpus in memory.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from corpus.features import CONFIGS, FEATURES


def canonical(row: dict[str, Any]) -> bytes:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Fingerprint:
    def __init__(self) -> None:
        self._configs = {name: hashlib.sha256() for name in CONFIGS}

    def update(self, config: str, split: str, row: dict[str, Any]) -> None:
        h = self._configs[config]
        h.update(split.encode())
        h.update(b"\t")
        h.update(canonical(row))
        h.update(b"\n")

    def config_digests(self) -> dict[str, str]:
        return {name: h.hexdigest() for name, h in self._configs.items()}

    def hexdigest(self) -> str:
        """The dataset fingerprint: the schema of every config plus each config's row digest."""
        whole = {
            "schema": {name: FEATURES[name].to_dict() for name in CONFIGS},
            "rows": self.config_digests(),
        }
        return hashlib.sha256(canonical(whole)).hexdigest()[:16]
