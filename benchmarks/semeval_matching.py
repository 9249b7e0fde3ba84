"""Does the SemEval breakdown stay exact and fast on long documents? nervaluate against ours.

    python benchmarks/semeval_matching.py [--spans 1000 4000] [--seed 0]

One generated document per size: flat gold spans of four types and predictions that
copy, shift, retype, split or invent them (tests/test_metrics_semeval.py's generator
draws the same kinds of error). nervaluate 1.2.1 compares every prediction with every
gold span of a document; `baselines.metrics.semeval` finds the candidates by binary
search. The script fails unless all four rules give identical overall counts and F1
(per-type equality is checked by the tests).
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

TYPES = ("PER", "ORG", "LOC", "MISC")


def document(n_spans: int, seed: int) -> tuple[list, list]:
    """(gold, predicted) spans of one document; a pure function of the seed."""
    rng = np.random.default_rng(seed)
    gaps = rng.integers(1, 30, n_spans)
    lengths = rng.choice([3, 6, 12, 25], n_spans)
    starts = np.cumsum(gaps + lengths) - lengths
    types = rng.integers(0, len(TYPES), n_spans)
    gold = [(int(s), int(s + n), TYPES[t]) for s, n, t in zip(starts, lengths, types)]
    pred = set()
    for (s, e, t), u in zip(gold, rng.random(n_spans)):
        if u < 0.5:
            pred.add((s, e, t))
        elif u < 0.65:
            pred.add((s, e, TYPES[(TYPES.index(t) + 1) % len(TYPES)]))
        elif u < 0.8:
            pred.add((s + 1, e + 2, t))
        elif u < 0.9:
            pred.update({(s, s + 1, t), (s + 1, e, t)})
    for a in rng.integers(0, int(starts[-1]), n_spans // 10):
        pred.add((int(a), int(a) + 4, TYPES[int(a) % len(TYPES)]))
    return gold, sorted(pred)


def main() -> int:
    from nervaluate import Evaluator

    from baselines.metrics.semeval import RULES, semeval

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spans", type=int, nargs="+", default=[1000, 4000], help="gold spans per document")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    names = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
    for n in args.spans:
        gold, pred = document(n, args.seed)
        as_dicts = lambda spans: [[{"label": t, "start": s, "end": e - 1} for s, e, t in spans]]
        started = time.perf_counter()
        ref = Evaluator(as_dicts(gold), as_dicts(pred), tags=list(TYPES), loader="dict").evaluate()
        theirs = time.perf_counter() - started
        started = time.perf_counter()
        ours = semeval([gold], [pred], TYPES)
        mine = time.perf_counter() - started
        for rule in RULES:
            a, b = ours.overall[rule.name], ref["overall"][names[rule.name]]
            same = ((a.correct, a.incorrect, a.partial, a.missed, a.spurious, a.scores.f1)
                    == (b.correct, b.incorrect, b.partial, b.missed, b.spurious, b.f1))
            if not same:
                print(f"MISMATCH at {n} spans, rule {rule.name}: {a} vs {b}")
                return 1
        print(f"{n} gold / {len(pred)} predicted spans in one document: nervaluate {theirs:.2f} s, "
              f"ours {mine:.3f} s ({theirs / mine:.0f}x); overall counts and F1 of all four rules "
              "identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
