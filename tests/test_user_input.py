"""Mechanisms for odd input: the bounded reader (labels.userfiles), plain-text decoding
(labels.text.decode_plain), the manifest's field checks, shared argument checks and the
dataset loader's checks. Each refusal is one line naming the file, exit 2, nothing changed."""
from __future__ import annotations

import json
import os
import shutil

import pyarrow.parquet as pq
import pytest

from conftest import COMMITTED, SEED_RAW, cli, copy_sources, tree_hashes
from corpus.add import add
from corpus.parquet_sink import data_path
from corpus.splits import assign_split
from labels.text import NotPlainText, doc_id_of, normalise

PAGE = "A headline\n\nA body line.\n"


@pytest.fixture
def project(tmp_path):
    return copy_sources(tmp_path / "project", code=True)


def _root(project):
    return project.version_file.parent.parent


def _one_line_error(done, code=2):
    assert done.returncode == code, done.stderr
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    return done.stderr


# --- the bounded reader ------------------------------------------------------------------

def test_a_device_is_refused_without_reading_it(project, tmp_path):
    before = tree_hashes(project.raw_dir)
    err = _one_line_error(cli("corpus.add", "/dev/zero", cwd=_root(project)))
    assert err == "error: /dev/zero: not a regular file (a device or pipe?), expected a page\n"
    link = tmp_path / "zero.jsonl"
    link.symlink_to("/dev/zero")
    err = _one_line_error(cli("baselines.score", "--task", "stance", "--predictions", str(link)))
    assert err == f"error: {link}: not a regular file (a device or pipe?), expected a predictions file\n"
    assert tree_hashes(project.raw_dir) == before


def test_a_folder_given_as_a_page_is_one_line(project, tmp_path):
    err = _one_line_error(cli("corpus.add", str(tmp_path), cwd=_root(project)))
    assert err == f"error: {tmp_path}: is a folder, expected a page\n"


# --- plain-text decoding -----------------------------------------------------------------

NUL = "a binary file (or UTF-16 without a byte-order mark), not a page"
CONTROL = "a binary file or a wrong encoding, not a page"


@pytest.mark.parametrize("raw, reason", [
    (PAGE.encode("utf-16-le"), f"NUL byte at byte 1: {NUL}"),
    (PAGE.encode("utf-16-be"), f"NUL byte at byte 0: {NUL}"),
    (PAGE.encode("utf-16"), f"NUL byte at byte 3: {NUL}"),
    (b"A headline\x00\nbody\n", f"NUL byte at byte 10: {NUL}"),
    (b"A \x1b[1mbold\x1b[0m line\n", f"control character U+001B at character 2: {CONTROL}"),
    ("caf\u0085\n".encode(), f"control character U+0085 at character 3: {CONTROL}"),
], ids=["utf16-le", "utf16-be", "utf16-bom", "nul", "escape", "c1-control"])
def test_pages_that_are_not_plain_text_are_refused(project, tmp_path, raw, reason):
    page = tmp_path / "page.txt"
    page.write_bytes(raw)
    before = tree_hashes(project.raw_dir)
    assert _one_line_error(cli("corpus.add", str(page), cwd=_root(project))) == \
        f"error: {page}: {reason}; nothing was added\n"
    assert tree_hashes(project.raw_dir) == before


@pytest.mark.parametrize("raw, reason", [
    ("A page\n".encode("utf-16-le"), "looks like UTF-16 without a byte-order mark (every other byte is NUL): "
                                      "convert it to UTF-8 first"),
    ("A page\n".encode("utf-16"), "UTF-16 (it starts with a UTF-16 byte-order mark): convert it to UTF-8 first"),
    (b"a \x07 bell\n", f"control character U+0007 at character 2: {CONTROL}"),
], ids=["utf16-le", "utf16-bom", "bell"])
def test_plain_text_decoding_names_the_reason(raw, reason):
    with pytest.raises(NotPlainText) as err:
        normalise(raw)
    assert str(err.value) == reason


def test_tabs_form_feeds_and_line_breaks_are_text():
    assert normalise(b"a\tb\x0cc\r\nd\n") == "a\tb\x0cc\nd\n"


def test_a_near_duplicate_joins_its_originals_split_with_a_warning(sources, tmp_path):
    seed = SEED_RAW.read_bytes()
    original = doc_id_of(normalise(seed))
    for k in range(1, 200):  # whitespace variants until one would hash into another split
        variant = seed.replace(b"\n", b" " * k + b"\n", 1).replace(b" ", "\u00a0".encode(), 1)
        if assign_split(doc_id_of(normalise(variant))) != "test":
            break
    page = tmp_path / "variant.txt"
    page.write_bytes(variant)
    warnings = []
    [entry] = add([page], sources, warn=warnings.append, publisher=None, url=None, language="en",
                  license="unknown", split=None)
    assert entry.split == "test" and entry.doc_id != original
    assert warnings == [f"warning: {page}: near-duplicate of document {original} (differs only in whitespace); "
                        "it goes to that page's split, test"]


def test_a_near_duplicate_forced_into_another_split_says_they_straddle(sources, tmp_path):
    page = tmp_path / "variant.txt"
    page.write_bytes(SEED_RAW.read_bytes() + b"\n\n")
    warnings = []
    [entry] = add([page], sources, warn=warnings.append, publisher=None, url=None, language="en",
                  license="unknown", split="train")
    assert entry.split == "train"
    assert warnings[0].endswith("it goes to train while that page is in test: the two straddle splits")


# --- the manifest's fields -----------------------------------------------------------------

@pytest.mark.parametrize("flag, value, message", [
    ("--publisher", "Example\nNews", "publisher: holds a line break or control character (U+000A); give it on one line"),
    ("--license", "CC\rBY", "license: holds a line break or control character (U+000D); give it on one line"),
    ("--url", "https://e.org/\x1b", "url: holds a line break or control character (U+001B); give it on one line"),
])
def test_provenance_with_a_line_break_is_refused(project, tmp_path, flag, value, message):
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    before = tree_hashes(project.raw_dir)
    assert _one_line_error(cli("corpus.add", str(page), flag, value, cwd=_root(project))) == \
        f"error: {page}: {message}\n"
    assert tree_hashes(project.raw_dir) == before


@pytest.mark.parametrize("line, message", [
    (b'{"doc_id": "caf\xe9"}', "not UTF-8 (byte 15)"),
    (b"[" * 100_000 + b"]" * 100_000, "not a manifest entry (JSON nested too deeply)"),
    (b'{"doc_id": "\\ud800"}', "doc_id: holds a lone surrogate (not valid Unicode text)"),
], ids=["not-utf8", "nested-deep", "lone-surrogate"])
def test_a_malformed_manifest_line_is_one_line(project, line, message):
    number = len(project.manifest.read_bytes().splitlines()) + 1
    with project.manifest.open("ab") as fh:
        fh.write(line + b"\n")
    assert _one_line_error(cli("corpus.build", cwd=_root(project))) == \
        f"error: {project.manifest}: line {number}: {message}\n"
    assert not project.dataset_dir.exists()


# --- VERSION and CHANGELOG ---------------------------------------------------------------

def test_a_missing_or_odd_version_file_is_one_line(project):
    project.version_file.unlink()
    err = _one_line_error(cli("corpus.build", cwd=_root(project)))
    assert err == f"error: {project.version_file}: cannot read: No such file or directory\n"
    project.version_file.mkdir()
    err = _one_line_error(cli("corpus.build", "--check", cwd=_root(project)))
    assert err == f"error: {project.version_file}: is a folder, expected a version file\n"


def test_a_changelog_that_is_not_utf8_is_one_line(project):
    project.changelog.write_bytes(project.changelog.read_bytes() + b"\n- caf\xe9\n")
    err = _one_line_error(cli("corpus.build", cwd=_root(project)))
    assert err.startswith(f"error: {project.changelog}: the changelog is not UTF-8 (byte ")


# --- scoring arguments ---------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (("--resamples", "0"), "argument --resamples: 0: must be at least 10"),
    (("--resamples", "-5"), "argument --resamples: -5: must be at least 10"),
    (("--seed", "-1"), "argument --seed: -1 is not a seed: give an integer from 0 to 2**63-1"),
])
@pytest.mark.parametrize("module", ["baselines.score", "baselines.run"])
def test_bad_seeds_and_resample_counts_are_usage_errors(tmp_path, module, args, message):
    pred = tmp_path / "p.jsonl"
    pred.write_text("")
    extra = ("--task", "stance", "--predictions", str(pred)) if module == "baselines.score" else (
        "--out", str(tmp_path / "out"))
    done = cli(module, *extra, *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1].endswith(f"error: {message}")
    assert not (tmp_path / "out").exists()


# --- the dataset loader --------------------------------------------------------------------

def test_a_missing_dataset_folder_is_not_a_hub_error(tmp_path):
    err = _one_line_error(cli("baselines.score", "--task", "stance", "--predictions", str(tmp_path / "p.jsonl"),
                              "--dataset", "/nonexistent/dir"))
    assert err == "error: /nonexistent/dir: no such folder, and not a Hub id of the form OWNER/NAME\n"


@pytest.fixture
def local_copy(tmp_path):
    folder = tmp_path / "ds"
    shutil.copytree(COMMITTED, folder)
    return folder


def _score_against(folder, tmp_path):
    env_cache = tmp_path / "cache"
    pred = tmp_path / "p.jsonl"
    pred.write_text("")
    os.environ["HF_DATASETS_CACHE"] = str(env_cache)
    try:
        return cli("baselines.score", "--task", "stance", "--predictions", str(pred), "--dataset", str(folder))
    finally:
        del os.environ["HF_DATASETS_CACHE"]


def test_a_truncated_parquet_file_in_a_local_dataset_is_one_line(local_copy, tmp_path):
    path = data_path(local_copy, "stance", "test")
    path.write_bytes(path.read_bytes()[:400])
    done = _score_against(local_copy, tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == f"error: {path}: not a readable Parquet file (ArrowInvalid)"


def test_a_missing_column_in_a_local_dataset_is_one_line(local_copy, tmp_path):
    path = data_path(local_copy, "stance", "test")
    pq.write_table(pq.read_table(path).drop(["label"]), path)
    done = _score_against(local_copy, tmp_path)
    assert done.stderr == f"error: {path}: config stance: missing column(s) label\n" and done.returncode == 2


def test_a_predictions_file_nested_thousands_deep_or_with_lone_surrogates_is_one_line(tmp_path):
    deep = tmp_path / "deep.jsonl"
    deep.write_text('{"doc_id": ' + "[" * 50_000 + "]" * 50_000 + "}\n")
    lone = tmp_path / "lone.jsonl"
    lone.write_text(json.dumps({"doc_id": "\ud800", "id": "s1", "label": "agree"}) + "\n")
    for path in (deep, lone):
        done = cli("baselines.score", "--task", "stance", "--predictions", str(path))
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.startswith(f"error: {path}") and done.stderr.count("\n") == 1


def test_a_cut_leaderboard_is_one_line_for_build_and_check(project):
    board = project.results_dir / project.version() / "leaderboard.json"
    board.write_bytes(board.read_bytes()[:4096])
    for args in ((), ("--check",)):
        err = _one_line_error(cli("corpus.build", *args, cwd=_root(project)))
        assert err.startswith(f"error: {board}: the leaderboard is not valid JSON (")
    assert not project.dataset_dir.exists()
