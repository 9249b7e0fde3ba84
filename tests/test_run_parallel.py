"""`baselines.run --workers N` writes what one process writes, byte for byte, and reports a failing
system the same way; the committed dataset's case is in test_run.py (its fresh run uses a pool)."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from test_run import AlwaysAgree
from test_system_guard import BROKEN, plugin  # noqa: F401  (the fixture writing odd_systems)
from benchmarks.run_speed import result_bytes
from benchmarks.synthetic import generate
from baselines import jobs, registry, run
from baselines.data import load_bench
from baselines.protocol import PROTOCOLS
from baselines.system import System
from baselines.training import DEFAULT_K
from corpus.build import write_dataset
from labels.cli import run as run_cli


def run_code(out: Path, *args: str) -> int:
    with pytest.raises(SystemExit) as done:
        run_cli(run.main, [*args, "--out", str(out)])
    return done.value.code


@pytest.fixture(scope="module")
def synthetic_dataset(tmp_path_factory) -> Path:
    """40 SYNTHETIC pages built into a dataset with train, validation and test splits."""
    root = tmp_path_factory.mktemp("synthetic")
    write_dataset(generate(root / "corpus", 40, seed=0), root / "dataset", workers=1)
    return root / "dataset"


def test_a_pool_writes_the_serial_runs_files_on_a_synthetic_corpus(synthetic_dataset, tmp_path):
    """Train, validation and test splits: learned systems fit on train and tuned on validation."""
    args = ("--dataset", str(synthetic_dataset), "--resamples", "50", "--system", "oracle", "--system", "majority",
            "--system", "line-logreg", "--system", "capitalised", "--system", "token-logreg", "--system", "fnc-logreg")
    assert run_code(tmp_path / "serial", *args, "--workers", "1") == 0
    assert run_code(tmp_path / "pool", *args, "--workers", "2") == 0
    serial, pool = result_bytes(tmp_path / "serial"), result_bytes(tmp_path / "pool")
    assert pool == serial
    tuned = [k for k, v in serial.items() if b'"tuned_on": "validation"' in v and k.endswith("logreg.json")]
    assert len(tuned) == 3  # line-logreg, token-logreg in both conditions: their grids tried on validation
    predictions = {k for k in serial if k.endswith(".parquet")}
    assert len(predictions) == 14 and {k.replace(".parquet", ".json") for k in predictions} <= set(serial)


class Dies(System):
    """Ends its process without a word."""

    task, name = "stance", "dies"

    def predict(self, inputs):
        os._exit(7)


def test_a_failing_system_in_a_worker_is_reported_as_in_one_process(plugin, tmp_path, capsys):
    """The guard's cases (tests/test_system_guard.py): raising in fit or predict, sys.exit, unavailable."""
    broken = ("RaisesInFit", "RaisesInPredict", "ExitsInPredict")
    args = ["--task", "stance", "--resamples", "20", "--system", "majority"]
    for name in ("Unavailable", *broken):
        args += ["--system", f"odd_systems:{name}"]
    assert run_code(tmp_path / "serial", *args, "--workers", "1") == 1
    serial = capsys.readouterr()
    assert run_code(tmp_path / "pool", *args, "--workers", "2") == 1
    pool = capsys.readouterr()
    failures = [line for line in serial.err.splitlines() if line.startswith("  failed")]
    assert failures == [line for line in pool.err.splitlines() if line.startswith("  failed")]
    assert failures == [f"  failed stance ({condition}): {BROKEN[b]}"
                        for condition in ("gold-upstream", "end-to-end") for b in broken]
    skipped = [line for line in serial.out.splitlines() if line.startswith("skipped")]
    assert skipped == [line for line in pool.out.splitlines() if line.startswith("skipped")] == [
        "skipped stance/unavailable: its model is not installed"]
    assert result_bytes(tmp_path / "pool") == result_bytes(tmp_path / "serial")


def test_a_worker_that_dies_fails_the_run_naming_the_jobs_it_may_have_been(tmp_path, capsys, monkeypatch):
    registry.available()
    monkeypatch.setattr(registry, "_SYSTEMS", dict(registry._SYSTEMS))  # `dies` registered for this test only
    code = run_code(tmp_path, "--task", "stance", "--resamples", "20", "--workers", "2",
                    "--system", "majority", "--system", f"{__name__}:Dies")
    assert code == 1
    err = capsys.readouterr().err
    assert "a worker process died" in err and "stance (gold-upstream) dies" in err
    assert "run with --workers 1 to see which" in err
    assert not any(tmp_path.rglob("*.json"))  # nothing written


def test_a_system_no_worker_can_import_runs_in_the_main_process(tmp_path, monkeypatch):
    registry.available()
    monkeypatch.setitem(registry._SYSTEMS, ("stance", "always-agree"), AlwaysAgree)  # defined as if in a notebook
    assert not jobs.picklable(AlwaysAgree()) and jobs.picklable(Dies())
    args = ("--task", "stance", "--resamples", "20", "--system", "always-agree", "--system", "majority")
    assert run_code(tmp_path / "serial", *args, "--workers", "1") == 0
    assert run_code(tmp_path / "pool", *args, "--workers", "2") == 0
    serial = result_bytes(tmp_path / "serial")
    assert result_bytes(tmp_path / "pool") == serial
    assert any(k.endswith("gold-upstream/always-agree.json") for k in serial)


class CountsThreads(System):
    """Answers only while every BLAS and OpenMP pool it can see has one thread."""

    task, name = "stance", "counts-threads"

    def predict(self, inputs):
        from threadpoolctl import threadpool_info

        threads = sorted({pool["num_threads"] for pool in threadpool_info()})
        if threads not in ([], [1]):
            raise RuntimeError(f"threads {threads}")
        return pd.DataFrame({"doc_id": inputs.units.doc_id, "id": inputs.units.id, "label": "discuss"})


@pytest.mark.parametrize("workers", ["1", "2"])
def test_every_job_runs_on_one_blas_thread_whatever_the_workers(tmp_path, monkeypatch, workers):
    """A multi-threaded BLAS sums in an order that depends on its threads: a number would depend on --workers."""
    registry.available()
    monkeypatch.setattr(registry, "_SYSTEMS", dict(registry._SYSTEMS))
    assert run_code(tmp_path, "--task", "stance", "--resamples", "20", "--workers", workers,
                    "--system", "majority", "--system", f"{__name__}:CountsThreads") == 0


def test_default_workers_and_a_bad_count(tmp_path, capsys):
    assert jobs.default_workers(1) == 1
    assert jobs.default_workers(37) == min(jobs.cores(), 37)
    assert run_code(tmp_path, "--workers", "0") == 2
    assert "--workers: 0: must be at least 1" in capsys.readouterr().err


def _shared(dataset: str | None) -> jobs.Shared:
    bench = load_bench(dataset)
    tune = run.fit_bench(dataset, None, bench, PROTOCOLS["stance"].tune_split)
    return jobs.Shared(bench, run.fit_bench(dataset, None, bench), tune, 0, 50)


@pytest.mark.parametrize("task, condition, name", [("stance", "end-to-end", "fnc-logreg"),
                                                   ("boilerplate", "end-to-end", "line-logreg")])
def test_a_cross_fitted_jobs_folds_run_apart_and_score_as_the_whole_job(task, condition, name):
    """The bundled dataset has no training documents: a learned system is cross-fitted, and a pool runs
    its folds as tasks of their own; the job scored with them is the job run in one go."""
    shared = _shared(None)
    job = jobs.Job(task, condition, run.plan([task], [name], 0)[task][0])
    assert jobs.cross_fitted(shared, job)
    whole = jobs.run_job(shared, job).scored
    done = [jobs.run_fold(shared, jobs.Fold(job, f)) for f in range(DEFAULT_K)]
    ready = jobs.folded(job, done)
    assert isinstance(ready, jobs.Job) and ready.folds.seconds == sum(seconds for _, seconds in done) > 0
    apart = jobs.run_job(shared, ready).scored
    assert apart.training == whole.training and apart.training.mode == "cross-fitted-fallback"
    pd.testing.assert_frame_equal(apart.predictions, whole.predictions)
    assert apart.values == whole.values and apart.ci == whole.ci and apart.macro == whole.macro


def test_a_system_fitted_on_train_or_not_learned_is_one_task(synthetic_dataset):
    shared = _shared(str(synthetic_dataset))
    systems = run.plan(["boilerplate"], ["line-logreg", "oracle"], 0)["boilerplate"]
    assert [jobs.cross_fitted(shared, jobs.Job("boilerplate", "end-to-end", s)) for s in systems] == [False, False]
    bundled = _shared(None)
    assert [jobs.cross_fitted(bundled, jobs.Job("boilerplate", "end-to-end", s)) for s in systems] == [True, False]


def test_the_first_fold_that_cannot_run_is_the_jobs_outcome_as_in_one_process():
    job = jobs.Job("stance", "gold-upstream", AlwaysAgree())
    done = [(pd.DataFrame(), 1.0), jobs.Outcome(failed="fold 2 exploded"),
            jobs.Outcome(skipped="not installed"), jobs.Outcome(failed="fold 4 exploded")]
    assert jobs.folded(job, done) == jobs.Outcome(failed="fold 2 exploded")
    assert jobs.folded(job, done[2:]) == jobs.Outcome(skipped="not installed")
