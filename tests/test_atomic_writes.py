"""Mechanism: every write goes through corpus.atomic (one file, or a folder as one set), so a
failure or kill leaves what was there before, and OSError is one line naming what failed."""
from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import COMMITTED, cli, copy_sources, tree_hashes
from baselines import run
from corpus import atomic, manifest
from corpus.add import add
from corpus.build import build
from corpus.sources import Sources
from labels.cli import UserError
from labels.cli import run as run_cli

PAGE = b"A headline\n\nA body line of a small page.\n"


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def _fail_nth(monkeypatch, target, name: str, n: int) -> list[int]:
    """Make target.name raise ENOSPC on its n-th call (1-based); returns the call counter."""
    real, calls = getattr(target, name), [0]

    def fake(*args, **kwargs):
        calls[0] += 1
        if calls[0] == n:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, fake)
    return calls


def _add(files, sources):
    return add(files, sources, publisher=None, url=None, language="en", license="unknown", split=None)


# --- results: one set ----------------------------------------------------------------------

def _run(out: Path) -> int:
    with pytest.raises(SystemExit) as done:
        run_cli(run.main, ["--task", "stance", "--system", "majority", "--system", "oracle",
                           "--out", str(out), "--resamples", "10"])
    return done.value.code


def test_a_failed_results_write_leaves_the_previous_set_whole(tmp_path, monkeypatch, capsys):
    out = tmp_path / "results"
    assert _run(out) == 0
    board = next(out.glob("*/runs/*/leaderboard.json"))
    board.write_text('{"previous": true}\n')  # make the old set tell-tale
    before = tree_hashes(board.parent)
    _fail_nth(monkeypatch, Path, "write_bytes", 3)  # the third file of the new set
    assert _run(out) == 2
    err = capsys.readouterr().err
    assert "cannot write (No space left on device); nothing was changed" in err and "Traceback" not in err
    assert tree_hashes(board.parent) == before
    assert list(board.parent.parent.iterdir()) == [board.parent]  # no staging folder left behind


def test_results_under_a_file_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert _run(blocker / "sub") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "a file stands where a folder is needed" in err


def test_replace_set_keeps_other_files_and_the_folder_mode(tmp_path):
    root = tmp_path / "set"
    root.mkdir(mode=0o750)
    root.chmod(0o750)
    (root / "kept.txt").write_text("kept")
    atomic.replace_set(root, {"a.json": "{}\n", "sub/b.bin": b"\x00\x01"})
    assert tree_hashes(root).keys() == {"kept.txt", "a.json", "sub/b.bin"}
    assert (root / "sub" / "b.bin").read_bytes() == b"\x00\x01"
    assert root.stat().st_mode & 0o777 == 0o750


# --- the dataset swap ----------------------------------------------------------------------

@pytest.fixture
def with_dataset(tmp_path):
    sources = copy_sources(tmp_path / "project")
    shutil.copytree(COMMITTED, sources.dataset_dir)
    return sources


def test_the_dataset_is_swapped_in_one_step(with_dataset, monkeypatch):
    """os.replace is not used on an existing dataset/: there is never a moment without it."""
    sources = with_dataset
    real = os.replace

    def guarded(src, dst, *a, **k):
        assert Path(dst) != sources.dataset_dir, "dataset/ moved away: a crash now would leave none"
        return real(src, dst, *a, **k)

    monkeypatch.setattr(atomic.os, "replace", guarded)
    before = tree_hashes(COMMITTED)
    build(sources)
    assert tree_hashes(sources.dataset_dir) == before


def test_a_crash_inside_the_fallback_swap_is_repaired(with_dataset, monkeypatch):
    sources = with_dataset
    before = tree_hashes(sources.dataset_dir)
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    _fail_nth(monkeypatch, atomic.os, "replace", 2)  # after dataset/ moved away, before the new one moved in
    with pytest.raises(UserError, match="No space left on device"):
        build(sources)
    assert not sources.dataset_dir.exists()
    monkeypatch.undo()
    atomic.clean_leftovers(sources.dataset_dir)
    assert tree_hashes(sources.dataset_dir) == before
    assert [p.name for p in sources.dataset_dir.parent.iterdir() if p.name.startswith(".dataset.")] == []


def test_leftovers_of_dead_builds_are_removed_and_live_ones_kept(with_dataset):
    sources = with_dataset
    dead, parent = _dead_pid(), sources.dataset_dir.parent
    for name in (f".dataset.building-{dead}-aaaa", f".dataset.old-{dead}-bbbb", ".dataset.building-1-cccc",
                 ".dataset.building-x7_k2q9a", f".dataset.old-{dead}"):  # the last two: names older builds left
        (parent / name).mkdir()
        (parent / name / "x").write_text("x")
    build(sources)
    assert sorted(p.name for p in parent.iterdir() if p.name.startswith(".dataset.")) == [".dataset.building-1-cccc"]


def test_build_out_under_a_file_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = cli("corpus.build", "--out", str(blocker / "sub"))
    assert done.returncode == 2
    assert done.stderr == f"error: {blocker}: cannot write (a file stands where a folder is needed); nothing was changed\n"


# --- corpus.add ----------------------------------------------------------------------------

def test_a_failed_add_leaves_no_orphan_pages_nor_temp_files(sources, tmp_path, monkeypatch):
    pages = []
    for i in range(2):
        pages.append(tmp_path / f"p{i}.txt")
        pages[-1].write_bytes(PAGE + f"page {i}\n".encode())
    before = tree_hashes(sources.raw_dir)
    _fail_nth(monkeypatch, atomic.os, "fsync", 3)  # two pages stored, then the manifest fails
    with pytest.raises(UserError) as err:
        _add(pages, sources)
    assert str(err.value) == f"{sources.manifest}: cannot write (No space left on device); nothing was changed"
    assert tree_hashes(sources.raw_dir) == before


def test_a_file_name_that_is_not_utf8_is_refused_before_anything_is_written(sources, tmp_path):
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    odd.write_bytes(PAGE)
    before = tree_hashes(sources.raw_dir)
    with pytest.raises(UserError, match=r"the file name is not UTF-8; rename the file$"):
        _add([odd], sources)
    assert tree_hashes(sources.raw_dir) == before


def test_add_keeps_the_manifest_mode(sources, tmp_path):
    sources.manifest.chmod(0o644)
    known = len(manifest.read(sources.manifest))
    page = tmp_path / "p.txt"
    page.write_bytes(PAGE)
    _add([page], sources)
    assert sources.manifest.stat().st_mode & 0o777 == 0o644
    assert len(manifest.read(sources.manifest)) == known + 1


def test_write_file_gives_a_new_file_the_umask_mode(tmp_path):
    atomic.write_file(tmp_path / "new.txt", "x")
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o666 & ~atomic.umask()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt"]


# --- publish --dry-run ---------------------------------------------------------------------

def test_dry_run_under_a_file_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = cli("corpus.publish", "--repo-id", "o/n", "--dry-run", str(blocker / "sub"))
    assert done.returncode == 2
    assert done.stderr == f"error: {blocker}: cannot write (a file stands where a folder is needed); nothing was changed\n"


def test_empty_layout_sources_build_nothing_half(tmp_path):
    """A build that fails (no documents) leaves neither dataset/ nor a staging folder."""
    sources = Sources.at(tmp_path / "empty")
    sources.version_file.parent.mkdir(parents=True)
    sources.version_file.write_text("1.0.0\n")
    sources.changelog.write_text("## [1.0.0]\n")
    with pytest.raises(UserError, match="the corpus has no documents"):
        build(sources)
    assert sorted(p.name for p in (tmp_path / "empty").iterdir()) == ["CHANGELOG.md", "corpus"]
    assert json.dumps(sorted(p.name for p in sources.version_file.parent.iterdir())) == '[".raw.lock", "VERSION"]'


KILL_BEFORE_SWAP = """
import os, signal, sys
from corpus import atomic
real = atomic.swap_in
def killed(new, target):
    if (new / "LEADERBOARD.md").exists():
        os.kill(os.getpid(), signal.SIGKILL)  # everything staged, nothing swapped in yet
    return real(new, target)
atomic.swap_in = killed
from baselines import run
from labels.cli import run as run_cli
run_cli(run.main, sys.argv[1:])
"""


def test_a_run_killed_at_the_final_write_leaves_the_previous_results(tmp_path):
    out = tmp_path / "results"
    args = ["--task", "stance", "--system", "majority", "--system", "oracle", "--out", str(out), "--resamples", "10"]
    assert _run(out) == 0
    [root] = list(out.glob("*/runs/*"))
    before = tree_hashes(root)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", KILL_BEFORE_SWAP, *args], cwd=Path(__file__).parent.parent,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == -9
    assert tree_hashes(root) == before  # the old set, whole; the staged one is hidden beside it
    assert len(list(root.parent.iterdir())) == 2
    assert _run(out) == 0  # the next run removes what the killed one left
    assert list(root.parent.iterdir()) == [root]
