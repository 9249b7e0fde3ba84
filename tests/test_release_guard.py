"""Mechanism: the version-bump guard compares with the release record (corpus/releases.jsonl),
not with the dataset on disk; and --check compares the whole tree, file by file."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import COMMITTED, SEED_ID, cli, copy_sources, edit_gold, tree_hashes
from corpus import check, releases
from corpus.build import build, write_dataset
from corpus.parquet_sink import data_path, read_metadata
from labels.cli import CheckFailed, UserError


def _edit(sources):
    def change(d):
        d["stance"][0]["label"] = "agree" if d["stance"][0]["label"] != "agree" else "discuss"
    edit_gold(sources.gold_dir / f"{SEED_ID}.json", change)


def _bump(sources, version):
    sources.version_file.write_text(version + "\n")
    with sources.changelog.open("a", encoding="utf-8") as fh:
        fh.write(f"\n## [{version}]\n\n- A stance label corrected.\n")


@pytest.fixture
def project(tmp_path):
    sources = copy_sources(tmp_path / "project", code=True)
    shutil.copytree(COMMITTED, sources.dataset_dir)
    return sources


def test_the_committed_release_record_holds_the_committed_fingerprint():
    meta = read_metadata(data_path(COMMITTED, "documents", "test"))
    assert releases.read(COMMITTED.parent / "corpus" / "releases.jsonl")[(meta["version"], releases.REPOSITORY)] == meta["fingerprint"]


def test_the_readme_order_cannot_pass_an_edit_under_the_old_version(project, tmp_path):
    """Edit a label, then `corpus.build && corpus.build --check`: both refuse, nothing changes."""
    version = project.version()
    recorded = releases.read(project.releases)[(version, releases.REPOSITORY)]
    _edit(project)
    new = write_dataset(project, tmp_path / "scratch").fingerprint
    before, record = tree_hashes(project.dataset_dir), project.releases.read_bytes()
    line = (f"content changed since version {version} was recorded (fingerprint {recorded} -> {new}): "
            "bump corpus/VERSION and add a CHANGELOG.md entry")
    done = cli("corpus.build", cwd=project.version_file.parent.parent)
    assert (done.returncode, done.stderr) == (2, f"error: {project.version_file}: {line}\n")
    done = cli("corpus.build", "--check", cwd=project.version_file.parent.parent)
    assert done.returncode == 1 and f"\n  {line}\n" in done.stderr
    assert tree_hashes(project.dataset_dir) == before and project.releases.read_bytes() == record


def test_the_first_build_of_a_new_version_records_it_once(project):
    _edit(project)
    _bump(project, "9.0.0")
    summary = build(project)
    assert releases.read(project.releases)[("9.0.0", releases.REPOSITORY)] == summary.fingerprint
    lines = project.releases.read_text().splitlines()
    build(project)
    assert project.releases.read_text().splitlines() == lines
    assert json.loads(lines[-1]) == {"version": "9.0.0", "fingerprint": summary.fingerprint}
    assert check.main_check(project, project.dataset_dir) == 0


def test_a_version_older_than_the_last_release_is_refused(project):
    last = project.version()  # the committed version is the last one recorded
    _bump(project, "0.9.0")
    with pytest.raises(UserError, match=rf"version 0\.9\.0 is older than the last recorded release {re.escape(last)}"):
        build(project)


def test_check_fails_at_a_version_that_was_never_recorded(project):
    _bump(project, "9.1.0")
    with pytest.raises(CheckFailed, match=r"version 9\.1\.0 is not recorded in releases\.jsonl: run python -m corpus\.build"):
        check.main_check(project, project.dataset_dir)


@pytest.mark.parametrize("content, message", [
    ("not json\n", "line 1: not valid JSON"),
    ('{"version": "2.0.0"}\n', "line 1: expected"),
    ('{"version": "2.0", "fingerprint": "x"}\n', "line 1: version: '2.0' is not semver"),
    (b"\xff\xfe", "the release record is not UTF-8 (byte 0)"),
])
def test_a_malformed_release_record_is_one_line(project, content, message):
    (project.releases.write_bytes if isinstance(content, bytes) else project.releases.write_text)(content)
    done = cli("corpus.build", cwd=project.version_file.parent.parent)
    assert done.returncode == 2 and message in done.stderr and done.stderr.count("\n") == 1


# --- --check compares the whole tree ---------------------------------------------------------

def test_check_refuses_an_extra_parquet_file_beside_the_real_one(project):
    real = data_path(project.dataset_dir, "stance", "test")
    stray = real.with_name("test-0000000000000000.parquet")
    shutil.copy2(real, stray)
    with pytest.raises(CheckFailed) as err:
        check.main_check(project, project.dataset_dir)
    assert str(err.value).splitlines()[1:] == [
        f"  data/stance/{stray.name}: not produced by the sources (stale file)"]


def test_check_reports_a_truncated_parquet_file_in_one_line(project):
    real = data_path(project.dataset_dir, "entities", "test")
    real.write_bytes(real.read_bytes()[:300])
    done = cli("corpus.build", "--check", cwd=project.version_file.parent.parent)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"  data/entities/{real.name}: not a readable Parquet file (ArrowInvalid)" in done.stderr.splitlines()


def test_publish_dry_run_does_not_stage_a_stray_file(project, tmp_path):
    real = data_path(project.dataset_dir, "documents", "test")
    shutil.copy2(real, real.with_name("test-0000000000000000.parquet"))
    staged = tmp_path / "staged"
    done = cli("corpus.publish", "--repo-id", "o/n", "--dry-run", str(staged), cwd=project.version_file.parent.parent)
    assert done.returncode == 1 and "stale file" in done.stderr
    assert not staged.exists()
