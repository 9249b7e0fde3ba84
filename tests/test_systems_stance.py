"""Stance baselines: FNC-1 features on hand-made pairs, every rule branch, the learned model's
fallbacks and determinism, and both systems' scores on the bundled dataset, pinned."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.pipeline import Pipeline

from conftest import score_on
from baselines.data import load_bench
from baselines.features.stance import EARLY_TOKENS, REFUTING_WORDS, features, lemma, tokens
from baselines.systems.stance import MIN_ROWS_FOR_BOOSTING, FncGbdt, FncRules
from baselines.tasks import TaskInput


def _inputs(rows: list[tuple[str, str, str]]) -> TaskInput:
    """Units from (level, target, context) triples, ids u0, u1, ... in one document."""
    units = pd.DataFrame([{"doc_id": "d", "id": f"u{i}", "level": lv, "target": t, "context": c}
                          for i, (lv, t, c) in enumerate(rows)])
    return TaskInput(pd.DataFrame({"doc_id": ["d"], "text": [""]}), units)


def _gold(inputs: TaskInput, labels: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": inputs.units.doc_id, "id": inputs.units.id, "label": labels})


# --- tokeniser and lemmatiser ---------------------------------------------------------------

def test_tokens_lowercase_drop_possessives_and_split_on_punctuation():
    assert tokens("China's U.S.-led Russia–Ukraine plan, don't") == [
        "china", "u", "s", "led", "russia", "ukraine", "plan", "don't"]


@pytest.mark.parametrize("word, expected", [
    ("goods", "good"), ("allies", "ally"), ("claims", "claim"),
    ("press", "press"), ("status", "status"), ("this", "this"), ("was", "was"), ("ties", "tie")])
def test_lemma_strips_regular_plurals_only(word, expected):
    assert lemma(word) == expected


# --- features -------------------------------------------------------------------------------

def test_features_of_a_refuted_claim():
    f = features("Police deny the reports were fake", "Police said the reports were false.")
    # target lemmas: police deny the report were fake; context: police said the report were false
    assert f["overlap"] == 0.5          # {police, the, report, were} / 8 distinct lemmas
    assert f["coverage"] == 0.5         # content {police, deny, report, fake}: police, report found
    assert [w for w in REFUTING_WORDS if f[f"refuting_{w}"]] == ["fake", "deny"]
    assert f["polarity_target"] == 0.0  # deny + fake = 2 refuting words: even
    assert f["polarity_context"] == 1.0  # false = 1: odd
    assert f["cooc"] == 4.0             # police, the, report, were (deny and fake are missing)
    assert f["cooc_early"] == 4.0       # the whole context is within the first 50 tokens
    assert f["ngram2"] == 2.0           # (the report), (report were)
    assert f["ngram3"] == 1.0           # (the report were)
    assert f["ngram4"] == 0.0           # (the report were fake) vs (... false)
    assert f["near_refuting"] == 1.0    # "false": police, report within 10 tokens
    assert f["near_hedge"] == 0.0
    assert (f["denial_target"], f["denial_context"]) == (1.0, 1.0)  # deny; false
    assert f["assert_context"] == 2.0   # said, and the noun "reports": cues are not part-of-speech tagged


def test_features_are_a_fixed_ordered_vector():
    names = list(features("a", "b"))
    assert names[:2] == ["overlap", "coverage"] and names[-5:] == [
        "near_refuting", "near_hedge", "denial_target", "denial_context", "assert_context"]
    assert len(names) == 2 + len(REFUTING_WORDS) + 2 + 2 + 6 + 5 == 33


def test_near_cues_stay_within_their_line_and_need_two_target_words():
    context = ("Critics denied that ministers approved it.\n"  # denied: minister, approved -> 1 hit
               "Nobody rejected anything.\n"                    # rejected: budget plan is on the next line
               "The budget plan passed.\n"
               "It may pass, one budget analyst said.")         # may: only budget -> below 2 words
    f = features("Ministers approved the budget plan", context)
    assert f["near_refuting"] == 1.0
    assert f["near_hedge"] == 0.0


@pytest.mark.parametrize("fillers, hits", [(8, 1.0), (9, 0.0)])
def test_near_window_is_ten_tokens(fillers, hits):
    # "denied" at 0, fillers at 1..n, then budget, plan: both within 10 tokens only when n = 8
    f = features("budget plan", "denied " + "w " * fillers + "budget plan")
    assert f["near_refuting"] == hits


def test_early_counts_only_look_at_the_first_fifty_tokens():
    f = features("budget plan", "w " * EARLY_TOKENS + "budget plan")
    assert (f["cooc"], f["cooc_early"], f["ngram2"], f["ngram2_early"]) == (2.0, 0.0, 1.0, 0.0)


def test_empty_texts_give_zeros():
    f = features("", "")
    assert (f["overlap"], f["coverage"], f["cooc"]) == (0.0, 0.0, 0.0)


# --- fnc-rules ------------------------------------------------------------------------------

RESIGNED = "The minister resigned on Monday"
RULE_CASES = [
    ("article", "Stocks fell sharply in Tokyo", "The football team won the cup final.", "unrelated"),  # coverage 0
    ("article", RESIGNED, "Officials denied that the minister resigned on Monday.", "disagree"),  # near denial
    ("article", "Officials denied the minister resigned",  # the target refutes too: parity, so agree
     "Officials denied that the minister resigned.", "agree"),
    ("article", RESIGNED, "The minister resigned on Monday, his office said.", "agree"),  # coverage 1, no hedge
    ("article", RESIGNED, "The minister reportedly resigned on Monday.", "discuss"),  # hedge near the claim
    ("article", "The minister resigned in protest on Monday",  # coverage 2/4: related, below 2/3
     "The minister resigned.", "discuss"),
    ("source", "The minister resigned", "The minister denied the reports.", "disagree"),
    ("source", "The minister denied resigning", "The minister denied the reports.", "agree"),  # reports the denial
    ("source", "The minister resigned", "The minister resigned, the paper reported.", "agree"),
    ("source", "The minister resigned", "The minister may resign.", "discuss"),
    ("source", "Stocks fell sharply in Tokyo", "The football team won the cup final.", "discuss"),  # never unrelated
]


def test_rules_cover_every_branch():
    inputs = _inputs([c[:3] for c in RULE_CASES])
    pred = FncRules().predict(inputs)
    assert list(pred.columns) == ["doc_id", "id", "label"]
    assert list(pred.id) == [f"u{i}" for i in range(len(RULE_CASES))]
    assert list(pred.label) == [c[3] for c in RULE_CASES]


# --- fnc-gbdt -------------------------------------------------------------------------------

TOY = [("article", RESIGNED, "The minister resigned on Monday, his office said.", "agree"),
       ("article", "Stocks fell sharply in Tokyo", "The minister resigned on Monday.", "unrelated")]


def _toy(n: int) -> tuple[TaskInput, pd.DataFrame]:
    rows = [TOY[i % 2] for i in range(n)]
    inputs = _inputs([r[:3] for r in rows])
    return inputs, _gold(inputs, [r[3] for r in rows])


@pytest.mark.parametrize("n, model", [(10, Pipeline), (MIN_ROWS_FOR_BOOSTING, GradientBoostingClassifier)])
def test_gbdt_fits_a_separable_toy_set(n, model):
    inputs, gold = _toy(n)
    system = FncGbdt(seed=3)
    system.fit(inputs, gold)
    assert isinstance(system.model_, model)
    assert list(system.predict(inputs).label) == list(gold.label)


def test_gbdt_is_deterministic():
    inputs, gold = _toy(MIN_ROWS_FOR_BOOSTING)
    test = _inputs([c[:3] for c in RULE_CASES])
    runs = []
    for _ in range(2):
        system = FncGbdt(seed=7)
        system.fit(inputs, gold)
        runs.append((system._scores(test.units), list(system.predict(test).label)))
    assert np.array_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]


def test_gbdt_never_predicts_unrelated_at_source_level():
    inputs, gold = _toy(10)  # trained on agree / unrelated, article level only
    system = FncGbdt()
    system.fit(inputs, gold)
    unrelated_looking = _inputs([("article", "Stocks fell sharply in Tokyo", "The minister resigned."),
                                 ("source", "Stocks fell sharply in Tokyo", "The minister resigned.")])
    assert list(system.predict(unrelated_looking).label) == ["unrelated", "agree"]  # agree: the only other seen


@pytest.mark.parametrize("only, expected", [("disagree", ["disagree", "disagree"]),
                                            ("unrelated", ["unrelated", "agree"])])  # agree: first allowed
def test_gbdt_single_class_fold_predicts_that_class(only, expected):
    inputs = _inputs([r[:3] for r in TOY])
    system = FncGbdt()
    system.fit(inputs, _gold(inputs, [only, only]))
    assert system.model_ is None
    both_levels = _inputs([("article", RESIGNED, "x"), ("source", RESIGNED, "x")])
    assert list(system.predict(both_levels).label) == expected


# --- the bundled dataset --------------------------------------------------------------------
# gold (A agree, D disagree, U unrelated), article s1..s9: A U U A discuss A D A D;
# source s10..s19: D D A A D D A A D A.

PINNED = {
    # article: discuss U U discuss D D discuss D D; source: D D A A D D D A D D
    #   article F1: agree 0, disagree (tp s9, fp s5 s6 s8, fn s7) 2/(2+3+1) = 1/3, discuss 0, unrelated 1
    #     -> macro 1/3; FNC: 6 related-as-related * 0.25 + s9 1 + s2, s3 0.25 each = 3.0 of 7 + 0.5 -> 0.4
    #   source F1: agree (tp 3, fn s16 s19) 6/8 = 3/4, disagree (tp 5, fp 2) 10/12 = 5/6 -> 19/24
    #   all F1: agree (tp 3, fn 6) 6/12, disagree (tp 6, fp 5, fn 1) 12/18, discuss 0, unrelated 1 -> 13/24
    "fnc-rules": (["discuss", "unrelated", "unrelated", "discuss", "disagree", "disagree", "discuss",
                   "disagree", "disagree", "disagree", "disagree", "agree", "agree", "disagree", "disagree",
                   "disagree", "agree", "disagree", "disagree"],
                  13 / 24, 3.0, 0.4, 19 / 24),
    # cross-fitted logistic regression (about 15 training rows per fold):
    # article: A A D A D D A D A; source: A A A D A D A D D D
    #   article F1: agree (tp s1 s4, fp s2 s7 s9, fn s6 s8) 4/9, the rest 0 -> 1/9;
    #     FNC: s1, s4 1 each + s5..s9 related-as-related 0.25 each = 3.25 -> 3.25 / 7.5 = 13/30
    #   source F1: agree (tp s12 s16, fp 3, fn 3) 4/10, disagree (tp s15 s18, fp 3, fn 3) 4/10 -> 0.4
    #   all F1: agree (tp 4, fp 6, fn 5) 8/19, disagree (tp 2, fp 7, fn 5) 4/16, discuss 0, unrelated 0
    #     -> (8/19 + 1/4) / 4 = 51/304
    "fnc-gbdt": (["agree", "agree", "disagree", "agree", "disagree", "disagree", "agree", "disagree", "agree",
                  "agree", "agree", "agree", "disagree", "agree", "disagree", "agree", "disagree", "disagree",
                  "disagree"],
                 51 / 304, 3.25, 13 / 30, 0.4),
}


@pytest.fixture(scope="module")
def scored():
    bench = load_bench()
    return {cls.name: score_on(bench, cls(seed=0), "gold-upstream") for cls in (FncRules, FncGbdt)}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_scores_on_the_bundled_dataset(scored, name):
    labels, all_f1, fnc, fnc_rel, source_f1 = PINNED[name]
    result = scored[name]
    assert list(result.predictions.id) == [f"s{i}" for i in range(1, 20)]
    assert list(result.predictions.label) == labels
    assert result.values["all"]["macro_f1"] == pytest.approx(all_f1)
    assert result.values["article"]["fnc_score"] == fnc
    assert result.values["article"]["fnc_max"] == 7.5  # 7 related gold * 1 + 2 unrelated * 0.25
    assert result.values["article"]["fnc_relative"] == pytest.approx(fnc_rel)
    assert result.values["source"]["macro_f1"] == pytest.approx(source_f1)
