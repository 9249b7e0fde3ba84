"""Boilerplate metrics, cross-checked against scikit-learn and against a case worked by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from labels.scheme import ROLES
from baselines.metrics import for_task
from baselines.tasks import TASKS

METRICS = {m.name: m for m in for_task("boilerplate")}
TASK = TASKS["boilerplate"]


def approx(x: float):
    """scikit-learn computes F1 as 2tp / (2tp + fp + fn), we as 2PR / (P + R): equal up to rounding."""
    return pytest.approx(x, rel=1e-12, abs=1e-15)


def aligned(doc_ids, lengths, gold_content, pred_content, gold_role=None, pred_role=None) -> pd.DataFrame:
    """Lines of the given lengths laid end to end per document, through the task's own align."""
    rows, next_start, next_line = [], {}, {}
    for d, n in zip(doc_ids, lengths):
        start, line = next_start.get(d, 0), next_line.get(d, 0)
        rows.append((d, line, start, start + n, "x" * n))
        next_start[d], next_line[d] = start + n + 2, line + 2  # a blank line between, as in real pages
    units = pd.DataFrame(rows, columns=["doc_id", "line", "start", "end", "text"])
    gold = units[["doc_id", "line"]].assign(is_content=np.asarray(gold_content, bool),
                                            role=gold_role if gold_role is not None else "body")
    pred = units[["doc_id", "line"]].assign(is_content=np.asarray(pred_content, bool))
    if pred_role is not None:
        pred["role"] = pred_role
    return TASK.align(units, gold, pred)


def test_hand_computed_case():
    # line  chars  gold role    gold content  pred content  pred role
    # 0     40     headline     yes           yes           headline     tp (lines and chars)
    # 1     10     navigation   no            yes           body         fp
    # 2     100    body         yes           no            navigation   fn
    # 3     60     body         yes           yes           body         tp
    # 4     30     related      no            no            related      tn
    a = aligned(["d"] * 5, [40, 10, 100, 60, 30], [1, 0, 1, 1, 0], [1, 1, 0, 1, 0],
                ["headline", "navigation", "body", "body", "related"],
                ["headline", "body", "navigation", "body", "related"])
    assert a.n_chars.tolist() == [40, 10, 100, 60, 30]
    # lines: tp 2, fp 1, fn 1 -> P = 2/3, R = 2/3, F1 = 2/3
    lines = METRICS["content_lines"].value(a)
    assert lines["precision"] == 2 / 3 and lines["recall"] == 2 / 3
    assert lines["f1"] == approx(2 / 3)
    # chars: tp 40 + 60 = 100, fp 10, fn 100 -> P = 100/110 = 10/11, R = 100/200 = 1/2,
    # F1 = 2 * (10/11) * (1/2) / (10/11 + 1/2) = (10/11) / (31/22) = 20/31
    chars = METRICS["content_chars"].value(a)
    assert chars["precision"] == 10 / 11 and chars["recall"] == 1 / 2
    assert chars["f1"] == approx(20 / 31)
    # roles: right on lines 0, 3, 4 -> accuracy 3/5. Per role present in gold or prediction:
    # headline tp 1 -> F1 1; navigation gold line 1, predicted line 2 -> F1 0;
    # body gold {2, 3}, predicted {1, 3} -> P 1/2, R 1/2, F1 1/2; related tp 1 -> F1 1.
    # macro-F1 over those four (the six absent roles do not count) = (1 + 0 + 1/2 + 1) / 4 = 0.625
    roles = METRICS["roles"].value(a)
    assert roles["accuracy"] == 3 / 5
    assert roles["macro_f1"] == 0.625
    body = tuple(roles[f"body/{k}"] for k in ("precision", "recall", "f1", "support"))
    assert body == (0.5, 0.5, 0.5, 2)
    assert roles["navigation/f1"] == 0.0 and roles["headline/f1"] == 1.0
    assert "caption/f1" not in roles  # in neither gold nor prediction: no scores at all


def test_roles_apply_only_when_every_line_has_a_predicted_role():
    a = aligned(["d"] * 3, [5, 5, 5], [1, 0, 1], [1, 0, 0])
    assert not METRICS["roles"].applies(a)
    a = aligned(["d"] * 3, [5, 5, 5], [1, 0, 1], [1, 0, 0], pred_role=["body", None, "body"])
    assert not METRICS["roles"].applies(a)
    a = aligned(["d"] * 3, [5, 5, 5], [1, 0, 1], [1, 0, 0], pred_role=["body", "other", "body"])
    assert METRICS["roles"].applies(a)


def _random_cases(n_cases: int = 40):
    """Random documents and labels (seeded), including all-negative gold or predictions."""
    rng = np.random.default_rng(0)
    for case in range(n_cases):
        n = int(rng.integers(1, 60))
        docs = np.sort(rng.choice(["a", "b", "c"], n)).tolist()
        lengths = rng.integers(1, 300, n).tolist()
        gold = rng.random(n) < rng.uniform(0, 1)
        pred = rng.random(n) < rng.uniform(0, 1)
        if case == 0:
            pred[:] = False
        if case == 1:
            gold[:] = False
        p_roles = rng.dirichlet(np.full(len(ROLES), 0.3))  # skewed: some roles absent from both sides
        gold_role = rng.choice(ROLES, n, p=p_roles).tolist()
        pred_role = rng.choice(ROLES, n, p=p_roles).tolist()
        yield aligned(docs, lengths, gold, pred, gold_role, pred_role), gold, pred, lengths, gold_role, pred_role


def test_content_lines_and_chars_equal_sklearn_binary_on_random_cases():
    for a, gold, pred, lengths, _, _ in _random_cases():
        for name, weight in (("content_lines", None), ("content_chars", lengths)):
            p, r, f, _ = precision_recall_fscore_support(gold, pred, average="binary", sample_weight=weight,
                                                         zero_division=0.0)
            ours = METRICS[name].value(a)
            assert ours["precision"] == approx(p) and ours["recall"] == approx(r) and ours["f1"] == approx(f)


def test_roles_equal_sklearn_accuracy_and_macro_f1_on_random_cases():
    for a, _, _, _, gold_role, pred_role in _random_cases():
        ours = METRICS["roles"].value(a)
        assert ours["accuracy"] == approx(accuracy_score(gold_role, pred_role))
        # sklearn's macro average runs over the labels present in gold or prediction
        assert ours["macro_f1"] == approx(f1_score(gold_role, pred_role, average="macro", zero_division=0.0))
        p, r, f, s = precision_recall_fscore_support(gold_role, pred_role, labels=list(ROLES), average=None,
                                                     zero_division=0.0)
        present = set(gold_role) | set(pred_role)
        for i, role in enumerate(ROLES):
            if role not in present:
                assert f"{role}/f1" not in ours
                continue
            assert ours[f"{role}/precision"] == approx(p[i]) and ours[f"{role}/recall"] == approx(r[i])
            assert ours[f"{role}/f1"] == approx(f[i]) and ours[f"{role}/support"] == s[i]


# ---------------------------------------------------------------------------- text-level score

def text_aligned(docs: list[tuple[str, list[tuple[str, bool, bool]]]]) -> pd.DataFrame:
    """Documents of (line text, gold content, predicted content), through the task's own align."""
    rows, gold, pred = [], [], []
    for doc_id, lines in docs:
        start = 0
        for i, (text, g, p) in enumerate(lines):
            rows.append((doc_id, i, start, start + len(text), text))
            gold.append(g)
            pred.append(p)
            start += len(text) + 1
    units = pd.DataFrame(rows, columns=["doc_id", "line", "start", "end", "text"])
    return TASK.align(units, units[["doc_id", "line"]].assign(is_content=gold, role="body"),
                      units[["doc_id", "line"]].assign(is_content=pred))


def test_text_tokens_split_at_runs_of_non_word_characters():
    from baselines.metrics.boilerplate import text_tokens

    assert text_tokens("U.S. shares fell 2.5% -- Reuters' snake_case, co-op!") == [
        "U", "S", "shares", "fell", "2", "5", "Reuters", "snake", "case", "co", "op"]
    assert text_tokens("  \t ,;  ") == [] and text_tokens("Ünïcödé wörds") == ["Ünïcödé", "wörds"]


def test_text_score_by_hand():
    a = text_aligned([("d", [
        ("Markets fell, markets rose.", True, True),    # markets fell markets rose: kept
        ("Subscribe to our newsletter", False, True),   # 4 tokens wrongly kept
        ("The markets closed.", True, False),           # 3 tokens wrongly dropped
        ("Home | World | Markets", False, False),       # boilerplate, dropped
    ])])
    # gold bag: Markets fell markets rose The markets closed (7 tokens, "markets" twice, case kept)
    # predicted bag: Markets fell markets rose Subscribe to our newsletter (8 tokens)
    # overlap with multiplicity: Markets, fell, markets, rose = 4 -> P 4/8, R 4/7, F1 2*4/(8+7) = 8/15
    s = METRICS["content_text"].value(a)
    assert s["precision"] == 0.5 and s["recall"] == 4 / 7 and s["f1"] == approx(8 / 15)
    # equal to the bag of the two whole texts
    from baselines.metrics.boilerplate import bag_of_tokens, text_tokens
    gold_text = "Markets fell, markets rose.\nThe markets closed."
    pred_text = "Markets fell, markets rose.\nSubscribe to our newsletter"
    assert bag_of_tokens(text_tokens(gold_text), text_tokens(pred_text)) == (4, 4, 3)


def test_text_score_matches_tokens_across_lines_with_multiplicity():
    # the dropped gold line and the wrongly kept line share "the" twice and "said" once: a bag
    # of the document, not of lines, so they count as hits (the lines score would say 0)
    a = text_aligned([("d", [
        ("the minister said the plan works", True, False),
        ("the ad said the offer ends", False, True),
    ])])
    # gold 6 tokens, predicted 6, common: the x2, said -> 3; P 3/6, R 3/6
    s = METRICS["content_text"].value(a)
    assert (s["precision"], s["recall"]) == (0.5, 0.5)
    # the hits and false positives sit on the kept line, the 3 missed tokens on the dropped one
    assert METRICS["content_text"].stats(a).tolist() == [[0, 0, 3], [3, 3, 0]]
    assert METRICS["content_lines"].value(a)["f1"] == 0.0
    # a token predicted three times but in gold once counts once
    a = text_aligned([("d", [("Paris", True, True), ("Paris Paris", False, True)])])
    s = METRICS["content_text"].value(a)
    assert (s["precision"], s["recall"]) == (1 / 3, 1.0)


def test_text_score_pools_documents_and_keeps_counts_per_document():
    a = text_aligned([
        ("a", [("one two three", True, True), ("menu", False, True), ("four", True, False)]),
        ("b", [("alpha beta", True, False), ("footer", False, False)]),
    ])
    # doc a: gold {one two three four}, pred {one two three menu}: tp 3, fp 1, fn 1
    # doc b: gold {alpha beta}, nothing predicted: tp 0, fp 0, fn 2; each count on its line
    stats = METRICS["content_text"].stats(a)
    assert stats.tolist() == [[3, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 2], [0, 0, 0]]
    # pooled: tp 3, fp 1, fn 3 -> P 3/4, R 3/6
    s = METRICS["content_text"].value(a)
    assert (s["precision"], s["recall"]) == (0.75, 0.5)
    # nothing predicted anywhere and no gold: every value 0, as the other scores say
    empty = text_aligned([("c", [("menu", False, False)])])
    assert METRICS["content_text"].value(empty) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_text_counts_per_line_add_up_to_the_bag_of_each_document():
    from baselines.metrics.boilerplate import bag_of_tokens, text_tokens

    rng = np.random.default_rng(3)
    words = ["the", "The", "markets", "fell", "said", "menu", "Home", "a", "co-op", "2.5%"]
    for _ in range(60):
        docs = []
        for d in range(int(rng.integers(1, 4))):
            lines = [(" ".join(rng.choice(words, int(rng.integers(0, 6)))), bool(rng.random() < 0.5),
                      bool(rng.random() < 0.5)) for _ in range(int(rng.integers(1, 8)))]
            docs.append((f"d{d}", lines))
        a = text_aligned(docs)
        stats = METRICS["content_text"].stats(a)
        total = np.zeros(3, dtype=np.int64)
        for doc_id, lines in docs:
            rows = (a.doc_id == doc_id).to_numpy()
            gold = [t for text, g, _ in lines if g for t in text_tokens(text)]
            pred = [t for text, _, p in lines if p for t in text_tokens(text)]
            assert tuple(stats[rows].sum(axis=0)) == bag_of_tokens(gold, pred)
            total += bag_of_tokens(gold, pred)
        tp, fp, fn = total
        s = METRICS["content_text"].value(a)
        assert s["precision"] == (tp / (tp + fp) if tp + fp else 0.0) and s["recall"] == (tp / (tp + fn) if tp + fn else 0.0)
