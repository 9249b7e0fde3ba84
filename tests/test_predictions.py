"""Predictions files: every malformed file is refused naming the file, row and field (exit 2, no
traceback), and scoring a file the harness wrote reproduces the harness's numbers exactly."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from conftest import cli
from labels.cli import UserError
from baselines import predictions
from baselines.data import load_bench
from baselines.run import main as run_main
from baselines.tasks import TASKS

DOC = "74c56bf1e5b05a7b"
FILE = "preds.jsonl"


@pytest.fixture(scope="module")
def bench():
    return load_bench()


def gold_as_predictions(bench, task: str) -> pd.DataFrame:
    return TASKS[task].gold(bench).astype(object).reset_index(drop=True)


def edit(row: int, col: str, value, **more):
    def change(df: pd.DataFrame) -> pd.DataFrame:
        for c, v in {col: value, **more}.items():
            df.at[row, c] = v
        return df
    return change


MALFORMED = {
    # name: (task, change to the gold rows, message)
    "missing column": ("stance", lambda df: df.drop(columns="label"),
                       f"{FILE}: missing column(s) label; a stance predictions file needs doc_id, id, label"),
    "empty value": ("stance", edit(1, "label", None), f"{FILE}: row 2: label: empty value"),
    "unknown label": ("stance", edit(2, "label", "maybe"),
                      f"{FILE}: row 3: label: unknown label 'maybe'; expected one of agree, disagree, discuss, "
                      "unrelated"),
    "unknown role": ("boilerplate", edit(4, "role", "navbar"), f"{FILE}: row 5: role: unknown label 'navbar'"),
    "partial role column": ("boilerplate", edit(4, "role", None),
                            f"{FILE}: row 5: role: empty value; give a role for every line or leave the column out"),
    "not a boolean": ("boilerplate", edit(0, "is_content", "yes"),
                      f"{FILE}: row 1: is_content: expected true or false, got 'yes'"),
    "fractional offset": ("entities", edit(2, "start", 83.5), f"{FILE}: row 3: start: expected an integer, got 83.5"),
    "text offset": ("entities", edit(2, "end", "ten"), f"{FILE}: row 3: end: expected an integer, got 'ten'"),
    "infinite offset": ("entities", edit(2, "start", float("inf")),
                        f"{FILE}: row 3: start: expected an integer, got inf"),
    "boolean offset": ("entities", edit(2, "start", True), f"{FILE}: row 3: start: expected an integer, got True"),
    "non-integer line": ("boilerplate", edit(3, "line", 2.5), f"{FILE}: row 4: line: expected an integer, got 2.5"),
    "integer id": ("stance", edit(0, "id", 7), f"{FILE}: row 1: id: expected a string, got 7"),
    "duplicate key": ("boilerplate", lambda df: pd.concat([df, df.iloc[[0]]], ignore_index=True),
                      f"{FILE}: row 24: duplicate prediction for doc_id='{DOC}', line=0"),
    "duplicate span": ("entities", lambda df: pd.concat([df, df.iloc[[3]].assign(type="ORG")], ignore_index=True),
                       f"{FILE}: row 30: duplicate prediction for doc_id='{DOC}', start=459, end=466"),
    "id not in dataset": ("stance", edit(3, "id", "s999"),
                          f"{FILE}: row 4: id: document '{DOC}' has no unit id='s999' in the dataset split"),
    "line not in dataset": ("boilerplate", edit(5, "line", 1),  # line 1 is blank: not a unit
                            f"{FILE}: row 6: line: document '{DOC}' has no unit line=1 in the dataset split"),
    "document not in dataset": ("stance", edit(3, "doc_id", "0000000000000000"),
                                f"{FILE}: row 4: doc_id: document '0000000000000000' is not in the dataset split"),
    "missing prediction": ("stance", lambda df: df.drop(index=4),
                           f"{FILE}: 1 of 19 units have no prediction, e.g. doc_id='{DOC}', id='s5'; "
                           "every unit needs one"),
    "span crossing a line": ("entities", edit(2, "start", 83, end=95),  # starts on line 4 [83, 93), ends on line 5
                             f"{FILE}: row 3: start: span [83, 95) is empty or not inside one line of the document"),
    "empty span": ("entities", edit(2, "start", 83, end=83),
                   f"{FILE}: row 3: start: span [83, 83) is empty or not inside one line"),
    "span in unknown document": ("entities", edit(2, "doc_id", "ffffffffffffffff"),
                                 f"{FILE}: row 3: doc_id: document 'ffffffffffffffff' is not in the dataset split"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_predictions_raise_user_error(bench, name):
    task_name, change, message = MALFORMED[name]
    task = TASKS[task_name]
    pred = change(gold_as_predictions(bench, task_name))
    with pytest.raises(UserError) as err:
        predictions.check(task, pred, task.inputs(bench), FILE)
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_gold_rows_are_valid_predictions(bench):
    for name, task in TASKS.items():
        checked = predictions.check(task, gold_as_predictions(bench, name), task.inputs(bench), FILE)
        assert len(checked) == len(task.gold(bench))


@pytest.mark.parametrize("name,suffix", [("integer id", ".jsonl"), ("span crossing a line", ".parquet"),
                                         ("missing prediction", ".jsonl")])
def test_score_command_refuses_a_malformed_file_with_exit_2(bench, tmp_path, name, suffix):
    task_name, change, message = MALFORMED[name]
    pred = change(gold_as_predictions(bench, task_name))
    path = tmp_path / f"preds{suffix}"
    if suffix == ".jsonl":
        pred.to_json(path, orient="records", lines=True)
    else:
        pred.infer_objects().to_parquet(path, index=False)
    done = cli("baselines.score", "--task", task_name, "--predictions", str(path), "--resamples", "10")
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: " + message.replace(FILE, str(path)))


def test_score_command_refuses_an_unreadable_file(tmp_path):
    path = tmp_path / "preds.parquet"
    path.write_bytes(b"not parquet")
    done = cli("baselines.score", "--task", "stance", "--predictions", str(path))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"error: {path}: cannot read predictions (")


def test_scoring_the_harness_predictions_file_reproduces_its_numbers(tmp_path, capsys):
    assert run_main(["--task", "stance", "--system", "majority", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    (result_path,) = tmp_path.glob("*/runs/*/stance/gold-upstream/majority.json")
    written = json.loads(result_path.read_text(encoding="utf-8"))
    done = cli("baselines.score", "--task", "stance", "--predictions", str(result_path.with_suffix(".parquet")))
    assert done.returncode == 0, done.stderr
    scored = json.loads(done.stdout)
    assert (scored["seed"], scored["resamples"]) == (written["seed"], written["bootstrap"]["resamples"])
    assert scored["dataset"]["fingerprint"] == written["dataset"]["fingerprint"]
    assert set(scored["metrics"]) == set(written["metrics"]) == {"all", "article", "source", "records"}
    for name, metric in written["metrics"].items():
        assert scored["metrics"][name]["values"] == metric["values"]
        assert scored["metrics"][name]["ci"] == metric["ci"]
        assert set(metric["ci"]) == set(metric["values"])
    # not a trivially equal pair: the majority baseline is wrong on some instances
    assert 0 < written["metrics"]["all"]["values"]["accuracy"] < 1
    assert np.isfinite([v for m in written["metrics"].values() for v in m["values"].values()]).all()


def test_scoring_an_end_to_end_stance_file_reproduces_the_board_numbers(tmp_path, capsys):
    """`--condition end-to-end` poses stance as the leaderboard does: records with holder spans."""
    assert run_main(["--task", "stance", "--system", "majority", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    (result_path,) = tmp_path.glob("*/runs/*/stance/end-to-end/majority.json")
    written = json.loads(result_path.read_text(encoding="utf-8"))
    saved = str(result_path.with_suffix(".parquet"))
    done = cli("baselines.score", "--task", "stance", "--condition", "end-to-end", "--predictions", saved)
    assert done.returncode == 0, done.stderr
    scored = json.loads(done.stdout)
    assert scored["condition"] == "end-to-end"
    assert set(scored["metrics"]) == set(written["metrics"]) == {"article", "records", "source_records"}
    for name, metric in written["metrics"].items():
        assert scored["metrics"][name]["values"] == metric["values"]
        assert scored["metrics"][name]["ci"] == metric["ci"]
    assert 0 < written["metrics"]["records"]["values"]["f1"] < 1
    # the same file without the condition is not an answer to the gold-upstream question
    plain = cli("baselines.score", "--task", "stance", "--predictions", saved)
    assert plain.returncode == 2 and plain.stderr.startswith(f"error: {saved}: ")
    wrong = cli("baselines.score", "--task", "boilerplate", "--condition", "gold-upstream", "--predictions", saved)
    assert wrong.returncode == 2
    assert wrong.stderr == "error: --condition gold-upstream: boilerplate is scored under end-to-end only\n"
