"""`python -m baselines.run`: score systems on every task and condition of the dataset and print the leaderboard.

Learned systems are fitted on the protocol's fit split (train) and scored on the scored
split. Writes results/<dataset-version>/ (see baselines/results.py): the canonical
leaderboard only from the default protocol with the built-in systems, anything else
beside it, never over it.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from labels.cli import CheckFailed, UserError, run
from baselines import arguments, registry, results
from baselines.data import Bench, load_bench
from baselines.guard import call
from baselines.jobs import Job, Outcome, Shared, default_workers, run_jobs
from baselines.leaderboard import Table
from baselines.protocol import PROTOCOLS
from baselines.runner import Scored
from baselines.significance import compare_to_best
from baselines.system import System
from baselines.tasks import TASKS
from corpus.sources import DEFAULT

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0


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


def run_label(args: argparse.Namespace, build: str = "repository") -> str | None:
    """None for the canonical run (the default protocol, every task, the registered systems, on the
    bundled dataset or on the full build); otherwise a label naming what differs, under which the
    run is written apart."""
    scored_split = PROTOCOLS[next(iter(TASKS))].scored_split
    parts = [f"{name}-{value}" for name, value, default in (
        ("split", args.split, scored_split), ("seed", args.seed, DEFAULT_SEED),
        ("resamples", args.resamples, DEFAULT_RESAMPLES),
        ("dataset", None if build == "full" else args.dataset, None),
        ("revision", args.revision, None)) if value != default]
    parts += [f"task-{t}" for t in args.task or []] + [f"system-{s}" for s in args.system or []]
    return "_".join(parts) or None


def fit_bench(dataset: str | None, revision: str | None, scored: Bench, split: str | None = None) -> Bench | None:
    """The protocol's fit split (or the split named), or None when the dataset has none (learned
    systems then cross-fit, labelled; nothing is tuned). Scoring that split itself returns it, and
    the runner falls back likewise."""
    fit_split = split or PROTOCOLS[next(iter(TASKS))].fit_split
    if scored.split == fit_split:
        return scored
    try:
        return load_bench(dataset, fit_split, revision)
    except UserError:  # the scored split loaded, so this split is simply absent
        return None


def score_condition(task_name: str, condition: str, shared: Shared, outcomes: list[tuple[System, Outcome]],
                    split_optional: bool, skipped: dict[str, str], failed: list[str]) -> tuple[Table, Table]:
    """Every system's outcome on one task under one condition: the table, and the optional systems' table."""
    main: list[Scored] = []
    extra: list[Scored] = []
    for system, outcome in outcomes:
        if outcome.skipped is not None:
            skipped[f"{task_name}/{system.name}"] = outcome.skipped
        elif outcome.failed is not None:
            failed.append(f"failed {task_name} ({condition}): {outcome.failed}")
        else:
            (extra if split_optional and not registry.builtin(type(system)) else main).append(outcome.scored)
    best, verdicts = compare_to_best(main, shared.resampled(task_name, condition), extra)
    n = shared.views(task_name, condition)[0].n_documents
    return (Table(task_name, condition, n, tuple(main), best, verdicts),
            Table(task_name, condition, n, tuple(extra), best, verdicts))


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
    parser.add_argument("--seed", type=arguments.seed, default=DEFAULT_SEED,
                        help=f"seed for folds, models and bootstrap (default: {DEFAULT_SEED})")
    parser.add_argument("--resamples", type=arguments.resamples, default=DEFAULT_RESAMPLES,
                        help=f"bootstrap resamples (default: {DEFAULT_RESAMPLES})")
    parser.add_argument("--workers", type=arguments.workers,
                        help="processes running the (task, condition, system) jobs; the results are the same "
                             "whatever the number (default: all cores when there is more than one job)")
    parser.add_argument("--list", action="store_true", help="list the registered systems and exit")
    args = parser.parse_args(argv)
    task_names = args.task or list(TASKS)
    if args.list:
        for cls in registry.available():
            summary = (cls.__doc__ or "").strip().split("\n")[0]
            print(f"{cls.task:12} {cls.name:20} tuned on {cls.tuned_on:10} {summary}")
        return 0
    bench = load_bench(args.dataset, args.split, args.revision)
    train = fit_bench(args.dataset, args.revision, bench)
    tune = fit_bench(args.dataset, args.revision, bench, PROTOCOLS[next(iter(TASKS))].tune_split)
    systems = plan(task_names, args.system, args.seed)
    label = run_label(args, bench.build)
    ctx = results.Context.of(bench, args.seed, args.resamples)
    shared = Shared(bench, train, tune, args.seed, args.resamples)
    conditions = [(t, c.name) for t in task_names for c in PROTOCOLS[t].conditions]
    for task_name, condition in conditions:  # made here first: a bad view stops the run before any job
        shared.views(task_name, condition)
    jobs = [Job(t, c, system) for t, c in conditions for system in systems[t]]
    outcomes = iter(run_jobs(shared, jobs, default_workers(len(jobs)) if args.workers is None else args.workers))
    tables, optional, skipped, failed = [], [], {}, []
    for task_name, condition in conditions:
        table, extra = score_condition(task_name, condition, shared,
                                       [(system, next(outcomes)) for system in systems[task_name]],
                                       label is None, skipped, failed)
        tables.append(table)
        optional.append(extra)
    if not any(t.scored for t in tables + optional):
        raise CheckFailed("nothing was scored, nothing was written:\n  " + "\n  ".join(
            [f"skipped {what}: {why}" for what, why in skipped.items()]
            + failed or ["no system was run"]))
    if failed and label is None:
        label = "incomplete"  # a run with a failed system never replaces the canonical leaderboard
    board = results.write(args.out, ctx, tables, optional, label)
    print(board.read_text(encoding="utf-8"))
    if any(t.scored for t in optional):
        print(board.with_name("LEADERBOARD.optional.md").read_text(encoding="utf-8"))
    for what, why in skipped.items():
        print(f"skipped {what}: {why}")
    print(f"results written to {board.parent}/" + ("" if label is None else " (not the canonical leaderboard)"))
    if failed:
        raise CheckFailed("some systems failed; the others' results were written:\n  "
                          + "\n  ".join(failed))
    return 0


if __name__ == "__main__":
    run(main)
