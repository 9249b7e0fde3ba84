"""The protocol as data: learned systems fit on train and are scored on test, conditions, tuned_on,
and the significance rules, on a SYNTHETIC corpus built in a temporary folder."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, copy_sources, score_on
from baselines import registry
from baselines.conditions import view
from baselines.data import load_bench
from baselines.protocol import END_TO_END, GOLD_UPSTREAM, PROTOCOLS, TUNED_ON
from baselines.significance import MIN_DOCUMENTS, holm, not_testable_reason
from baselines.system import System
from baselines.systems.boilerplate import LineLogReg
from baselines.systems.entities import TokenLogReg
from baselines.systems.stance import FncLogreg, Majority
from corpus.sources import Sources
from baselines.tasks import TASKS
from benchmarks.synthetic import generate
from corpus.build import build


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A SYNTHETIC corpus of 30 pages, built; returns (train bench, test bench)."""
    root = tmp_path_factory.mktemp("SYNTHETIC-protocol")
    sources = generate(root, 30, seed=3)
    build(sources)
    return load_bench(sources.dataset_dir, "train"), load_bench(sources.dataset_dir, "test")


def test_every_task_declares_its_protocol_and_systems_read_only_its_fields():
    bench = load_bench()
    assert set(PROTOCOLS) == set(TASKS)
    for name, protocol in PROTOCOLS.items():
        assert (protocol.fit_split, protocol.tune_split, protocol.scored_split) == ("train", "validation", "test")
        for condition in protocol.conditions:
            v = view(TASKS[name], bench, condition.name)
            assert list(v.inputs.units.columns) == list(protocol.reads), (name, condition.name)
    assert [c.name for c in PROTOCOLS["entities"].conditions] == [GOLD_UPSTREAM, END_TO_END]
    assert [c.name for c in PROTOCOLS["stance"].conditions] == [GOLD_UPSTREAM, END_TO_END]
    assert not registry.resolve(PROTOCOLS["stance"].upstream)[0][0].learned


def test_gold_upstream_entities_read_the_gold_content_lines_only():
    bench = load_bench()
    task = TASKS["entities"]
    upstream, e2e = view(task, bench, GOLD_UPSTREAM), view(task, bench, END_TO_END)
    content = bench.boilerplate[bench.boilerplate.is_content]
    assert sorted(upstream.inputs.units.line) == sorted(content.line)
    assert len(e2e.inputs.units) == len(bench.boilerplate)
    inside = bench.entities.merge(content[["doc_id", "line"]], on=["doc_id", "line"])
    # scheme 2: gold mentions lie in content lines only, so both conditions score the same gold;
    # end to end, what a system predicts on a boilerplate line finds no gold and counts as spurious
    assert len(upstream.gold) == len(inside) == len(e2e.gold) == len(bench.entities) == 29


def test_end_to_end_stance_reads_the_body_the_upstream_system_keeps_and_no_holder():
    bench = load_bench()
    task = TASKS["stance"]
    upstream, e2e = view(task, bench, GOLD_UPSTREAM), view(task, bench, END_TO_END)
    gold_ctx, e2e_ctx = upstream.inputs.units, e2e.inputs.units
    article = gold_ctx.level == "article"
    assert (gold_ctx.context[article] != e2e_ctx.context[article]).all()
    # source level: one unit per distinct claim, with no holder, no holder span and no context
    claims = e2e_ctx[e2e_ctx.level == "source"]
    source = bench.stance[bench.stance.level == "source"]
    assert sorted(claims.target) == sorted(set(source.target)) and len(claims) == 10
    assert list(claims.id) == [f"c{k}" for k in (1, 10, 2, 3, 4, 5, 6, 7, 8, 9)]
    assert claims.holder.isna().all() and claims.holder_span.isna().all() and (claims.context == "").all()
    # the gold answers are the same instances and labels, source-level ones under their claim's id
    assert list(e2e.gold.instance) == list(upstream.gold.id) and list(e2e.gold.label) == list(upstream.gold.label)
    s14 = e2e.gold.set_index("instance").loc["s14"]
    assert (s14.id, s14.holder_start, s14.holder_end, s14.holder_mentions) == ("c5", 878, 888, ((878, 888),))
    # a holder's mentions: every gold mention with its surface text ("China": e1, e5, e26, e29)
    assert e2e.gold.set_index("instance").loc["s10"].holder_mentions == ((11, 16), (468, 473), (1560, 1565),
                                                                          (1742, 1747))


def test_an_undeclared_condition_is_refused():
    with pytest.raises(KeyError, match="no condition 'gold-upstream'"):
        view(TASKS["boilerplate"], load_bench(), GOLD_UPSTREAM)


LEARNED = [(LineLogReg, END_TO_END), (TokenLogReg, END_TO_END), (Majority, GOLD_UPSTREAM)]


def _flip(bench, task_name):
    """The same pages with every gold answer of the task changed."""
    if task_name == "boilerplate":
        bp = bench.boilerplate.copy()
        bp["is_content"] = ~bp.is_content
        bp["role"] = np.where(bp.is_content, "body", "other")
        return replace(bench, boilerplate=bp)
    if task_name == "entities":
        return replace(bench, entities=bench.entities.assign(type="NORP"))
    return replace(bench, stance=bench.stance.assign(label="discuss"))


@pytest.mark.parametrize("cls, condition", LEARNED, ids=[c.name for c, _ in LEARNED])
def test_learned_systems_fit_on_train_and_never_on_test_gold(synthetic, cls, condition):
    train, test = synthetic
    scored = score_on(test, cls(seed=0), condition, train=train)
    assert scored.training.mode == "fit-on-split" and scored.training.split == "train"
    assert scored.training.n_documents == train.documents.doc_id.nunique() > 0
    # the test pages' gold changes: the predictions do not
    again = score_on(_flip(test, cls.task), cls(seed=0), condition, train=train)
    pd.testing.assert_frame_equal(scored.predictions, again.predictions)
    # the training pages' gold changes: the predictions do
    other = score_on(test, cls(seed=0), condition, train=_flip(train, cls.task))
    assert not scored.predictions.equals(other.predictions)


@pytest.fixture(scope="module")
def full_dataset(tmp_path_factory):
    """The full dataset built from the pages folder into a temporary folder; (train, test) benches.
    Skipped only where the pages folder is absent (it is never copied into the repository)."""
    pages = Sources.at(ROOT).pages_dir
    if not pages.is_dir():
        pytest.skip(f"no pages folder at {pages}: the full dataset cannot be built here")
    sources = copy_sources(tmp_path_factory.mktemp("full")).full(pages_dir=pages)
    build(sources)
    return load_bench(sources.dataset_dir, "train"), load_bench(sources.dataset_dir, "test")


FULL = [(LineLogReg, END_TO_END), (FncLogreg, GOLD_UPSTREAM)]


@pytest.mark.parametrize("cls, condition", FULL, ids=[c.name for c, _ in FULL])
def test_on_the_full_dataset_learned_systems_follow_their_training_pages_only(full_dataset, cls, condition):
    """The property above on the real pages: change the test pages' gold and nothing moves; change
    the training pages' gold and the predictions do."""
    train, test = full_dataset
    assert test.documents.doc_id.nunique() >= 10 and train.documents.doc_id.nunique() >= 10
    scored = score_on(test, cls(seed=0), condition, train=train)
    assert (scored.training.mode, scored.training.split) == ("fit-on-split", "train")
    again = score_on(_flip(test, cls.task), cls(seed=0), condition, train=train)
    pd.testing.assert_frame_equal(scored.predictions, again.predictions)
    other = score_on(test, cls(seed=0), condition, train=_flip(train, cls.task))
    assert not scored.predictions.equals(other.predictions)


def test_without_training_documents_learned_systems_cross_fit_and_say_so(synthetic):
    _, test = synthetic
    scored = score_on(test, LineLogReg(seed=0), END_TO_END)
    t = scored.training
    assert (t.mode, t.split, t.reason) == ("cross-fitted-fallback", "test", "fallback: no training documents")
    assert t.folds.kind == "grouped-by-document"
    assert t.label() == "cross-fitted within test (fallback: no training documents)"


def test_scoring_the_fit_split_cross_fits_instead_of_scoring_training_pages(synthetic):
    train, _ = synthetic
    t = score_on(train, Majority(seed=0), GOLD_UPSTREAM, train=train).training
    assert (t.mode, t.reason) == ("cross-fitted-fallback", "fallback: the scored split is the fit split")


def test_a_system_must_declare_a_known_tuned_on():
    class Peeking(System):
        task, name, tuned_on = "stance", "peeking", "dev"

        def predict(self, inputs):
            raise AssertionError

    with pytest.raises(ValueError, match="tuned_on must be one of none, validation, test, not 'dev'"):
        registry.register(Peeking)
    assert TUNED_ON == ("none", "validation", "test")


def test_holm_by_hand():
    # sorted 0.01, 0.02, 0.04 of 3: 0.03, 0.04, max(0.04, 0.04) = 0.04
    assert holm({"a": 0.04, "b": 0.01, "c": 0.02}) == pytest.approx({"a": 0.04, "b": 0.03, "c": 0.04})
    # monotone: a later smaller product is lifted to the running maximum; capped at 1
    assert holm({"a": 0.02, "b": 0.021, "c": 0.9}) == pytest.approx({"a": 0.06, "b": 0.06, "c": 0.9})
    assert holm({"a": 0.6, "b": 0.7}) == {"a": 1.0, "b": 1.0}
    assert holm({}) == {}


def test_holm_matches_statsmodels():
    from statsmodels.stats.multitest import multipletests

    p = np.random.default_rng(0).uniform(0, 0.2, 8)
    expected = multipletests(p, method="holm")[1]
    got = holm({str(i): v for i, v in enumerate(p)})
    assert [got[str(i)] for i in range(8)] == pytest.approx(list(expected))


def test_not_testable_below_the_document_threshold():
    assert not_testable_reason(1) == f"one document: not testable (needs {MIN_DOCUMENTS})"
    assert not_testable_reason(MIN_DOCUMENTS - 1) == f"{MIN_DOCUMENTS - 1} documents: not testable (needs {MIN_DOCUMENTS})"
    assert not_testable_reason(MIN_DOCUMENTS) is None


def test_an_upstream_that_reproduces_gold_gives_the_gold_upstream_inputs():
    """content_view with the gold lines and roles as the upstream's predictions changes nothing."""
    from baselines.conditions import content_view

    bench = load_bench()
    task = TASKS["stance"]
    as_gold = content_view(bench, bench.boilerplate[["doc_id", "line", "is_content", "role"]])
    pd.testing.assert_frame_equal(task.inputs(as_gold).units, task.inputs(bench).units)
    # without roles, no headline is known: the body keeps every content line
    no_roles = content_view(bench, bench.boilerplate[["doc_id", "line", "is_content"]])
    article = task.inputs(no_roles).units.level == "article"
    headline = bench.boilerplate[bench.boilerplate.role == "headline"].text.iloc[0]
    assert task.inputs(no_roles).units.context[article].str.startswith(headline).all()


@pytest.fixture(scope="module")
def synthetic_splits(tmp_path_factory):
    """A SYNTHETIC corpus of 30 pages, built; every split's bench."""
    sources = generate(tmp_path_factory.mktemp("SYNTHETIC-tuning"), 30, seed=3)
    build(sources)
    return {split: load_bench(sources.dataset_dir, split) for split in ("train", "validation", "test")}


def test_a_system_with_a_grid_is_tuned_on_validation_and_says_so(synthetic_splits):
    """With a validation split, a learned system with a grid keeps the setting that scores best on
    validation (never on test); its result says `tuned on validation` and records every setting tried."""
    bench = synthetic_splits
    scored = score_on(bench["test"], LineLogReg(seed=0), END_TO_END, train=bench["train"], tune=bench["validation"])
    tuning = scored.training.tuning
    assert [s["params"] for s in tuning["scores"]] == [dict(p) for p in LineLogReg.grid]
    best = max(s["score"] for s in tuning["scores"])
    assert tuning["chosen"] == next(s["params"] for s in tuning["scores"] if s["score"] == best)
    assert scored.system["tuned_on"] == "validation" and scored.system["params"]["C"] == tuning["chosen"]["C"]
    assert scored.training.label().startswith(f"fit on train ({bench['train'].documents.shape[0]} documents), "
                                              f"tuned on validation (C={tuning['chosen']['C']})")
    untuned = score_on(bench["test"], LineLogReg(seed=0), END_TO_END, train=bench["train"])
    assert untuned.training.tuning is None and untuned.system["tuned_on"] == "none"
