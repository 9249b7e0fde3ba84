"""The build on a Dask LocalCluster, over a sharded SYNTHETIC corpus generated on its workers.

    python benchmarks/distributed_build.py [--pages 1000000] [--shard-pages 10000] [--workers 2]
        [--sample 5000] [--seed 0] [--dir DIR] [--keep] [--corpus DIR] [--every SECONDS]

1. The workers write the corpus as shards (corpus/shards.py) of --shard-pages pages each, page
   by page (benchmarks/synthetic.py: every page SYNTHETIC, publisher "SYNTHETIC"), into a
   temporary folder (in --dir if given; or into --corpus, kept, where a rerun finishes only the
   shards without a manifest), never into the project.
2. The reference: the first --sample pages (the same documents) as one folder, built serially in
   this process and on the cluster; the two outputs must be byte-identical. Printed: pages/s.
3. The workers are restarted (so their peak memory is the build's), then corpus.build's
   write_dataset runs on them: they survey and read the shards and do the per-document work,
   this process merges the build order and writes the Parquet. Printed every --every seconds
   and at the end: pages built, pages/s, the peak RSS of every worker (read on the worker) and
   the RSS of this process (sampled then; its lifetime peak includes the reference build); at
   the end, the ratio of the Dask build's pages/s to the serial build's.

Disk: a page takes about 13 KiB of input on a file system of 4 KiB blocks (its text and its
gold file, about 1.6 and 5.6 KiB) and 1.5 KiB of Parquet, so about 14.5 GiB for 1,000,000
pages (2,000,000 files, plus one inode per shard folder); the script refuses to start when the
folder's file system has less free space than that estimate, and deletes everything at the end
(unless --keep or --corpus).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

INPUT_BYTES_PER_PAGE = 13 * 1024
OUTPUT_BYTES_PER_PAGE = 1536


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _rss_mib() -> float:
    """This process's resident memory now."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _write_shards(context: tuple[Path, int], specs: list[tuple[str, int, int]]) -> list[int]:
    """On a worker: write each (name, first page, end page) shard, unless a manifest (written last,
    atomically) shows an earlier run finished it."""
    from benchmarks.synthetic import write_shard
    from corpus import shards
    from corpus.sources import Sources

    root, seed = context
    written = []
    for name, first, end in specs:
        if shards.shard(Sources.at(root), name).manifest.exists():
            written.append(0)
        else:
            write_shard(root, name, range(first, end), seed)
            written.append(end - first)
    return written


class Progress:
    """Counts the build's results as this process takes them (by wrapping the mapper the build asks
    corpus.shards for) and prints the rate and the workers' peak memory every `every` seconds, so a
    long run gives figures before it ends."""

    def __init__(self, client, every: float):
        from corpus import shards

        self.client, self.every, self.done, self.start = client, every, 0, time.perf_counter()
        self._stop = threading.Event()
        real = shards.dask_mapper

        def counting(client):
            inner = real(client)

            def mapper(fn, items, **kw):
                for result in inner(fn, items, **kw):
                    self.done += fn is shards.work_on_items
                    yield result
            return mapper
        shards.dask_mapper = counting
        self._restore = lambda: setattr(shards, "dask_mapper", real)
        self._thread = threading.Thread(target=self._report, daemon=True)
        self._thread.start()

    def _report(self) -> None:
        while not self._stop.wait(self.every):
            seconds = time.perf_counter() - self.start
            peaks = self.client.run(_peak_rss_mib)
            print(f"  {time.strftime('%H:%M:%S')} built {self.done} pages in {seconds:.0f} s: "
                  f"{self.done / seconds:.0f} pages/s; peak RSS per worker (MiB) "
                  + ", ".join(f"{p:.0f}" for _, p in sorted(peaks.items()))
                  + f", this process now {_rss_mib():.0f}", flush=True)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._restore()


def _same_files(a: Path, b: Path) -> bool:
    names = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    return names == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()) and all(
        (a / name).read_bytes() == (b / name).read_bytes() for name in names)


def _timed_build(sources, out: Path, **how) -> tuple[float, object]:
    from corpus.build import write_dataset

    t0 = time.perf_counter()
    summary = write_dataset(sources, out, **how)
    return time.perf_counter() - t0, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000, help="SYNTHETIC pages to build (default 100000)")
    parser.add_argument("--shard-pages", type=int, default=10_000, help="pages per shard (default 10000)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    parser.add_argument("--sample", type=int, default=5_000,
                        help="pages of the serial reference build (default 5000, at most --pages)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the SYNTHETIC generator")
    parser.add_argument("--dir", type=Path, help="where the temporary corpus goes (default: the system's)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SYNTHETIC corpus")
    parser.add_argument("--corpus", type=Path, help="generate into (or finish generating) this folder and keep "
                                                    "it, instead of a temporary one")
    parser.add_argument("--every", type=float, default=60, help="seconds between progress lines (default 60)")
    args = parser.parse_args(argv)
    if min(args.pages, args.shard_pages, args.workers, args.sample) < 1:
        parser.error("--pages, --shard-pages, --workers and --sample must be at least 1")
    sample = min(args.sample, args.pages)

    from benchmarks.synthetic import generate, write_layout
    from corpus import cluster
    from corpus.sources import Sources

    keep = args.keep or args.corpus is not None
    root = args.corpus or Path(tempfile.mkdtemp(prefix="SYNTHETIC-newsbench-dask-", dir=args.dir))
    root.mkdir(parents=True, exist_ok=True)
    need = (args.pages + sample) * (INPUT_BYTES_PER_PAGE + OUTPUT_BYTES_PER_PAGE)
    free = shutil.disk_usage(root).free
    if free < need and args.corpus is None:
        shutil.rmtree(root)
        parser.error(f"{root}: {need / 2**30:.1f} GiB needed for {args.pages} pages, {free / 2**30:.1f} GiB free")
    print(f"SYNTHETIC distributed build benchmark (python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"LocalCluster of {args.workers} single-threaded worker processes)")
    print(f"{args.pages} pages in shards of {args.shard_pages}, in {root} "
          f"(estimated disk {need / 2**30:.1f} GiB of {free / 2**30:.1f} GiB free)", flush=True)
    try:
        write_layout(root)
        specs = [(f"{k:05d}", first, min(first + args.shard_pages, args.pages))
                 for k, first in enumerate(range(0, args.pages, args.shard_pages))]
        with cluster.connect(cluster.ClusterSpec(local_workers=args.workers)) as client:
            used = shutil.disk_usage(root).used
            t0 = time.perf_counter()
            written = sum(cluster.ordered_map(client, _write_shards, specs, chunk=1, context=(root, args.seed)))
            generated = time.perf_counter() - t0
            disk = (shutil.disk_usage(root).used - used) / 2**30
            print(f"generated {written} pages in {len(specs)} shards on the workers ({args.pages - written} "
                  f"found from an earlier run): {generated:.0f} s ({written / generated:.0f} pages/s), "
                  f"{disk:.2f} GiB more on disk", flush=True)

            # the reference first, so that a long run's progress lines can be read against it
            sample_root = root / "sample"
            shutil.rmtree(sample_root, ignore_errors=True)
            reference = generate(sample_root, sample, args.seed)
            serial_s, serial = _timed_build(reference, sample_root / "serial", workers=1)
            dask_s, on_dask = _timed_build(reference, sample_root / "dask", client=client)
            same = serial.fingerprint == on_dask.fingerprint and _same_files(sample_root / "serial",
                                                                             sample_root / "dask")
            shutil.rmtree(sample_root)
            print(f"serial build of the first {sample} pages (one folder, one process): {serial_s:.1f} s, "
                  f"{sample / serial_s:.0f} pages/s; on the cluster: {sample / dask_s:.0f} pages/s "
                  f"({serial_s / dask_s:.2f}x); output byte-identical: {'yes' if same else 'NO'}", flush=True)

            client.restart()  # the workers' peak memory from here on is the build's
            shutil.rmtree(root / "dataset", ignore_errors=True)
            progress = Progress(client, args.every)
            try:
                seconds, summary = _timed_build(Sources.at(root), root / "dataset", client=client)
            finally:
                progress.stop()
            workers = client.run(_peak_rss_mib)
            rows = sum(summary.rows.values())
            built = sum(summary.documents.values())  # the pages generated now and those found from an earlier run
            print(f"Dask build: {built} pages, {rows} rows in {seconds:.0f} s: {built / seconds:.0f} pages/s, "
                  f"fingerprint {summary.fingerprint}")
            print("peak RSS per worker (MiB, read on the worker, build only): "
                  + ", ".join(f"{peak:.0f}" for _, peak in sorted(workers.items()))
                  + f"; this process (merge and Parquet sink) now {_rss_mib():.0f}, lifetime peak "
                  f"{_peak_rss_mib():.0f}", flush=True)
            shutil.rmtree(root / "dataset")
        print(f"ratio, Dask build of {built} pages vs the serial build of {sample}: "
              f"{(built / seconds) / (sample / serial_s):.2f}x (pages/s)")
        return 0 if same else 1
    finally:
        if keep:
            print(f"kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
