"""Entity metrics: span matching worked by hand, the CoNLL view, and strict scores against seqeval.

seqeval 1.2.2 in strict IOB2 mode is the reference for both the character-span metric
(spans decoded from the same tags) and the numpy token-view scorer.
"""
from __future__ import annotations

import warnings
import numpy as np
import pandas as pd
import pytest
from seqeval.metrics import f1_score, precision_score, recall_score
from seqeval.scheme import IOB2

from labels import scheme
from labels.tokens import Token, iob2_to_spans, spans_to_iob2
from baselines.data import load_bench
from baselines.metrics import for_task
from baselines.metrics.token_view import strict_scores
from baselines.tasks import TASKS
from benchmarks.entity_scorer import generate, seqeval_strict

METRICS = {m.name: m for m in for_task("entities")}
TASK = TASKS["entities"]


def aligned(lines: list[tuple[int, int]], gold: list[tuple], pred: list[tuple]) -> pd.DataFrame:
    """One document with the given (start, end) lines; spans as (start, end, type)."""
    units = pd.DataFrame({"doc_id": "d", "line": range(len(lines)),
                          "start": [s for s, _ in lines], "end": [e for _, e in lines]})
    frame = lambda spans: pd.DataFrame(spans, columns=["start", "end", "type"]).assign(doc_id="d")
    return TASK.align(units, frame(gold), frame(pred))


def scores(a: pd.DataFrame) -> dict[str, dict[str, float]]:
    return {name: m.value(a) for name, m in METRICS.items()}


# ---------------------------------------------------------------------------- spans by hand

def test_strict_boundary_overlap_by_hand():
    gold = [(0, 10, "PERSON"), (12, 20, "ORG"), (25, 30, "GPE"), (40, 44, "DATE")]
    pred = [(0, 10, "PERSON"),   # exact
            (12, 20, "NORP"),    # same span, wrong type
            (25, 31, "GPE"),     # one character too long
            (40, 44, "DATE"),    # exact (on the second line)
            (50, 55, "ORG")]     # spurious
    s = scores(aligned([(0, 32), (40, 60)], gold, pred))
    on = s["ontonotes/strict"]
    # strict: tp 2 (PERSON, DATE), fp 3, fn 2 -> P 2/5, R 2/4, F1 2 * 0.4 * 0.5 / 0.9 = 4/9
    assert (on["precision"], on["recall"]) == (0.4, 0.5) and on["f1"] == pytest.approx(4 / 9, rel=1e-15)
    # per type, only types seen on either side: PERSON and DATE perfect; ORG gold missed and
    # a spurious ORG: 0 of 1; NORP only predicted: support 0; GPE 0 of 1
    assert {k for k in on if "/" in k} == {f"{t}/{x}" for t in ("PERSON", "ORG", "NORP", "GPE", "DATE")
                                          for x in ("precision", "recall", "f1", "support")}
    assert (on["PERSON/f1"], on["DATE/f1"], on["ORG/f1"], on["NORP/f1"], on["GPE/f1"]) == (1, 1, 0, 0, 0)
    assert (on["ORG/support"], on["NORP/support"], on["GPE/support"]) == (1, 0, 1)
    # boundary (type ignored): gold {0-10, 12-20, 25-30, 40-44}, pred adds 25-31 and 50-55 instead
    # of 25-30: tp 3, fp 2, fn 1 -> P 3/5, R 3/4, F1 2 * 0.6 * 0.75 / 1.35 = 2/3
    b = s["ontonotes/boundary"]
    assert (b["precision"], b["recall"]) == (0.6, 0.75) and b["f1"] == pytest.approx(2 / 3, rel=1e-15)
    # overlap (same type, a shared character, one-to-one): PERSON, GPE 25-31 ~ 25-30, DATE match;
    # NORP has no NORP gold, ORG 50-55 overlaps nothing -> tp 3, fp 2, fn 1 (gold ORG)
    o = s["ontonotes/overlap"]
    assert (o["precision"], o["recall"]) == (0.6, 0.75)


def test_overlap_matches_one_to_one():
    # two predictions inside one gold span: only one can count
    s = scores(aligned([(0, 50)], [(0, 10, "ORG")], [(0, 4, "ORG"), (5, 10, "ORG")]))["ontonotes/overlap"]
    # tp 1, fp 1, fn 0 -> P 1/2, R 1
    assert (s["precision"], s["recall"]) == (0.5, 1.0)
    # touching is not overlapping: [0, 5) and [5, 9) share no character
    s = scores(aligned([(0, 50)], [(0, 5, "ORG")], [(5, 9, "ORG")]))["ontonotes/overlap"]
    assert (s["precision"], s["recall"], s["f1"]) == (0.0, 0.0, 0.0)


def test_overlap_is_a_maximum_matching_not_greedy():
    # gold A=[0,10) and B=[12,14); predictions P=[0,13) (overlaps A and B) and Q=[5,6) (overlaps A).
    # Greedy left to right gives P->A and leaves Q unmatched (1 match); the maximum matching is
    # P->B, Q->A: tp 2, fp 0, fn 0.
    s = scores(aligned([(0, 50)], [(0, 10, "ORG"), (12, 14, "ORG")], [(0, 13, "ORG"), (5, 6, "ORG")]))
    assert (s["ontonotes/overlap"]["precision"], s["ontonotes/overlap"]["recall"]) == (1.0, 1.0)


def test_conll_view_maps_types_and_drops_numeric_ones():
    # one gold span per OntoNotes type, predicted exactly
    spans = [(10 * i, 10 * i + 5, t) for i, t in enumerate(scheme.ENTITY_TYPES)]
    con = scores(aligned([(0, 200)], spans, spans))["conll/strict"]
    # PERSON -> PER; ORG -> ORG; GPE, LOC, FAC -> LOC; NORP, EVENT, WORK_OF_ART, LAW, PRODUCT,
    # LANGUAGE -> MISC; the seven numeric and temporal types are dropped: 1 + 1 + 3 + 6 = 11
    assert {t: con[f"{t}/support"] for t in scheme.CONLL_TYPES} == {"PER": 1, "ORG": 1, "LOC": 3, "MISC": 6}
    assert (con["precision"], con["recall"]) == (1.0, 1.0)

    gold = [(0, 5, "GPE"), (6, 9, "FAC"), (10, 14, "NORP"), (20, 24, "DATE"), (30, 33, "PERSON")]
    pred = [(0, 5, "LOC"),        # GPE vs LOC: both LOC in CoNLL
            (6, 9, "GPE"),        # FAC vs GPE: both LOC
            (10, 14, "EVENT"),    # NORP vs EVENT: both MISC
            (40, 44, "CARDINAL"),  # numeric: not in the CoNLL view at all
            (30, 33, "ORG")]      # PERSON vs ORG: wrong in both views
    s = scores(aligned([(0, 50)], gold, pred))
    # OntoNotes: no exact type match -> tp 0, fp 5, fn 5
    assert (s["ontonotes/strict"]["precision"], s["ontonotes/strict"]["recall"]) == (0.0, 0.0)
    # CoNLL: gold LOC, LOC, MISC, PER (DATE dropped); pred LOC, LOC, MISC, ORG (CARDINAL dropped)
    # -> tp 3, fp 1, fn 1 -> P 3/4, R 3/4
    con = s["conll/strict"]
    assert (con["precision"], con["recall"], con["f1"]) == (0.75, 0.75, 0.75)
    assert (con["LOC/support"], con["MISC/support"], con["PER/support"], con["ORG/support"]) == (2, 1, 1, 0)
    assert "DATE/support" not in con and "CARDINAL/support" not in con
    # boundary in the CoNLL view ignores types but still drops the numeric spans:
    # gold {0-5, 6-9, 10-14, 30-33}, pred the same four -> perfect
    assert scores(aligned([(0, 50)], gold, pred))["conll/boundary"]["f1"] == 1.0


# ---------------------------------------------------------------------------- token view by hand

def test_token_view_by_hand():
    true = [["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-LOC"],   # chunks PER 0-2, ORG 4-5; both I-LOC belong to none
            ["O", "B-PER"], ["I-PER", "O"]]                         # a chunk never crosses sentences: PER 1-2
    pred = [["B-PER", "I-PER", "O", "B-LOC", "B-ORG", "I-ORG"],   # PER 0-2 right; LOC 3-4 spurious; ORG 4-6 too long
            ["O", "B-PER"], ["O", "O"]]                             # PER 1-2 right
    s = strict_scores(true, pred)
    # gold 3 chunks, pred 4, tp 2 -> P 1/2, R 2/3, F1 2 * (1/2) * (2/3) / (7/6) = 4/7
    assert (s["precision"], s["recall"], s["support"]) == (0.5, 2 / 3, 3)
    assert s["f1"] == pytest.approx(4 / 7, rel=1e-15)
    assert (s["PER/precision"], s["PER/recall"], s["PER/support"]) == (1.0, 1.0, 2)
    assert (s["ORG/f1"], s["ORG/support"], s["LOC/f1"], s["LOC/support"]) == (0.0, 1, 0.0, 0)
    assert s == seqeval_strict(true, pred)


def test_token_view_refuses_what_seqeval_refuses():
    with pytest.raises(ValueError, match="2 gold tags but 1 predicted"):
        strict_scores([["O", "O"]], [["O"]])
    with pytest.raises(ValueError, match="1 gold sentences but 2 predicted"):
        strict_scores([["O"]], [["O"], ["O"]])
    with pytest.raises(ValueError, match="invalid IOB2 tag 'E-PER'"):
        strict_scores([["E-PER"]], [["O"]])
    with pytest.raises(ValueError):
        seqeval_strict([["E-PER"]], [["O"]])
    assert strict_scores([[]], [[]]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0.0}


# ---------------------------------------------------------------------------- against seqeval

def assert_seqeval_equal(true: list[list[str]], pred: list[list[str]]) -> dict[str, float]:
    """Our token view equals seqeval's report, and its micro scores the three seqeval functions."""
    reference = seqeval_strict(true, pred)
    assert strict_scores(true, pred) == reference
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # seqeval's UndefinedMetricWarning for an empty side
        micro = (precision_score(true, pred, mode="strict", scheme=IOB2),
                 recall_score(true, pred, mode="strict", scheme=IOB2),
                 f1_score(true, pred, mode="strict", scheme=IOB2))
    assert micro == (reference["precision"], reference["recall"], reference["f1"])
    return reference


def span_view(tokens_per_line: list[list[Token]], tags: list[list[str]], view: str) -> list[list[str]]:
    """Tags -> spans (strict decoding) -> the view's types -> tags again."""
    to = scheme.conll_type if view == "conll" else (lambda t: t)
    out = []
    for toks, line_tags in zip(tokens_per_line, tags):
        spans = [(s, e, to(t)) for s, e, t in iob2_to_spans(toks, line_tags) if to(t)]
        out.append(spans_to_iob2(toks, spans))
    return out


def assert_span_metric_equals_seqeval(units: pd.DataFrame, tokens_per_line: list[list[Token]],
                                      true: list[list[str]], pred: list[list[str]]) -> None:
    """The character-span strict metric, on spans decoded from the tags, equals seqeval on those tags
    in both views (micro and per type; the span metric reports no micro support)."""
    def frame(tags):
        rows = [(d, s, e, t) for d, toks, line_tags in zip(units.doc_id, tokens_per_line, tags)
                for s, e, t in iob2_to_spans(toks, line_tags)]
        return pd.DataFrame(rows, columns=["doc_id", "start", "end", "type"])

    a = TASK.align(units, frame(true), frame(pred))
    for view in ("ontonotes", "conll"):
        reference = seqeval_strict(span_view(tokens_per_line, true, view), span_view(tokens_per_line, pred, view))
        reference.pop("support")
        assert METRICS[f"{view}/strict"].value(a) == reference


def perturb(tags: list[str], rng: np.random.Generator, types: tuple[str, ...]) -> list[str]:
    """Tagger-like errors: type swaps (also inside a chunk), B- -> I-, I- -> B-, drops, spurious tags."""
    out = []
    for tag in tags:
        u = rng.random()
        if tag != "O" and u < 0.1:
            tag = f"{tag[0]}-{rng.choice(types)}"
        elif tag.startswith("B-") and u < 0.15:
            tag = "I-" + tag[2:]
        elif tag.startswith("I-") and u < 0.2:
            tag = "B-" + tag[2:]
        elif tag != "O" and u < 0.25:
            tag = "O"
        elif tag == "O" and u < 0.05:
            tag = f"{rng.choice(['B', 'I'])}-{rng.choice(types)}"
        out.append(tag)
    return out


@pytest.fixture(scope="module")
def bench_lines():
    bench = load_bench()
    units = TASK.inputs(bench).units
    # the token view's own tokens (cut at gold entity boundaries), in unit order
    tag_rows = units[["doc_id", "line"]].merge(bench.entities_tokens, on=["doc_id", "line"], how="left")
    tokens = [[Token(s, e, t) for t, s, e in zip(*cols)]
              for cols in zip(tag_rows.tokens, tag_rows.token_starts, tag_rows.token_ends)]
    gold = TASK.gold(bench)
    by_line = TASK.align(units, gold, gold.iloc[:0])
    true = [spans_to_iob2(toks, spans) for toks, spans in zip(tokens, by_line.gold)]
    # the published token view holds exactly these tags
    assert [[scheme.ONTONOTES_TAGS[i] for i in row] for row in tag_rows.ner_tags] == true
    assert [[scheme.CONLL_TAGS[i] for i in row] for row in tag_rows.conll_ner_tags] == span_view(tokens, true, "conll")
    return units, tokens, true


def test_bundled_token_view_against_seqeval(bench_lines):
    units, tokens, true = bench_lines
    rng = np.random.default_rng(0)
    assert assert_seqeval_equal(true, true)["f1"] == 1.0
    for _ in range(20):
        pred = [perturb(line, rng, scheme.ENTITY_TYPES) for line in true]
        reference = assert_seqeval_equal(true, pred)
        assert 0 < reference["f1"] < 1 and reference["support"] == 29
        assert_span_metric_equals_seqeval(units, tokens, true, pred)


RANDOM_TYPES = ("PERSON", "ORG", "GPE", "LOC", "DATE")
RANDOM_TAGS = ["O"] + [f"{p}-{t}" for t in RANDOM_TYPES for p in "BI"]


def random_sentences(rng: np.random.Generator, n: int) -> list[list[str]]:
    """Uniformly random tags: I- without B-, type switches inside chunks, empty sentences."""
    return [[RANDOM_TAGS[i] for i in rng.integers(0, len(RANDOM_TAGS), rng.integers(0, 12))] for _ in range(n)]


def test_random_tag_sequences_against_seqeval():
    rng = np.random.default_rng(0)
    for case in range(400):  # 400 cases of 1-12 sentences: ~2,600 sentences
        true = random_sentences(rng, int(rng.integers(1, 13)))
        pred = [perturb(s, rng, RANDOM_TYPES) if case % 2 else
                [RANDOM_TAGS[i] for i in rng.integers(0, len(RANDOM_TAGS), len(s))] for s in true]
        assert_seqeval_equal(true, pred)


def test_random_tag_sequences_span_metric_against_seqeval():
    rng = np.random.default_rng(1)
    for _ in range(40):
        true = [s for s in random_sentences(rng, 6) if s]
        pred = [perturb(s, rng, RANDOM_TYPES) for s in true]
        tokens = [[Token(100 * i + 2 * j, 100 * i + 2 * j + 1, "w") for j in range(len(s))] for i, s in enumerate(true)]
        units = pd.DataFrame({"doc_id": "d", "line": range(len(true)), "start": [t[0].start for t in tokens],
                              "end": [t[-1].end for t in tokens]})
        assert_span_metric_equals_seqeval(units, tokens, true, pred)


def test_realistic_generated_corpus_against_seqeval():
    true, pred = generate(60_000, seed=3)
    reference = assert_seqeval_equal(true, pred)
    assert set(k.split("/")[0] for k in reference if "/" in k) == {"PER", "ORG", "LOC", "MISC"}
