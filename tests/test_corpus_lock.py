"""Mechanism: one lock (corpus.lock) around every corpus mutation, so two commands at once
never both plan from the same manifest."""
from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from conftest import copy_sources
from corpus import lock, manifest
from corpus.add import add
from corpus.build import build
from labels.cli import UserError

PAGE = b"A page added twice at once\n\nIts body.\n"


def _add(files, sources):
    return add(files, sources, publisher=None, url=None, language="en", license="unknown", split=None)


def test_a_held_lock_makes_add_and_build_wait_then_refuse(sources, tmp_path, monkeypatch):
    page = tmp_path / "p.txt"
    page.write_bytes(PAGE)
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)
    before = sources.manifest.read_bytes()
    with lock.corpus_lock(sources.lock_file):
        with pytest.raises(UserError, match=r"another corpus command has held the lock for 0 s"):
            _add([page], sources)
        with pytest.raises(UserError, match=r"another corpus command has held the lock"):
            build(sources)
    assert sources.manifest.read_bytes() == before
    assert not sources.dataset_dir.exists()
    _add([page], sources)  # released: it goes through


def test_an_add_waits_for_the_lock_then_plans_from_the_current_manifest(sources, tmp_path):
    page = tmp_path / "p.txt"
    page.write_bytes(PAGE)
    outcome = {}

    def second():
        try:
            _add([page], sources)
            outcome["result"] = "added"
        except UserError as err:
            outcome["result"] = str(err)

    known = len(manifest.read(sources.manifest))
    with lock.corpus_lock(sources.lock_file):
        worker = threading.Thread(target=second)
        worker.start()
        worker.join(0.3)
        assert worker.is_alive()  # waiting for the lock, not planning yet
        manifest.write(sources.manifest, manifest.read(sources.manifest) + _planned_entry(page, sources))
    worker.join(30)
    assert outcome["result"].endswith("nothing was added") and "duplicate of document" in outcome["result"]
    assert len(manifest.read(sources.manifest)) == known + 1


def _planned_entry(page, sources):
    from corpus.add import plan
    return [p.entry for p in plan([page], sources, publisher=None, url=None, language="en",
                                  license="unknown", split=None)]


def test_two_adds_of_the_same_page_at_once_list_it_once(tmp_path):
    project = copy_sources(tmp_path / "project", code=True)
    known = len(manifest.read(project.manifest))
    page = tmp_path / "p.txt"
    page.write_bytes(PAGE)
    cmd = [sys.executable, "-m", "corpus.add", str(page)]
    procs = [subprocess.Popen(cmd, cwd=tmp_path / "project", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    results = [(p.wait(120), p.stderr.read()) for p in procs]
    assert sorted(code for code, _ in results) == [0, 2, 2]
    for code, err in results:
        if code:
            assert "duplicate of document" in err and "Traceback" not in err
    ids = [e.doc_id for e in manifest.read(project.manifest)]
    assert len(ids) == len(set(ids)) == known + 1


def test_remove_waits_for_the_lock_too(sources, monkeypatch):
    from corpus.remove import remove
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.2)
    doc_id = manifest.read(sources.manifest)[0].doc_id
    before = sources.manifest.read_bytes()
    with lock.corpus_lock(sources.lock_file):
        with pytest.raises(UserError, match=r"another corpus command has held the lock"):
            remove([doc_id], sources)
    assert sources.manifest.read_bytes() == before
