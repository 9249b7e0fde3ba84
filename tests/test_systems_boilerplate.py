"""Boilerplate baselines: line features, the line heuristic, jusText, the line classifier, and
each system's scores on the bundled dataset (pinned after checking them by hand)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labels.text import units as text_units
from conftest import score_on
from baselines import registry
from baselines.data import load_bench
from baselines.features.lines import NAMES, line_features
from baselines.systems.boilerplate import JusText, LineHeuristic, LineLogReg, paragraph_is_content
from baselines.tasks import TaskInput

# A tiny page. Line numbers count all lines (line 4 is empty, so it is no unit); starts by hand:
# "Menu" 0-4, "Home › World › Europe" 5-26, headline 27-59, prose 60-119, "" 120, quote 121-188,
# "Share" 189-194, teaser 195-231, "Menu" 232-236: the document is 236 characters long.
STORM = "\n".join([
    "Menu",
    "Home › World › Europe",
    "Big storm hits the coast tonight",
    "It was the worst storm in a decade, and it is not over yet.",
    "",
    'The mayor said: "We have never seen anything like it in this town."',
    "Share",
    "More storms are on the way this week",
    "Menu",
])
PROMO = "Subscribe to our newsletter today"


def _inputs(pages: dict[str, str]) -> TaskInput:
    docs = pd.DataFrame({"doc_id": list(pages), "text": list(pages.values())})
    rows = [(d, u.line, u.start, u.end, u.text) for d, t in pages.items() for u in text_units(t)]
    return TaskInput(docs, pd.DataFrame(rows, columns=["doc_id", "line", "start", "end", "text"]))


TOY = _inputs({"storm": STORM, "promo": PROMO})


def test_toy_units_are_as_counted_by_hand():
    assert len(STORM) == 236
    assert list(TOY.units.line) == [0, 1, 2, 3, 5, 6, 7, 8, 0]
    assert list(TOY.units.start) == [0, 5, 27, 60, 121, 189, 195, 232, 0]


def test_line_features_by_hand():
    assert NAMES == ("words", "stopword_density", "punct_share", "ends_sentence", "repeats", "position")
    expected = np.array([
        # "Menu": 1 word, not a stopword; repeated by the last line
        [1, 0, 0, 0, 1, 0],
        # 5 tokens, stopwords home and world ("›" strips to ""); › › are 2 of 17 visible chars
        [5, 2 / 5, 2 / 17, 0, 0, 5 / 236],
        # 6 words, stopword: the
        [6, 1 / 6, 0, 0, 0, 27 / 236],
        # 14 words, stopwords it was the in a and it is not over (not: worst storm decade yet);
        # "," and "." among 46 visible chars
        [14, 10 / 14, 2 / 46, 1, 0, 60 / 236],
        # 13 words, all but "mayor" and "anything" are stopwords (said, we and town stripped of their
        # punctuation); ':', two '"' and '.' are 4 of 55 visible chars; ends '."' -> a sentence
        [13, 11 / 13, 4 / 55, 1, 0, 121 / 236],
        [1, 0, 0, 0, 0, 189 / 236],
        # 8 words, stopwords more are on the way this (not: storms week)
        [8, 6 / 8, 0, 0, 0, 195 / 236],
        [1, 0, 0, 0, 1, 232 / 236],
        # the one-line promo: 5 words, stopword: to
        [5, 1 / 5, 0, 0, 0, 0],
    ])
    np.testing.assert_allclose(line_features(TOY.units, TOY.documents), expected, rtol=0, atol=1e-15)


def test_line_features_do_not_depend_on_the_other_units_given():
    """Cross-fitting predicts a block of lines: repeats and position still see the whole document."""
    full = line_features(TOY.units, TOY.documents)
    last_two = line_features(TOY.units.iloc[6:8].reset_index(drop=True), TOY.documents)
    np.testing.assert_array_equal(last_two, full[6:8])


def test_line_heuristic_on_the_toy_page():
    pred = LineHeuristic().predict(TOY)
    assert list(pred.line) == list(TOY.units.line)
    # nav; breadcrumb with > 10% punctuation (not title-like) before the body; first title-like line
    # before the body; the two prose lines (a run of 2); short; title-like after the body; short.
    # The promo has no prose line: no body, hence no headline, and is "other".
    assert list(pred.role) == ["navigation", "other", "headline", "body", "body", "navigation", "related",
                               "navigation", "other"]
    assert list(pred.is_content) == [False, False, True, True, True, False, False, False, False]


def test_line_heuristic_takes_the_longest_prose_run_as_body():
    """A lone prose line after the body (an author's bio, a teaser) is related, not body."""
    prose = "It was the worst storm in a decade, and it is not over yet."
    bio = "She has been writing about the weather for this paper since it was founded."
    page = "\n".join(["Storm hits the coast", prose, prose.replace("storm", "flood"), "Share", bio])
    pred = LineHeuristic().predict(_inputs({"d": page}))
    assert list(pred.role) == ["headline", "body", "body", "navigation", "related"]


LONG_A = ("The storm reached the coast on Tuesday night and it was the worst that the town had seen in "
          "a decade, according to the people who have lived there for all of their lives and who were "
          "not able to leave in time.")
LONG_B = ("Officials said that they would open the schools again on Friday if the roads were clear, "
          "but they warned that it could take much longer for the power to come back to all of the "
          "homes that were cut off by the floods.")


def test_justext_one_paragraph_per_line():
    # "Menu": short; its neighbours are the page start (bad) and a good one -> bad. LONG_A/LONG_B:
    # > 200 chars with stopword density >= 0.32 -> good. The short line between two good ones ->
    # good; it holds markup that, escaped, stays its text and does not split the paragraph.
    # The copyright line holds "©" -> bad.
    lines = ["Menu", LONG_A, "Share </p><p> this", LONG_B, "Copyright © 2024 Example News"]
    assert len(LONG_A) > 200 and len(LONG_B) > 200
    assert paragraph_is_content(lines) == [False, True, True, True, False]
    pred = JusText().predict(_inputs({"d": "\n".join(lines)}))
    assert list(pred.line) == [0, 1, 2, 3, 4]
    assert list(pred.is_content) == [False, True, True, True, False]


def test_justext_maps_paragraphs_by_position_when_one_is_dropped():
    """jusText drops a blank paragraph; later lines keep their own verdict."""
    assert paragraph_is_content([LONG_A, "   ", LONG_B]) == [True, False, True]
    assert paragraph_is_content([]) == []


def test_justext_on_the_toy_page_keeps_nothing():
    """No line reaches jusText's 70 characters with enough stopwords: no good paragraph anywhere."""
    assert not JusText().predict(TOY).is_content.any()


def _separable() -> tuple[TaskInput, pd.DataFrame]:
    prose = [LONG_A, LONG_B, "It was the worst storm in a decade, and it is not over yet."]
    nav = ["Menu", "Share", "Log in"]
    page = "\n".join(x for pair in zip(nav, prose) for x in pair)
    inputs = _inputs({"d": page})
    gold = pd.DataFrame({"doc_id": "d", "line": range(6), "is_content": [False, True] * 3,
                         "role": ["navigation", "body"] * 3})
    return inputs, gold


def test_logreg_learns_a_separable_toy_problem():
    inputs, gold = _separable()
    model = LineLogReg(seed=3)
    model.fit(inputs, gold)
    pred = model.predict(inputs)
    assert list(pred.is_content) == list(gold.is_content)
    assert list(pred.role) == list(gold.role)


def test_logreg_with_one_training_class_predicts_it():
    inputs, gold = _separable()
    model = LineLogReg()
    model.fit(inputs, gold.assign(is_content=True, role="body"))
    pred = model.predict(TOY)
    assert pred.is_content.tolist() == [True] * 9
    assert pred.role.tolist() == ["body"] * 9


def test_all_boilerplate_systems_are_registered():
    names = {cls.name for cls in registry.available("boilerplate")}
    assert {"all-content", "justext", "line-heuristic", "line-logreg"} <= names


@pytest.fixture(scope="module")
def bench():
    return load_bench()


def _scored(bench, system):
    return score_on(bench, system, "end-to-end")


def test_logreg_is_deterministic(bench):
    a, b = _scored(bench, LineLogReg(seed=0)), _scored(bench, LineLogReg(seed=0))
    pd.testing.assert_frame_equal(a.predictions, b.predictions)
    assert a.training.folds.kind == "contiguous-unit-blocks"


# The seed document: 23 lines, 8 content (headline, line 2, 70 chars; body lines 8-20, 1511 chars;
# 1581 content chars in all). Each metric: (precision, recall, F1 = 2 TP / (2 TP + FP + FN)).
@pytest.mark.parametrize("system, lines, chars, roles", [
    # jusText keeps lines 6-35 (18 lines, 2657 chars): the body, but not the headline (70 chars with
    # stopword density 1/8: bad), and the caption before it plus everything between the body and
    # "Show More" (short lines between good ones turn good). P 7/18, R 7/8; chars P 1511/2657,
    # R 1511/1581.
    (JusText, (7 / 18, 7 / 8, 14 / 26), (1511 / 2657, 1511 / 1581, 3022 / 4238), None),
    # The heuristic keeps exactly the headline and the body. Roles right on 15 of 23: all 7 body,
    # the headline, related 22, 23 and 35, navigation 0, 32, 33 and 37; wrong on metadata 4 and
    # media 24, 25 and author 26, 28 (short -> navigation), media 5 and caption 6 (other),
    # author bio 30 (prose after the body -> related).
    (LineHeuristic, (1.0, 1.0, 1.0), (1.0, 1.0, 1.0), 15 / 23),
    # Cross-fitted by 5 contiguous blocks: the first block (lines 0-6) is predicted content by a
    # model that never saw a short non-content line before the body, and lines 23 and 30 (prose
    # after the body) too: 14 lines (2436 chars) kept, all 8 content among them. Roles: right on
    # the 7 body lines and related 23 and 35 only (9 of 23).
    (LineLogReg, (8 / 14, 1.0, 16 / 22), (1581 / 2436, 1.0, 3162 / 4017), 9 / 23),
], ids=["justext", "line-heuristic", "line-logreg"])
def test_scores_on_the_bundled_dataset(bench, system, lines, chars, roles):
    scored = _scored(bench, system(seed=0))
    for metric, expected in (("content_lines", lines), ("content_chars", chars)):
        got = scored.values[metric]
        assert (got["precision"], got["recall"], got["f1"]) == pytest.approx(expected, rel=1e-12), metric
    if roles is None:
        assert "roles" not in scored.values and "role" not in scored.predictions
    else:
        assert scored.values["roles"]["accuracy"] == pytest.approx(roles, rel=1e-12)
