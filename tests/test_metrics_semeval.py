"""The SemEval-2013 breakdown: a case worked by hand, and equality with nervaluate on generated cases.

nervaluate 1.2.1 is the reference. It takes end-inclusive offsets, so every span
[start, end) is handed to it as (start, end - 1); its per-document lists are our
lines, in the order the task's align gives them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from nervaluate import Evaluator

from labels import scheme
from baselines.metrics import for_task
from baselines.metrics.semeval import RULES, Breakdown, semeval
from baselines.tasks import TASKS

NERVALUATE_NAME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
TYPES = ("PER", "ORG", "LOC", "MISC")


def nervaluate(true, pred, types) -> dict:
    as_dicts = lambda docs: [[{"label": t, "start": s, "end": e - 1} for s, e, t in doc] for doc in docs]
    return Evaluator(as_dicts(true), as_dicts(pred), tags=list(types), loader="dict").evaluate()


def assert_equal(ours: Breakdown, ref) -> None:
    got = (ours.correct, ours.incorrect, ours.partial, ours.missed, ours.spurious, ours.possible, ours.actual)
    assert got == (ref.correct, ref.incorrect, ref.partial, ref.missed, ref.spurious, ref.possible, ref.actual)
    s = ours.scores
    assert (s.precision, s.recall, s.f1) == (ref.precision, ref.recall, ref.f1)


def assert_equals_nervaluate(true, pred, types=TYPES) -> None:
    ours, ref = semeval(true, pred, types), nervaluate(true, pred, types)
    for rule in RULES:
        assert_equal(ours.overall[rule.name], ref["overall"][NERVALUATE_NAME[rule.name]])
    assert set(ours.per_type) == set(ref["entities"])
    for t, rules in ours.per_type.items():
        for name, b in rules.items():
            assert_equal(b, ref["entities"][t][NERVALUATE_NAME[name]])


def test_hand_computed_case():
    # the SemEval-2013 scenarios, one line each
    true = [[(0, 5, "PER")],                      # I   predicted exactly
            [(0, 5, "PER")],                      # II  missed
            [],                                   # III spurious ORG
            [(0, 5, "PER")],                      # IV  right span, wrong type
            [(0, 10, "ORG")],                     # V   overlapping, right type
            [(0, 10, "ORG")]]                     # VI  overlapping, wrong type
    pred = [[(0, 5, "PER")], [], [(3, 8, "ORG")], [(0, 5, "LOC")], [(2, 10, "ORG")], [(0, 4, "LOC")]]
    r = semeval(true, pred, TYPES)
    counts = {name: (b.correct, b.incorrect, b.partial, b.missed, b.spurious) for name, b in r.overall.items()}
    assert counts == {"strict": (1, 3, 0, 1, 1),   # I correct; IV, V, VI incorrect
                      "exact": (2, 2, 0, 1, 1),    # I, IV correct; V, VI incorrect
                      "partial": (2, 0, 2, 1, 1),  # I, IV correct; V, VI partial
                      "type": (2, 2, 0, 1, 1)}     # I, V correct; IV, VI incorrect
    # possible 5, actual 5: strict P = R = 1/5; partial (2 + 2/2) / 5 = 3/5
    assert (r.overall["strict"].possible, r.overall["strict"].actual) == (5, 5)
    assert r.overall["strict"].scores.f1 == pytest.approx(0.2, rel=1e-15)
    assert (r.overall["partial"].scores.precision, r.overall["partial"].scores.recall) == (0.6, 0.6)
    # per type: only that type's spans on both sides; LOC was only predicted: 2 spurious
    assert (r.per_type["LOC"]["strict"].spurious, r.per_type["LOC"]["strict"].possible) == (2, 0)
    assert "MISC" not in r.per_type
    assert_equals_nervaluate(true, pred)


def test_greedy_order_and_closest_boundaries_as_nervaluate():
    # one prediction overlapping two gold spans: it takes the first (strict: incorrect), the
    # second gold is missed; under type, the same-type gold with the closest boundaries wins
    true = [[(0, 4, "ORG"), (5, 12, "ORG"), (13, 20, "PER")]]
    pred = [[(3, 12, "ORG"), (14, 20, "PER")]]
    r = semeval(true, pred, TYPES)
    assert (r.overall["strict"].incorrect, r.overall["strict"].missed) == (2, 1)
    # type: (3, 12) is 3 + 8 = 11 from (0, 4) and 2 + 0 = 2 from (5, 12): takes (5, 12)
    assert (r.overall["type"].correct, r.overall["type"].missed) == (2, 1)
    assert_equals_nervaluate(true, pred)


def test_the_one_percent_overlap_threshold():
    # a gold span of 200 characters shares 1 character (0.5%) with the prediction: no overlap
    # for nervaluate's default threshold, so the prediction is spurious and the gold missed;
    # 2 shared characters (1%) are enough
    true = [[(0, 200, "MISC")]]
    assert semeval(true, [[(199, 210, "MISC")]], TYPES).overall["type"].spurious == 1
    assert semeval(true, [[(198, 210, "MISC")]], TYPES).overall["type"].correct == 1
    assert_equals_nervaluate(true, [[(199, 210, "MISC")]])
    assert_equals_nervaluate(true, [[(198, 210, "MISC")]])


def random_lines(rng: np.random.Generator, n_lines: int) -> tuple[list, list]:
    """Flat gold (non-overlapping, sorted, some spans long) and predictions that copy, shift,
    stretch, retype, split, merge or invent spans (they may overlap each other)."""
    true, pred = [], []
    for _ in range(n_lines):
        gold, pos = [], 0
        for _ in range(int(rng.integers(0, 7))):
            pos += int(rng.integers(0, 6))
            length = int(rng.choice([1, 2, 5, 12, 150, 300]))
            gold.append((pos, pos + length, str(rng.choice(TYPES))))
            pos += length
        spans = set()
        for s, e, t in gold:
            u = rng.random()
            if u < 0.3:
                spans.add((s, e, t))
            elif u < 0.45:
                spans.add((s, e, str(rng.choice(TYPES))))
            elif u < 0.65:
                a = max(0, s + int(rng.integers(-3, 4)))
                spans.add((a, max(a + 1, e + int(rng.integers(-3, 4))), t if u < 0.6 else str(rng.choice(TYPES))))
            elif u < 0.75 and e - s > 1:
                m = int(rng.integers(s + 1, e))
                spans.update({(s, m, t), (m, e, t)})
            # else: missed
        if len(gold) > 1 and rng.random() < 0.3:
            spans.add((gold[0][0], gold[1][1], gold[0][2]))  # one prediction over two gold spans
        for _ in range(int(rng.integers(0, 3))):
            a = int(rng.integers(0, pos + 10))
            spans.add((a, a + int(rng.integers(1, 20)), str(rng.choice(TYPES))))
        true.append(gold)
        pred.append(sorted(spans))
    return true, pred


def test_generated_cases_equal_nervaluate():
    rng = np.random.default_rng(0)
    for _ in range(300):
        assert_equals_nervaluate(*random_lines(rng, int(rng.integers(1, 6))))


def test_registered_metric_equals_nervaluate_in_both_views():
    rng = np.random.default_rng(1)
    true, pred = random_lines(rng, 40)
    to_onto = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "NORP"}
    true = [[(s, e, to_onto[t]) for s, e, t in line] for line in true]
    pred = [[(s, e, to_onto[t]) for s, e, t in line] for line in pred]
    pred[0] = pred[0] + [(10_000, 10_004, "DATE")]  # dropped from the CoNLL view
    starts = [100_000 * i for i in range(len(true))]
    units = pd.DataFrame({"doc_id": "d", "line": range(len(true)), "start": starts,
                          "end": [a + 20_000 for a in starts]})
    frame = lambda lines: pd.DataFrame([(s + a, e + a, t) for a, line in zip(starts, lines) for s, e, t in line],
                                       columns=["start", "end", "type"]).assign(doc_id="d")
    aligned = TASKS["entities"].align(units, frame(true), frame(pred))
    metrics = {m.name: m for m in for_task("entities")}
    for view, types, to in (("ontonotes", scheme.ENTITY_TYPES, lambda t: t),
                            ("conll", scheme.CONLL_TYPES, scheme.conll_type)):
        values = metrics[f"{view}/semeval"].value(aligned)
        ref = nervaluate([[(s, e, to(t)) for s, e, t in line if to(t)] for line in aligned.gold],
                         [[(s, e, to(t)) for s, e, t in line if to(t)] for line in aligned.pred], types)
        for rule in RULES:
            r = ref["overall"][NERVALUATE_NAME[rule.name]]
            assert [values[f"{rule.name}/{k}"] for k in ("correct", "incorrect", "partial", "missed", "spurious")] == [
                r.correct, r.incorrect, r.partial, r.missed, r.spurious]
            assert (values[f"{rule.name}/precision"], values[f"{rule.name}/f1"]) == (r.precision, r.f1)
        assert {k.split("/")[0] for k in values if k.count("/") == 2} == set(ref["entities"])
        for t, by_rule in ref["entities"].items():
            for rule in RULES:
                r = by_rule[NERVALUATE_NAME[rule.name]]
                assert (values[f"{t}/{rule.name}/missed"], values[f"{t}/{rule.name}/recall"]) == (r.missed, r.recall)
    assert "DATE/strict/spurious" in metrics["ontonotes/semeval"].value(aligned)
