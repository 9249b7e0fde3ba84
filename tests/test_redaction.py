"""Label files of pages kept outside the repository carry digests, not the page's text."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from conftest import SEED_GOLD, SEED_ID, SEED_RAW, cli, copy_sources
from corpus import manifest
from labels import model, redaction
from labels.text import normalise
from labels.validate import check_file

SEED_TEXT = normalise(SEED_RAW.read_bytes())


def test_redact_then_restore_gives_back_the_file_exactly():
    data = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    hidden = redaction.redact(data)
    flat = json.dumps(hidden, ensure_ascii=False)
    for ent in data["entities"]:
        assert f'"text": {json.dumps(ent["text"], ensure_ascii=False)}' not in flat
    assert all("text" not in line and len(line["text_sha256"]) == 16 for line in hidden["lines"])
    page_targets = [s for s in hidden["stance"] if s["target_origin"] == "page"]
    assert page_targets and all("target" not in s and "target_sha256" in s for s in page_targets)
    assert redaction.is_redacted(hidden) and not redaction.is_redacted(data)
    kept = json.dumps(hidden)
    restored, problems = redaction.restore(hidden, SEED_TEXT)
    assert (restored, problems) == (data, [])
    # neither call changes what it was given (each works on its own copy, evidence lists included)
    assert json.dumps(hidden) == kept and data == json.loads(SEED_GOLD.read_text(encoding="utf-8"))


def test_a_shifted_offset_is_caught_by_its_digest():
    hidden = redaction.redact(json.loads(SEED_GOLD.read_text(encoding="utf-8")))
    e1 = hidden["entities"][0]
    e1["start"] += 1
    e1["end"] += 1
    _, problems = redaction.restore(hidden, SEED_TEXT)
    assert [(r, f) for r, f, _ in problems] == [(e1["id"], "text")]
    assert "does not match the text at" in problems[0][2]


def test_load_without_the_page_is_one_problem(tmp_path):
    path = tmp_path / f"{SEED_ID}.json"
    doc, _ = model.load(SEED_GOLD)
    path.write_text(model.dump(doc, redact=True), encoding="utf-8")
    assert model.load(path) == (None, [model.Problem(str(path), "document", "doc_id",
                                                     "its surfaces are kept as digests and the page is not at "
                                                     "hand: build or validate with the pages folder present")])
    again, problems = model.load(path, {SEED_ID: SEED_TEXT}.get)
    assert (again, problems) == (doc, [])


def test_validate_refuses_page_text_of_an_outside_page_and_accepts_its_digests(tmp_path):
    doc, _ = model.load(SEED_GOLD)
    plain, hidden = tmp_path / "plain" / f"{SEED_ID}.json", tmp_path / "hidden" / f"{SEED_ID}.json"
    for path, redact in ((plain, False), (hidden, True)):
        path.parent.mkdir()
        model.write(path, doc, redact=redact)
    outside = frozenset({SEED_ID})
    assert [p.message for p in check_file(plain, {SEED_ID: SEED_TEXT}, outside)[1]] == [
        "quotes the text of a page kept outside the repository: commit it without surfaces "
        "(python -m labels.redact FILE)"]
    assert check_file(hidden, {SEED_ID: SEED_TEXT}, outside) == (doc, [])


def test_redact_command_rewrites_only_valid_files_of_outside_pages(tmp_path):
    project = copy_sources(tmp_path / "project", code=True)
    root = project.raw_dir.parent.parent
    gold = project.gold_dir / f"{SEED_ID}.json"
    before = gold.read_text(encoding="utf-8")
    manifest.write(project.manifest, [e for e in manifest.read(project.manifest) if not e.external])
    done = cli("labels.redact", str(gold), cwd=root)  # a page the repository holds: left as it is
    assert (done.returncode, done.stdout, gold.read_text(encoding="utf-8")) == (0, "", before)
    # the same page kept in the pages folder beside the project instead
    pages = project.pages_dir
    pages.mkdir(parents=True)
    (project.raw_dir / f"{SEED_ID}.txt").rename(pages / "seed.txt")
    manifest.write(project.manifest, [replace(e, pages_path="seed.txt") for e in manifest.read(project.manifest)])
    done = cli("labels.redact", str(gold), cwd=root)
    assert (done.returncode, done.stdout) == (0, f"redacted {gold}\n")
    assert redaction.is_redacted(json.loads(gold.read_text(encoding="utf-8")))
    assert cli("labels.validate", str(gold), cwd=root).returncode == 0
    broken = json.loads(before)
    broken["entities"][0]["start"] += 1
    gold.write_text(json.dumps(broken), encoding="utf-8")
    done = cli("labels.redact", str(gold), cwd=root)
    assert done.returncode == 1 and json.loads(gold.read_text(encoding="utf-8")) == broken
