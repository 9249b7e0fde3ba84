"""Compare a committed dataset folder with a fresh build of the sources."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from labels.cli import CheckFailed
from corpus import releases
from corpus.parquet_sink import read_metadata
from corpus.sources import Sources


def _files(root: Path) -> dict[str, list[Path]]:
    """Files by a name that survives a content change: data/<config>/<split> for Parquet. More
    than one file under a name is a stray copy or an old build's file."""
    out: dict[str, list[Path]] = {}
    for p in sorted(root.rglob("*")) if root.exists() else []:
        if p.is_file() or p.is_symlink():
            rel = p.relative_to(root).as_posix()
            out.setdefault(rel.rsplit("-", 1)[0] if rel.endswith(".parquet") and "-" in p.name else rel, []).append(p)
    return out


def _pick(committed: dict[str, list[Path]], fresh: dict[str, list[Path]]) -> tuple[dict[str, Path], list[Path]]:
    """The committed file to compare under each name (the one named like the fresh build's), and the rest."""
    chosen, strays = {}, []
    for key, paths in committed.items():
        want = fresh[key][0].name if key in fresh else None
        first = next((p for p in paths if p.name == want), paths[0])
        chosen[key] = first
        strays += [p for p in paths if p is not first]
    return chosen, strays


def _rows_differing(fa: pq.ParquetFile, fb: pq.ParquetFile, batch: int = 4096) -> int:
    """Rows that differ position by position, streamed in batches so memory stays flat."""
    changed = 0
    for xa, xb in zip(fa.iter_batches(batch_size=batch), fb.iter_batches(batch_size=batch)):
        changed += sum(1 for x, y in zip(xa.to_pylist(), xb.to_pylist()) if x != y)
    return changed + abs(fa.metadata.num_rows - fb.metadata.num_rows)


def differences(committed: Path, fresh: Path) -> list[str]:
    """Human-readable differences, per file; empty when the folders hold the same dataset."""
    out: list[str] = []
    everything = _files(fresh)
    old, strays = _pick(_files(committed), everything)
    new = {key: paths[0] for key, paths in everything.items()}
    for p in strays:
        out.append(f"{p.relative_to(committed).as_posix()}: not produced by the sources (stale file)")
    for key in sorted(new.keys() - old.keys()):
        out.append(f"{new[key].relative_to(fresh).as_posix()}: missing from {committed}")
    for key in sorted(old.keys() - new.keys()):
        out.append(f"{old[key].relative_to(committed).as_posix()}: not produced by the sources (stale file)")
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        name = a.relative_to(committed).as_posix()
        if name.endswith(".parquet"):
            try:
                fa, fb = pq.ParquetFile(a), pq.ParquetFile(b)
            except (OSError, pa.ArrowException) as err:
                out.append(f"{name}: not a readable Parquet file ({type(err).__name__})")
                continue
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
        elif not a.is_file() or a.read_bytes() != b.read_bytes():
            out.append(f"{name}: differs from a fresh build")
    return out


def main_check(sources: Sources, target: Path, workers: int | None = None, client=None,
               report: TextIO | None = None) -> int:
    from corpus.build import write_dataset

    with tempfile.TemporaryDirectory(prefix="dataset-check-") as tmp:
        fresh = Path(tmp) / "dataset"
        summary = write_dataset(sources, fresh, workers, client, report)
        problems = differences(target, fresh)
    why = releases.problem(sources, summary.version, summary.fingerprint)
    if why:
        problems.insert(0, why)
    elif not releases.is_recorded(sources, summary.version):
        problems.insert(0, f"version {summary.version} is not recorded in {sources.releases.name}: "
                           "run python -m corpus.build, which records it")
    if problems:
        raise CheckFailed(f"{target} is not a fresh build of the sources (run python -m corpus.build):\n  "
                          + "\n  ".join(problems))
    print(f"ok: {target} equals a fresh build (version {summary.version}, fingerprint {summary.fingerprint})")
    return 0
