"""The evaluation data: one split of every config, loaded with `datasets`, labels decoded to names.

A local folder and a Hub id go through the same `load_dataset` call, so a user
online scores against the published release exactly as CI scores the clone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from labels.cli import UserError
from corpus.features import CONFIGS, FEATURES
from corpus.parquet_sink import data_path, read_metadata
from corpus.sources import DEFAULT

# A Hub id is OWNER/NAME; anything else that is not a folder is a path that does not exist.
_HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")


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
    build: str = "repository"  # "full" for the build with the pages folder: its own canonical leaderboard

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
    try:
        if local.is_dir():
            path = data_path(local, "documents", split)
        else:
            from huggingface_hub import HfFileSystem, hf_hub_download

            pattern = f"datasets/{source}@{revision or 'main'}/data/documents/{split}-*.parquet"
            found = sorted(HfFileSystem().glob(pattern))
            if len(found) != 1:
                raise FileNotFoundError(f"expected one file matching {pattern}, found {len(found)}")
            rel = found[0].split("/", 3)[3]
            path = Path(hf_hub_download(source, rel, repo_type="dataset", revision=revision))
    except FileNotFoundError as err:
        raise UserError(f"{source}: no split {split!r} ({err})") from None
    return read_metadata(path)


def _check_columns(root: Path, split: str) -> None:
    for config in CONFIGS:
        try:
            path = data_path(root, config, split)
        except FileNotFoundError as err:
            raise UserError(f"{root}: no split {split!r} ({err})") from None
        try:
            names = pq.read_schema(path).names
        except (OSError, pa.ArrowException) as err:
            raise UserError(f"{path}: not a readable Parquet file ({type(err).__name__})") from None
        missing = [c for c in FEATURES[config] if c not in names]
        if missing:
            raise UserError(f"{path}: config {config}: missing column(s) {', '.join(missing)}")


def load_bench(source: str | Path | None = None, split: str = "test", revision: str | None = None,
               cache_dir: str | None = None) -> Bench:
    """Load one split of every config from a dataset folder (default: the bundled one) or Hub id.

    A local folder's files are checked against the schema first: `datasets` would fill a
    missing column with nulls from the card's features and score against them."""
    import datasets

    source = str(source or DEFAULT.dataset_dir)
    if not Path(source).is_dir() and not _HUB_ID.match(source):
        what = "no such folder" if not Path(source).exists() else "not a folder"
        raise UserError(f"{source}: {what}, and not a Hub id of the form OWNER/NAME")
    remote = not Path(source).is_dir()
    frames = {}
    datasets.disable_progress_bars()
    try:
        if not remote:
            _check_columns(Path(source), split)
        meta = _release(source, split, revision)
        for config in CONFIGS:
            ds = datasets.load_dataset(source, config, split=split, revision=revision, cache_dir=cache_dir)
            frames[config] = _decode(ds.to_pandas(), config)
    except ValueError as err:  # unknown split or config: a user's mistake, not a crash
        raise UserError(f"{source}: {err}") from None
    except UserError:
        raise
    except Exception as err:
        # Locally a truncated file or a missing column; remotely a wrong Hub id, no network,
        # offline mode or a missing revision: one line, not a traceback.
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        where = "cannot load from the Hub" if remote else "cannot load the dataset folder"
        raise UserError(f"{source}: {where} ({type(err).__name__}: {first})") from None
    finally:
        datasets.enable_progress_bars()
    return Bench(source=source, split=split, version=meta.get("version", "unknown"),
                 fingerprint=meta.get("fingerprint", "unknown"), build=meta.get("build", "repository"), **frames)
