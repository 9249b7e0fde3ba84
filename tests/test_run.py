"""The main command end to end: every task and condition, every built-in system, reproducible to the
last digit; result files that follow their schema; a canonical board that nothing else changes."""
from __future__ import annotations

import json
import tomllib
from fnmatch import fnmatch

import jsonschema
import pandas as pd
import pytest

from conftest import ROOT
from benchmarks.run_speed import result_bytes
from baselines import registry, run
from baselines import leaderboard
from baselines.leaderboard import JSON_NAME, OPTIONAL_JSON_NAME
from baselines.protocol import PROTOCOLS
from baselines.results import SCHEMA_FILE
from baselines.system import System
from corpus.parquet_sink import data_path, read_metadata
from corpus.sources import DEFAULT
from labels.cli import run as run_cli


def _run(out, *args):
    with pytest.raises(SystemExit) as done:
        run_cli(run.main, [*args, "--out", str(out)])
    assert done.value.code == 0


@pytest.fixture(scope="module")
def fresh_run(tmp_path_factory):
    """The default run, its jobs in a pool of two processes."""
    out = tmp_path_factory.mktemp("results")
    _run(out, "--workers", "2")
    return out / DEFAULT.version()


def test_one_process_writes_the_pools_files_byte_for_byte(fresh_run, tmp_path):
    _run(tmp_path, "--workers", "1")
    serial = result_bytes(tmp_path / DEFAULT.version())
    assert result_bytes(fresh_run) == serial
    assert len([n for n in serial if n.endswith(".parquet") and not n.startswith("optional/")]) == 31


def test_fresh_run_reproduces_the_committed_leaderboard(fresh_run):
    committed = ROOT / "results" / DEFAULT.version() / JSON_NAME
    assert json.loads((fresh_run / JSON_NAME).read_text()) == json.loads(committed.read_text())
    assert (fresh_run / "LEADERBOARD.md").read_text() == (committed.parent / "LEADERBOARD.md").read_text()


def test_every_task_and_condition_is_on_the_board(fresh_run):
    board = json.loads((fresh_run / JSON_NAME).read_text())
    assert {t: list(b["conditions"]) for t, b in board["tasks"].items()} == {
        t: [c.name for c in p.conditions] for t, p in PROTOCOLS.items()}
    assert board["protocol"]["stance"]["upstream"] == "justext"


def test_every_oracle_scores_exactly_one(fresh_run):
    for task, protocol in PROTOCOLS.items():
        for condition in protocol.conditions:
            result = json.loads((fresh_run / task / condition.name / "oracle.json").read_text())
            for metric, block in result["metrics"].items():
                for key, value in block["values"].items():
                    if key.endswith(("f1", "precision", "recall", "accuracy", "fnc_relative")):
                        assert value == 1.0, (task, condition.name, metric, key)


def test_every_result_file_follows_the_schema(fresh_run):
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    files = sorted(fresh_run.glob("*/*/*.json"))
    # 11 boilerplate systems (one condition), 5 entity systems x 2 conditions, 5 stance systems x 2
    assert len(files) == 31
    for path in files:
        jsonschema.validate(json.loads(path.read_text()), schema)
    broken = json.loads(files[0].read_text())
    broken["system"]["tuned_on"] = "dev"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def _board_schema() -> dict:
    schema = json.loads(leaderboard.SCHEMA_FILE.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def test_the_fresh_and_the_committed_boards_follow_the_leaderboard_schema(fresh_run):
    schema = _board_schema()
    committed = [ROOT / "results" / DEFAULT.version() / JSON_NAME]
    if (ROOT / "results" / DEFAULT.version() / "full" / JSON_NAME).exists():
        committed.append(ROOT / "results" / DEFAULT.version() / "full" / JSON_NAME)
    optional = [fresh_run / OPTIONAL_JSON_NAME] if (fresh_run / OPTIONAL_JSON_NAME).exists() else []
    for path in [fresh_run / JSON_NAME, *committed, *optional]:
        jsonschema.validate(json.loads(path.read_text()), schema)
    # shipped with the package, as result.schema.json is
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert any(fnmatch(leaderboard.SCHEMA_FILE.name, p) for p in patterns["baselines"])


@pytest.mark.parametrize("breaks", [
    lambda b: b["tasks"]["stance"]["conditions"]["end-to-end"]["systems"][0].update(role="winner"),
    lambda b: b["tasks"]["stance"]["conditions"]["end-to-end"].pop("primary"),
    lambda b: b["tasks"]["entities"]["conditions"]["gold-upstream"]["systems"][1]["values"].update(
        {"ontonotes/strict/f1": [0.5, 0.4]}),
    lambda b: b["dataset"].update(version="2.1"),
    lambda b: b.update(created="2026-01-01"),
], ids=["unknown role", "table without its primary", "value without its interval", "bad version", "extra key"])
def test_a_broken_board_fails_validation(fresh_run, breaks):
    board = json.loads((fresh_run / JSON_NAME).read_text())
    breaks(board)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(board, _board_schema())


def test_result_files_record_what_produced_them(fresh_run):
    meta = read_metadata(data_path(ROOT / "dataset", "documents", "test"))
    result = json.loads((fresh_run / "stance" / "gold-upstream" / "fnc-gbdt.json").read_text())
    assert result["dataset"] == {"source": str(DEFAULT.dataset_dir), "split": "test",
                                 "version": meta["version"], "fingerprint": meta["fingerprint"]}
    assert result["seed"] == 0 and result["bootstrap"]["resamples"] == 1000
    assert result["condition"] == "gold-upstream" and result["documents"] == 1
    assert result["training"] == {
        "mode": "cross-fitted-fallback", "split": "test", "n_documents": 1, "n_units": 19,
        "folds": {"kind": "contiguous-unit-blocks", "k": 5, "seed": 0, "n_units": 19, "n_documents": 1},
        "reason": "fallback: no training documents", "tuning": None}
    assert result["system"]["learned"] is True and result["system"]["tuned_on"] == "none"
    assert result["comparison_to_best"]["best"] == "majority"
    assert result["comparison_to_best"]["verdict"] == "one document: not testable (needs 10)"
    assert result["comparison_to_best"]["p_holm"] is None and result["comparison_to_best"]["significant"] is False
    assert set(result["packages"]) >= {"python", "datasets", "pyarrow", "pandas", "numpy", "scikit-learn",
                                       "justext", "sklearn-crfsuite"}
    assert result["code_version"] and result["wall_seconds"] >= 0
    assert result["metrics"]["article"]["definition"].startswith("article-level instances")
    all_ = result["metrics"]["all"]
    # one document: its macro-average is the pooled value; one publisher: likewise
    assert all_["macro_over_documents"] == all_["values"]
    assert all_["by_publisher"] == {"The Kyiv Independent": all_["values"]}
    assert (fresh_run / "stance" / "gold-upstream" / "fnc-gbdt.parquet").exists()


def test_the_seed_board_says_not_testable_and_never_ranks_a_test_tuned_system(fresh_run):
    board = json.loads((fresh_run / JSON_NAME).read_text())
    md = (fresh_run / "LEADERBOARD.md").read_text()
    assert "one document: not testable" in md and "p=" not in md and "(significant)" not in md
    for task in board["tasks"].values():
        for table in task["conditions"].values():
            roles = {s["id"]: s["role"] for s in table["systems"]}
            tuned = {s["id"] for s in table["systems"] if s["tuned_on"] == "test"}
            assert all(roles[i] == "not ranked (tuned on test)" for i in tuned)
            assert table["best"] not in tuned
    # line-heuristic scores highest on boilerplate, but was tuned on the test page
    bp = board["tasks"]["boilerplate"]["conditions"]["end-to-end"]
    assert bp["systems"][1]["id"] == "line-heuristic" and bp["best"] == "line-structure"
    # the rule taggers were written with the test page in view; the learned taggers were not
    entities = board["tasks"]["entities"]["conditions"]["end-to-end"]
    assert {s["id"]: s["tuned_on"] for s in entities["systems"]}["capitalised"] == "test" and entities["best"] == "crf"


class AlwaysAgree(System):
    """A user's plugin: every pair agrees."""

    task, name = "stance", "always-agree"
    __module__ = "someones_plugin"

    def predict(self, inputs):
        return pd.DataFrame({"doc_id": inputs.units.doc_id, "id": inputs.units.id, "label": "agree"})


def test_an_installed_plugin_never_changes_the_canonical_board(tmp_path, monkeypatch, fresh_run):
    registry.available()  # built-ins and real entry points loaded first
    monkeypatch.setitem(registry._SYSTEMS, ("stance", "always-agree"), AlwaysAgree)
    _run(tmp_path)
    root = tmp_path / DEFAULT.version()
    assert (root / JSON_NAME).read_text() == (fresh_run / JSON_NAME).read_text()
    optional = json.loads((root / OPTIONAL_JSON_NAME).read_text())
    [row] = optional["tasks"]["stance"]["conditions"]["gold-upstream"]["systems"]
    assert row["id"] == "always-agree" and row["versions"] == {}
    assert row["vs_best"]["verdict"] == "one document: not testable (needs 10)"
    assert (root / "optional" / "stance" / "end-to-end" / "always-agree.json").exists()
    assert "Optional systems (not on the canonical leaderboard)" in (root / "LEADERBOARD.optional.md").read_text()


@pytest.mark.parametrize("args, label", [
    (["--task", "stance", "--system", "majority"], "resamples-50_task-stance_system-majority"),
    (["--seed", "1", "--task", "stance"], "seed-1_resamples-50_task-stance"),
])
def test_any_other_run_is_written_apart_and_never_over_the_canonical_board(tmp_path, capsys, args, label):
    version = DEFAULT.version()
    full = tmp_path / version / JSON_NAME
    full.parent.mkdir(parents=True)
    full.write_text('{"kept": true}\n')
    _run(tmp_path, *args, "--resamples", "50")
    assert full.read_text() == '{"kept": true}\n'
    assert sorted(p.name for p in (tmp_path / version).iterdir()) == [JSON_NAME, "runs"]
    apart = tmp_path / version / "runs" / label
    board = json.loads((apart / JSON_NAME).read_text())
    assert "majority" in [s["id"] for s in board["tasks"]["stance"]["conditions"]["gold-upstream"]["systems"]]
    assert (apart / "LEADERBOARD.md").read_text().startswith(f"# Run {label} (not the canonical")
    assert capsys.readouterr().out.rstrip().endswith("(not the canonical leaderboard)")
