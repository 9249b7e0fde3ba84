"""Adding a system without touching the core: decorator, module:callable, entry point."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pandas as pd
import pytest

from conftest import ROOT, score_on
from labels.cli import UserError
from baselines import registry
from baselines.data import load_bench
from baselines.system import System

PLUGIN = '''
import pandas as pd
from baselines.system import System


class AlwaysDiscuss(System):
    """Says discuss to everything."""
    task = "stance"
    name = "always-discuss"

    def predict(self, inputs):
        return pd.DataFrame({"doc_id": inputs.units.doc_id, "id": inputs.units.id, "label": "discuss"})
'''


@pytest.fixture
def clean_registry(monkeypatch):
    """The registry as the built-ins leave it, restored after the test."""
    registry.available()
    monkeypatch.setattr(registry, "_SYSTEMS", dict(registry._SYSTEMS))


def test_a_second_system_with_the_same_task_and_name_is_refused(clean_registry):
    class Again(System):
        task, name = "stance", "majority"

        def predict(self, inputs):
            raise AssertionError

    with pytest.raises(ValueError, match="system 'majority' is already registered for task 'stance'"):
        registry.register(Again)


def test_names_resolve_across_tasks_and_arguments_only_where_taken(clean_registry):
    assert [(c.task, p) for c, p in registry.resolve("oracle")] == [
        ("boilerplate", {}), ("entities", {}), ("stance", {})]
    assert [(c.task, p) for c, p in registry.resolve("spacy:my_pipeline")] == [
        ("entities", {"pipeline": "my_pipeline"})]
    with pytest.raises(UserError, match="majority:x: system 'majority' takes no argument"):
        registry.resolve("majority:x")
    with pytest.raises(UserError, match="unknown system 'nope'; known: all-content, boilerpipe, capitalised"):
        registry.resolve("nope")
    with pytest.raises(UserError, match="no_such_module:X: cannot import 'no_such_module'"):
        registry.resolve("no_such_module:X")


def test_module_callable_registers_a_users_system(clean_registry, tmp_path, monkeypatch):
    (tmp_path / "my_systems.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path))
    [(cls, params)] = registry.resolve("my_systems:AlwaysDiscuss")
    assert (cls.task, cls.name, params) == ("stance", "always-discuss", {})
    assert cls in registry.available("stance")
    with pytest.raises(UserError, match="my_systems:Missing: module 'my_systems' has no attribute 'Missing'"):
        registry.resolve("my_systems:Missing")


def test_entry_points_are_loaded_with_the_builtins(clean_registry, tmp_path, monkeypatch):
    (tmp_path / "plugin_pkg.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib
    plugin = importlib.import_module("plugin_pkg")
    point = SimpleNamespace(value="plugin_pkg:AlwaysDiscuss", load=lambda: plugin.AlwaysDiscuss)
    monkeypatch.setattr(registry, "entry_points", lambda group: [point] if group == registry.ENTRY_POINT_GROUP else [])
    monkeypatch.setattr(registry, "_LOADED", False)
    assert "always-discuss" in [c.name for c in registry.available("stance")]


def test_a_users_system_is_scored_like_the_builtins(tmp_path):
    """Through the command line, with the same checks, metrics and files as a built-in system."""
    (tmp_path / "my_systems.py").write_text(PLUGIN)
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "HF_HUB_OFFLINE": "1"}
    out = tmp_path / "results"
    r = subprocess.run([sys.executable, "-m", "baselines.run", "--task", "stance", "--system",
                        "my_systems:AlwaysDiscuss", "--out", str(out)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    [result_file] = out.glob("*/runs/task-stance_system-my_systems-AlwaysDiscuss/stance/gold-upstream/always-discuss.json")
    values = json.loads(result_file.read_text())["metrics"]["all"]["values"]
    gold = load_bench().stance.label
    assert values["accuracy"] == (gold == "discuss").mean() == 1 / 19  # s5 is the only discuss
    # end to end it names no holder: each of the 10 claims' rows is spurious and its instance missed
    [e2e_file] = result_file.parent.parent.glob("end-to-end/always-discuss.json")
    records = json.loads(e2e_file.read_text())["metrics"]["records"]["values"]
    assert (records["tp"], records["fp"], records["fn"]) == (1, 8 + 10, 8 + 10)
    assert "| always-discuss |" in r.stdout


def test_a_system_returning_malformed_predictions_is_named_as_the_culprit():
    class Broken(System):
        task, name = "stance", "broken"

        def predict(self, inputs):
            return pd.DataFrame({"doc_id": inputs.units.doc_id, "id": inputs.units.id, "label": "maybe"})

    with pytest.raises(UserError) as err:
        score_on(load_bench(), Broken(), "gold-upstream")
    assert str(err.value) == ("stance: system broken: row 1: label: unknown label 'maybe'; expected one of "
                              "agree, disagree, discuss, unrelated (a bug in the system, not in the data)")
