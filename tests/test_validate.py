"""Validation of gold files: each mistake is reported exactly, all at once, and fails the CLI."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEED_GOLD, SEED_ID, cli, edit_gold
from corpus.build import build
from corpus.add import add
from labels.cli import run
from labels.problems import InvalidLabels, Problem
from labels.validate import main as validate_main
from labels.validate import unlabelled, validate

ROLES = "headline, subheadline, body, caption, media, metadata, author, related, navigation, other"
TYPES = ("PERSON, NORP, FAC, ORG, GPE, LOC, PRODUCT, EVENT, WORK_OF_ART, LAW, LANGUAGE, DATE, TIME, PERCENT, "
         "MONEY, QUANTITY, ORDINAL, CARDINAL")
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
                              "surface 'Ukraine' does not match the text at [54, 61): 'kraine '; "
                              "it occurs at [53, 60)"),
        unknown_type: Problem(f, "e3", "type", f"unknown entity type 'DURATION'; expected one of {TYPES}"),
        overlap: Problem(f, "e67", "start",
                         "overlaps e3 'Chinese Foreign Ministry' [328, 352): entities are flat"),
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


def test_document_without_labels_is_information_not_an_error(sources):
    _gold(sources).unlink()
    assert validate(None, sources) == []
    assert unlabelled(sources) == [SEED_ID]


def test_malformed_json(sources):
    text = _gold(sources).read_text(encoding="utf-8")
    lines = text.splitlines()
    number = lines.index(' "entities": [') + 1
    assert number == 34
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
    ]
    return sorted(want), gold, broken, entry.doc_id


def test_all_problems_are_reported_at_once(sources, tmp_path):
    want, _, _, entry_id = _everything_wrong(sources, tmp_path)
    got = validate(None, sources)
    assert sorted(got) == want
    assert len(got) == 8
    assert unlabelled(sources) == [entry_id]


def test_cli_exits_1_and_prints_every_problem(tmp_path):
    """`python -m labels.validate FILE` on a mutated copy of the seed's gold file."""
    mutated = tmp_path / f"{SEED_ID}.json"
    shutil.copy(SEED_GOLD, mutated)
    for mutation in MUTATIONS:
        edit_gold(mutated, mutation)
    done = cli("labels.validate", str(mutated))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [str(p) for p in sorted(expected(mutated).values(), key=Problem.sort_key)]
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
    assert capsys.readouterr().out == "ok: 1 label file(s) valid\n"


def test_cli_on_the_committed_labels_passes():
    done = cli("labels.validate")
    assert (done.returncode, done.stdout, done.stderr) == (0, "ok: all label file(s) valid\n", "")


def test_cli_bad_option_is_a_user_error():
    done = cli("labels.validate", "--no-such-option")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


# --- scheme 2, review status, unknown keys and hostile JSON ---------------------------------

def _seed_text() -> str:
    from labels.text import normalise
    return normalise((ROOT / "corpus" / "raw" / f"{SEED_ID}.txt").read_bytes())


def test_an_entity_and_a_holder_outside_the_content_lines_are_refused(sources):
    start = _seed_text().index("Martin Fornusek")  # line 26, the author box

    def change(data):
        data["entities"].append({"id": "e30", "start": start, "end": start + 15, "text": "Martin Fornusek",
                                 "type": "PERSON"})
        _stance(data, "s10")["holder"] = "e30"

    edit_gold(_gold(sources), change)
    f = str(_gold(sources))
    assert validate(None, sources) == [
        Problem(f, "e30", "start", f"entity 'Martin Fornusek' at [{start}, {start + 15}) is outside the content "
                                   "lines: scheme 2 annotates entities in headline, subheadline and body lines only"),
        Problem(f, "s10", "holder", "holder 'e30' is outside the content lines: a holder is a mention in the "
                                    "headline, subheadline or body"),
    ]


def test_an_empty_entity_id_used_as_a_holder_is_refused(sources):
    def change(data):
        _entity(data, "e1")["id"] = ""
        _stance(data, "s10")["holder"] = ""

    edit_gold(_gold(sources), change)
    f = str(_gold(sources))
    problems = validate(None, sources)
    assert Problem(f, "entities[0]", "id", "empty entity id for 'China': give it an id such as e1") in problems
    assert Problem(f, "s10", "holder", "source-level instances need a holder entity id (it is empty)") in problems
    with pytest.raises(InvalidLabels):
        build(sources)


def test_unknown_keys_are_errors_everywhere(sources):
    def change(data):
        data["tpye"] = "x"
        _entity(data, "e2")["tpye"] = "GPE"
        _line(data, 0)["comment"] = "menu"
        _stance(data, "s10")["evidence"][0]["note"] = "?"
        data["history"][0]["when"] = "today"

    edit_gold(_gold(sources), change)
    f = str(_gold(sources))
    assert sorted(validate(None, sources), key=Problem.sort_key) == [
        Problem(f, "document", "history[0].when",
                "unknown key 'when'; expected one of action, by"),
        Problem(f, "document", "tpye",
                "unknown key 'tpye'; expected one of doc_id, entities, history, lines, stance, status"),
        Problem(f, "e2", "tpye", "unknown key 'tpye'; expected one of end, id, proposed_by, start, text, type"),
        Problem(f, "line 0", "comment",
                "unknown key 'comment'; expected one of end, line, proposed_by, role, start, text"),
        Problem(f, "s10", "evidence[0].note", "unknown key 'note'; expected one of end, start, text"),
    ]


@pytest.mark.parametrize("status, history, message", [
    ("final", [{"action": "annotated", "by": "A"}], "status: unknown status 'final'; expected one of draft, "
                                                    "annotated, reviewed, adjudicated"),
    ("reviewed", [{"action": "annotated", "by": "A"}, {"action": "reviewed", "by": "A"}],
     "history: the reviewer must be someone other than the annotator"),
    ("adjudicated", [{"action": "annotated", "by": "A"}, {"action": "adjudicated", "by": "C"}],
     "history: status 'adjudicated' needs 'annotated' steps by two different annotators"),
    ("annotated", [], "history: status 'annotated' needs an 'annotated' step naming the annotator"),
    ("draft", [{"action": "drafted", "by": " "}], "history[0]: by: empty; name who did it"),
])
def test_a_status_its_history_does_not_back_up_is_refused(sources, status, history, message):
    edit_gold(_gold(sources), lambda d: d.update(status=status, history=history))
    assert [f"{p.field}: {p.message}" for p in validate(None, sources)] == [message]


def test_json_nested_thousands_of_levels_deep_is_one_problem(sources):
    _gold(sources).write_text('{"doc_id": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    assert validate(None, sources) == [
        Problem(str(_gold(sources)), "document", "-",
                "JSON nested too deeply to be a label file: records are at most three levels deep")]
    done = cli("labels.validate", str(_gold(sources)))
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_moderately_nested_json_in_a_field_is_a_shape_problem(sources):
    edit_gold(_gold(sources), lambda d: _entity(d, "e2").update(type=json.loads("[" * 500 + "]" * 500)))
    assert validate(None, sources) == [Problem(str(_gold(sources)), "e2", "type", "expected str, got a JSON array")]


def test_lone_surrogate_escapes_are_refused_before_the_build(sources):
    raw = _gold(sources).read_text(encoding="utf-8")
    _gold(sources).write_text(raw.replace('"target": "China is considering participating',
                                          '"target": "\\ud800China is considering participating', 1),
                              encoding="utf-8")
    f = str(_gold(sources))
    expected_problem = Problem(f, "s10", "target", "holds a lone surrogate escape ('\\ud800China is considering participatin): "
                                                   "not a Unicode character; write the character itself")
    assert expected_problem in validate(None, sources)
    with pytest.raises(InvalidLabels) as err:
        build(sources)
    assert expected_problem in err.value.problems
    done = cli("labels.validate", f)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "\\ud800" in done.stderr


def test_problems_read_in_document_order(sources):
    def change(data):
        _line(data, 10)["start"] += 1
        _line(data, 2)["start"] += 1
        _entity(data, "e12")["type"] = "X"
        _entity(data, "e2")["type"] = "Y"

    edit_gold(_gold(sources), change)
    ordered = InvalidLabels(validate(None, sources)).problems
    assert [(p.record, p.field) for p in ordered if p.record != "document"] == [
        ("e2", "type"), ("e12", "type"), ("line 2", "start"), ("line 10", "start")]
