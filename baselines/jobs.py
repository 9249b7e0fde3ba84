"""The jobs of `baselines.run`, one per (task, condition, system), run in this process or in a pool.

A job is a pure function of what the run shares (the scored, fit and tune splits, the seed, the
resample count) and of its system (its class, seed and parameters): nothing depends on which
process runs it or when, and the outcomes come back in plan order, so a pool writes the serial
run's results byte for byte. A learned system with no training documents is cross-fitted: in a
pool its folds run side by side as tasks of their own, and its job is scored once they are back.
Systems run under the guard (baselines.guard) in the worker exactly as in one process; a system
that cannot be pickled (a class defined where a worker cannot import it) runs in the main
process, while the pool works on the rest.
"""
from __future__ import annotations

import os
import pickle
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Callable, TypeVar

import pandas as pd
from tqdm import tqdm

from labels.cli import CheckFailed
from corpus.pool import cores
from baselines.bootstrap import Resamples, resample_weights
from baselines.conditions import View, view
from baselines.data import Bench
from baselines.guard import SystemFailed, system_id
from baselines.runner import Scored, run_one
from baselines.system import System, SystemUnavailable
from baselines.tasks import TASKS
from baselines.training import DEFAULT_K, Folds, cross_fit_fold, fallback_reason

JOB_THREADS = 1
T = TypeVar("T")
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                     "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


@dataclass(frozen=True)
class Shared:
    """What every job of one run reads: the splits, the seed and the number of resamples; each
    task's views and resamples are made once per process and kept here."""

    bench: Bench
    train: Bench | None
    tune: Bench | None
    seed: int
    resamples: int
    _made: dict = field(default_factory=dict, repr=False, compare=False)

    def views(self, task: str, condition: str) -> tuple[View, View | None, View | None]:
        """The scored, fit and tune views of one task under one condition."""
        key = ("views", task, condition)
        if key not in self._made:
            t = TASKS[task]
            self._made[key] = tuple(None if b is None else view(t, b, condition)
                                    for b in (self.bench, self.train, self.tune))
        return self._made[key]

    def resampled(self, task: str, condition: str) -> Resamples:
        """The resamples every system of this task and condition is scored on."""
        key = ("resamples", task, condition)
        if key not in self._made:
            units = self.views(task, condition)[0].inputs.units
            self._made[key] = resample_weights(units.doc_id, self.resamples, self.seed)
        return self._made[key]


@dataclass(frozen=True)
class Job:
    """One system on one task under one condition: the unit the pool schedules and the plan orders."""

    task: str
    condition: str
    system: System
    folds: Folds | None = None  # a cross-fitted system's folds, made by Fold tasks


@dataclass(frozen=True)
class Fold:
    """One fold of a cross-fitted job: fit on the other folds, predict this one."""

    job: Job
    fold: int


@dataclass(frozen=True)
class Outcome:
    """A job's result: scored, or skipped (the system cannot run here), or failed, with the reason."""

    scored: Scored | None = None
    skipped: str | None = None
    failed: str | None = None


FoldPart = tuple[pd.DataFrame | None, float]  # a fold's predictions (None for an empty fold) and seconds


def _contained(work: Callable[[], T]) -> T | Outcome:
    """work() with one BLAS and OpenMP thread, in one process as in a pool (a multi-threaded BLAS sums
    in an order that depends on its thread count, and a number must not depend on --workers); a
    system that cannot run gives the Outcome that says why."""
    from threadpoolctl import threadpool_limits

    try:
        with threadpool_limits(limits=JOB_THREADS):
            return work()
    except SystemUnavailable as why:
        return Outcome(skipped=str(why))
    except SystemFailed as why:
        return Outcome(failed=str(why))


def run_job(shared: Shared, job: Job) -> Outcome:
    """One job, scored (with its folds when they were made apart)."""
    scored_view, train_view, tune_view = shared.views(job.task, job.condition)
    done = _contained(lambda: run_one(job.system, scored_view, shared.resampled(job.task, job.condition),
                                      shared.seed, train_view, tune_view, job.folds))
    return done if isinstance(done, Outcome) else Outcome(scored=done)


def cross_fitted(shared: Shared, job: Job) -> bool:
    """Whether the job's system is fitted fold by fold on the scored split (no training documents)."""
    scored_view, train_view, _ = shared.views(job.task, job.condition)
    return job.system.learned and not job.system.sees_gold and fallback_reason(scored_view, train_view) is not None


def run_fold(shared: Shared, task: Fold) -> FoldPart | Outcome:
    """One fold, contained as run_job is; its failure reads as the whole job's would."""
    scored_view = shared.views(task.job.task, task.job.condition)[0]
    started = time.perf_counter()
    part = _contained(lambda: cross_fit_fold(task.job.system, scored_view, shared.seed, task.fold))
    return part if isinstance(part, Outcome) else (part, time.perf_counter() - started)


def folded(job: Job, done: list[FoldPart | Outcome]) -> Job | Outcome:
    """The job to score with its folds, or the outcome of its first fold (in fold order) that could not
    run: the one a single process would have stopped at."""
    stopped = next((d for d in done if isinstance(d, Outcome)), None)
    if stopped is not None:
        return stopped
    return replace(job, folds=Folds(tuple(part for part, _ in done), sum(seconds for _, seconds in done)))


def default_workers(jobs: int) -> int:
    """All cores when there is more than one job to share among them, else one (no pool)."""
    return max(1, min(cores(), jobs))


def picklable(system: System) -> bool:
    """Whether a worker can receive the system: its class importable by name, its state picklable."""
    try:
        pickle.dumps(system)
    except Exception:  # noqa: BLE001 - pickling a user's object may raise anything
        return False
    return True


# The run's shared data in a worker, set once by _start_worker (not sent with every job).
_WORKER_SHARED: Shared | None = None


def _start_worker(shared: Shared) -> None:
    """Hold the shared data, and cap the BLAS and OpenMP threads of libraries a job loads later (run_job
    caps those loaded), so the workers neither oversubscribe the cores nor sum in another order."""
    global _WORKER_SHARED
    _WORKER_SHARED = shared
    for name in _THREAD_VARIABLES:
        os.environ[name] = str(JOB_THREADS)


def _run_in_worker(job: Job) -> Outcome:
    assert _WORKER_SHARED is not None, "worker not started"
    return run_job(_WORKER_SHARED, job)


def _run_fold_in_worker(task: Fold) -> FoldPart | Outcome:
    assert _WORKER_SHARED is not None, "worker not started"
    return run_fold(_WORKER_SHARED, task)


def run_jobs(shared: Shared, jobs: list[Job], workers: int) -> list[Outcome]:
    """Every job's outcome, in the order of `jobs`, whatever the number of workers."""
    remote = [i for i, job in enumerate(jobs) if workers > 1 and picklable(job.system)]
    folds = [i for i in remote if cross_fitted(shared, jobs[i])]
    with tqdm(total=len(jobs), desc="jobs", unit="job", disable=None, file=sys.stderr) as progress:
        if len(remote) + (DEFAULT_K - 1) * len(folds) <= 1:
            return [_counted(run_job(shared, job), progress) for job in jobs]
        return _pooled(shared, jobs, remote, folds, workers, progress)


def _counted(outcome: Outcome, progress: tqdm) -> Outcome:
    progress.update()
    return outcome


def _pooled(shared: Shared, jobs: list[Job], remote: list[int], folds: list[int], workers: int,
            progress: tqdm) -> list[Outcome]:
    outcomes: list[Outcome | None] = [None] * len(jobs)
    workers = min(workers, len(remote) + (DEFAULT_K - 1) * len(folds))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(shared,))
    sent: dict[int, list[Future]] = {i: [] for i in remote}  # each job's tasks, to name it if a worker dies

    def send(i: int, job: Job) -> Future:
        future = pool.submit(_run_in_worker, job)
        future.add_done_callback(lambda _: progress.update())
        sent[i].append(future)
        return future

    try:
        # cross-fitted systems' folds first, then the other learned systems: they take longest, and one
        # started last would leave the other workers idle
        fold_tasks = {i: [pool.submit(_run_fold_in_worker, Fold(jobs[i], f)) for f in range(DEFAULT_K)]
                      for i in folds}
        for i, tasks in fold_tasks.items():
            sent[i] += tasks
        futures = {i: send(i, jobs[i])
                   for i in sorted(set(remote) - set(folds), key=lambda i: not jobs[i].system.learned)}
        for i in sorted(set(range(len(jobs))) - set(remote)):  # what cannot be sent runs here meanwhile
            outcomes[i] = _counted(run_job(shared, jobs[i]), progress)
        for i, tasks in fold_tasks.items():  # a cross-fitted job is scored in the pool once its folds are back
            ready = folded(jobs[i], [task.result() for task in tasks])
            if isinstance(ready, Outcome):
                outcomes[i] = _counted(ready, progress)
            else:
                futures[i] = send(i, ready)
        for i, future in sorted(futures.items()):
            outcomes[i] = future.result()
    except BrokenProcessPool:
        unfinished = [_describe(jobs[i]) for i, tasks in sorted(sent.items())
                      if any(not t.done() or isinstance(t.exception(), BrokenProcessPool) for t in tasks)]
        raise CheckFailed("a worker process died (a system ended or crashed its process) while running "
                          f"one of: {', '.join(unfinished)}; run with --workers 1 to see which") from None
    finally:  # a failure leaves no work running behind it
        pool.shutdown(wait=True, cancel_futures=True)
    return outcomes  # type: ignore[return-value]


def _describe(job: Job) -> str:
    return f"{job.task} ({job.condition}) {system_id(job.system)}"
