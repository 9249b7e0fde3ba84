"""The main command end to end: every task, every built-in system, reproducible to the last digit."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT
from baselines import run
from labels.cli import run as run_cli
from baselines.leaderboard import JSON_NAME
from corpus.parquet_sink import data_path, read_metadata
from corpus.sources import DEFAULT


@pytest.fixture(scope="module")
def fresh_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    with pytest.raises(SystemExit) as done:
        run_cli(run.main, ["--out", str(out)])
    assert done.value.code == 0
    return out / DEFAULT.version()


def test_fresh_run_reproduces_the_committed_leaderboard(fresh_run):
    committed = ROOT / "results" / DEFAULT.version() / JSON_NAME
    assert json.loads((fresh_run / JSON_NAME).read_text()) == json.loads(committed.read_text())
    assert (fresh_run / "LEADERBOARD.md").read_text() == (committed.parent / "LEADERBOARD.md").read_text()


def test_every_oracle_scores_exactly_one(fresh_run):
    for task in ("boilerplate", "entities", "stance"):
        result = json.loads((fresh_run / task / "oracle.json").read_text())
        for metric, block in result["metrics"].items():
            for key, value in block["values"].items():
                if key.endswith(("f1", "precision", "recall", "accuracy", "fnc_relative")):
                    assert value == 1.0, (task, metric, key)


def test_result_files_record_what_produced_them(fresh_run):
    meta = read_metadata(data_path(ROOT / "dataset", "documents", "test"))
    result = json.loads((fresh_run / "stance" / "majority.json").read_text())
    assert result["dataset"] == {"source": str(DEFAULT.dataset_dir), "split": "test",
                                 "version": meta["version"], "fingerprint": meta["fingerprint"]}
    assert result["seed"] == 0 and result["bootstrap"]["resamples"] == 1000
    assert result["fold_protocol"] == {"kind": "contiguous-unit-blocks", "k": 5, "seed": 0,
                                       "n_units": 19, "n_documents": 1}
    assert result["system"]["learned"] is True and result["system"]["id"] == "majority"
    assert set(result["packages"]) >= {"python", "datasets", "pyarrow", "pandas", "numpy", "scikit-learn"}
    assert result["code_version"] and result["wall_seconds"] >= 0
    assert result["metrics"]["article"]["definition"].startswith("article-level instances")
    assert (fresh_run / "stance" / "majority.parquet").exists()


def test_a_partial_run_never_replaces_the_full_leaderboard(tmp_path, capsys):
    version = DEFAULT.version()
    full = tmp_path / version / JSON_NAME
    full.parent.mkdir(parents=True)
    full.write_text('{"kept": true}\n')
    with pytest.raises(SystemExit) as done:
        run_cli(run.main, ["--task", "stance", "--system", "majority", "--out", str(tmp_path), "--resamples", "50"])
    assert done.value.code == 0
    assert full.read_text() == '{"kept": true}\n'
    partial = json.loads((tmp_path / version / "leaderboard.partial.json").read_text())
    assert [s["id"] for s in partial["tasks"]["stance"]["systems"]] == ["majority"]
    assert capsys.readouterr().out.rstrip().endswith("(a partial run: LEADERBOARD.partial.md)")
