"""Validation of gold files: each mistake is reported exactly, all at once, and fails the CLI."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SEED_GOLD, SEED_ID, cli, edit_gold
from corpus.add import add
from labels.cli import run
from labels.problems import Problem
from labels.validate import main as validate_main
from labels.validate import validate

ROLES = "headline, subheadline, body, caption, media, metadata, author, related, navigation, other"
ORPHAN = "0123456789abcdef"


def _entity(data: dict, eid: str) -> dict:
    return next(e for e in data["entities"] if e["id"] == eid)


def _stance(data: dict, sid: str) -> dict:
    return next(s for s in data["stance"] if s["id"] == sid)


def _line(data: dict, number: int) -> dict:
    return next(x for x in data["lines"] if x["line"] == number)


def wrong_offset(data):
    e2 = _entity(data, "e2")  # "Ukraine" at [53, 60)
    e2["start"], e2["end"] = 54, 61


def unknown_type(data):
    _entity(data, "e3")["type"] = "DURATION"


def overlap(data):
    data["entities"].append({"id": "e67", "start": 336, "end": 352, "text": "Foreign Ministry", "type": "ORG"})


def dangling_holder(data):
    _stance(data, "s10")["holder"] = "e999"


def missing_role(data):
    data["lines"].remove(_line(data, 0))


def unknown_role(data):
    _line(data, 4)["role"] = "footer"


def expected(file: Path) -> dict:
    f = str(file)
    return {
        wrong_offset: Problem(f, "e2", "start",
                              "surface 'Ukraine' does not match the text at [54, 61): 'kraine '"),
        unknown_type: Problem(f, "e3", "type", "unknown entity type 'DURATION'"),
        overlap: Problem(f, "e67", "start",
                         "overlaps e13 'Chinese Foreign Ministry' [328, 352): entities are flat"),
        dangling_holder: Problem(f, "s10", "holder", "holder 'e999' is not an entity id of this document"),
        missing_role: Problem(f, "line 0", "role", "line has no role: 'News Feed'"),
        unknown_role: Problem(f, "line 4", "role", f"unknown role 'footer'; expected one of {ROLES}"),
    }


MUTATIONS = [wrong_offset, unknown_type, overlap, dangling_holder, missing_role, unknown_role]


def _gold(sources) -> Path:
    return sources.gold_dir / f"{SEED_ID}.json"


def test_the_copied_layout_is_valid(sources):
    assert validate(None, sources) == []
    assert validate([_gold(sources)], sources) == []


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_each_mistake_is_reported_exactly(sources, mutation):
    edit_gold(_gold(sources), mutation)
    assert validate(None, sources) == [expected(_gold(sources))[mutation]]
    assert validate([_gold(sources)], sources) == [expected(_gold(sources))[mutation]]


def test_label_file_for_a_document_not_in_the_manifest(sources):
    orphan = sources.gold_dir / f"{ORPHAN}.json"
    edit_gold(shutil.copy(_gold(sources), orphan), lambda d: d.update(doc_id=ORPHAN))
    assert validate(None, sources) == [
        Problem(str(orphan), "document", "doc_id", f"no document {ORPHAN} in the corpus manifest"),
    ]


def test_label_file_named_after_another_document(sources):
    other = sources.gold_dir / f"{ORPHAN}.json"
    shutil.copy(_gold(sources), other)  # doc_id inside is still the seed's
    assert validate([other], sources) == [
        Problem(str(other), "document", "doc_id", f"'{SEED_ID}' does not match the file name '{ORPHAN}.json'"),
    ]


def test_document_without_labels(sources):
    _gold(sources).unlink()
    assert validate(None, sources) == [
        Problem(str(_gold(sources)), SEED_ID, "labels", "document has no gold label file"),
    ]


def test_malformed_json(sources):
    text = _gold(sources).read_text(encoding="utf-8")
    lines = text.splitlines()
    number = lines.index(' "entities": [') + 1
    assert number == 28
    _gold(sources).write_text(text.replace(' "entities": [', ' "entities": [,'), encoding="utf-8")
    assert validate(None, sources) == [
        Problem(str(_gold(sources)), "document", "-", f"not valid JSON: Expecting value at line {number}"),
    ]


def test_wrong_field_shapes_are_problems_not_crashes(sources):
    def change(d):
        _entity(d, "e1")["start"] = "11"
        _stance(d, "s2")["evidence"] = None
        _line(d, 2)["role"] = True

    edit_gold(_gold(sources), change)
    f = str(_gold(sources))
    problems = validate(None, sources)
    assert Problem(f, "e1", "start", 'expected int, got "11"') in problems
    assert Problem(f, "s2", "evidence", "expected list, got null") in problems
    assert Problem(f, "line 2", "role", "expected str, got true") in problems


def _everything_wrong(sources, tmp_path) -> tuple[list[Problem], Path, Path, str]:
    gold = _gold(sources)
    for mutation in MUTATIONS:
        edit_gold(gold, mutation)
    orphan = sources.gold_dir / f"{ORPHAN}.json"
    edit_gold(shutil.copy(SEED_GOLD, orphan), lambda d: d.update(doc_id=ORPHAN))
    broken = sources.gold_dir / "fedcba9876543210.json"
    broken.write_text('{"doc_id": "fedcba9876543210",\n "lines": [\n', encoding="utf-8")
    page = tmp_path / "unlabelled.txt"
    page.write_text("A page nobody labelled\n\nIt has a body line.\n", encoding="utf-8")
    [entry] = add([page], sources, publisher=None, url=None, language="en", license="unknown", split=None)
    want = sorted(expected(gold).values()) + [
        Problem(str(orphan), "document", "doc_id", f"no document {ORPHAN} in the corpus manifest"),
        Problem(str(broken), "document", "-", "not valid JSON: Expecting value at line 3"),
        Problem(str(sources.gold_dir / f"{entry.doc_id}.json"), entry.doc_id, "labels",
                "document has no gold label file"),
    ]
    return sorted(want), gold, broken, entry.doc_id


def test_all_problems_are_reported_at_once(sources, tmp_path):
    want, *_ = _everything_wrong(sources, tmp_path)
    got = validate(None, sources)
    assert sorted(got) == want
    assert len(got) == 9


def test_cli_exits_1_and_prints_every_problem(tmp_path):
    """`python -m labels.validate FILE` on a mutated copy of the seed's gold file."""
    mutated = tmp_path / f"{SEED_ID}.json"
    shutil.copy(SEED_GOLD, mutated)
    for mutation in MUTATIONS:
        edit_gold(mutated, mutation)
    done = cli("labels.validate", str(mutated))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [str(p) for p in sorted(expected(mutated).values())]
    assert "Traceback" not in done.stderr


def test_cli_in_process_and_clean_file(tmp_path, capsys):
    mutated = tmp_path / f"{SEED_ID}.json"
    shutil.copy(SEED_GOLD, mutated)
    edit_gold(mutated, dangling_holder)
    with pytest.raises(SystemExit) as exit_:
        run(validate_main, [str(mutated)])
    assert exit_.value.code == 1
    assert capsys.readouterr().err == f"{mutated}: s10: holder: holder 'e999' is not an entity id of this document\n"

    with pytest.raises(SystemExit) as exit_:
        run(validate_main, [str(SEED_GOLD)])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == "ok: 1 gold file(s) valid\n"


def test_cli_on_the_committed_labels_passes():
    done = cli("labels.validate")
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok: all gold file(s) valid\n", "")


def test_cli_bad_option_is_a_user_error():
    done = cli("labels.validate", "--no-such-option")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
