"""The evaluation data: one split of every config, loaded with `datasets`, labels decoded to names.

A local folder and a Hub id go through the same `load_dataset` call, so a user
online scores against the published release exactly as CI scores the clone.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from labels.cli import UserError
from corpus.features import CONFIGS, FEATURES
from corpus.parquet_sink import data_path, read_metadata
from corpus.sources import DEFAULT


@dataclass(frozen=True)
class Bench:
    """Every config of one split as pandas frames, ClassLabel ids turned into their names."""

    source: str
    split: str
    version: str
    fingerprint: str
    documents: pd.DataFrame
    boilerplate: pd.DataFrame
    entities: pd.DataFrame
    entities_tokens: pd.DataFrame
    stance: pd.DataFrame

    def frame(self, config: str) -> pd.DataFrame:
        return getattr(self, config)


def _decode(df: pd.DataFrame, config: str) -> pd.DataFrame:
    """ClassLabel ids to names; list-of-ClassLabel columns are left as ids (the token view)."""
    df = df.copy()
    for name, feat in FEATURES[config].items():
        if type(feat).__name__ == "ClassLabel":
            names = feat.names
            df[name] = [None if pd.isna(v) else names[int(v)] for v in df[name]]
    return df


def _release(source: str, split: str, revision: str | None) -> dict[str, str]:
    """Version and fingerprint from the Parquet footer, locally or from the Hub."""
    local = Path(source)
    if local.is_dir():
        path = data_path(local, "documents", split)
    else:
        from huggingface_hub import hf_hub_download

        rel = data_path(Path("."), "documents", split).as_posix()
        path = Path(hf_hub_download(source, rel, repo_type="dataset", revision=revision))
    if not path.exists():
        raise UserError(f"{source}: no split {split!r} (missing {path})")
    return read_metadata(path)


def _local_cache(folder: Path) -> Path:
    """A cache folder keyed by the data files' names, sizes and mtimes.

    `datasets` may serve rows cached from an earlier build of the same local folder
    (huggingface/datasets#2956); keying the cache on the files themselves rules that out.
    """
    from datasets import config

    h = hashlib.sha256()
    for path in sorted(folder.glob("data/*/*.parquet")):
        st = path.stat()
        h.update(f"{path.relative_to(folder).as_posix()}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return Path(config.HF_DATASETS_CACHE) / "newsbench" / h.hexdigest()[:16]


def load_bench(source: str | Path | None = None, split: str = "test", revision: str | None = None,
               cache_dir: str | None = None) -> Bench:
    """Load one split of every config from a dataset folder (default: the bundled one) or Hub id."""
    import datasets

    source = str(source or DEFAULT.dataset_dir)
    if not Path(source).is_dir() and "/" not in source:
        raise UserError(f"{source}: not a dataset folder, nor a Hub id of the form OWNER/NAME")
    meta = _release(source, split, revision)
    if cache_dir is None and Path(source).is_dir():
        cache_dir = str(_local_cache(Path(source)))
    frames = {}
    datasets.disable_progress_bars()
    try:
        for config in CONFIGS:
            ds = datasets.load_dataset(source, config, split=split, revision=revision, cache_dir=cache_dir)
            frames[config] = _decode(ds.to_pandas(), config)
    except ValueError as err:  # unknown split or config: a user's mistake, not a crash
        raise UserError(f"{source}: {err}") from None
    finally:
        datasets.enable_progress_bars()
    return Bench(source=source, split=split, version=meta.get("version", "unknown"),
                 fingerprint=meta.get("fingerprint", "unknown"), **frames)
