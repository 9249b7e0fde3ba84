"""How often does a 95% percentile bootstrap interval of a mean cover the truth, by sample size?

    python benchmarks/bootstrap_coverage.py [--sizes 2 3 5 10 20 30] [--trials 2000] [--resamples 1000]

The figure behind baselines.significance.MIN_DOCUMENTS: documents are the independent
units of the benchmark, so this is coverage as a function of the number of documents.
Each trial draws n standard-normal per-document scores, bootstraps their mean and checks
whether the interval holds 0 (the true mean). The nominal rate is 0.95.
"""
from __future__ import annotations

import argparse

import numpy as np


def coverage(n: int, trials: int, resamples: int, seed: int = 0) -> float:
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(trials):
        x = rng.standard_normal(n)
        means = x[rng.integers(0, n, (resamples, n))].mean(axis=1)
        lo, hi = np.quantile(means, [0.025, 0.975])
        hits += lo <= 0.0 <= hi
    return hits / trials


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 3, 5, 10, 20, 30])
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    print(f"{'documents':>9} {'coverage of a nominal 95% interval':>36}")
    for n in args.sizes:
        print(f"{n:>9} {coverage(n, args.trials, args.resamples):>36.3f}")


if __name__ == "__main__":
    main()
