"""How fast does `corpus.build` write, against a bare pyarrow write of the same rows, on one core and on all?

    python benchmarks/build_speed.py [--pages 2000] [--real-sized 400] [--seed 0] [--workers N] [--full] [--pages-dir DIR]

For each corpus (a SYNTHETIC one of --pages short pages and one of --real-sized pages as long as
the development corpus's real ones, from benchmarks/synthetic.py, generated in a temporary
directory; with --full also the full dataset's real pages, read from the pages folder and never
copied), it prints:

- where a serial build's time goes, stage by stage (read and render, gold parse and validation,
  rows, digest and label counts, Arrow conversion, the Parquet sink), timed around the build's
  own functions, chunk by chunk as the build runs them;
- the build's throughput in one process and in a pool of --workers processes (default: all
  cores), the two builds' files compared byte for byte, and the pool's speed-up;
- the reference: the same rows (read back from the build) written by a bare pyarrow
  ParquetWriter from Python rows, same schema, compression and row-group size, and the ratio
  build / reference, in wall time and in CPU time, the latter also without the dataset card (its
  agreement intervals are a fixed cost of the full build, not a per-page one);
- the floor: what any build of these rows in one CPython process must do besides the reference's
  own work, each step in the fastest form we know, timed alone (reading every page and label file and
  proving the page's sha256, parsing HTML pages with the renderer's parser (rendering nothing),
  decoding the label JSON with orjson, one pass of the tokeniser's regex over every text, the
  fingerprint's canonical encoding and sha256 of every row), and so
  the CEILING of the ratio: reference / (reference + floor). The ratio cannot pass it without
  changing what the dataset is (its tokens, its fingerprint) or leaving Python for compiled code.

On a machine shared with other work the wall-time figures are floors (the pool's most of all):
the CPU time each build spent is printed beside it, and from the pool's CPU (its main process
against its workers) the speed-up it allows on idle cores.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

import orjson  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from corpus import card, manifest  # noqa: E402
from corpus.batches import share  # noqa: E402
from corpus.build import write_dataset  # noqa: E402
from corpus.documents import build_order, document_at, page_path  # noqa: E402
from corpus.features import SCHEMAS  # noqa: E402
from corpus.fingerprint import canonical_lines, columns_digest  # noqa: E402
from corpus.ingest import unpack  # noqa: E402
from corpus.parquet_sink import BATCH_ROWS, DEFAULT_BATCH_ROWS, ParquetSink  # noqa: E402
from corpus.pool import CHUNK, default_workers  # noqa: E402
from corpus.rows import rows_for  # noqa: E402
from corpus.sources import DEFAULT, Sources  # noqa: E402
from corpus.summary import Summary, tally  # noqa: E402
from labels.tokens import _SPLIT  # noqa: E402
from labels.validate import Withheld, gold_for  # noqa: E402


def stages(sources: Sources, out: Path) -> dict[str, float]:
    """CPU seconds per stage of a serial build, the build's own functions timed one by one (CPU
    time, as wall time on a shared machine counts other jobs too)."""
    spent = dict.fromkeys(("read and render", "gold parse and validation", "rows", "digest and counts",
                           "Arrow conversion", "parquet sink"), 0.0)
    sink = ParquetSink(out)
    splits = set()
    order = build_order(sources)
    for i in range(0, len(order), CHUNK):
        built = []
        for offset in order[i:i + CHUNK]:
            t0 = time.process_time()
            doc = document_at(sources, offset)
            t1 = time.process_time()
            gold = gold_for(doc.text, sources.gold_dir / f"{doc.doc_id}.json", doc.doc_id,
                            frozenset({doc.doc_id}) if doc.entry.external else frozenset())
            t2 = time.process_time()
            spent["read and render"] += t1 - t0
            spent["gold parse and validation"] += t2 - t1
            if isinstance(gold, Withheld):
                continue
            rows = rows_for(doc, gold)
            t3 = time.process_time()
            columns_digest(doc.doc_id, doc.entry.split, rows)
            tally(rows)
            t4 = time.process_time()
            spent["rows"] += t3 - t2
            spent["digest and counts"] += t4 - t3
            built.append((doc.entry.split, rows))
        t0 = time.process_time()
        ranges = share([rows for _, rows in built])
        t1 = time.process_time()
        for (split, _), parts in zip(built, ranges):
            for config, part in parts.items():
                sink.extend(config, split, part)
            splits.add(split)
        spent["Arrow conversion"] += t1 - t0
        spent["parquet sink"] += time.process_time() - t1
    t0 = time.process_time()
    sink.close({"version": "0", "fingerprint": "0"}, splits)
    spent["parquet sink"] += time.process_time() - t0
    return spent


def timed_build(sources: Sources, out: Path, workers: int) -> tuple[float, float, float, float, Summary]:
    """(wall seconds, CPU seconds of this process and its finished children, CPU seconds of this
    process alone, CPU seconds of the dataset card within them, summary) of one build."""
    render, card_cpu = card.render, []

    def timed_render(*args, **kwargs):
        t0 = time.process_time()
        try:
            return render(*args, **kwargs)
        finally:
            card_cpu.append(time.process_time() - t0)

    before, c0 = os.times(), time.perf_counter()
    with mock.patch.object(card, "render", timed_render):
        summary = write_dataset(sources, out, workers=workers)
    wall, after = time.perf_counter() - c0, os.times()
    own = sum(getattr(after, f) - getattr(before, f) for f in ("user", "system"))
    children = sum(getattr(after, f) - getattr(before, f) for f in ("children_user", "children_system"))
    return wall, own + children, own, sum(card_cpu), summary


def bare_write(built: Path, out: Path) -> tuple[float, float]:
    """Seconds for pyarrow alone to write the built dataset's rows again: from Python rows (as the
    build holds them) to Parquet, batch by batch as the build's sink does. (wall, CPU) seconds."""
    tables = {}
    for path in sorted(built.glob("data/*/*.parquet")):
        config = path.parent.name
        tables[(config, path.name)] = pq.read_table(path).to_pylist()
    before, t0 = os.times(), time.perf_counter()
    for (config, name), rows in tables.items():
        target = out / config / name
        target.parent.mkdir(parents=True, exist_ok=True)
        schema = SCHEMAS[config]
        size = BATCH_ROWS.get(config, DEFAULT_BATCH_ROWS)
        with pq.ParquetWriter(target, schema, compression="zstd") as writer:
            for i in range(0, len(rows), size):
                writer.write_table(pa.Table.from_pylist(rows[i:i + size], schema=schema))
            if not rows:
                writer.write_table(schema.empty_table())
    wall, after = time.perf_counter() - t0, os.times()
    return wall, after.user - before.user + after.system - before.system


def floor(sources: Sources, built: Path) -> dict[str, float]:
    """CPU seconds of the steps every build of the built rows must take besides writing them, each in
    the fastest form we know in Python and on inputs made ready beforehand (so the sum is a lower bound)."""
    entries = manifest.read(sources.manifest)
    texts = [text for path in sorted(built.glob("data/documents/*.parquet"))
             for text in pq.read_table(path, columns=["text"]).column("text").to_pylist()]
    records = [pq.read_table(path).to_pylist() for path in sorted(built.glob("data/*/*.parquet"))]
    spent = {}
    t0 = time.process_time()
    pages, labels = [], []
    for e in entries:
        pages.append(page_path(sources, e).read_bytes())
        hashlib.sha256(pages[-1]).digest()
        labels.append((sources.gold_dir / f"{e.doc_id}.json").read_bytes())
    spent["read pages and labels, prove sha256"] = time.process_time() - t0
    markup = [unpack(raw)[0].decode(e.encoding) for e, raw in zip(entries, pages) if e.format == "html"]
    t0 = time.process_time()
    for html in markup:
        LexborHTMLParser(html)
    spent["parse HTML (the renderer's parser, nothing rendered)"] = time.process_time() - t0
    t0 = time.process_time()
    for data in labels:
        orjson.loads(data)
    spent["decode label JSON"] = time.process_time() - t0
    t0 = time.process_time()
    for text in texts:
        _SPLIT.split(text)
    spent["tokenise"] = time.process_time() - t0
    t0 = time.process_time()
    for rows in records:
        hashlib.sha256(b"".join(map(canonical_lines, rows))).digest()
    spent["encode and hash every row"] = time.process_time() - t0
    return spent


def same_files(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    return files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()) and \
        all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def best(repeat: int, run) -> tuple:
    """The run (a tuple starting with wall seconds) with the least wall time of `repeat`."""
    return min((run(i) for i in range(repeat)), key=lambda r: r[0])


def report(name: str, sources: Sources, workers: int, scratch: Path, repeat: int) -> None:
    pages = len(build_order(sources))
    spent = stages(sources, scratch / "stages")
    total = sum(spent.values())
    print(f"\n{name}: {pages} pages")
    print(f"  where a serial build's time goes ({total:.2f} s of CPU): "
          + ", ".join(f"{k} {v / total:.0%}" for k, v in spent.items()))
    serial, serial_cpu, _, card_cpu, _ = best(repeat, lambda i: timed_build(sources, scratch / f"serial{i}", 1))
    pool, pool_cpu, pool_main, _, _ = best(repeat, lambda i: timed_build(sources, scratch / f"pool{i}", workers))
    reference, reference_cpu = best(repeat, lambda i: bare_write(scratch / "serial0", scratch / f"bare{i}"))
    print(f"  build, 1 process:          {serial:7.2f} s  {pages / serial:8.0f} pages/s  (CPU {serial_cpu:.2f} s, "
          f"of which the dataset card {card_cpu:.2f} s)")
    print(f"  build, pool of {workers:<2}:        {pool:7.2f} s  {pages / pool:8.0f} pages/s  (CPU {pool_cpu:.2f} s, "
          f"of which the main process {pool_main:.2f} s); "
          f"files identical to the serial build: {same_files(scratch / 'serial0', scratch / 'pool0')}")
    print(f"  bare pyarrow write:        {reference:7.2f} s  {pages / reference:8.0f} pages/s  (CPU {reference_cpu:.2f} s)")
    print(f"  RATIO build / bare pyarrow write, 1 process: {reference / serial:.3f} (1/{serial / reference:.1f}); "
          f"in CPU time {reference_cpu / serial_cpu:.3f}, without the card {reference_cpu / (serial_cpu - card_cpu):.3f}")
    runs = [floor(sources, scratch / "serial0") for _ in range(repeat)]
    least = {step: min(run[step] for run in runs) for step in runs[0]}
    spent = sum(least.values())
    print(f"  floor besides the write ({spent:.2f} s of CPU): " + ", ".join(f"{k} {v:.2f} s" for k, v in least.items()))
    print(f"  CEILING of the ratio in one CPython process: bare write / (bare write + floor) = "
          f"{reference_cpu / (reference_cpu + spent):.3f} in CPU time")
    bound = serial_cpu / max(pool_main, pool_cpu / workers)
    print(f"  RATIO pool of {workers} / 1 process: speed-up {serial / pool:.2f}x (the CPU the pool spent, main process "
          f"and workers, allows {bound:.2f}x on {workers} idle cores)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="SYNTHETIC corpus size (default 2000)")
    parser.add_argument("--real-sized", type=int, default=400,
                        help="size of the SYNTHETIC corpus of real-sized pages (default 400; 0: none)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the SYNTHETIC generator")
    parser.add_argument("--repeat", type=int, default=3, help="builds and writes per figure, the fastest kept")
    parser.add_argument("--workers", type=int, help="processes of the pool (default: all cores)")
    parser.add_argument("--full", action="store_true", help="also the full dataset's real pages")
    parser.add_argument("--pages-dir", type=Path, help="pages folder for --full (default: the build's)")
    args = parser.parse_args(argv)
    if args.pages < 1 or args.real_sized < 0 or args.repeat < 1:
        parser.error("--pages and --repeat must be at least 1, --real-sized at least 0")
    from benchmarks.synthetic import REAL_SIZED, generate

    workers = args.workers or default_workers(10**9)
    print(f"build throughput against a bare pyarrow write (python {sys.version.split()[0]}, "
          f"pyarrow {pa.__version__}, {os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory(prefix="SYNTHETIC-newsbench-speed-") as tmp:
        root = Path(tmp)
        sources = generate(root / "corpus", args.pages, args.seed)
        report(f"SYNTHETIC corpus (seed {args.seed})", sources, workers, root / "synthetic", args.repeat)
        if args.real_sized:
            sources = generate(root / "corpus-real-sized", args.real_sized, args.seed, REAL_SIZED)
            report(f"SYNTHETIC corpus of real-sized pages ({REAL_SIZED}x the paragraphs, seed {args.seed})",
                   sources, workers, root / "real-sized", args.repeat)
        if args.full:
            full = DEFAULT.full(pages_dir=args.pages_dir)
            if not (full.pages_dir and full.pages_dir.is_dir()):
                parser.error(f"--full: no pages folder at {full.pages_dir}: pass --pages-dir DIR")
            report("full dataset (real pages)", full, workers, root / "full", args.repeat)
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
