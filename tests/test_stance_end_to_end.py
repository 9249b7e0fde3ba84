"""End-to-end stance: claims without holders, (claim, holder, label) records, their matching and
scores by hand, and the quote attribution that finds holders on a small made page."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import score_on
from labels.cli import UserError
from baselines.data import load_bench
from baselines.metrics import for_task
from baselines.protocol import END_TO_END, GOLD_UPSTREAM
from baselines.stance_records import GoldRecord, Record, counts, match, page_lines
from baselines.system import System
from baselines.systems.attribution import attributions, holder_of
from baselines.systems.stance import FncRules


def test_a_record_matches_the_gold_instance_whose_holder_mention_it_overlaps():
    gold = [GoldRecord("s1", ((10, 15), (40, 45)), "agree"), GoldRecord("s2", ((100, 110),), "disagree")]
    records = [Record(40, 45, "agree"),      # the holder's second mention, right label: true positive
               Record(100, 104, "agree"),    # the other holder, wrong label: a false positive and a false negative
               Record(200, 210, "discuss")]  # nobody's mention: spurious
    assert match(records, gold) == [(0, 0), (1, 1)]
    assert counts(records, gold) == {"tp": 1, "fp": 2, "fn": 1, "holder_tp": 2, "holder_fp": 1, "holder_fn": 0}
    [metric] = [m for m in for_task("stance") if m.name == "source_records"]
    c = counts(records, gold)
    values = metric.aggregate(pd.Series([c[k] for k in c]).to_numpy())
    assert (values["precision"], values["recall"], values["f1"]) == pytest.approx((1 / 3, 1 / 2, 0.4))
    assert (values["holder_precision"], values["holder_recall"], values["holder_f1"]) == pytest.approx(
        (2 / 3, 1.0, 0.8))


def test_one_record_matches_one_instance_largest_overlap_first_then_the_agreeing_label():
    # two records on one holder: the larger overlap wins, the other is spurious
    assert counts([Record(0, 4, "agree"), Record(0, 10, "agree")], [GoldRecord("s1", ((0, 10),), "agree")]) == \
        {"tp": 1, "fp": 1, "fn": 0, "holder_tp": 1, "holder_fp": 1, "holder_fn": 0}
    assert match([Record(0, 4, "agree"), Record(0, 10, "agree")], [GoldRecord("s1", ((0, 10),), "agree")]) == [(1, 0)]
    # overlapping holders: (8, 20) overlaps s2 by 12 and is taken first; (5, 10) ties 5 to 5 and takes
    # the instance whose label it agrees with
    gold = [GoldRecord("s1", ((0, 10),), "agree"), GoldRecord("s2", ((5, 20),), "disagree")]
    records = [Record(5, 10, "agree"), Record(8, 20, "disagree")]
    assert match(records, gold) == [(1, 1), (0, 0)]
    assert counts(records, gold)["tp"] == 2
    # the same, its label on s2's side: the tie goes to s2, whose label it agrees with, so s1 is missed
    assert match([Record(5, 10, "disagree")], gold) == [(0, 1)]
    # nothing predicted: every instance missed
    assert counts([], gold) == {"tp": 0, "fp": 0, "fn": 2, "holder_tp": 0, "holder_fp": 0, "holder_fn": 2}


class _Fixed(System):
    """Article: agree everywhere; claims: the records below (seed page offsets)."""

    task, name = "stance", "fixed"
    RECORDS = [("c5", 878, 888, "disagree"),   # s14, Guo Jiakun: right
               ("c6", 1742, 1747, "agree"),    # s10, holder China (e1), found at another China mention: wrong label
               ("c9", 0, 5, "agree")]          # nobody there: spurious

    def predict(self, inputs):
        u = inputs.units
        article = u[u.level == "article"]
        rows = [(d, i, "agree", None, None) for d, i in zip(article.doc_id, article.id)]
        doc = u.doc_id.iloc[0]
        rows += [(doc, c, lab, s, e) for c, s, e, lab in self.RECORDS]
        return pd.DataFrame(rows, columns=["doc_id", "id", "label", "holder_start", "holder_end"])


def test_end_to_end_scores_on_the_seed_page_by_hand():
    scored = score_on(load_bench(), _Fixed(), END_TO_END)
    v = scored.values
    # article: agree is right for s1, s4, s6, s8 of the nine
    # source: 10 instances; c5 right, c6 holder right label wrong, c9 spurious, the rest missed
    assert {k: v["source_records"][k] for k in ("tp", "fp", "fn")} == {"tp": 1, "fp": 2, "fn": 9}
    assert (v["source_records"]["holder_precision"], v["source_records"]["holder_recall"]) == \
        pytest.approx((2 / 3, 2 / 10))
    assert {k: v["records"][k] for k in ("tp", "fp", "fn")} == {"tp": 4 + 1, "fp": 5 + 2, "fn": 5 + 9}
    assert v["records"]["f1"] == pytest.approx(2 * 5 / (2 * 5 + 7 + 14))
    assert v["article"]["accuracy"] == pytest.approx(4 / 9)
    assert "all" not in v and "source" not in v  # one label per instance does not exist end to end
    assert list(scored.predictions.columns[:5]) == ["doc_id", "id", "label", "holder_start", "holder_end"]


@pytest.mark.parametrize("change, message", [
    (lambda p: p.assign(holder_start=p.holder_start.where(p.id != "s1", 3), holder_end=p.holder_end.where(
        p.id != "s1", 5)), "row 1: holder_start: an article-level instance has no holder"),
    (lambda p: p.assign(label=p.label.where(p.id != "c5", "unrelated")),
     "row 10: label: a source-level record is one of agree, disagree, discuss, not 'unrelated'"),
    (lambda p: p.assign(holder_end=p.holder_end.where(p.id != "c9", 10 ** 6)),
     "row 12: holder_start: span [0, 1000000) is empty or outside the page"),
    (lambda p: p.assign(id=p.id.where(p.id != "c9", "c99")),
     "row 12: id: document '74c56bf1e5b05a7b' has no stance unit 'c99' in the dataset split"),
    (lambda p: p[p.id != "s2"].reset_index(drop=True),
     "1 article-level units have no prediction, e.g. doc_id='74c56bf1e5b05a7b', id='s2'; every one needs one"),
])
def test_a_malformed_end_to_end_answer_is_refused_in_one_line(change, message):
    class Broken(_Fixed):
        name = "broken"

        def predict(self, inputs):
            return change(super().predict(inputs).astype({"holder_start": object, "holder_end": object}))

    with pytest.raises(UserError) as err:
        score_on(load_bench(), Broken(), END_TO_END)
    assert str(err.value) == f"stance: system broken: {message} (a bug in the system, not in the data)"


PAGE = ("Home | News | Contact\n"
        "Minister Jane Doe said the new bridge plan would fail within a year.\n"
        "The weather in the valley was fine.\n"
        "According to Acme Corp, steel prices will rise next spring.\n"
        "“It is over,” said Tom Hill of the union.\n"
        "Bob Stone [Ar]: We reject the harbour deal outright.\n"
        "it was said that nothing would change.\n")


def _lines(text):
    return page_lines(pd.DataFrame({"doc_id": ["d"], "text": [text]}))["d"]


def test_quote_attribution_finds_the_holders_of_a_made_page():
    found = attributions(PAGE, _lines(PAGE))
    assert [PAGE[a.start:a.end] for a in found] == ["Jane Doe", "Acme Corp", "Tom Hill", "Bob Stone"]
    assert all(PAGE[a.line[0]:a.line[1]] in PAGE.split("\n") for a in found)
    # a claim goes to the holder whose words share most of its content words
    assert PAGE[slice(*_span(holder_of("The bridge plan will fail.", PAGE, found)))] == "Jane Doe"
    assert PAGE[slice(*_span(holder_of("Steel prices will rise.", PAGE, found)))] == "Acme Corp"
    assert PAGE[slice(*_span(holder_of("The harbour deal is good.", PAGE, found)))] == "Bob Stone"
    assert holder_of("Anything.", PAGE, []) is None


def _span(a):
    return a.start, a.end


def test_with_the_holders_given_a_record_is_right_exactly_when_its_label_is():
    values = score_on(load_bench(), FncRules(), GOLD_UPSTREAM).values
    assert values["records"]["f1"] == values["records"]["precision"] == values["all"]["accuracy"] == 11 / 19
    assert "source_records" not in values


def test_a_stance_baseline_end_to_end_answers_with_the_holders_it_found():
    """fnc-rules on the seed page: one record per claim, each on a span attribution found."""
    bench = load_bench()
    scored = score_on(bench, FncRules(), END_TO_END)
    records = scored.predictions[scored.predictions.id.str.startswith("c")]
    assert sorted(records.id) == sorted(f"c{k}" for k in range(1, 11))
    text = bench.documents.text.iloc[0]
    found = {text[s:e] for s, e in zip(records.holder_start, records.holder_end)}
    assert found <= {text[a.start:a.end] for a in attributions(text, _lines(text))}
    assert scored.system["details"]["holders"].startswith("end to end: found by quote attribution")
