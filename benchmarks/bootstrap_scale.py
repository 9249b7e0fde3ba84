"""Does the bootstrap scale? Draw the resamples and score one metric at growing corpus sizes.

    python benchmarks/bootstrap_scale.py [--documents 2000 10000] [--units-per-document 20]
                                         [--resamples 1000] [--reference-up-to 2000]

Units are spread over documents with sizes between 1 and twice the mean, and carry
[correct, 1] counts (accuracy), so the figure is the resampling machinery's alone.
The named reference is the implementation this project used before: a dense
(resamples x units) int64 matrix filled in a Python loop per resample and per drawn
document (`reference_weights` below, kept verbatim as the yardstick). It runs only up
to --reference-up-to documents, because its memory grows with resamples x units.
Peak memory is traced allocations (tracemalloc, which numpy reports to).
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from baselines.bootstrap import intervals, resample_weights  # noqa: E402


def reference_weights(doc_ids, n_resamples: int, seed: int) -> np.ndarray:
    """The previous implementation: a dense int64 matrix, one Python iteration per drawn document."""
    rng = np.random.default_rng(seed)
    docs, unit_doc = np.unique(np.asarray(doc_ids, dtype=object), return_inverse=True)
    members = [np.flatnonzero(unit_doc == d) for d in range(len(docs))]
    weights = np.zeros((n_resamples, len(doc_ids)), dtype=np.int64)
    for b in range(n_resamples):
        doc_counts = rng.multinomial(len(docs), np.full(len(docs), 1 / len(docs)))
        for d in np.flatnonzero(doc_counts):
            units = members[d]
            weights[b, units] = rng.multinomial(doc_counts[d] * len(units), np.full(len(units), 1 / len(units)))
    return weights


def accuracy(s: np.ndarray) -> dict[str, float]:
    return {"accuracy": float(s[0] / s[1])}


def corpus(documents: int, per_document: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 2 * per_document, documents)
    doc_ids = np.repeat([f"d{i:06d}" for i in range(documents)], sizes).tolist()
    correct = rng.integers(0, 2, len(doc_ids))
    return doc_ids, np.stack([correct, np.ones_like(correct)], axis=1)


def measure(draw, doc_ids, stats, resamples: int) -> tuple[float, float]:
    """Seconds and peak traced MiB to draw the resamples and compute one metric's interval."""
    tracemalloc.start()
    started = time.perf_counter()
    weights = draw(doc_ids, resamples, 0)
    interval = intervals(stats, weights, accuracy)["accuracy"]
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    assert 0 <= interval.low <= interval.high <= 1
    return seconds, peak


def main() -> None:
    from baselines.bootstrap import FixedResamples

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--units-per-document", type=int, default=20)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--reference-up-to", type=int, default=2000)
    args = parser.parse_args()
    print(f"{'documents':>9} {'units':>8} {'implementation':>14} {'seconds':>8} {'peak MiB':>9}")
    for n in args.documents:
        doc_ids, stats = corpus(n, args.units_per_document)
        new_s, new_m = measure(resample_weights, doc_ids, stats, args.resamples)
        print(f"{n:>9} {len(doc_ids):>8} {'ours':>14} {new_s:>8.2f} {new_m:>9.1f}")
        if n <= args.reference_up_to:
            ref_s, ref_m = measure(lambda d, b, s: FixedResamples(reference_weights(d, b, s)),
                                   doc_ids, stats, args.resamples)
            print(f"{n:>9} {len(doc_ids):>8} {'reference':>14} {ref_s:>8.2f} {ref_m:>9.1f}"
                  f"   (ours: {ref_s / new_s:.1f}x faster, {ref_m / max(new_m, 1e-9):.1f}x less memory)")


if __name__ == "__main__":
    main()
