"""The conlleval reading of IOB tags, against conlleval.pl's own output and against a Python port.

`EXPECTED` is what conlleval.pl (version 2004-01-26, run with perl, default options)
printed for `FIXTURE`, a made-up tagger output shaped like CoNLL-2003 system output:
sentences separated by blank lines, "token gold predicted" per line, with I- tags
after O (also at a sentence start) and after a chunk of another type.
The `conlleval` package (a Python port of the script) is the reference on generated
cases; the two differ in one place only, the precision of a type never predicted
(the port says 1, the script 0), which the comparison accounts for.
"""
from __future__ import annotations

import conlleval
import numpy as np
import pytest

from baselines.metrics.token_view import CONLLEVAL, IOB2_STRICT, ChunkReport, chunk_counts, conlleval_scores, report
from benchmarks.entity_scorer import generate, seqeval_strict

FIXTURE = """\
The O O
mayor B-PER O
of O O
Lisbon B-LOC B-LOC
, O O
Ana B-PER B-PER
Lima I-PER I-PER
, O O
met O O
the O O
European B-ORG I-ORG
Commission I-ORG I-ORG
in O O
Brussels B-LOC I-LOC
on O O
Monday O O
. O O

Shares O O
of O O
Acme B-ORG B-ORG
Corp I-ORG I-LOC
fell O O
after O O
Reuters B-ORG B-MISC
reported O O
the O O
deal O I-MISC
. O O

Prime O I-PER
Minister O O
Jane B-PER B-PER
Doe I-PER I-PER
and O O
Paris B-LOC B-ORG
Saint I-LOC I-ORG
Germain I-LOC I-LOC
fans O O
cheered O O
. O O

New B-ORG I-LOC
York I-ORG I-LOC
Times I-ORG B-ORG
"""

EXPECTED = """\
processed 42 tokens with 10 phrases; found: 14 phrases; correct: 5.
accuracy:  71.43%; precision:  35.71%; recall:  50.00%; FB1:  41.67
              LOC: precision:  40.00%; recall:  66.67%; FB1:  50.00  5
             MISC: precision:   0.00%; recall:   0.00%; FB1:   0.00  2
              ORG: precision:  25.00%; recall:  25.00%; FB1:  25.00  4
              PER: precision:  66.67%; recall:  66.67%; FB1:  66.67  3
"""


def read_columns(text: str) -> tuple[list[list[str]], list[list[str]]]:
    """Gold and predicted tag sentences of a "token gold predicted" file."""
    true, pred = [[]], [[]]
    for line in text.splitlines():
        if not line.strip():
            true.append([])
            pred.append([])
            continue
        _, g, p = line.split()
        true[-1].append(g)
        pred[-1].append(p)
    return true, pred


def as_conlleval_prints(r: ChunkReport, found_by_type: dict[str, int]) -> str:
    """A report in conlleval.pl's printed layout (percentages to two decimals)."""
    o = r.overall
    lines = [f"processed {r.tokens} tokens with {int(o.support)} phrases; found: {r.found} phrases; "
             f"correct: {r.correct}.",
             f"accuracy: {100 * r.accuracy:6.2f}%; precision: {100 * o.precision:6.2f}%; "
             f"recall: {100 * o.recall:6.2f}%; FB1: {100 * o.f1:6.2f}"]
    for name in sorted(r.per_type):
        s = r.per_type[name]
        lines.append(f"{name:>17}: precision: {100 * s.precision:6.2f}%; recall: {100 * s.recall:6.2f}%; "
                     f"FB1: {100 * s.f1:6.2f}  {found_by_type[name]}")
    return "\n".join(lines) + "\n"


def found_by_type(true, pred) -> dict[str, int]:
    c = chunk_counts(true, pred, CONLLEVAL)
    return dict(zip(c.types, c.pred.sum(axis=0).tolist()))


def test_fixture_equals_conlleval_pl_output():
    true, pred = read_columns(FIXTURE)
    r = conlleval_scores(true, pred)
    assert as_conlleval_prints(r, found_by_type(true, pred)) == EXPECTED
    # exact values behind the rounded print: 5 of 14 found, 5 of 10 gold
    assert (r.overall.precision, r.overall.recall, r.correct, r.found) == (5 / 14, 0.5, 5, 14)
    assert r.accuracy == 30 / 42
    # per type, counted by hand: LOC gold {Lisbon, Brussels, Paris Saint Germain}; predicted
    # Lisbon (right), Brussels (I-LOC after O starts a chunk: right), Corp (I-LOC after ORG),
    # Germain (I-LOC after ORG), New York -> 2 of 5 predicted, 2 of 3 gold
    assert (r.per_type["LOC"].precision, r.per_type["LOC"].recall) == (2 / 5, 2 / 3)
    assert r.per_type["MISC"] == type(r.per_type["MISC"])(0.0, 0.0, 0.0, 0.0)


def test_the_two_readings_differ_exactly_on_stray_inside_tags():
    true, pred = read_columns(FIXTURE)
    strict = report(true, pred, IOB2_STRICT)
    # strict IOB2 drops every chunk that opens with I-: European Commission, Brussels, Corp,
    # deal, Prime, Germain, New York -> found 14 - 7 = 7; of the 5 correct lenient chunks,
    # European Commission and Brussels opened with I-, so 3 remain
    assert (strict.found, strict.correct) == (7, 3)
    assert strict.flat() == seqeval_strict(true, pred)
    # gold has no stray I- tags, so both readings see the same 10 gold chunks
    assert strict.overall.support == conlleval_scores(true, pred).overall.support == 10


def assert_equals_port(true: list[list[str]], pred: list[list[str]]) -> None:
    """Every count and score equals the conlleval port's on the same lines."""
    lines = []
    for t_sent, p_sent in zip(true, pred):  # an empty sentence is no line (the port trips on a leading blank)
        lines += [f"w {g} {p}" for g, p in zip(t_sent, p_sent)] + [""] * bool(t_sent)
    ref = conlleval.evaluate(lines)
    ours = conlleval_scores(true, pred)
    chunks, tags = ref["overall"]["chunks"], ref["overall"]["tags"]
    assert (chunks["stats"]["gold"], chunks["stats"]["pred"], chunks["stats"]["correct"]) == (
        ours.overall.support, ours.found, ours.correct)
    assert (tags["stats"]["gold"], tags["stats"]["correct"] / max(tags["stats"]["gold"], 1)) == (
        ours.tokens, ours.accuracy)
    assert (chunks["evals"]["rec"], chunks["evals"]["f1"]) == pytest.approx(
        (ours.overall.recall, ours.overall.f1), rel=1e-12, abs=0)
    if ours.found:
        assert chunks["evals"]["prec"] == pytest.approx(ours.overall.precision, rel=1e-12)
    counted = {name: s for name, s in ref["slots"]["chunks"].items()
               if s["stats"]["gold"] or s["stats"]["pred"]}
    assert set(counted) == set(ours.per_type)
    found = found_by_type(true, pred)
    for name, s in counted.items():
        mine = ours.per_type[name]
        assert (s["stats"]["gold"], s["stats"]["pred"]) == (mine.support, found[name])
        assert (s["evals"]["rec"], s["evals"]["f1"]) == pytest.approx((mine.recall, mine.f1), rel=1e-12, abs=0)
        assert s["evals"]["prec"] == (pytest.approx(mine.precision, rel=1e-12) if found[name] else 1)


def test_fixture_equals_the_port():
    assert_equals_port(*read_columns(FIXTURE))


def test_generated_tagger_output_equals_the_port():
    # 20,000 tokens of generated gold with tagger-like errors, among them B- turned I-
    # (I- after O or after another type) and type swaps inside chunks
    true, pred = generate(20_000, seed=5)
    assert_equals_port(true, pred)
    assert conlleval_scores(true, pred).found > report(true, pred, IOB2_STRICT).found


def test_uniformly_random_tags_equal_the_port():
    rng = np.random.default_rng(2)
    tags = ["O"] + [f"{p}-{t}" for t in ("PER", "ORG", "LOC", "WORK_OF_ART") for p in "BI"]
    for _ in range(150):
        lengths = rng.integers(0, 10, int(rng.integers(1, 8)))
        true = [[tags[i] for i in rng.integers(0, len(tags), n)] for n in lengths]
        pred = [[tags[i] for i in rng.integers(0, len(tags), n)] for n in lengths]
        assert_equals_port(true, pred)


def test_counts_per_sentence_add_up_to_the_report():
    true, pred = read_columns(FIXTURE)
    c = chunk_counts(true, pred, CONLLEVAL, types=("PER", "ORG", "LOC", "MISC", "GPE"))
    assert c.gold.shape == (4, 5) and c.gold[:, 4].sum() == 0
    # sentence 2: gold ORG Acme Corp, ORG Reuters; predicted ORG Acme, LOC Corp, MISC Reuters, MISC deal
    assert c.gold[1].tolist() == [0, 2, 0, 0, 0] and c.pred[1].tolist() == [0, 1, 1, 2, 0]
    assert c.correct[1].sum() == 0 and (c.tags_right[1], c.tokens[1]) == (8, 11)
    with pytest.raises(ValueError, match="not among"):
        chunk_counts(true, pred, CONLLEVAL, types=("PER",))
