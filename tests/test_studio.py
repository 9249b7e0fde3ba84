"""The Label Studio format offline: config, round trip, UTF-16 offsets, and every refusal of labels.import."""
from __future__ import annotations

import copy
import importlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, SEED_GOLD, SEED_ID, SEED_RAW, cli, copy_sources, tree_hashes
from labels import model, scheme, studio
from labels.model import Entity, GoldDocument, LineLabel
from labels.problems import InvalidLabels, Problem
from labels.status import Step
from labels.text import normalise

importer = importlib.import_module("labels.import")
TEXT = normalise(SEED_RAW.read_bytes())
HISTORY = (Step("annotated", "ana"),)


def _seed() -> GoldDocument:
    doc, problems = model.load(SEED_GOLD)
    assert problems == []
    return doc


def test_config_covers_the_three_tasks_from_the_scheme():
    root = ET.fromstring(studio.config())
    values = {c.get("name"): [x.get("value") for x in c] for c in root if c.tag in ("Labels", "Choices")}
    assert values == {"role": list(scheme.ROLES), "entity": list(scheme.ENTITY_TYPES),
                      "stance": list(studio.STANCE_REGIONS), "origin": list(scheme.TARGET_ORIGINS),
                      "label": list(scheme.STANCE_LABELS), "anchor": list(studio.ANCHORS)}
    assert [c.get("name") for c in root if c.tag == "TextArea"] == ["target"]


def test_the_seed_gold_survives_the_round_trip_exactly():
    doc = _seed()
    results = studio.to_results(TEXT, doc)
    assert studio.from_results(TEXT, SEED_ID, results, doc.history, doc.status) == doc
    # relations: 10 holders (s10-s19), s1's second evidence span and its page target, s5's second evidence
    assert len([r for r in results if r["type"] == "relation"]) == 13


def test_offsets_are_utf16_in_label_studio_and_code_points_in_the_label_file():
    text = "\U0001F600 Alice met Bob\n"           # one astral character: two UTF-16 code units
    line = LineLabel(0, 0, 15, text[:15], "body")
    bob = Entity("e1", 12, 15, "Bob", "PERSON")
    doc = GoldDocument("d", (line,), (bob,), (), "annotated", HISTORY)
    results = studio.to_results(text, doc)
    assert [r["value"]["start"] for r in results] == [0, 13] and [r["value"]["end"] for r in results] == [16, 16]
    assert studio.from_results(text, "d", results, HISTORY, "annotated") == doc
    half = copy.deepcopy(results)
    half[1]["value"].update(start=1, text=None)  # inside the surrogate pair
    with pytest.raises(studio.Refused, match=r"^region ent-e1: offsets \[1, 16\) are not a span of the document$"):
        studio.from_results(text, "d", half, HISTORY, "annotated")


def _result(control, rid, start, end, label):
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}}


@pytest.mark.parametrize("change, region, reason", [
    (lambda r: r[0]["value"].update(text="Old Feed"), "line-0",
     "text 'Old Feed' does not match the document at [0, 9): 'News Feed'"),
    (lambda r: r.append(_result("role", "x1", 0, 4, "navigation")), "x1",
     "a role region must cover exactly one whole line, got [0, 4) 'News'"),
    (lambda r: r.append({"id": "x2", "from_name": "sentiment", "to_name": "text", "type": "labels",
                         "value": {"start": 0, "end": 4, "labels": ["positive"]}}), "x2",
     "expected one label of role, entity or stance, got sentiment: ['positive']"),
    (lambda r: r.append({"id": "x3", "from_name": "x", "to_name": "text", "type": "rating", "value": {}}), "x3",
     "result type 'rating' is not part of the labeling config"),
    (lambda r: next(x for x in r if x.get("id") == "stance-s10" and x["from_name"] == "label")["value"].update(
        choices=["maybe"]), "stance-s10", "label: expected one of agree, disagree, discuss, unrelated, got ['maybe']"),
    (lambda r: r.append({"type": "relation", "from_id": "stance-s10", "to_id": "ent-e3", "direction": "right"}),
     "stance-s10", "related to 2 entity mentions; a holder is one"),
])
def test_regions_that_do_not_fit_are_refused_with_the_region_and_the_reason(change, region, reason):
    results = studio.to_results(TEXT, _seed())
    change(results)
    with pytest.raises(studio.Refused) as err:
        studio.from_results(TEXT, SEED_ID, results, HISTORY, "annotated")
    assert (err.value.region, err.value.reason) == (region, reason)


def _export(tmp_path: Path, results, text=TEXT, doc_id=SEED_ID) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"id": 7, "data": {"doc_id": doc_id, "text": text},
                                 "annotations": [{"id": 1, "completed_by": 3, "was_cancelled": False,
                                                  "updated_at": "2026-01-01T00:00:00Z", "result": results}]}]),
                    encoding="utf-8")
    return path


def test_convert_names_the_task_region_and_rule(tmp_path):
    results = studio.to_results(TEXT, _seed())
    results[0]["value"]["labels"] = ["footer"]          # a role the scheme does not have
    results.append(_result("role", "x1", 0, 4, "navigation"))
    export = _export(tmp_path, results)
    with pytest.raises(InvalidLabels) as err:
        importer.convert(export, {SEED_ID: TEXT}, {}, None)
    assert err.value.problems == [Problem(str(export), "task 7", "region x1",
                                          "a role region must cover exactly one whole line, got [0, 4) 'News'")]
    results.pop()
    with pytest.raises(InvalidLabels) as err:
        importer.convert(_export(tmp_path, results), {SEED_ID: TEXT}, {}, None)
    assert err.value.problems == [Problem(f"{export}: task 7 ({SEED_ID})", "line 0", "role",
                                          f"unknown role 'footer'; expected one of {', '.join(scheme.ROLES)}")]


def test_a_task_whose_text_is_not_the_documents_is_refused(tmp_path):
    export = _export(tmp_path, [], text=TEXT + "edited")
    with pytest.raises(InvalidLabels) as err:
        importer.convert(export, {SEED_ID: TEXT}, {}, None)
    assert err.value.problems == [Problem(str(export), "task 7", "data.text", f"differs from the text of document "
                                          f"{SEED_ID}: export the task again from this corpus")]


def test_annotator_and_reviewer_are_recorded_and_must_differ(tmp_path):
    export = _export(tmp_path, studio.to_results(TEXT, _seed()))
    [doc], notes = importer.convert(export, {SEED_ID: TEXT}, {"3": "ana"}, "rui")
    assert (doc.status, doc.history, notes) == ("reviewed", (Step("annotated", "ana"), Step("reviewed", "rui")), [])
    [doc], _ = importer.convert(export, {SEED_ID: TEXT}, {}, None)
    assert (doc.status, doc.history) == ("annotated", (Step("annotated", "label-studio user 3"),))
    with pytest.raises(Exception, match="the reviewer must be someone other than the annotator"):
        importer.convert(export, {SEED_ID: TEXT}, {"3": "ana"}, "ana")


def test_cli_refusal_writes_nothing_and_exits_1(tmp_path):
    root = tmp_path / "project"
    sources = copy_sources(root, code=True)
    (sources.gold_dir / f"{SEED_ID}.json").unlink()
    results = studio.to_results(TEXT, _seed())
    results.append(_result("role", "x1", 0, 4, "navigation"))
    export = _export(tmp_path, results)
    before = tree_hashes(root)
    done = cli("labels.import", "--from", "label-studio", str(export), cwd=root)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"{export}: task 7: region x1: a role region must cover exactly one whole line, "
                           "got [0, 4) 'News'\n")
    assert tree_hashes(root) == before


@pytest.mark.parametrize("content, message", [
    ("{", "not a Label Studio JSON export (Expecting property name enclosed in double quotes)"),
    ("[" * 100_000, "not a Label Studio JSON export (nested too deeply)"),
    ('{"tasks": []}', "not a Label Studio JSON export (expected a list of tasks)"),
])
def test_cli_unreadable_exports_are_user_errors(tmp_path, content, message):
    export = tmp_path / "export.json"
    export.write_text(content, encoding="utf-8")
    done = cli("labels.import", "--from", "label-studio", str(export))
    assert done.returncode == 2
    assert done.stderr == f"error: {export}: {message}\n"


def test_cli_refuses_to_overwrite_without_replace(tmp_path):
    root = tmp_path / "project"
    copy_sources(root, code=True)
    export = _export(tmp_path, studio.to_results(TEXT, _seed()))
    done = cli("labels.import", "--from", "label-studio", str(export), cwd=root)
    assert done.returncode == 2
    assert done.stderr == f"error: {root / 'labels' / 'gold' / f'{SEED_ID}.json'}: exists; pass --replace to overwrite it\n"


def test_export_cli_writes_tasks_and_config(tmp_path):
    out = tmp_path / "ls"
    done = cli("labels.export", "--to", "label-studio", str(out), SEED_ID)
    assert done.returncode == 0, done.stderr
    [task] = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    assert task["data"]["doc_id"] == SEED_ID and task["data"]["text"] == TEXT
    assert task["predictions"][0]["model_version"] == "adjudicated:adjudicated"
    assert (out / "config.xml").read_text(encoding="utf-8") == studio.config()
    assert cli("labels.export", "--to", "label-studio", str(out), "0123456789abcdef").returncode == 2


def test_brat_export_of_the_entities(tmp_path):
    out = tmp_path / "brat"
    done = cli("labels.export", "--to", "brat", str(out), SEED_ID)
    assert (done.returncode, done.stdout) == (0, f"wrote 1 document(s) as brat standoff (.txt, .ann) to {out}\n")
    assert (out / f"{SEED_ID}.txt").read_text(encoding="utf-8") == TEXT
    ann = (out / f"{SEED_ID}.ann").read_text(encoding="utf-8").splitlines()
    assert ann[:3] == ["T1\tGPE 11 16\tChina", "T2\tGPE 53 60\tUkraine", "T3\tORG 328 352\tChinese Foreign Ministry"]
    assert len(ann) == 29
    for row in ann:  # brat offsets are code points into the .txt, as the project's are
        _, span, surface = row.split("\t")
        _, start, end = span.split()
        assert TEXT[int(start):int(end)] == surface
