"""A corpus too large for one folder, as shards, and the build's documents mapped over them.

Layout: `corpus/shards/<name>/raw/` (a manifest.jsonl and the pages it lists, exactly like
corpus/raw) and `corpus/shards/<name>/gold/` (their label files), beside the corpus's one
VERSION; a manifest in corpus/raw itself is one more shard. Each shard is read through its own
Sources (raw_dir and gold_dir pointed into it), so a worker that reads it needs nothing else.

Each shard is surveyed where it is read (its manifest's keys and its orphan label files), the
keys are merged into the one build order (split, then doc_id) whatever the shards are named or
how the documents are spread over them, and the per-document work runs in that order: the
results, and so the Parquet the caller writes from them, are the one-folder build's byte for
byte. The fingerprint combines per-document digests in doc_id order (corpus/fingerprint.py),
so it would not depend on the shards even without the merge.
"""
from __future__ import annotations

import heapq
from array import array
from dataclasses import dataclass, replace
from functools import partial
from socket import gethostname
from typing import Any, Callable, Iterator, Sequence

from labels.cli import UserError
from labels.problems import Problem
from corpus import manifest, pool
from corpus.document_work import batched, work_on
from corpus.sources import Sources
from corpus.splits import SPLITS

SHARDS = "shards"

# (fn, items, chunk=None, context=None) -> fn's results over items in chunks, in item order, calling
# fn(context, chunk) when a context is given: in a process pool (pool_mapper) or on a cluster (dask_mapper).
Mapper = Callable[..., Iterator[Any]]


def pool_mapper(workers: int | None) -> Mapper:
    """In this process or a pool of `workers` (default: as many as each map's items pay for)."""
    def mapper(fn: Callable, items: Sequence, chunk: int | None = None, context: Any = None) -> Iterator[Any]:
        n = pool.default_workers(len(items)) if workers is None else workers
        return pool.ordered_map(fn if context is None else partial(fn, context), items, n, chunk)
    return mapper


def dask_mapper(client: Any) -> Mapper:
    from corpus import cluster

    return partial(cluster.ordered_map, client)


def is_sharded(sources: Sources) -> bool:
    return (sources.raw_dir.parent / SHARDS).is_dir()


def shard(sources: Sources, name: str) -> Sources:
    """The shard `name` of a corpus, read through its own Sources."""
    folder = sources.raw_dir.parent / SHARDS / name
    return replace(sources, raw_dir=folder / "raw", gold_dir=folder / "gold")


def shards_of(sources: Sources) -> tuple[Sources, ...]:
    """corpus/raw (when it has a manifest), then every shard folder in name order."""
    own = (sources,) if sources.manifest.exists() or not is_sharded(sources) else ()
    folder = sources.raw_dir.parent / SHARDS
    names = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    return own + tuple(shard(sources, name) for name in names)


def orphan_problems(sources: Sources, known: set[str] | frozenset[str]) -> list[Problem]:
    """Label files whose document is not among `known` (the manifest's documents)."""
    orphans = {p.stem for p in sources.gold_dir.glob("*.json")} - known
    return [Problem(str(sources.gold_dir / f"{d}.json"), d, "doc_id", "no such document in the corpus manifest")
            for d in sorted(orphans)]


@dataclass(frozen=True)
class Survey:
    """One shard as the merge needs it: (split index, doc_id, manifest offset) of each document to
    build, sorted, and the shard's orphan label files."""

    keys: list[tuple[int, str, int]]
    orphans: list[Problem]


def survey(shard: Sources) -> Survey:
    if not shard.raw_dir.is_dir():  # on a cluster: a worker that does not see the corpus where the client does
        raise UserError(f"{shard.raw_dir}: no such folder on {gethostname()}, where the build's work runs: "
                        "every worker needs the corpus at the same path")
    keys, known = [], set()
    for offset, e in manifest.iter_entries(shard.manifest):
        known.add(e.doc_id)
        if shard.external or not e.external:
            keys.append((SPLITS.index(e.split), e.doc_id, offset))
    return Survey(sorted(keys), orphan_problems(shard, known))


def _survey_chunk(shards: Sequence[Sources]) -> list[Survey]:
    return [survey(shard) for shard in shards]


def build_order(shards: Sequence[Sources], surveys: Sequence[Survey]) -> array:
    """The documents of every shard in build order, each packed as offset * len(shards) + shard
    (eight bytes a document, however large the corpus); a doc_id in two shards is a UserError."""
    where: dict[str, int] = {}
    order = array("q")
    n = len(shards)
    runs = ([(split, doc_id, s, offset) for split, doc_id, offset in v.keys] for s, v in enumerate(surveys))
    for _, doc_id, s, offset in heapq.merge(*runs):
        first = where.setdefault(doc_id, s)
        if first != s:
            raise UserError(f"{shards[s].manifest}: doc_id {doc_id} is also in {shards[first].manifest}")
        order.append(offset * n + s)
    return order


def work_on_items(shards: Sequence[Sources], items: list[int]) -> list:
    """The documents of packed (shard, offset) items, their rows batched together whichever shards
    they come from (neighbours in build order rarely share one); an unexpected failure is noted
    with the document it happened on."""
    done = []
    n = len(shards)
    for item in items:
        shard, offset = shards[item % n], item // n
        try:
            done.append(work_on(shard, offset))
        except UserError:
            raise
        except Exception as err:
            err.add_note(f"while building document {manifest.entry_at(shard.manifest, offset).doc_id} "
                         f"({shard.manifest}, byte {offset})")
            raise
    return batched(done)


def sharded_works(sources: Sources, mapper: Mapper) -> tuple[Iterator[Any], list[Problem], int]:
    """Every shard's documents' work in build order (each shard surveyed and read by whoever runs
    the mapper's tasks), the orphan label files of all shards, and how many documents there are."""
    shards = shards_of(sources)
    surveys = list(mapper(_survey_chunk, shards, chunk=1))
    order = build_order(shards, surveys)
    orphans = [p for v in surveys for p in v.orphans]
    return mapper(work_on_items, order, context=shards), orphans, len(order)
