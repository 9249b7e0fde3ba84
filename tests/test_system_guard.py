"""Mechanism: baselines.guard wraps every call into a system. Whatever a system does wrong is one
line naming it; the other systems' results are still written and the run exits 1; systems get
private copies of their inputs."""
from __future__ import annotations

import json

import pytest

from baselines import registry, run
from baselines.protocol import PROTOCOLS
from baselines.registry import DuplicateSystem
from baselines.system import System
from labels.cli import UserError
from labels.cli import run as run_cli

PLUGIN = '''
import sys
import pandas as pd
from baselines.system import System, SystemUnavailable


def _answer(inputs):
    return pd.DataFrame({"doc_id": inputs.units.doc_id, "id": inputs.units.id, "label": "discuss"})


class ReturnsNone(System):
    task, name = "stance", "returns-none"
    def predict(self, inputs):
        return None


class ReturnsList(System):
    task, name = "stance", "returns-list"
    def predict(self, inputs):
        return [1, 2]


class DuplicateColumns(System):
    task, name = "stance", "dup-columns"
    def predict(self, inputs):
        df = _answer(inputs)
        return pd.concat([df, df[["label"]]], axis=1)


class RaisesInFit(System):
    task, name, learned = "stance", "raises-in-fit", True
    def fit(self, inputs, gold):
        raise RuntimeError("fit exploded\\nsecond line")
    def predict(self, inputs):
        return _answer(inputs)


class RaisesInPredict(System):
    task, name = "stance", "raises-in-predict"
    def predict(self, inputs):
        return {}["missing"]


class ExitsInPredict(System):
    task, name = "stance", "exits"
    def predict(self, inputs):
        sys.exit(0)


class Unavailable(System):
    task, name = "stance", "unavailable"
    def predict(self, inputs):
        raise SystemUnavailable("its model is not installed")


class Vandal(System):
    """All content, and it overwrites what it was handed."""
    task, name = "boilerplate", "vandal"
    def predict(self, inputs):
        pred = pd.DataFrame({"doc_id": inputs.units.doc_id, "line": inputs.units.line, "is_content": True})
        inputs.units["start"] = 0
        inputs.units["end"] = 1
        inputs.units["text"] = ""
        inputs.documents["text"] = ""
        return pred
'''

BROKEN = {
    "ReturnsNone": "system returns-none: predict returned NoneType, not a pandas DataFrame",
    "ReturnsList": "system returns-list: predict returned list, not a pandas DataFrame",
    "DuplicateColumns": "system dup-columns: predict returned duplicate column(s) label",
    "RaisesInFit": "system raises-in-fit: fit raised RuntimeError: fit exploded",
    "RaisesInPredict": "system raises-in-predict: predict raised KeyError: 'missing'",
    "ExitsInPredict": "system exits: predict raised SystemExit (a call to sys.exit(0))",
}


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    registry.available()
    monkeypatch.setattr(registry, "_SYSTEMS", dict(registry._SYSTEMS))
    (tmp_path / "odd_systems.py").write_text(PLUGIN)
    (tmp_path / "crashes_on_import.py").write_text("raise RuntimeError('no import for you')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def _run(*argv: str) -> int:
    with pytest.raises(SystemExit) as done:
        run_cli(run.main, [*argv, "--resamples", "10"])
    return done.value.code


def _ids(board: dict, task: str) -> dict[str, list[str]]:
    return {c: [s["id"] for s in table["systems"]] for c, table in board["tasks"][task]["conditions"].items()}


@pytest.mark.parametrize("cls, message", sorted(BROKEN.items()))
def test_a_misbehaving_system_is_named_and_the_others_are_written(plugin, tmp_path, capsys, cls, message):
    out = tmp_path / "out"
    code = _run("--task", "stance", "--system", "majority", "--system", f"odd_systems:{cls}", "--out", str(out))
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.splitlines() == ["some systems failed; the others' results were written:"] + [
        f"  failed stance ({c.name}): {message}" for c in PROTOCOLS["stance"].conditions]
    written = json.loads(next(out.glob("*/runs/*/leaderboard.json")).read_text())
    assert set(map(tuple, _ids(written, "stance").values())) == {("majority",)}
    assert "Traceback" not in captured.err


def test_a_failed_system_never_replaces_the_canonical_leaderboard(plugin, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(run, "DEFAULT_RESAMPLES", 10)  # so this short run counts as the canonical one
    from odd_systems import RaisesInPredict
    registry.register(RaisesInPredict)
    out = tmp_path / "out"
    assert _run("--out", str(out)) == 1
    [version] = out.iterdir()
    assert sorted(p.name for p in version.iterdir()) == ["runs"]
    assert [p.name for p in (version / "runs").iterdir()] == ["incomplete"]


def test_a_system_cannot_change_its_score_by_editing_its_inputs(plugin, tmp_path, capsys):
    out = tmp_path / "out"
    assert _run("--task", "boilerplate", "--system", "all-content", "--system", "odd_systems:Vandal",
                "--out", str(out)) == 0
    for condition in PROTOCOLS["boilerplate"].conditions:
        honest, vandal = (json.loads(next(out.glob(f"*/runs/*/boilerplate/{condition.name}/{n}.json")).read_text())[
            "metrics"] for n in ("all-content", "vandal"))
        assert vandal == honest


def test_a_run_whose_only_system_was_skipped_exits_1_and_writes_nothing(plugin, tmp_path, capsys):
    out = tmp_path / "out"
    assert _run("--task", "stance", "--system", "odd_systems:Unavailable", "--out", str(out)) == 1
    assert capsys.readouterr().err == ("nothing was scored, nothing was written:\n"
                                       "  skipped stance/unavailable: its model is not installed\n")
    assert not out.exists()


@pytest.mark.parametrize("spec, message", [
    ("sys:exit", "error: sys:exit: calling it raised SystemExit (a call to sys.exit(None))\n"),
    ("crashes_on_import:X", "error: crashes_on_import:X: import raised RuntimeError: no import for you\n"),
])
def test_a_spec_that_exits_or_crashes_is_one_line(plugin, tmp_path, capsys, spec, message):
    assert _run("--system", spec, "--out", str(tmp_path / "out")) == 2
    assert capsys.readouterr().err == message


def test_a_user_system_under_a_registered_name_is_a_user_error(plugin):
    class Again(System):
        task, name = "stance", "majority"

        def predict(self, inputs):
            return None

    with pytest.raises(UserError, match="system 'majority' is already registered for task 'stance'"):
        registry.register(Again)
    assert issubclass(DuplicateSystem, UserError)
