"""Drafts: roles and mentions proposed by systems, template carry-over, kept apart from gold."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, cli, copy_sources
from corpus.add import add
from corpus.build import build
from labels import model
from labels.draft import draft, drafts_dir
from labels.model import GoldDocument, LineLabel, dump
from labels.status import Step
from labels.text import normalise, units

PAGE_A = "Home | World\n\nFloods close the Danube port\n\nOfficials in Vienna said the port of Linz will stay shut.\n\nShare this article\n"
PAGE_B = "Home | World\n\nRains return to the valley\n\nFarmers near Graz waited for news from Maria Huber.\n\nShare this article\n"


def _add(sources, tmp_path: Path, name: str, text: str, publisher: str) -> str:
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    [entry] = add([page], sources, publisher=publisher, url=None, language="en", license="CC BY 4.0", split="test")
    return entry.doc_id


def _gold_lines(sources, doc_id: str, text: str, roles: list[str], status: str, history) -> None:
    lines = tuple(LineLabel(u.line, u.start, u.end, u.text, r) for u, r in zip(units(text), roles))
    doc = GoldDocument(doc_id, lines, (), (), status, history)
    (sources.gold_dir / f"{doc_id}.json").write_text(dump(doc), encoding="utf-8")


def _with_code(tmp_path: Path):
    """A project copy that runs its own code, with the entity baselines' gazetteer (package data)."""
    sources = copy_sources(tmp_path / "project", code=True)
    shutil.copy(ROOT / "baselines" / "gazetteer.tsv", tmp_path / "project" / "baselines" / "gazetteer.tsv")
    return sources


REVIEWED = (Step("annotated", "ana"), Step("reviewed", "rui"))


@pytest.fixture
def two_pages(tmp_path):
    sources = copy_sources(tmp_path / "project")
    a = _add(sources, tmp_path, "a.txt", PAGE_A, "Example News")
    b = _add(sources, tmp_path, "b.txt", PAGE_B, "Example News")
    return sources, a, b


def test_draft_carries_over_template_roles_and_says_who_proposed_what(two_pages):
    sources, a, b = two_pages
    _gold_lines(sources, a, PAGE_A, ["navigation", "headline", "body", "other"], "reviewed", REVIEWED)
    doc = draft(sources, b, boilerplate="all-content", entities="capitalised")
    assert doc.status == "draft"
    assert doc.history == (Step("drafted", "all-content"), Step("drafted", "capitalised"))
    assert [(x.line, x.role, x.proposed_by) for x in doc.lines] == [
        (0, "navigation", f"template:{a}"),     # "Home | World" has a reviewed role on page a
        (2, "body", "all-content"),             # all-content predicts content only: a body line
        (4, "body", "all-content"),
        (6, "other", f"template:{a}"),          # "Share this article"
    ]
    text = normalise(PAGE_B.encode())
    # Mentions only in the lines the draft takes for content (scheme 2): nothing from "Home | World"
    # or "Share this article", which the capitalisation rule proposes when they are content (see the
    # CLI test: 7 mentions there). Types are the rule system's, right or wrong: a draft is a proposal.
    assert [(text[e.start:e.end], e.type, e.proposed_by) for e in doc.entities] == [
        ("Rains", "ORG", "capitalised"), ("Farmers", "ORG", "capitalised"), ("Graz", "ORG", "capitalised"),
        ("Maria Huber", "ORG", "capitalised")]
    assert [e.id for e in doc.entities] == ["e1", "e2", "e3", "e4"]


def test_no_carry_over_from_unreviewed_pages_or_other_publishers(two_pages, tmp_path):
    sources, a, b = two_pages
    _gold_lines(sources, a, PAGE_A, ["navigation", "headline", "body", "other"], "annotated",
                (Step("annotated", "ana"),))
    c = _add(sources, tmp_path, "c.txt", PAGE_A.replace("Floods", "Storms"), "Other Daily")
    _gold_lines(sources, c, PAGE_A.replace("Floods", "Storms"), ["navigation", "headline", "body", "other"],
                "reviewed", REVIEWED)
    doc = draft(sources, b, boilerplate="all-content", entities="capitalised")
    assert {x.proposed_by for x in doc.lines} == {"all-content"}


def test_cli_writes_drafts_apart_from_gold_and_the_build_ignores_them(tmp_path):
    sources = _with_code(tmp_path)
    b = _add(sources, tmp_path, "b.txt", PAGE_B, "Example News")
    done = cli("labels.draft", b, "--boilerplate", "all-content", cwd=tmp_path / "project")
    assert done.returncode == 0, done.stderr
    path = drafts_dir(sources) / f"{b}.json"
    assert done.stdout == (f"drafted {path}: 4 line roles (0 carried over from the publisher's template), "
                           "7 entity mentions\n")
    saved, problems = model.load(path)
    assert problems == [] and saved.status == "draft"
    assert not (sources.gold_dir / f"{b}.json").exists()
    summary = build(sources)
    assert [str(w) for w in summary.withheld] == [f"{b} (no label file)"]


@pytest.mark.parametrize("args, message", [
    (["0123456789abcdef"], "0123456789abcdef: no such document in"),
    (["--entities", "crf", "DOC"], "crf: a learned system needs training data; draft with a rule system"),
    (["--boilerplate", "capitalised", "DOC"], "capitalised: not a boilerplate system"),
])
def test_cli_user_errors(tmp_path, args, message):
    sources = _with_code(tmp_path)
    b = _add(sources, tmp_path, "b.txt", PAGE_B, "Example News")
    done = cli("labels.draft", *[b if x == "DOC" else x for x in args], cwd=tmp_path / "project")
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and message in done.stderr and done.stderr.count("\n") == 1
    assert not drafts_dir(sources).exists()
