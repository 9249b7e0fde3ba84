"""`python -m baselines.score --task T --predictions FILE`: score a saved predictions file.

The file has the identifying and answer columns of the gold config (see the
dataset card); it is checked and scored by the same code as the built-in
systems, and the metrics with intervals are printed as JSON.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from labels.cli import run
from baselines import arguments, predictions
from baselines.bootstrap import resample_weights
from baselines.data import load_bench
from baselines.run import DEFAULT_RESAMPLES
from baselines.runner import score
from baselines.tasks import TASKS


def score_file(task_name: str, path: Path, dataset: str | None = None, split: str = "test",
               seed: int = 0, resamples: int = DEFAULT_RESAMPLES, revision: str | None = None) -> dict:
    bench = load_bench(dataset, split, revision)
    task = TASKS[task_name]
    inputs, gold = task.inputs(bench), task.gold(bench)
    pred = predictions.check(task, predictions.read(path), inputs, str(path))
    weights = resample_weights(inputs.units.doc_id, resamples, seed)
    values, cis, _ = score(task, inputs, gold, pred, weights)
    return {
        "task": task_name, "predictions": str(path),
        "dataset": {"version": bench.version, "fingerprint": bench.fingerprint, "split": split},
        "seed": seed, "resamples": resamples,
        "metrics": {name: {"values": vals, "ci": {k: [iv.low, iv.high] for k, iv in cis[name].items()}}
                    for name, vals in values.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m baselines.score", description=__doc__.splitlines()[0])
    parser.add_argument("--task", required=True, choices=sorted(TASKS))
    parser.add_argument("--predictions", required=True, type=Path, help="a .parquet or .jsonl file")
    parser.add_argument("--dataset", help="dataset folder or Hub id (default: the bundled dataset/)")
    parser.add_argument("--revision", help="Hub revision, e.g. v1.0.0")
    parser.add_argument("--split", default="test")
    parser.add_argument("--seed", type=arguments.seed, default=0)
    parser.add_argument("--resamples", type=arguments.resamples, default=DEFAULT_RESAMPLES)
    args = parser.parse_args(argv)
    out = score_file(args.task, args.predictions, args.dataset, args.split, args.seed, args.resamples, args.revision)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    run(main)
