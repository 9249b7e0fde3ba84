"""Does `corpus.build` stream? Build SYNTHETIC corpora of growing size and compare peak memory.

    python benchmarks/build_memory.py [--pages 1000 5000 10000] [--seed 0] [--keep]

For each size, a SYNTHETIC corpus (benchmarks/synthetic.py: publisher "SYNTHETIC",
source files SYNTHETIC-<n>.txt) is generated in a temporary directory, never in
the project's corpus/ or labels/, and built by corpus.build.build in a fresh child
process. The child reports its own peak RSS (getrusage ru_maxrss) after importing
the project and after the build, so the figure is that one build's and nothing
else's. If the build streams, peak RSS stays flat as the corpus grows, apart from
the fixed-size row buffers of the Parquet sink filling up on the small sizes.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(root: Path) -> None:
    """Run in the child: build the corpus at root and print one JSON line of measurements."""
    from corpus.build import build
    from corpus.sources import Sources

    sources = Sources.at(root)
    imported = _rss_mib()
    t0 = time.perf_counter()
    summary = build(sources)
    seconds = time.perf_counter() - t0
    rows = sum(summary.rows.values())
    print(json.dumps({"seconds": seconds, "documents": sum(summary.documents.values()), "rows": rows,
                      "rss_after_import_mib": imported, "peak_rss_mib": _rss_mib(),
                      "fingerprint": summary.fingerprint}))


def measure(pages: int, seed: int, keep: bool) -> dict:
    from benchmarks.synthetic import generate

    root = Path(tempfile.mkdtemp(prefix=f"SYNTHETIC-newsbench-{pages}-"))
    try:
        t0 = time.perf_counter()
        generate(root, pages, seed)
        generated = time.perf_counter() - t0
        done = subprocess.run([sys.executable, __file__, "--child", str(root)], cwd=PROJECT,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"build of {pages} SYNTHETIC pages failed (exit {done.returncode}):\n{done.stderr}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result.update(pages=pages, generate_seconds=generated,
                      dataset_mib=sum(f.stat().st_size for f in (root / "dataset").rglob("*") if f.is_file()) / 2**20)
        if keep:
            result["kept"] = str(root)
        return result
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 5000, 10000],
                        help="corpus sizes to build, in pages (default: 1000 5000 10000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the SYNTHETIC generator")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SYNTHETIC corpora")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    if any(n < 1 for n in args.pages):
        parser.error("--pages: sizes must be at least 1")

    print(f"SYNTHETIC corpus build benchmark (python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    print(f"{'pages':>8} {'rows':>9} {'build s':>8} {'pages/s':>8} {'rows/s':>9} "
          f"{'import MiB':>10} {'peak MiB':>9} {'build MiB':>9} {'out MiB':>8}")
    results = []
    for pages in sorted(set(args.pages)):
        r = measure(pages, args.seed, args.keep)
        results.append(r)
        print(f"{r['pages']:>8} {r['rows']:>9} {r['seconds']:>8.1f} {r['pages'] / r['seconds']:>8.0f} "
              f"{r['rows'] / r['seconds']:>9.0f} {r['rss_after_import_mib']:>10.1f} {r['peak_rss_mib']:>9.1f} "
              f"{r['peak_rss_mib'] - r['rss_after_import_mib']:>9.1f} {r['dataset_mib']:>8.1f}"
              + (f"  kept in {r['kept']}" if "kept" in r else ""), flush=True)
    small, large = results[0], results[-1]
    print(f"peak RSS ratio, {large['pages']} vs {small['pages']} pages: "
          f"{large['peak_rss_mib'] / small['peak_rss_mib']:.2f} "
          f"(corpus {large['pages'] / small['pages']:.0f}x larger; build increment above imports "
          f"{small['peak_rss_mib'] - small['rss_after_import_mib']:.1f} -> "
          f"{large['peak_rss_mib'] - large['rss_after_import_mib']:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
