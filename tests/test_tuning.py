"""Settings chosen on validation: exact scores of every setting on a made split, the best kept."""
from __future__ import annotations

from typing import ClassVar

import pandas as pd
import pytest

from baselines.conditions import task_for, view
from baselines.data import load_bench
from baselines.protocol import END_TO_END
from baselines.runner import measure
from baselines.system import System
from baselines.systems.boilerplate import LineLogReg
from baselines.systems.line_structure import LineStructure
from baselines.systems.stance import Majority
from baselines.tasks import TASKS, TaskInput
from baselines.tuning import tune
from test_line_structure import _corpus


class KeepFirst(System):
    """Keeps the first `keep` lines of every document; fitting records that it happened."""

    task = "boilerplate"
    name = "keep-first"
    learned = True
    grid: ClassVar[tuple[dict, ...]] = ({"keep": 1}, {"keep": 3}, {"keep": 2}, {"keep": 3})

    def fit(self, inputs, gold):
        self.fitted = len(inputs.units)

    def predict(self, inputs):
        units = inputs.units
        rank = units.groupby("doc_id", sort=False).cumcount().to_numpy()
        return pd.DataFrame({"doc_id": units.doc_id, "line": units.line, "is_content": rank < self.params["keep"]})


def _split(content: list[list[bool]]) -> tuple[TaskInput, pd.DataFrame]:
    rows = [(f"d{i}", n, 0, 1, "x") for i, doc in enumerate(content) for n in range(len(doc))]
    units = pd.DataFrame(rows, columns=["doc_id", "line", "start", "end", "text"])
    docs = pd.DataFrame({"doc_id": sorted(set(units.doc_id)), "text": "x"})
    flags = [f for doc in content for f in doc]
    gold = units[["doc_id", "line"]].assign(is_content=flags, role=["body" if f else "other" for f in flags])
    return TaskInput(docs, units), gold


def test_every_setting_is_scored_on_validation_and_the_best_kept():
    train = _split([[True, False]])
    # validation: two documents whose first three lines are content, of four
    validation = _split([[True, True, True, False], [True, True, True, False]])
    model, tuned = tune(TASKS["boilerplate"], KeepFirst, 0, *train, *validation)
    # keep=1: P 1, R 2/6 -> F1 1/2; keep=2: R 4/6 -> F1 4/5; keep=3: all 6 found, none wrong -> F1 1
    assert tuned.metric == "content_lines/f1"
    assert tuned.scores == (({"keep": 1}, pytest.approx(1 / 2)), ({"keep": 3}, 1.0),
                            ({"keep": 2}, pytest.approx(4 / 5)), ({"keep": 3}, 1.0))
    assert tuned.chosen == {"keep": 3} and model.params == {"keep": 3}
    assert model.fitted == 2  # fitted on the training split only
    assert tuned.to_dict()["chosen"] == {"keep": 3}


def test_a_system_without_a_grid_is_fitted_once_with_its_defaults():
    class NoGrid(KeepFirst):
        name = "no-grid"
        grid = ()

        def __init__(self, seed=0, **params):
            super().__init__(seed, **({"keep": 2} | params))

    model, tuned = tune(TASKS["boilerplate"], NoGrid, 0, *_split([[True]]), *_split([[True, False]]))
    # keep=2 on a two-line page with one content line: P 1/2, R 1 -> F1 2/3
    assert tuned.scores == (({}, pytest.approx(2 / 3)),) and tuned.chosen == {} and model.params == {"keep": 2}


def test_line_classifiers_are_tuned_on_a_made_template():
    (train, train_gold), (validation, validation_gold) = _corpus(1, 6, "train"), _corpus(2, 3, "valid")
    model, tuned = tune(TASKS["boilerplate"], LineLogReg, 0, train, train_gold, validation, validation_gold)
    assert [p for p, _ in tuned.scores] == list(LineLogReg.grid)
    scores = dict((p["C"], s) for p, s in tuned.scores)
    assert len(set(scores.values())) == 3  # the setting matters here
    assert tuned.chosen == {"C": max(scores, key=scores.get)} == {"C": model.params["C"]}
    for C, score in scores.items():  # each score is what a model fitted apart with that setting gets
        alone = LineLogReg(seed=0, C=C)
        alone.fit(train, train_gold)
        values, _ = measure(TASKS["boilerplate"], validation, validation_gold, alone.predict(validation))
        assert values["content_lines"]["f1"] == score
    # the structure classifier separates this template with every setting: the default is kept
    _, structure = tune(TASKS["boilerplate"], LineStructure, 0, train, train_gold, validation, validation_gold)
    assert [s for _, s in structure.scores] == [1.0, 1.0, 1.0] and structure.chosen == {"C": 1.0}


class GridMajority(Majority):
    """The majority stance baseline with two (identical) settings, so that it is tuned."""

    grid = ({}, {})


def test_end_to_end_stance_is_tuned_on_its_own_primary_value():
    """Tuning scores settings as the condition poses the task: end to end, by the records' F1
    (the bundled page stands in for both splits: only the measure is under test)."""
    task = task_for("stance", END_TO_END)
    posed = view(task, load_bench(), END_TO_END)
    _, tuned = tune(task, GridMajority, 0, posed.inputs, posed.gold, posed.inputs, posed.gold)
    assert tuned.metric == "records/f1"
    alone = GridMajority(seed=0)
    alone.fit(posed.inputs, posed.gold)
    values, _ = measure(task, posed.inputs, posed.gold, alone.predict(posed.inputs))
    assert [score for _, score in tuned.scores] == [values["records"]["f1"]] * 2
    assert 0 < values["records"]["f1"] < 1
