"""Shared helpers: the project root, temporary source layouts and CLI runs.

Every test that writes works on a copy below tmp_path (corpus.sources.Sources
pointed there); nothing here writes into the project's corpus/, labels/ or dataset/.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from corpus.sources import Sources  # noqa: E402

SEED_ID = "74c56bf1e5b05a7b"
SEED_RAW = ROOT / "corpus" / "raw" / f"{SEED_ID}.txt"
SEED_GOLD = ROOT / "labels" / "gold" / f"{SEED_ID}.json"
COMMITTED = ROOT / "dataset"

_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")
PACKAGES = ("corpus", "labels", "baselines")  # the card imports baselines.leaderboard


def copy_sources(root: Path, *, dataset: bool = False, code: bool = False) -> Sources:
    """The project's build inputs copied below root: every input Sources.at names (raw pages and
    manifest, gold labels, annotation passes, leaderboard results, VERSION, CHANGELOG, release record) that exists.

    With dataset=True the committed dataset folder is copied too; with code=True the
    project's packages are copied, so `python -m ...` run with cwd=root uses root as
    its project root (corpus.sources.DEFAULT) and never touches ROOT.
    """
    here, there = Sources.at(ROOT), Sources.at(root)
    for name in ("raw_dir", "gold_dir", "passes_dir", "results_dir"):
        src = getattr(here, name, None)
        if src is not None and src.is_dir():
            shutil.copytree(src, getattr(there, name), ignore=_IGNORE)
    for name in ("version_file", "changelog", "releases"):
        src, dst = getattr(here, name), getattr(there, name)
        if src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    if dataset:
        shutil.copytree(COMMITTED, there.dataset_dir)
    if code:
        for package in PACKAGES:
            for src in (ROOT / package).rglob("*.py"):
                dst = root / src.relative_to(ROOT)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
    return there


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file below folder, by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cli(module: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `python -m module args...` in cwd (its project root), offline, capturing text output."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def edit_gold(path: Path, change) -> dict:
    """Load a gold file, let change(data) mutate it, write it back; returns the data."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return data


def score_on(bench, system, condition: str, resamples: int = 10, train=None, tune=None):
    """One system scored on a bench under a condition, as baselines.run does (train: a fit-split bench;
    tune: the validation bench a system with a grid is tuned on)."""
    from baselines.bootstrap import resample_weights
    from baselines.conditions import view
    from baselines.runner import run_one
    from baselines.tasks import TASKS

    task = TASKS[system.task]
    scored = view(task, bench, condition)
    fit = view(task, train, condition) if train is not None else None
    tuning = view(task, tune, condition) if tune is not None else None
    return run_one(system, scored, resample_weights(scored.inputs.units.doc_id, resamples, 0), 0, fit, tuning)


@pytest.fixture
def sources(tmp_path: Path) -> Sources:
    """A private copy of the build inputs (no dataset) below tmp_path."""
    return copy_sources(tmp_path / "project")


@pytest.fixture(scope="session", autouse=True)
def no_fnc1_and_a_private_cache(tmp_path_factory):
    """The suite never reads a local FNC-1 copy nor the user's model cache (subprocesses inherit
    this): the FNC-1 systems are unavailable unless a test points them at a fixture it made."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEWSBENCH_FNC1", str(tmp_path_factory.mktemp("fnc1") / "absent"))
        mp.setenv("NEWSBENCH_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield
