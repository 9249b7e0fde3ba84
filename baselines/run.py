"""`python -m baselines.run`: score systems on every task of the dataset and print the leaderboard.

Writes results/<dataset-version>/<task>/<system>.json with metrics, intervals and
provenance, the predictions beside each as Parquet, and LEADERBOARD.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from labels.cli import CheckFailed, UserError, run
from baselines import arguments, registry, results
from baselines.bootstrap import resample_weights
from baselines.data import load_bench
from baselines.guard import SystemFailed, call
from baselines.runner import run_one
from baselines.system import System, SystemUnavailable
from baselines.tasks import TASKS
from corpus.sources import DEFAULT

DEFAULT_RESAMPLES = 1000


def plan(task_names: list[str], specs: list[str] | None, seed: int) -> dict[str, list[System]]:
    """Instantiate the systems to run per task: all registered ones, or those named."""
    chosen: dict[str, list[System]] = {t: [] for t in task_names}
    if not specs:
        for t in task_names:
            chosen[t] = [call(cls.name, "construction", cls, seed) for cls in registry.available(t)]
        return chosen
    for spec in specs:
        matched = [(cls, params) for cls, params in registry.resolve(spec) if cls.task in chosen]
        if not matched:
            raise UserError(f"system {spec!r} answers none of the tasks {', '.join(task_names)}")
        for cls, params in matched:
            chosen[cls.task].append(call(spec, "construction", lambda: cls(seed=seed, **params)))
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m baselines.run", description=__doc__.splitlines()[0])
    parser.add_argument("--task", action="append", choices=sorted(TASKS), help="task(s) to run (default: all)")
    parser.add_argument("--system", action="append",
                        help="system(s): a registered name, NAME:ARG (e.g. spacy:en_core_web_sm), "
                             "or module:callable (default: every registered system)")
    parser.add_argument("--dataset", help="dataset folder or Hub id (default: the bundled dataset/)")
    parser.add_argument("--revision", help="Hub revision, e.g. v1.0.0")
    parser.add_argument("--split", default="test", help="split to score (default: test)")
    parser.add_argument("--out", type=Path, default=DEFAULT.results_dir,
                        help="results folder (default: the project's results/)")
    parser.add_argument("--seed", type=arguments.seed, default=0, help="seed for folds, models and bootstrap (default: 0)")
    parser.add_argument("--resamples", type=arguments.resamples, default=DEFAULT_RESAMPLES,
                        help=f"bootstrap resamples (default: {DEFAULT_RESAMPLES})")
    parser.add_argument("--list", action="store_true", help="list the registered systems and exit")
    args = parser.parse_args(argv)
    task_names = args.task or list(TASKS)
    if args.list:
        for cls in registry.available():
            summary = (cls.__doc__ or "").strip().split("\n")[0]
            print(f"{cls.task:12} {cls.name:20} {summary}")
        return 0
    bench = load_bench(args.dataset, args.split, args.revision)
    systems = plan(task_names, args.system, args.seed)
    ctx = results.Context.of(bench, args.seed, args.resamples)
    scored_by_task, comparisons = {}, {}
    jobs = [(t, s) for t in task_names for s in systems[t]]
    weights = {t: resample_weights(TASKS[t].inputs(bench).units.doc_id, args.resamples, args.seed) for t in task_names}
    skipped, failed = [], []
    for task_name, system in tqdm(jobs, desc="scoring", unit="system", disable=None, file=sys.stderr):
        try:
            scored_by_task.setdefault(task_name, []).append(
                run_one(TASKS[task_name], system, bench, weights[task_name], args.seed))
        except SystemUnavailable as why:
            skipped.append(f"skipped {task_name}/{system.name}: {why}")
        except SystemFailed as why:
            failed.append(f"failed {task_name}: {why}")
    scored_by_task = {t: s for t, s in scored_by_task.items() if s}
    if not scored_by_task:
        raise CheckFailed("nothing was scored, nothing was written:\n  " + "\n  ".join(skipped + failed or
                                                                                  ["no system was run"]))
    for task_name, scored in scored_by_task.items():
        comparisons[task_name] = results.compare_to_best(scored, weights[task_name])
    complete = args.task is None and args.system is None and not failed
    board = results.write(args.out, ctx, scored_by_task, comparisons, complete)
    print(board.read_text(encoding="utf-8"))
    for line in skipped:
        print(line)
    print(f"results written to {board.parent}/" + ("" if complete else f" (a partial run: {board.name})"))
    if failed:
        raise CheckFailed(f"{len(failed)} system(s) failed; the others' results were written:\n  " + "\n  ".join(failed))
    return 0


if __name__ == "__main__":
    run(main)
