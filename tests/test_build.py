"""`corpus.build`: all-or-nothing builds, byte-identical rebuilds, a stable fingerprint, and --check."""
from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import COMMITTED, SEED_ID, cli, copy_sources, edit_gold, tree_hashes
from benchmarks.synthetic import generate
from corpus import check
from corpus.build import build, write_dataset
from corpus.features import CONFIGS, FEATURES
from corpus.parquet_sink import data_file, data_path, read_metadata
from corpus.sources import Sources
from labels.cli import CheckFailed, UserError
from labels.problems import InvalidLabels, Problem
from labels.validate import validate



def docs_file(root: Path) -> Path:
    return data_path(root, "documents", "test")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The project's inputs copied once per module and built once: (sources, summary, hashes)."""
    sources = copy_sources(tmp_path_factory.mktemp("built") / "project")
    summary = build(sources)
    return sources, summary, tree_hashes(sources.dataset_dir)


@pytest.fixture
def with_dataset(tmp_path, built):
    """A private copy of the inputs with a dataset folder freshly built from them."""
    sources = copy_sources(tmp_path / "project")
    shutil.copytree(built[0].dataset_dir, sources.dataset_dir)
    return sources


def _leftovers(sources: Sources) -> list[str]:
    return sorted(p.name for p in sources.dataset_dir.parent.iterdir() if p.name.startswith(".dataset."))


# --- the committed dataset ---------------------------------------------------------------

def test_committed_dataset_passes_check():
    meta = read_metadata(docs_file(COMMITTED))
    done = cli("corpus.build", "--check")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (f"ok: {COMMITTED} equals a fresh build (version {meta['version']}, "
                           f"fingerprint {meta['fingerprint']})\n")


def test_fingerprint_equals_the_committed_datasets(built):
    sources, summary, _ = built
    committed = read_metadata(docs_file(COMMITTED))
    assert committed == {"version": sources.version(), "fingerprint": summary.fingerprint, "build": "repository"}
    assert len(summary.fingerprint) == 16 and int(summary.fingerprint, 16) >= 0
    assert check.differences(COMMITTED, sources.dataset_dir) == []


def test_every_parquet_file_carries_version_and_fingerprint(built):
    sources, summary, hashes = built
    parquet = [name for name in hashes if name.endswith(".parquet")]
    assert sorted(parquet) == sorted(data_file(c, s, summary.fingerprint) for c in CONFIGS for s in summary.splits)
    for name in parquet:
        assert read_metadata(sources.dataset_dir / name) == {"version": summary.version,
                                                              "fingerprint": summary.fingerprint,
                                                              "build": "repository"}
        config = name.split("/")[1]
        assert pq.read_schema(sources.dataset_dir / name).remove_metadata() == FEATURES[config].arrow_schema
    card = (sources.dataset_dir / "README.md").read_text(encoding="utf-8")
    assert f"- Version: **{summary.version}**" in card
    assert f"- Content fingerprint: `{summary.fingerprint}`" in card


def test_building_twice_is_byte_identical(built, tmp_path):
    sources, summary, hashes = built
    again = build(sources, tmp_path / "again")
    assert again.fingerprint == summary.fingerprint
    assert tree_hashes(tmp_path / "again") == hashes
    assert "README.md" in hashes and len(hashes) == 1 + len(CONFIGS) * len(summary.splits)


def test_gold_file_formatting_does_not_change_the_dataset(built, sources, tmp_path):
    _, summary, hashes = built
    gold = sources.gold_dir / f"{SEED_ID}.json"
    data = json.loads(gold.read_text(encoding="utf-8"))
    gold.write_text(json.dumps(data, indent=4, sort_keys=True, ensure_ascii=True), encoding="utf-8")
    assert build(sources, tmp_path / "reformatted").fingerprint == summary.fingerprint
    assert tree_hashes(tmp_path / "reformatted") == hashes


# --- failures leave the previous dataset alone ----------------------------------------------

def test_invalid_gold_raises_and_leaves_the_dataset_byte_identical(with_dataset):
    sources = with_dataset
    before = tree_hashes(sources.dataset_dir)
    gold = sources.gold_dir / f"{SEED_ID}.json"

    def change(d):
        e2 = next(e for e in d["entities"] if e["id"] == "e2")
        e2["start"], e2["end"] = 54, 61
        next(s for s in d["stance"] if s["id"] == "s10")["holder"] = "e999"

    edit_gold(gold, change)
    with pytest.raises(InvalidLabels) as err:
        build(sources)
    assert err.value.problems == [
        Problem(str(gold), "e2", "start", "surface 'Ukraine' does not match the text at [54, 61): 'kraine '; "
                                          "it occurs at [53, 60)"),
        Problem(str(gold), "s10", "holder", "holder 'e999' is not an entity id of this document"),
    ]
    assert str(err.value) == "\n".join(str(p) for p in err.value.problems)
    assert tree_hashes(sources.dataset_dir) == before
    assert _leftovers(sources) == []


def test_an_orphan_gold_file_fails_the_build(with_dataset):
    sources = with_dataset
    before = tree_hashes(sources.dataset_dir)
    orphan = sources.gold_dir / "0123456789abcdef.json"
    shutil.copy(sources.gold_dir / f"{SEED_ID}.json", orphan)
    with pytest.raises(InvalidLabels) as err:
        build(sources)
    assert err.value.problems == [
        Problem(str(orphan), "0123456789abcdef", "doc_id", "no such document in the corpus manifest"),
    ]
    assert tree_hashes(sources.dataset_dir) == before


def test_a_corpus_whose_only_page_is_unreviewed_has_nothing_to_build(with_dataset):
    sources = with_dataset
    before = tree_hashes(sources.dataset_dir)
    (sources.gold_dir / f"{SEED_ID}.json").unlink()
    with pytest.raises(UserError, match="the corpus has no documents"):
        build(sources)
    assert tree_hashes(sources.dataset_dir) == before


def test_missing_changelog_entry_is_a_user_error(with_dataset):
    sources = with_dataset
    before = tree_hashes(sources.dataset_dir)
    sources.version_file.write_text("99.98.97\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        build(sources)
    assert str(err.value) == f"{sources.changelog}: no entry '## [99.98.97]' for the dataset version"
    sources.changelog.unlink()
    with pytest.raises(UserError, match="no entry '## \\[99\\.98\\.97\\]'"):
        build(sources)
    sources.version_file.write_text("1.1\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        build(sources)
    assert str(err.value) == f"{sources.version_file}: version '1.1' is not semver (MAJOR.MINOR.PATCH)"
    assert tree_hashes(sources.dataset_dir) == before
    assert _leftovers(sources) == []


def test_changelog_entry_of_a_longer_version_does_not_count(with_dataset):
    """Regression: an entry for 1.2.10 (or "## 1.2.1-rc") is not the entry for version 1.2.1."""
    sources = with_dataset
    sources.version_file.write_text("1.2.1\n", encoding="utf-8")
    with sources.changelog.open("a", encoding="utf-8") as fh:
        fh.write("\n## [1.2.10]\n\n- a later release\n")
    with pytest.raises(UserError) as err:
        build(sources)
    assert str(err.value).endswith("no entry '## [1.2.1]' for the dataset version")


def test_cli_user_error_is_one_line_exit_2(tmp_path):
    project = copy_sources(tmp_path / "project", code=True)
    project.version_file.write_text("99.0.0\n", encoding="utf-8")
    done = cli("corpus.build", cwd=tmp_path / "project")
    assert done.returncode == 2
    assert done.stderr == f"error: {project.changelog}: no entry '## [99.0.0]' for the dataset version\n"
    assert not project.dataset_dir.exists()


# --- --check ---------------------------------------------------------------------------------

def _edit_first_role(sources: Sources) -> None:
    def change(d):
        line0 = next(x for x in d["lines"] if x["line"] == 0)
        assert line0["role"] == "navigation"
        line0["role"] = "other"

    edit_gold(sources.gold_dir / f"{SEED_ID}.json", change)


def test_check_passes_on_a_fresh_build(with_dataset, capsys):
    sources = with_dataset
    assert check.main_check(sources, sources.dataset_dir) == 0
    meta = read_metadata(docs_file(sources.dataset_dir))
    assert capsys.readouterr().out == (f"ok: {sources.dataset_dir} equals a fresh build "
                                       f"(version {meta['version']}, fingerprint {meta['fingerprint']})\n")


def test_check_fails_after_a_gold_edit_without_version_bump(with_dataset, tmp_path):
    sources = with_dataset
    old = read_metadata(docs_file(sources.dataset_dir))["fingerprint"]
    boilerplate = data_path(sources.dataset_dir, "boilerplate", "test")
    named = {c: data_path(sources.dataset_dir, c, "test").relative_to(sources.dataset_dir).as_posix() for c in CONFIGS}
    rows = pq.read_table(boilerplate).num_rows
    _edit_first_role(sources)
    new = write_dataset(sources, tmp_path / "scratch").fingerprint
    assert new != old
    before = tree_hashes(sources.dataset_dir)
    with pytest.raises(CheckFailed) as err:
        check.main_check(sources, sources.dataset_dir)
    lines = str(err.value).splitlines()
    assert lines[0] == f"{sources.dataset_dir} is not a fresh build of the sources (run python -m corpus.build):"
    assert lines[1] == (f"  content changed since version {sources.version()} was recorded (fingerprint {old} -> "
                        f"{new}): bump corpus/VERSION and add a CHANGELOG.md entry")
    assert f"  {named['boilerplate']}: config boilerplate: 1 of {rows} rows differ" in lines
    assert "  README.md: differs from a fresh build" in lines
    for config in ("documents", "entities", "entities_tokens", "stance"):
        assert f"  {named[config]}: config {config}: version or fingerprint differs" in lines
    assert tree_hashes(sources.dataset_dir) == before  # --check never writes


def test_check_after_version_bump_then_rebuild(with_dataset):
    sources = with_dataset
    _edit_first_role(sources)
    major, minor, _ = sources.version().split(".")
    bumped = f"{major}.{int(minor) + 1}.0"
    sources.version_file.write_text(bumped + "\n", encoding="utf-8")
    with pytest.raises(UserError, match=rf"no entry '## \[{bumped}\]'"):
        check.main_check(sources, sources.dataset_dir)
    with sources.changelog.open("a", encoding="utf-8") as fh:
        fh.write(f"\n## [{bumped}]\n\n- Line 0 of the seed page is other, not navigation.\n")
    with pytest.raises(CheckFailed) as err:
        check.main_check(sources, sources.dataset_dir)
    message = str(err.value)
    assert "content changed" not in message
    assert "config boilerplate: 1 of " in message
    summary = build(sources)
    assert summary.version == bumped
    assert check.main_check(sources, sources.dataset_dir) == 0
    assert read_metadata(docs_file(sources.dataset_dir)) == {"version": bumped, "fingerprint": summary.fingerprint,
                                                             "build": "repository"}


def test_check_reports_stale_and_missing_files(with_dataset):
    sources = with_dataset
    (sources.dataset_dir / "data" / "stance" / "old-00000-of-00001.parquet").write_bytes(b"PAR1")
    (sources.dataset_dir / "README.md").unlink()
    with pytest.raises(CheckFailed) as err:
        check.main_check(sources, sources.dataset_dir)
    lines = str(err.value).splitlines()
    assert f"  README.md: missing from {sources.dataset_dir}" in lines
    assert "  data/stance/old-00000-of-00001.parquet: not produced by the sources (stale file)" in lines
    assert len(lines) == 3


def test_check_cli_exits_1_after_a_gold_edit(tmp_path, built):
    project = copy_sources(tmp_path / "project", code=True)
    shutil.copytree(built[0].dataset_dir, project.dataset_dir)
    _edit_first_role(project)
    done = cli("corpus.build", "--check", cwd=tmp_path / "project")
    assert done.returncode == 1
    assert "content changed since version" in done.stderr
    assert "config boilerplate: 1 of " in done.stderr
    assert "Traceback" not in done.stderr


# --- a SYNTHETIC corpus across all three splits ----------------------------------------------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("SYNTHETIC")
    sources = generate(root / "corpus-a", 40, seed=1)
    return sources, build(sources)


def test_synthetic_corpus_is_valid_and_builds_every_split(synthetic):
    sources, summary = synthetic
    assert validate(None, sources) == []
    assert summary.splits == ["test", "train", "validation"]
    assert sum(summary.documents.values()) == 40
    for config in CONFIGS:
        for split in summary.splits:
            path = data_path(sources.dataset_dir, config, split)
            assert pq.read_table(path).num_rows == summary.rows[(config, split)] > 0
    docs = {split: pq.read_table(data_path(sources.dataset_dir, "documents", split)).column("doc_id").to_pylist()
            for split in summary.splits}
    for split, ids in docs.items():
        assert ids == sorted(ids)  # build order: split, then doc_id
    from corpus.manifest import read
    assert {e.doc_id: e.split for e in read(sources.manifest)} == {i: s for s, ids in docs.items() for i in ids}


def test_fingerprint_ignores_manifest_line_order(synthetic, tmp_path):
    sources, summary = synthetic
    copy = Sources.at(tmp_path / "shuffled")
    for folder in ("corpus", "labels"):
        shutil.copytree(sources.raw_dir.parent.parent / folder, tmp_path / "shuffled" / folder)
    shutil.copy2(sources.changelog, copy.changelog)
    lines = copy.manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(0).shuffle(lines)
    copy.manifest.write_text("".join(lines), encoding="utf-8")
    assert build(copy).fingerprint == summary.fingerprint
    assert tree_hashes(copy.dataset_dir) == tree_hashes(sources.dataset_dir)


def test_built_dataset_folder_is_readable_by_others(synthetic):
    """Regression: build() swaps in a tempfile.mkdtemp folder, which is created with mode 0700."""
    sources, _ = synthetic
    mode = sources.dataset_dir.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o777 & ~umask


def test_unreviewed_and_unlabelled_pages_are_left_out_by_name(tmp_path):
    """Gold splits hold only reviewed-up documents; the others are named in the output and counted in the card."""
    sources = generate(tmp_path / "corpus", 6, seed=3)
    golds = sorted(sources.gold_dir.glob("*.json"))
    no_gold, annotated, draft = golds[0].stem, golds[1].stem, golds[2].stem
    golds[0].unlink()

    def demote(to: str, history: list[dict]):
        def change(data):
            data["status"], data["history"] = to, history
        return change

    edit_gold(golds[1], demote("annotated", [{"action": "annotated", "by": "ana"}]))
    edit_gold(golds[2], demote("draft", [{"action": "drafted", "by": "rules"}]))
    summary = build(sources)
    kept = {d for split in summary.splits
            for d in pq.read_table(data_path(sources.dataset_dir, "documents", split)).column("doc_id").to_pylist()}
    assert kept == {p.stem for p in golds[3:]}
    for config in ("boilerplate", "entities", "stance"):
        rows = {d for split in summary.splits
                for d in pq.read_table(data_path(sources.dataset_dir, config, split)).column("doc_id").to_pylist()}
        assert rows <= kept
    assert sorted(map(str, summary.withheld)) == sorted([
        f"{no_gold} (no label file)", f"{annotated} (status 'annotated', not yet reviewed)",
        f"{draft} (status 'draft', not yet reviewed)"])
    assert summary.statuses == {"unlabelled": 1, "annotated": 1, "draft": 1, "reviewed": 3}
    card_text = (sources.dataset_dir / "README.md").read_text(encoding="utf-8")
    assert "| unlabelled | 1 | no, left out |\n| draft | 1 | no, left out |\n| annotated | 1 | no, left out |\n" \
           "| reviewed | 3 | yes |\n| adjudicated | 0 | yes |" in card_text
    assert f"- `{no_gold} (no label file)`" in card_text
