"""How much does a metric's aggregate_many save in bootstrap intervals?

    python benchmarks/metric_intervals.py [--documents 40] [--units-per-document 60] [--resamples 1000]

For every registered metric with an aggregate_many (baselines.metrics.Metric), per-unit counts
are drawn for a test split of --documents documents (sparse, as a page's lines hold few spans),
and its 95% intervals are taken twice on the same resamples: by the named reference, its
`aggregate` called once per resample (what the harness does for a metric without
aggregate_many), and through `aggregate_many`. It prints both times, the speed-up, and
whether the two gave the same intervals (they must: the script fails otherwise).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from baselines.bootstrap import intervals, resample_weights  # noqa: E402
from baselines.metrics import METRICS, for_task  # noqa: E402


def width(metric) -> int:
    """The metric's count columns (a metric does not declare them): the one width both its aggregates
    accept, as each reshapes or unpacks its counts."""
    for k in range(1, 2000):
        try:
            metric.aggregate(np.ones(k))
            metric.aggregate_many(np.ones((1, k)))
            return k
        except (ValueError, IndexError, TypeError):
            continue
    raise SystemExit(f"{metric.task}/{metric.name}: no count width found")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--units-per-document", type=int, default=60)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    for task in ("boilerplate", "entities", "entities_conll", "stance"):
        for_task(task)
    rng = np.random.default_rng(0)
    doc_ids = np.repeat([f"d{i:04d}" for i in range(args.documents)], args.units_per_document).tolist()
    resamples = resample_weights(doc_ids, args.resamples, seed=0)
    resamples.sums(np.zeros((len(doc_ids), 1)))  # drawn (and kept) before timing, as a run shares them
    print(f"{args.documents} documents, {len(doc_ids)} units, {args.resamples} resamples")
    print(f"{'metric':<32} {'values':>6} {'reference s':>12} {'ours s':>8} {'speed-up':>9} same")
    total_ref = total_ours = 0.0
    for (task, name), metric in METRICS.items():
        if metric.aggregate_many is None:
            continue
        k = width(metric)
        stats = rng.integers(1, 3, (len(doc_ids), k)) * (rng.random((len(doc_ids), k)) < 0.02)
        t0 = time.perf_counter()
        reference = intervals(stats, resamples, metric.aggregate)
        t1 = time.perf_counter()
        ours = intervals(stats, resamples, metric.aggregate, metric.aggregate_many)
        t2 = time.perf_counter()
        same = list(reference.items()) == list(ours.items())
        total_ref, total_ours = total_ref + t1 - t0, total_ours + t2 - t1
        print(f"{task + '/' + name:<32} {len(ours):>6} {t1 - t0:>12.3f} {t2 - t1:>8.3f} "
              f"{(t1 - t0) / (t2 - t1):>8.1f}x {'yes' if same else 'NO'}")
        if not same:
            sys.exit(f"{task}/{name}: aggregate_many gave other intervals than aggregate")
    print(f"{'all':<32} {'':>6} {total_ref:>12.3f} {total_ours:>8.3f} {total_ref / total_ours:>8.1f}x")


if __name__ == "__main__":
    main()
