"""`python -m baselines.score --task T --predictions FILE [--compare FILE]`: score a saved predictions file.

The file has the identifying and answer columns of the gold config (see the
dataset card), or is one of the other formats of baselines/submissions.py
(CoNLL-typed spans, token-level IOB2 tags); it is checked and scored by the same
code as the built-in systems, and the metrics with intervals are printed as JSON.
With --compare, a second file in the same format is scored on the same resamples
and the two are compared with the paired bootstrap test. Either may be a folder of files
sharded by document, scored on a dask cluster (baselines.sharded) with the same numbers.
"""
from __future__ import annotations

import argparse
import contextlib
import json
from pathlib import Path

from labels.cli import UserError, run
from baselines import arguments, predictions
from baselines.bootstrap import paired, resample_weights
from baselines.conditions import task_for, view as condition_view
from baselines.data import load_bench
from baselines.metrics import for_task
from baselines.protocol import END_TO_END, PROTOCOLS
from baselines.run import DEFAULT_RESAMPLES
from baselines.runner import score
from baselines.sharded import connect, score_sharded
from baselines.submissions import TASK_NAMES, VIEWS, resolve


def score_file(task_name: str, path: Path, dataset: str | None = None, split: str = "test",
               seed: int = 0, resamples: int = DEFAULT_RESAMPLES, revision: str | None = None,
               view: str | None = None, compare: Path | None = None, on: list[str] | None = None,
               client=None, condition: str | None = None) -> dict:
    """Score a predictions file, or a folder of files sharded by document on the dask `client`'s
    cluster (baselines.sharded: the same numbers as the files concatenated).

    `condition` poses the task as the leaderboard does under that condition (its inputs and
    gold, e.g. end-to-end stance records with holder spans); without it, the file answers the
    task over every unit of the split, as the file formats of the dataset card describe."""
    fmt = resolve(task_name, view)
    task = fmt.task
    bench = load_bench(dataset, split, revision)
    if condition is None:
        inputs, gold = task.inputs(bench), task.gold(bench)
    else:
        inputs, gold, task = _posed(task_name, view, condition, bench)
    weights = resample_weights(inputs.units.doc_id, resamples, seed)

    def scored(p: Path) -> tuple[dict, dict, dict]:
        if p.is_dir():
            if condition is not None:
                raise UserError(f"{p}: --condition scores one file; a folder of shards is scored as the "
                                "file formats describe, without a condition")
            if client is None:
                raise UserError(f"{p}: a folder of shards is scored on a dask cluster; none was given")
            return score_sharded((task_name, view or "ontonotes"), p, inputs, gold, seed, resamples, client)
        return score(task, inputs, gold, fmt.check(task, predictions.read(p), inputs, str(p)), weights)

    values, cis, stats = scored(path)
    out = {
        "task": task_name, "view": view or "ontonotes", "condition": condition, "predictions": str(path),
        "dataset": {"version": bench.version, "fingerprint": bench.fingerprint, "split": split},
        "seed": seed, "resamples": resamples,
        "metrics": {name: {"values": vals, "ci": {k: [iv.low, iv.high] for k, iv in cis[name].items()}}
                    for name, vals in values.items()},
    }
    if compare is not None:
        other_values, _, other_stats = scored(compare)
        out["compare"] = {"predictions": str(compare),
                          "paired": _paired(task, on or ["/".join(task.primary)], values, other_values,
                                            stats, other_stats, weights)}
    return out


def _posed(task_name: str, view: str | None, condition: str, bench) -> tuple:
    """Inputs, gold and task of the leaderboard's view under `condition` (ontonotes files only)."""
    if task_name not in PROTOCOLS or view not in (None, "ontonotes"):
        raise UserError(f"--condition applies to {', '.join(PROTOCOLS)} files of the ontonotes view, "
                        f"not to {task_name} ({view or 'ontonotes'})")
    declared = [c.name for c in PROTOCOLS[task_name].conditions]
    if condition not in declared:
        raise UserError(f"--condition {condition}: {task_name} is scored under {', '.join(declared)} only")
    task = task_for(task_name, condition)
    posed = condition_view(task, bench, condition)
    return posed.inputs, posed.gold, task


def _paired(task, on: list[str], values: dict, other_values: dict, stats: dict, other_stats: dict,
            weights) -> dict:
    """The paired bootstrap of A - B on each requested METRIC/KEY (the same resamples for both)."""
    metrics = {m.name: m for m in for_task(task.name)}
    out = {}
    for spec in on:
        metric, _, key = spec.rpartition("/")
        if metric not in stats or metric not in other_stats:
            raise UserError(f"--on {spec}: no metric {metric!r} scored for both files; scored: "
                            f"{', '.join(sorted(set(stats) & set(other_stats)))}")
        if key not in values[metric] or key not in other_values[metric]:
            raise UserError(f"--on {spec}: metric {metric} has no value {key!r} for both files")
        c = paired(stats[metric], other_stats[metric], weights, metrics[metric].aggregate, key,
                   metrics[metric].aggregate_many)
        out[spec] = {"a": values[metric][key], "b": other_values[metric][key], "difference": c.difference,
                     "ci": [c.low, c.high], "p_value": c.p_value, "significant": c.significant}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m baselines.score", description=__doc__.splitlines()[0])
    parser.add_argument("--task", required=True, choices=sorted(TASK_NAMES),
                        help="entities_tokens: token-level IOB2 tags on the entities_tokens config")
    parser.add_argument("--predictions", required=True, type=Path,
                        help="a .parquet or .jsonl file, or a folder of them sharded by document (scored on a "
                             "dask cluster, with the numbers of the files concatenated)")
    parser.add_argument("--view", choices=VIEWS,
                        help="entity types of the file: ontonotes (default) or conll (PER, ORG, LOC, MISC)")
    parser.add_argument("--compare", type=Path, metavar="FILE",
                        help="a second predictions file or folder (same format): paired bootstrap test of the "
                             "first minus it")
    parser.add_argument("--on", action="append", metavar="METRIC/KEY",
                        help="value(s) to compare, e.g. conlleval/f1 (default: the task's primary value)")
    parser.add_argument("--condition", choices=sorted({c.name for p in PROTOCOLS.values() for c in p.conditions}),
                        help="score the file as the leaderboard poses the task under this condition (e.g. "
                             f"stance {END_TO_END}: records of claim, holder span and label); one file, not shards")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="dask scheduler that scores a folder of shards, e.g. tcp://10.0.0.1:8786 (default: a "
                             "local cluster of all cores); its workers must read the folder at the same path")
    parser.add_argument("--dataset", help="dataset folder or Hub id (default: the bundled dataset/)")
    parser.add_argument("--revision", help="Hub revision, e.g. v1.0.0")
    parser.add_argument("--split", default="test")
    parser.add_argument("--seed", type=arguments.seed, default=0)
    parser.add_argument("--resamples", type=arguments.resamples, default=DEFAULT_RESAMPLES)
    args = parser.parse_args(argv)
    if args.on and args.compare is None:
        raise UserError("--on needs --compare FILE: it names the values the two files are compared on")
    folders = [p for p in (args.predictions, args.compare) if p is not None and p.is_dir()]
    if args.scheduler and not folders:
        raise UserError("--scheduler scores a folder of shards; --predictions (or --compare) names a file")
    with connect(args.scheduler) if folders else contextlib.nullcontext() as client:
        out = score_file(args.task, args.predictions, args.dataset, args.split, args.seed, args.resamples,
                         args.revision, args.view, args.compare, args.on, client, args.condition)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    run(main)
