"""baselines.pipeline: entity and stance scores from gold vs predicted content lines.

A five-line page built by hand, with tiny systems whose every prediction is known, so
each score below is worked out in the comments; then the bundled dataset with the
oracle and all-content boilerplate systems.
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

from baselines import registry
from baselines.data import Bench, load_bench
from baselines.pipeline import PipelineResult, content_view, pipeline
from baselines.system import System
from baselines.tasks import TASKS

DOC = "d1"
LINES = [  # (text, role)
    ("Menu", "navigation"),
    ("Alice visits Paris", "headline"),
    ("Bob praised Alice in Rome.", "body"),
    ("Photo by Carol", "caption"),
    ("Related: Dave in Oslo", "related"),
]
TEXT = "\n".join(t for t, _ in LINES)
STARTS = [sum(len(t) + 1 for t, _ in LINES[:i]) for i in range(len(LINES))]
GOLD_ENTITIES = [  # (line, surface, type); each surface occurs once in its line
    (1, "Alice", "PERSON"), (1, "Paris", "GPE"),
    (2, "Bob", "PERSON"), (2, "Alice", "PERSON"), (2, "Rome", "GPE"),
    (3, "Carol", "PERSON"),
    (4, "Dave", "PERSON"), (4, "Oslo", "GPE"),
]
STANCE = [  # (id, level, target, holder line or None, gold label)
    ("a1", "article", "Bob praised Alice", None, "agree"),
    ("a2", "article", "Photo by Carol", None, "unrelated"),
    ("a3", "article", "Alice visits Paris", None, "discuss"),
    ("s1", "source", "Bob praised Alice", 2, "agree"),
]


def tiny_bench() -> Bench:
    bp = pd.DataFrame({
        "doc_id": DOC, "line": range(len(LINES)), "start": STARTS,
        "end": [s + len(t) for s, (t, _) in zip(STARTS, LINES)], "text": [t for t, _ in LINES],
        "role": [r for _, r in LINES], "is_content": [r in ("headline", "body") for _, r in LINES]})
    ents = []
    for i, (line, surface, etype) in enumerate(GOLD_ENTITIES):
        start = STARTS[line] + LINES[line][0].index(surface)
        ents.append({"doc_id": DOC, "id": f"e{i + 1}", "line": line, "start": start,
                     "end": start + len(surface), "text": surface, "type": etype, "conll_type": None})
    tokens = []
    for line, (text, _) in enumerate(LINES):
        found = list(re.finditer(r"\S+", text))
        tokens.append({"id": f"{DOC}-{line}", "doc_id": DOC, "line": line, "tokens": [m.group() for m in found],
                       "token_starts": [STARTS[line] + m.start() for m in found],
                       "token_ends": [STARTS[line] + m.end() for m in found]})
    stance = []
    for sid, level, target, holder_line, label in STANCE:
        holder_span = None if holder_line is None else {
            "start": STARTS[holder_line], "end": STARTS[holder_line] + 3, "text": "Bob"}
        stance.append({"doc_id": DOC, "id": sid, "level": level, "target": target, "target_origin": "annotator",
                       "target_span": None, "holder": None if holder_line is None else "e3",
                       "holder_span": holder_span, "label": label})
    return Bench(source="tiny", split="test", version="0", fingerprint="tiny",
                 documents=pd.DataFrame({"doc_id": [DOC], "text": [TEXT]}),
                 boilerplate=bp, entities=pd.DataFrame(ents), entities_tokens=pd.DataFrame(tokens),
                 stance=pd.DataFrame(stance))


class KeepLines(System):
    """Boilerplate: the given lines are content; with `roles`, also a role per line."""

    task = "boilerplate"
    name = "keep-lines"

    def predict(self, inputs):
        out = pd.DataFrame({"doc_id": inputs.units.doc_id, "line": inputs.units.line,
                            "is_content": inputs.units.line.isin(self.params["lines"])})
        if "roles" in self.params:
            out["role"] = [self.params["roles"].get(ln, "other") for ln in inputs.units.line]
        return out


class CapitalisedPerson(System):
    """Entities: every capitalised word is a PERSON."""

    task = "entities"
    name = "capitalised-person"

    def predict(self, inputs):
        rows = [(u.doc_id, u.start + m.start(), u.start + m.end(), "PERSON")
                for u in inputs.units.itertuples() for m in re.finditer(r"\b[A-Z][a-z]+\b", u.text)]
        return pd.DataFrame(rows, columns=["doc_id", "start", "end", "type"])


class Echo(System):
    """Stance: agree when the target occurs in the context, else unrelated (article) / discuss (source)."""

    task = "stance"
    name = "echo"

    def predict(self, inputs):
        labels = ["agree" if u.target.lower() in u.context.lower() else
                  "unrelated" if u.level == "article" else "discuss" for u in inputs.units.itertuples()]
        return pd.DataFrame({"doc_id": inputs.units.doc_id, "id": inputs.units.id, "label": labels})


def registered(task: str, name: str) -> System:
    return next(cls for cls in registry.available(task) if cls.name == name)()


def run(boilerplate: System, entities: System, stance: System, bench: Bench | None = None) -> PipelineResult:
    return pipeline(bench or tiny_bench(), boilerplate, entities, stance, seed=0, resamples=50)


def contexts(bench: Bench) -> dict[str, str]:
    units = TASKS["stance"].inputs(bench).units
    return dict(zip(units.id, units.context))


def test_gold_contexts_of_the_tiny_page():
    """The gold body is the content lines but the headline: line 2 only."""
    assert contexts(tiny_bench()) == {"a1": "Bob praised Alice in Rome.", "a2": "Bob praised Alice in Rome.",
                                      "a3": "Bob praised Alice in Rome.", "s1": "Bob praised Alice in Rome."}


def test_content_view_without_roles_keeps_every_predicted_content_line_in_the_body():
    bench = tiny_bench()
    pred = KeepLines(lines=[1, 3]).predict(TASKS["boilerplate"].inputs(bench))
    got = contexts(content_view(bench, pred))
    body = "Alice visits Paris\nPhoto by Carol"
    assert got == {"a1": body, "a2": body, "a3": body, "s1": "Bob praised Alice in Rome."}


def test_content_view_drops_the_line_predicted_as_headline():
    bench = tiny_bench()
    pred = KeepLines(lines=[1, 2, 3], roles={1: "headline", 2: "body", 3: "body"}).predict(
        TASKS["boilerplate"].inputs(bench))
    view = content_view(bench, pred)
    body = "Bob praised Alice in Rome.\nPhoto by Carol"
    assert contexts(view) == {"a1": body, "a2": body, "a3": body, "s1": "Bob praised Alice in Rome."}
    assert view.boilerplate.is_content.tolist() == [False, True, True, True, False]
    assert bench.boilerplate.is_content.tolist() == [False, True, True, False, False]  # bench untouched


def test_missed_and_kept_lines_cost_oracle_entities_and_stance():
    """Kept lines {1, 3}: line 2 (body) missed, line 3 (caption) kept.

    Entities (oracle): gold condition 5/5 → F1 1. Predicted: spans on lines 1 and 3 =
    Alice, Paris (tp), Carol (fp: caption is boilerplate); Bob, Alice, Rome of line 2 are
    fn. F1 = 2·2 / (2·2 + 1 + 3) = 1/2.
    Stance (Echo), gold body "Bob praised Alice in Rome.": a1 agree ✓, a2 unrelated ✓,
    a3 unrelated ✗ (discuss) → F1 agree 1, unrelated 2/3, discuss 0 → macro 5/9.
    Predicted body "Alice visits Paris\\nPhoto by Carol": a1 unrelated, a2 agree, a3 agree,
    all wrong → macro 0.
    """
    r = run(KeepLines(lines=[1, 3]), registered("entities", "oracle"), Echo())
    assert (r.boilerplate, r.entity_system, r.stance_system) == ("keep-lines", "oracle", "echo")
    assert (r.missed_content_lines, r.kept_boilerplate_lines) == (1, 1)
    assert r.entities.metric == "ontonotes/strict/f1"
    assert (r.entities.gold, r.entities.predicted, r.entities.drop) == (1.0, 0.5, 0.5)
    assert r.stance.metric == "article/macro_f1"
    assert r.stance.gold == pytest.approx(5 / 9, abs=1e-12)
    assert r.stance.predicted == 0.0
    assert r.stance.drop == pytest.approx(5 / 9, abs=1e-12)


def test_spurious_predictions_on_kept_boilerplate_count_against_a_real_system():
    """CapitalisedPerson on gold lines {1, 2}: Alice, Bob, Alice tp; Paris, Rome fp (wrong type)
    and fn → F1 = 6/10. On kept lines {1, 3}: Alice tp; Paris, Photo, Carol fp; Paris, Bob,
    Alice, Rome fn → F1 = 2/9. Drop 3/5 − 2/9 = 17/45."""
    r = run(KeepLines(lines=[1, 3]), CapitalisedPerson(), Echo())
    assert r.entities.gold == pytest.approx(3 / 5, abs=1e-12)
    assert r.entities.predicted == pytest.approx(2 / 9, abs=1e-12)
    assert r.entities.drop == pytest.approx(17 / 45, abs=1e-12)


def test_predicted_headline_is_left_out_of_the_body():
    """Kept lines {1, 2, 3}, line 1 predicted headline. Entities (oracle): 5 tp, Carol fp →
    F1 = 10/11. Body "Bob praised Alice in Rome.\\nPhoto by Carol": a1 agree ✓, a2 agree ✗,
    a3 unrelated ✗ → F1 agree 2/3, unrelated 0, discuss 0 → macro 2/9; drop 5/9 − 2/9 = 1/3."""
    r = run(KeepLines(lines=[1, 2, 3], roles={1: "headline", 2: "body", 3: "caption"}),
            registered("entities", "oracle"), Echo())
    assert (r.missed_content_lines, r.kept_boilerplate_lines) == (0, 1)
    assert r.entities.predicted == pytest.approx(10 / 11, abs=1e-12)
    assert r.stance.predicted == pytest.approx(2 / 9, abs=1e-12)
    assert r.stance.drop == pytest.approx(1 / 3, abs=1e-12)


def test_oracle_boilerplate_drops_nothing_on_the_tiny_page():
    r = run(registered("boilerplate", "oracle"), CapitalisedPerson(), Echo())
    assert (r.missed_content_lines, r.kept_boilerplate_lines) == (0, 0)
    for d in (r.entities, r.stance):
        assert d.gold == d.predicted
        assert (d.drop, d.ci) == (0.0, (0.0, 0.0))
    assert r.entities.gold == pytest.approx(3 / 5, abs=1e-12)


@pytest.fixture(scope="module")
def bundled() -> Bench:
    return load_bench()


def test_bundled_oracle_boilerplate_drop_is_exactly_zero(bundled):
    """With gold content lines on both sides the conditions are identical, also for a
    cross-fitted (learned) stance system."""
    for stance in ("oracle", "majority"):
        r = run(registered("boilerplate", "oracle"), registered("entities", "oracle"),
                registered("stance", stance), bundled)
        assert (r.missed_content_lines, r.kept_boilerplate_lines) == (0, 0)
        assert (r.entities.gold, r.entities.predicted, r.entities.drop) == (1.0, 1.0, 0.0)
        assert r.stance.gold == r.stance.predicted
        assert (r.stance.drop, r.stance.ci) == (0.0, (0.0, 0.0))


def test_bundled_all_content_keeps_every_gold_entity_under_scheme_2(bundled):
    """All 23 lines kept: the 8 gold content lines (headline + 7 body) hold all 29 gold entities
    (scheme 2 annotates no others), so the oracle's spans are all right: P = R = F1 = 1, drop 0.
    Under scheme 1 the 37 mentions on boilerplate lines made this drop 37/95.
    The oracle's stance does not read the body: drop 0."""
    r = run(registered("boilerplate", "all-content"), registered("entities", "oracle"),
            registered("stance", "oracle"), bundled)
    assert (r.missed_content_lines, r.kept_boilerplate_lines) == (0, 15)
    assert (r.entities.gold, r.entities.predicted, r.entities.drop) == (1.0, 1.0, 0.0)
    assert (r.stance.gold, r.stance.predicted, r.stance.drop) == (1.0, 1.0, 0.0)
