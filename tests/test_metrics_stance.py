"""Stance metrics against scikit-learn, the FNC-1 scorer's own scoring loop, and a case worked by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from labels.scheme import STANCE_LABELS
from baselines.metrics import for_task
from baselines.tasks import TASKS

METRICS = {m.name: m for m in for_task("stance")}
TASK = TASKS["stance"]


def approx(x: float):
    """scikit-learn computes F1 as 2tp / (2tp + fp + fn), we as 2PR / (P + R): equal up to rounding."""
    return pytest.approx(x, rel=1e-12, abs=1e-15)


def fnc1_reference(gold: list[str], pred: list[str]) -> tuple[float, float]:
    """(score, best possible score) by the logic of score_submission and score_defaults in the
    official scorer (github.com/FakeNewsChallenge/fnc-1, scorer.py), restated pair by pair."""
    related = ("agree", "disagree", "discuss")
    score = 0.0
    for g, p in zip(gold, pred):
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.50
        if g in related and p in related:
            score += 0.25
    n_unrelated = sum(g == "unrelated" for g in gold)
    best = 0.25 * n_unrelated + (len(gold) - n_unrelated)
    return score, best


def aligned(levels: list[str], gold: list[str], pred: list[str]) -> pd.DataFrame:
    units = pd.DataFrame({"doc_id": "d", "id": [f"s{i}" for i in range(len(levels))], "level": levels})
    g = units[["doc_id", "id"]].assign(label=gold)
    p = units[["doc_id", "id"]].assign(label=pred)
    return TASK.align(units, g, p)


def test_hand_computed_case():
    # id  level    gold       pred
    # s0  article  agree      agree       exact related:            FNC 0.25 + 0.75 = 1
    # s1  article  disagree   discuss     related, wrong stance:    FNC 0.25
    # s2  article  unrelated  unrelated   exact unrelated:          FNC 0.25
    # s3  article  discuss    unrelated   related called unrelated: FNC 0
    # s4  source   agree      disagree
    # s5  source   discuss    discuss
    a = aligned(["article"] * 4 + ["source"] * 2,
                ["agree", "disagree", "unrelated", "discuss", "agree", "discuss"],
                ["agree", "discuss", "unrelated", "unrelated", "disagree", "discuss"])
    art = METRICS["article"].value(a)
    # accuracy 2/4; per class: agree P 1 R 1 F 1; disagree P 0 R 0 F 0 (support 1);
    # discuss gold {s3} pred {s1}: F 0; unrelated gold {s2} pred {s2, s3}: P 1/2 R 1 F 2/3.
    # macro-F1 over the four labels present = (1 + 0 + 0 + 2/3) / 4 = 5/12
    assert art["accuracy"] == 0.5 and art["n"] == 4
    assert (art["unrelated/precision"], art["unrelated/recall"]) == (0.5, 1.0)
    assert art["unrelated/f1"] == approx(2 / 3) and art["macro_f1"] == approx(5 / 12)
    assert art["confusion/discuss/unrelated"] == 1 and art["confusion/disagree/discuss"] == 1
    # FNC: 1 + 0.25 + 0.25 + 0 = 1.5; best = 3 related * 1 + 1 unrelated * 0.25 = 3.25
    assert (art["fnc_score"], art["fnc_max"]) == (1.5, 3.25)
    assert art["fnc_relative"] == 1.5 / 3.25
    src = METRICS["source"].value(a)
    # accuracy 1/2; agree gold {s4} pred {}: F 0; disagree pred {s4}: F 0; discuss: F 1.
    # macro-F1 over agree, disagree, discuss (unrelated absent) = 1/3
    assert src["accuracy"] == 0.5 and src["n"] == 2 and src["macro_f1"] == approx(1 / 3)
    assert "fnc_score" not in src
    everything = METRICS["all"].value(a)
    # accuracy 3/6; agree gold {s0, s4} pred {s0}: P 1 R 1/2 F 2/3
    assert everything["accuracy"] == 0.5 and everything["n"] == 6
    assert (everything["agree/precision"], everything["agree/recall"]) == (1.0, 0.5)
    assert everything["agree/f1"] == approx(2 / 3)


def _random_cases(n_cases: int = 60):
    rng = np.random.default_rng(0)
    for case in range(n_cases):
        n = int(rng.integers(1, 40))
        levels = rng.choice(["article", "source"], n).tolist()
        gold = [rng.choice(STANCE_LABELS if lv == "article" else STANCE_LABELS[:3]) for lv in levels]
        p = rng.dirichlet(np.full(4, 0.5 if case % 2 else 2.0))
        pred = [str(x) for x in rng.choice(STANCE_LABELS, n, p=p)]
        if case == 0:
            pred = list(gold)
        yield levels, [str(g) for g in gold], pred


def test_accuracy_per_class_and_macro_f1_equal_sklearn_per_level_and_all():
    for levels, gold, pred in _random_cases():
        a = aligned(levels, gold, pred)
        for name in ("all", "article", "source"):
            keep = [i for i, lv in enumerate(levels) if name in ("all", lv)]
            g, p = [gold[i] for i in keep], [pred[i] for i in keep]
            ours = METRICS[name].value(a)
            assert ours["n"] == len(keep)
            if not keep:
                assert ours["accuracy"] == 0.0 and ours["macro_f1"] == 0.0
                continue
            assert ours["accuracy"] == approx(accuracy_score(g, p))
            assert ours["macro_f1"] == approx(f1_score(g, p, average="macro", zero_division=0.0))
            pr, rc, f1, sup = precision_recall_fscore_support(g, p, labels=list(STANCE_LABELS), average=None,
                                                              zero_division=0.0)
            cm = confusion_matrix(g, p, labels=list(STANCE_LABELS))
            for i, lab in enumerate(STANCE_LABELS):
                if lab in set(g) | set(p):
                    assert ours[f"{lab}/precision"] == approx(pr[i]) and ours[f"{lab}/recall"] == approx(rc[i])
                    assert ours[f"{lab}/f1"] == approx(f1[i]) and ours[f"{lab}/support"] == sup[i]
                else:  # in neither gold nor prediction: no scores at all
                    assert f"{lab}/f1" not in ours
                for j, lab2 in enumerate(STANCE_LABELS):
                    assert ours[f"confusion/{lab}/{lab2}"] == cm[i, j]


def test_fnc_score_equals_the_official_scorer_loop():
    for levels, gold, pred in _random_cases():
        a = aligned(levels, gold, pred)
        g = [x for x, lv in zip(gold, levels) if lv == "article"]
        p = [x for x, lv in zip(pred, levels) if lv == "article"]
        score, best = fnc1_reference(g, p)
        ours = METRICS["article"].value(a)
        assert ours["fnc_score"] == score
        assert ours["fnc_max"] == best == fnc1_reference(g, g)[0]
        assert ours["fnc_relative"] == (score / best if best else 0.0)


def test_fnc_of_gold_against_itself_is_one_and_all_unrelated_is_the_null_score():
    gold = ["agree", "disagree", "discuss", "unrelated", "unrelated"]
    a = aligned(["article"] * 5, gold, gold)
    assert METRICS["article"].value(a)["fnc_relative"] == 1.0
    # the scorer's NULL baseline: everything unrelated scores 0.25 per unrelated pair = 0.5 of 3 + 0.5
    null = METRICS["article"].value(aligned(["article"] * 5, gold, ["unrelated"] * 5))
    assert (null["fnc_score"], null["fnc_max"]) == (0.5, 3.5)
