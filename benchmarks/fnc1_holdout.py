"""Reproduce the official FNC-1 baseline's hold-out score (79.53% of the best possible FNC score).

    python benchmarks/fnc1_holdout.py [--fnc1 FOLDER] [--seed 14128]

Reads FNC-1's training files from FOLDER (default: $NEWSBENCH_FNC1, else ../shared/external/fnc1
beside the project root), makes the official hold-out split (body ids shuffled with seed 1489215,
80% for training), trains one gradient-boosting model per fold of 10 on the other nine with the
official 44 features, keeps the best fold's model and scores it on the hold-out pairs. Prints
each fold's relative score, the hold-out confusion matrix, the FNC score and its share of the
best possible against the published figure, and the wall time (15 minutes on a shared 2-core machine).
Exits 1 when the share is more than one point away from the published one.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from labels.cli import CheckFailed, run  # noqa: E402
from labels.scheme import STANCE_LABELS  # noqa: E402
from baselines import fnc1  # noqa: E402
from baselines.fnc1_holdout import PUBLISHED_RELATIVE, reproduce  # noqa: E402
from baselines.fnc1_model import OFFICIAL_SEED  # noqa: E402

TOLERANCE = 0.01   # one point of the relative score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fnc1", type=Path, help=f"FNC-1 folder (default: ${fnc1.ENV_VAR}, else "
                                                   f"{fnc1.DEFAULT_FOLDER} beside the project root)")
    parser.add_argument("--seed", type=int, default=OFFICIAL_SEED,
                        help=f"the models' random_state (default: the official {OFFICIAL_SEED})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = fnc1.load(args.fnc1)
    print(f"FNC-1: {len(data.pairs)} pairs, {len(data.bodies)} bodies; "
          f"sha256 {', '.join(f'{k} {v[:12]}' for k, v in data.sha256.items())}")
    result = reproduce(data, args.seed, on_fold=lambda k, score: print(f"fold {k}: {score:.4f}", flush=True))
    print(f"kept the model of fold {result.best_fold}")
    h = result.hold_out
    print(f"\nhold-out: {result.n_hold_out_pairs} pairs (model trained on {result.n_train_pairs} pairs "
          f"minus its fold); rows gold, columns predicted")
    print(f"{'':>10}" + "".join(f"{p:>10}" for p in STANCE_LABELS))
    for g in STANCE_LABELS:
        print(f"{g:>10}" + "".join(f"{int(h[f'confusion/{g}/{p}']):>10}" for p in STANCE_LABELS))
    share, gap = h["fnc_relative"], h["fnc_relative"] - PUBLISHED_RELATIVE
    print(f"\nFNC score {h['fnc_score']:.2f} of {h['fnc_max']:.2f}: {100 * share:.2f}% "
          f"(published 79.53%; difference {100 * gap:+.2f} points; ratio {share / PUBLISHED_RELATIVE:.4f})")
    print(f"macro-F1 {h['macro_f1']:.4f}, accuracy {h['accuracy']:.4f}; "
          f"wall time {time.perf_counter() - started:.0f} s")
    if abs(gap) > TOLERANCE:
        raise CheckFailed(f"hold-out share {100 * share:.2f}% is more than one point from the published 79.53%")
    return 0


if __name__ == "__main__":
    run(main)
