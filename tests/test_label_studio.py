"""The Label Studio round trip against the REAL server: draft, export, annotate, export, import, validate.

The server runs from its own virtualenv (tests/label_studio_server.py), bound to 127.0.0.1 with
sqlite in a temporary folder, started and stopped here. The labelling page is opened in headless
Chromium; its screenshot is kept in pytest's cache folder (.pytest_cache/d/label-studio/).
"""
from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest

from conftest import ROOT, SEED_ID, SEED_RAW, cli, copy_sources
from label_studio_server import Browser, start
from labels import model, scheme, studio
from labels.status import Step
from labels.text import normalise


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start(tmp_path_factory.mktemp("label-studio"))
    yield running
    running.stop()


def _project(server, config: str, tasks: list[dict]) -> tuple[int, int]:
    project = server.api("POST", "/api/projects", {"title": "News NLP Bench pages", "label_config": config})
    server.api("POST", f"/api/projects/{project['id']}/import", tasks)
    [task] = server.api("GET", f"/api/tasks?project={project['id']}")["tasks"]
    return project["id"], task["id"]


def test_draft_to_reviewed_gold_through_label_studio(server, tmp_path):
    root = tmp_path / "project"
    sources = copy_sources(root, code=True)
    shutil.copy(ROOT / "baselines" / "gazetteer.tsv", root / "baselines" / "gazetteer.tsv")
    gold_path = sources.gold_dir / f"{SEED_ID}.json"
    truth, problems = model.load(gold_path)  # what the annotator will submit after correcting the draft
    assert problems == []
    gold_path.unlink()

    assert cli("labels.draft", SEED_ID, cwd=root).returncode == 0
    out = tmp_path / "for-label-studio"
    done = cli("labels.export", "--to", "label-studio", str(out), cwd=root)
    assert done.returncode == 0, done.stderr
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    assert tasks[0]["predictions"][0]["model_version"] == "draft:line-heuristic+capitalised"
    project_id, task_id = _project(server, (out / "config.xml").read_text(encoding="utf-8"), tasks)

    # The annotator corrects the draft in Label Studio and submits the result.
    submitted = studio.to_results(normalise(SEED_RAW.read_bytes()), truth)
    server.api("POST", f"/api/tasks/{task_id}/annotations", {"result": submitted, "was_cancelled": False})
    exported = server.api("GET", f"/api/projects/{project_id}/export?exportType=JSON")
    [annotation] = exported[0]["annotations"]
    [prediction] = server.api("GET", f"/api/predictions?task={task_id}")
    assert prediction["model_version"] == "draft:line-heuristic+capitalised"
    assert prediction["result"] == tasks[0]["predictions"][0]["result"]  # the draft, as the annotator saw it
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(exported), encoding="utf-8")

    done = cli("labels.import", "--from", "label-studio", str(export_file),
               "--user", f"{annotation['completed_by']}=ana", "--reviewed-by", "rui", cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (f"wrote {gold_path} (status reviewed; 23 lines, 29 entities, 19 stance instances)\n")
    assert cli("labels.validate", cwd=root).returncode == 0
    got, problems = model.load(gold_path)
    assert problems == []
    assert got == replace(truth, status="reviewed", history=(Step("annotated", "ana"), Step("reviewed", "rui")))
    build = cli("corpus.build", cwd=root)
    assert build.returncode == 0, build.stderr
    assert "left out" not in build.stdout


def test_the_labelling_page_shows_the_lines_and_the_label_choices(server, tmp_path):
    root = tmp_path / "project"
    copy_sources(root, code=True)
    out = tmp_path / "for-label-studio"
    assert cli("labels.export", "--to", "label-studio", str(out), SEED_ID, cwd=root).returncode == 0
    project_id, task_id = _project(server, (out / "config.xml").read_text(encoding="utf-8"),
                                   json.loads((out / "tasks.json").read_text(encoding="utf-8")))
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    browser = Browser(profile)
    try:
        lines = ["China denies considering participation in Ukraine peacekeeping mission",
                 "Officially, China has denied providing military support to either side"]
        choices = ["headline", "navigation", "PERSON", "WORK_OF_ART", "article", "evidence"]
        text = browser.open(f"{server.base}/projects/{project_id}/data?task={task_id}",
                            ("sessionid", server.session_cookie()), until=lines + choices)
        shot = tmp_path / "labelling-page.png"  # kept with pytest's last temporary folders, to look at
        browser.screenshot(shot)
    finally:
        browser.close()
    missing = [s for s in lines + choices if s not in text]
    assert missing == [], f"not on the labelling page: {missing}"
    assert all(role in text for role in scheme.ROLES)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
