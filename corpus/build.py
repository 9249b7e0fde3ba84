"""`python -m corpus.build [--check]`: documents and gold labels in, the versioned dataset out.

The build writes into a staging folder beside the target and swaps it in at the
end in one atomic step, so a failed or interrupted build leaves the previous dataset
intact.
`--check` rebuilds elsewhere and compares, failing when the committed dataset
is stale or when its content differs from what its version was recorded with
(corpus/releases.jsonl).
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from labels.cli import UserError, run
from labels.userfiles import read_text
from labels.problems import InvalidLabels, Problem
from corpus import card, releases, shards
from corpus.atomic import new_stage, swap_in, writing
from corpus.document_work import work_on_chunk
from corpus.documents import build_order
from corpus.fingerprint import Fingerprint
from corpus.lock import corpus_lock
from corpus.parquet_sink import ParquetSink
from corpus.pool import default_workers, ordered_map
from corpus.progress import Progress
from corpus.sources import DEFAULT, Sources
from corpus.summary import Summary

if TYPE_CHECKING:
    from distributed import Client

_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


def check_version(sources: Sources) -> str:
    """The declared version, which must be semver and have a changelog entry."""
    version = sources.version()
    if not _SEMVER.match(version):
        raise UserError(f"{sources.version_file}: version {version!r} is not semver (MAJOR.MINOR.PATCH)")
    changelog = read_text(sources.changelog, "changelog") if sources.changelog.exists() else ""
    if not re.search(rf"^## (\[{re.escape(version)}\]|{re.escape(version)})(\s|$)", changelog, re.MULTILINE):
        raise UserError(f"{sources.changelog}: no entry '## [{version}]' for the dataset version")
    return version


def write_dataset(sources: Sources, out: Path, workers: int | None = None, client: Client | None = None,
                  report: TextIO | None = None) -> Summary:
    """Stream every document through validation and row building into out/ (which must be new).

    The per-document work runs in a process pool of `workers` (default: all cores when the
    corpus is large enough to pay for one), or on the workers of a Dask `client`, which also read
    the shards of a sharded corpus (corpus/shards.py); its results are taken in build order and
    written here, so the output is the same whatever runs the work. A long build's progress goes
    to `report` (corpus/progress.py)."""
    summary = Summary(version=check_version(sources), watched=card.with_passes(sources))
    fingerprint = Fingerprint()
    sink = ParquetSink(out)
    problems: list[Problem] = []
    if client is None and not shards.is_sharded(sources):
        order = build_order(sources)
        workers = default_workers(len(order)) if workers is None else workers
        works, orphans, total = ordered_map(partial(work_on_chunk, sources), order, workers), None, len(order)
    else:
        works, orphans, total = shards.sharded_works(
            sources, shards.dask_mapper(client) if client is not None else shards.pool_mapper(workers))
    progress = Progress(total, report) if report is not None else None
    seen: set[str] = set()  # for the orphan check here; the shards' orphans were found where they were read
    for done in works:
        if progress is not None:
            progress.advance()
        if orphans is None:
            seen.add(done.doc_id)
        if done.problems:
            problems += done.problems
            continue
        summary.statuses[done.status] += 1
        if done.withheld:
            summary.withheld.append(done.withheld)
            continue
        if problems:
            continue  # keep validating the rest, but write nothing more
        summary.begin(done.publisher, done.status, done.history)
        if any(step.action == "drafted" for step in done.history):
            summary.drafted.append(done.doc_id)
        fingerprint.add_digest(done.doc_id, done.digest)
        for config, rows in done.rows.items():
            sink.extend(config, done.split, rows)
        summary.observe(done.split, done.tally, done.rows)
    if orphans is None:
        # pages kept outside the repository are not in this build unless it is the full one; their gold is no orphan
        orphans = shards.orphan_problems(sources, seen | sources.outside())
    problems += orphans
    if problems:
        raise InvalidLabels(problems)
    if not summary.documents:
        raise UserError(f"{sources.manifest}: the corpus has no documents; add some with python -m corpus.add")
    summary.fingerprint = fingerprint.hexdigest()
    sink.close({"version": summary.version, "fingerprint": summary.fingerprint,
                "build": releases.build_of(sources)}, set(summary.documents))
    (out / "README.md").write_text(card.render(summary, sources), encoding="utf-8")
    return summary


def build(sources: Sources = DEFAULT, out: Path | None = None, workers: int | None = None,
          client: Client | None = None, report: TextIO | None = None) -> Summary:
    """Build into a staging sibling of out, then swap it in whole, under the corpus lock; on any
    failure out is untouched. The first build of a new version records its fingerprint."""
    out = out or sources.dataset_dir
    with corpus_lock(sources.lock_file):
        stage = new_stage(out)
        try:
            with writing(out):
                summary = write_dataset(sources, stage, workers, client, report)
            why = releases.problem(sources, summary.version, summary.fingerprint)
            if why:
                raise UserError(f"{sources.version_file}: {why}")
            releases.record(sources, summary.version, summary.fingerprint)
            with writing(out):
                swap_in(stage, out)
            return summary
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    from corpus import check
    from corpus.cluster import ClusterSpec, connect

    parser = argparse.ArgumentParser(prog="python -m corpus.build", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild in a temporary folder and fail if the committed dataset differs")
    parser.add_argument("--full", action="store_true",
                        help="the full dataset: also the pages kept outside the repository, found in --pages "
                             f"(default output: {DEFAULT.full().dataset_dir.name}/, not committed)")
    parser.add_argument("--pages", type=Path, help="pages folder for --full (default: ../shared/corpus/pages "
                                                   "beside the project)")
    parser.add_argument("--out", type=Path, help=f"output folder (default: {DEFAULT.dataset_dir.name}/)")
    parser.add_argument("--workers", type=int, help="processes for the per-document work (default: all cores "
                                                    "when the corpus is large enough to pay for a pool, else 1)")
    dask = parser.add_mutually_exclusive_group()
    dask.add_argument("--scheduler", metavar="ADDRESS",
                      help="run the per-document work on the Dask cluster whose scheduler is at ADDRESS "
                           "(e.g. tcp://10.0.0.5:8786); every worker needs the project and the sources at the "
                           "same paths; the Parquet is written here")
    dask.add_argument("--dask-local", type=int, metavar="N",
                      help="run the per-document work on a Dask LocalCluster of N worker processes")
    args = parser.parse_args(argv)
    for flag, value in (("--workers", args.workers), ("--dask-local", args.dask_local)):
        if value is not None and value < 1:
            raise UserError(f"{flag} {value}: must be at least 1")
    if args.workers is not None and (args.scheduler or args.dask_local):
        raise UserError("--workers is for the process pool: a Dask cluster has its own workers")
    if args.pages and not args.full:
        raise UserError("--pages goes with --full")
    sources = DEFAULT.full(pages_dir=args.pages) if args.full else DEFAULT
    if args.full and not (sources.pages_dir and sources.pages_dir.is_dir()):
        raise UserError(f"{sources.pages_dir}: no such pages folder: pass --pages DIR")
    target = args.out or sources.dataset_dir
    spec = (ClusterSpec(address=args.scheduler) if args.scheduler
            else ClusterSpec(local_workers=args.dask_local) if args.dask_local else None)
    with connect(spec) if spec else nullcontext() as client:
        if args.check:
            return check.main_check(sources, target, args.workers, client, report=sys.stderr)
        summary = build(sources, target, args.workers, client, report=sys.stderr)
    print(card.one_line(summary, target))
    for withheld in summary.withheld:
        print(f"left out: {withheld}")
    return 0


if __name__ == "__main__":
    run(main)
