"""How much faster is `baselines.run` in a pool of workers than in one process?

    python benchmarks/run_speed.py [--workers 2] [--resamples 1000] [--dataset DIR ...]

For the bundled dataset (`dataset/`) and, when it has been built, the full one (`dataset-full/`,
`python -m corpus.build --full`), or the folders given, it runs the default protocol twice, each
time as its own `python -m baselines.run` process writing into a temporary folder: once with
`--workers 1` (the reference) and once with `--workers N`. It prints each run's wall time and CPU
time (the process and its workers), the speed-up (serial wall / pool wall) and the CPU the pool
spent beyond the serial run (starting workers, sending them the data, each making its views),
and checks that both runs wrote the same files (apart from each result's time stamps).

On a machine shared with other work the pool's figure is a floor: the load average is printed
beside it.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# The two fields of a result file that say when it was written and how long its system took: they
# differ between any two runs of baselines.run. Everything else is compared byte for byte.
_CLOCK = re.compile(rb'\n "(created|wall_seconds)": [^\n]*')


def timed_run(dataset: Path, workers: int, resamples: int, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `baselines.run` process, its workers' CPU included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "baselines.run", "--dataset", str(dataset), "--workers",
                           str(workers), "--resamples", str(resamples), "--out", str(out)],
                          cwd=PROJECT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"baselines.run --workers {workers} on {dataset} failed:\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def result_bytes(root: Path) -> dict[str, bytes]:
    """Every file below root (a baselines.run output) by relative path, result files without their clock."""
    return {p.relative_to(root).as_posix(): _CLOCK.sub(b"", p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file()}


def report(dataset: Path, workers: int, resamples: int, scratch: Path) -> None:
    serial_wall, serial_cpu = timed_run(dataset, 1, resamples, scratch / "serial")
    load_serial = os.getloadavg()[0]
    pool_wall, pool_cpu = timed_run(dataset, workers, resamples, scratch / "pool")
    load_pool = os.getloadavg()[0]
    same = result_bytes(scratch / "serial") == result_bytes(scratch / "pool")
    print(f"{dataset.name}/ ({resamples} resamples)")
    print(f"  serial (--workers 1):     wall {serial_wall:7.1f} s   CPU {serial_cpu:7.1f} s   "
          f"CPU/wall {serial_cpu / serial_wall:4.2f}   load average {load_serial:.1f}")
    print(f"  pool   (--workers {workers}):     wall {pool_wall:7.1f} s   CPU {pool_cpu:7.1f} s   "
          f"CPU/wall {pool_cpu / pool_wall:4.2f}   load average {load_pool:.1f}")
    print(f"  speed-up (serial wall / pool wall): {serial_wall / pool_wall:.2f}x; "
          f"pool CPU / serial CPU: {pool_cpu / serial_cpu:.2f}; same files: {'yes' if same else 'NO'}")
    if not same:
        sys.exit("the pool wrote other files than the serial run")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="processes of the pool (default: 2)")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default: 1000)")
    parser.add_argument("--dataset", type=Path, action="append",
                        help="dataset folder(s) (default: dataset/, and dataset-full/ when built)")
    args = parser.parse_args()
    datasets = args.dataset or [d for d in (PROJECT / "dataset", PROJECT / "dataset-full") if d.is_dir()]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"baselines.run, serial against a pool of {args.workers} ({cores} cores, Python {sys.version.split()[0]})")
    for dataset in datasets:
        with tempfile.TemporaryDirectory(prefix="run-speed-") as scratch:
            report(dataset.resolve(), args.workers, args.resamples, Path(scratch))


if __name__ == "__main__":
    main()
