"""Compare a committed dataset folder with a fresh build of the sources."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pyarrow.parquet as pq

from labels.cli import CheckFailed
from corpus.parquet_sink import read_metadata
from corpus.sources import Sources


def _files(root: Path) -> dict[str, Path]:
    """Files by a name that survives a content change: data/<config>/<split> for Parquet."""
    out = {}
    for p in sorted(root.rglob("*")) if root.exists() else []:
        if p.is_file():
            rel = p.relative_to(root).as_posix()
            out[rel.rsplit("-", 1)[0] if rel.endswith(".parquet") and "-" in p.name else rel] = p
    return out


def _rows_differing(fa: pq.ParquetFile, fb: pq.ParquetFile, batch: int = 4096) -> int:
    """Rows that differ position by position, streamed in batches so memory stays flat."""
    changed = 0
    for xa, xb in zip(fa.iter_batches(batch_size=batch), fb.iter_batches(batch_size=batch)):
        changed += sum(1 for x, y in zip(xa.to_pylist(), xb.to_pylist()) if x != y)
    return changed + abs(fa.metadata.num_rows - fb.metadata.num_rows)


def differences(committed: Path, fresh: Path) -> list[str]:
    """Human-readable differences, per file; empty when the folders hold the same dataset."""
    out: list[str] = []
    old, new = _files(committed), _files(fresh)
    for key in sorted(new.keys() - old.keys()):
        out.append(f"{new[key].relative_to(fresh).as_posix()}: missing from {committed}")
    for key in sorted(old.keys() - new.keys()):
        out.append(f"{old[key].relative_to(committed).as_posix()}: not produced by the sources (stale file)")
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        name = a.relative_to(committed).as_posix()
        if name.endswith(".parquet"):
            fa, fb = pq.ParquetFile(a), pq.ParquetFile(b)
            config = key.split("/")[1]
            if fa.schema_arrow != fb.schema_arrow:
                out.append(f"{name}: config {config}: schema differs")
                continue
            changed = _rows_differing(fa, fb)
            if changed:
                total = max(fa.metadata.num_rows, fb.metadata.num_rows)
                out.append(f"{name}: config {config}: {changed} of {total} rows differ")
            elif read_metadata(a) != read_metadata(b) or a.name != b.name:
                out.append(f"{name}: config {config}: version or fingerprint differs")
        elif a.read_bytes() != b.read_bytes():
            out.append(f"{name}: differs from a fresh build")
    return out


def main_check(sources: Sources, target: Path) -> int:
    from corpus.build import write_dataset

    with tempfile.TemporaryDirectory(prefix="dataset-check-") as tmp:
        fresh = Path(tmp) / "dataset"
        summary = write_dataset(sources, fresh)
        problems = differences(target, fresh)
        committed_meta = _meta(target)
        if committed_meta and committed_meta.get("fingerprint") != summary.fingerprint \
                and committed_meta.get("version") == summary.version:
            problems.insert(0, f"content changed (fingerprint {committed_meta.get('fingerprint')} -> "
                               f"{summary.fingerprint}) but the version is still {summary.version}: "
                               f"bump {sources.version_file.name} and add a CHANGELOG.md entry")
    if problems:
        raise CheckFailed(f"{target} is not a fresh build of the sources (run python -m corpus.build):\n  "
                          + "\n  ".join(problems))
    print(f"ok: {target} equals a fresh build (version {summary.version}, fingerprint {summary.fingerprint})")
    return 0


def _meta(root: Path) -> dict[str, str]:
    files = sorted(root.glob("data/documents/*.parquet")) if root.exists() else []
    return read_metadata(files[0]) if files else {}
