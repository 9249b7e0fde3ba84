"""Scoring predictions sharded by document on a dask.distributed cluster, exactly as one file is scored.

Every metric is a sum of per-unit counts (baselines.metrics), and a unit's counts depend on its
own document only. So each shard (a predictions file holding whole documents) is read, checked,
aligned and counted on a worker against the units of its documents; the client gathers the
per-unit counts into the dataset's unit order and computes the values and the bootstrap
intervals from that one matrix with the code that scores a single file. The values are the
local score's to the last digit, intervals included: the resamples are drawn over every
document of the split, which no shard alone can do, so they are drawn once, where the counts
meet. What is checked across shards: a document in two shards, units no shard predicts (for
tasks where every unit needs a row), shards answering different metrics (a `role` column in some).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from labels.cli import UserError
from baselines import predictions
from baselines.bootstrap import Interval, resample_weights
from corpus import cluster
from corpus.pool import cores
from baselines.metrics import for_task
from baselines.runner import measure, summarise
from baselines.submissions import FORMATS, Format
from baselines.tasks import TaskInput

SHARD_SUFFIXES = (".parquet", ".jsonl", ".json")


@dataclass(frozen=True)
class ShardCounts:
    """One shard's per-unit counts, and where its units sit among the split's units."""

    source: str
    documents: frozenset[str]
    positions: np.ndarray           # indices into the split's units, ascending
    stats: dict[str, np.ndarray]    # metric -> (len(positions), k) counts


def shard_files(folder: Path) -> list[Path]:
    """The predictions files of a folder, in name order; UserError when there is none."""
    if not folder.is_dir():
        raise UserError(f"{folder}: not a folder of predictions files")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in SHARD_SUFFIXES)
    if not files:
        raise UserError(f"{folder}: no predictions files (.parquet or .jsonl) in the folder")
    return files


def _documents(fmt: Format, pred: pd.DataFrame, units: pd.DataFrame) -> frozenset[str]:
    """The documents a shard answers: its doc_ids, or for token tags the documents of its row ids.
    Values that are no id are left to the format's check, which names them."""
    if "doc_id" in fmt.task.required:
        return frozenset(d for d in pred.get("doc_id", ()) if isinstance(d, str))
    ids = {i for i in pred.get("id", ()) if isinstance(i, str)}
    return frozenset(units.doc_id[units.id.isin(ids)])


def count(view: tuple[str, str], source: str, pred: pd.DataFrame, units: pd.DataFrame,
          gold: pd.DataFrame, documents: frozenset[str] | None = None) -> ShardCounts:
    """Check one shard's predictions against the units of its documents and count every metric."""
    fmt = FORMATS[view]
    task = fmt.task
    documents = _documents(fmt, pred, units) if documents is None else documents
    mask = units.doc_id.isin(documents).to_numpy()
    inputs = TaskInput(pd.DataFrame({"doc_id": sorted(documents)}), units[mask].reset_index(drop=True))
    checked = fmt.check(task, pred, inputs, source)
    _, stats = measure(task, inputs, task.rows_for_units(gold, inputs.units), checked)
    return ShardCounts(source, documents, np.flatnonzero(mask), stats)


def count_file(view: tuple[str, str], path: str, units: pd.DataFrame, gold: pd.DataFrame) -> ShardCounts:
    """`count` on a predictions file, read where it runs (on a worker: the folder must be visible there)."""
    return count(view, path, predictions.read(Path(path)), units, gold)


def gather(view: tuple[str, str], folder: Path, shards: list[ShardCounts], units: pd.DataFrame,
           gold: pd.DataFrame) -> dict[str, np.ndarray]:
    """Every unit's counts in the split's unit order, after the checks no single shard can make."""
    task = FORMATS[view].task
    owner: dict[str, str] = {}
    for shard in shards:
        for doc in sorted(shard.documents):
            if doc in owner:
                raise UserError(f"{folder}: document {doc!r} is in two shards, {owner[doc]} and {shard.source}; "
                                "shard the predictions by document")
            owner[doc] = shard.source
    unanswered = ~units.doc_id.isin(owner).to_numpy()
    if unanswered.any():
        first = units[unanswered].iloc[0]
        if task.every_unit_needs_a_row:
            key = ", ".join(f"{k}={predictions._plain(first[k])!r}" for k in task.unit_key)
            raise UserError(f"{folder}: {int(unanswered.sum())} of {len(units)} units have no prediction in any "
                            f"shard, e.g. {key}; every unit needs one (missing predictions are not scored as "
                            "anything)")
        # spans: a document no shard names has nothing predicted, as in a single file
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in task.required})
        shards = [*shards, count(view, f"{folder} (documents without predictions)", empty, units, gold,
                                 frozenset(units.doc_id[unanswered]))]
    metrics = set(shards[0].stats)
    for shard in shards[1:]:
        if set(shard.stats) != metrics:
            raise UserError(f"{folder}: {shard.source} is scored on {', '.join(sorted(shard.stats))} but "
                            f"{shards[0].source} on {', '.join(sorted(metrics))}; every shard needs the same "
                            "columns (e.g. a role for every line or for none)")
    out = {}
    for metric in (m.name for m in for_task(task.name) if m.name in metrics):
        parts = [shard.stats[metric] for shard in shards]
        full = np.zeros((len(units), parts[0].shape[1]), dtype=np.result_type(*parts))  # counts stay integers
        for shard, part in zip(shards, parts):
            full[shard.positions] = part
        out[metric] = full
    return out


def score_sharded(view: tuple[str, str], folder: Path, inputs: TaskInput, gold: pd.DataFrame, seed: int,
                  resamples: int, client) -> tuple[dict, dict[str, dict[str, Interval]], dict]:
    """Values, intervals and per-unit counts of a folder of shards, the shards counted on the cluster."""
    files = shard_files(folder)
    units = inputs.units.reset_index(drop=True)
    shared_units, shared_gold = client.scatter([units, gold], broadcast=True, hash=False)
    futures = [client.submit(count_file, view, str(path), shared_units, shared_gold, pure=False) for path in files]
    shards = client.gather(futures)  # a shard's UserError (file, row, field) is raised here, in the client
    stats = gather(view, folder, shards, units, gold)
    values, cis = summarise(FORMATS[view].task, stats, resample_weights(units.doc_id, resamples, seed))
    return values, cis, stats


def connect(scheduler: str | None):
    """A client of the cluster at `scheduler`, or of a local cluster of all cores started (and closed) here."""
    return cluster.connect(cluster.ClusterSpec(address=scheduler) if scheduler
                           else cluster.ClusterSpec(local_workers=cores()))
