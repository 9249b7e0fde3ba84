"""The two-level bootstrap: resample weights, percentile intervals and the paired comparison."""
from __future__ import annotations

import numpy as np
import pytest

from baselines.bootstrap import FixedResamples, Interval, intervals, paired, resample_weights


def accuracy(s: np.ndarray) -> dict[str, float]:
    """Stats per unit are [correct, 1]."""
    return {"accuracy": s[0] / s[1]}


def test_weights_shape_and_one_document_rows_sum_to_its_units():
    w = resample_weights(["d"] * 7, 50, seed=0).weights()
    assert w.shape == (50, 7) and (w >= 0).all()
    # one document is drawn once per resample, then its 7 units 7 times with replacement
    assert (w.sum(axis=1) == 7).all()
    assert len({tuple(r) for r in w}) > 1


def test_weights_draw_whole_documents():
    doc_ids = ["a", "b", "a", "c", "b", "a", "c", "c", "c"]  # interleaved: a has 3 units, b 2, c 4
    w = resample_weights(doc_ids, 200, seed=1).weights()
    members = {d: [i for i, x in enumerate(doc_ids) if x == d] for d in "abc"}
    per_doc = {d: w[:, idx].sum(axis=1) for d, idx in members.items()}
    # each document's units together appear c_d times its size, c_d the times the document was drawn
    draws = {d: per_doc[d] // len(members[d]) for d in "abc"}
    for d in "abc":
        assert (per_doc[d] % len(members[d]) == 0).all()
    # three documents are drawn per resample (with replacement)
    assert (draws["a"] + draws["b"] + draws["c"] == 3).all()
    assert (w.sum(axis=1) == 3 * draws["a"] + 2 * draws["b"] + 4 * draws["c"]).all()
    # with equal-size documents every resample has the dataset's size
    assert (resample_weights(["x", "y", "x", "y"], 30, seed=2).weights().sum(axis=1) == 4).all()


def test_weights_reproducible_for_a_seed_and_different_for_another():
    ids = ["a"] * 5 + ["b"] * 4
    assert np.array_equal(resample_weights(ids, 40, seed=3).weights(), resample_weights(ids, 40, seed=3).weights())
    assert not np.array_equal(resample_weights(ids, 40, seed=3).weights(), resample_weights(ids, 40, seed=4).weights())


def test_interval_of_a_constant_metric_is_degenerate():
    stats = np.ones((6, 2), dtype=np.int64)  # every unit correct
    w = resample_weights(["a", "a", "b", "b", "b", "c"], 100, seed=0)
    assert intervals(stats, w, accuracy) == {"accuracy": Interval(1.0, 1.0)}
    assert intervals(stats, w, lambda s: {"c": 0.25}) == {"c": Interval(0.25, 0.25)}


# Three units, correct = [1, 0, 1], and five resamples given by hand:
STATS_A = np.array([[1, 1], [0, 1], [1, 1]])
WEIGHTS = FixedResamples(np.array([
    [3, 0, 0],  # accuracy 3/3 = 1
    [0, 3, 0],  # 0/3 = 0
    [1, 1, 1],  # 2/3
    [0, 2, 1],  # 1/3
    [2, 1, 0],  # 2/3
]))


def test_interval_by_hand():
    # sorted draws 0, 1/3, 2/3, 2/3, 1; numpy's linear quantile at q sits at position q * (5 - 1):
    # 2.5 % -> 0.1: 0 + 0.1 * (1/3 - 0) = 1/30;  97.5 % -> 3.9: 2/3 + 0.9 * (1 - 2/3) = 29/30
    iv = intervals(STATS_A, WEIGHTS, accuracy)["accuracy"]
    assert iv.low == pytest.approx(1 / 30, rel=1e-12) and iv.high == pytest.approx(29 / 30, rel=1e-12)


def test_paired_by_hand():
    # b correct = [0, 0, 1]: per resample 0, 0, 1/3, 1/3, 0; a - b = 1, 0, 1/3, 0, 2/3
    stats_b = np.array([[0, 1], [0, 1], [1, 1]])
    c = paired(STATS_A, stats_b, WEIGHTS, accuracy, "accuracy")
    # point: 2/3 - 1/3; sorted differences 0, 0, 1/3, 2/3, 1: low at 0.1 -> 0, high at 3.9 -> 2/3 + 0.9/3
    assert c.difference == pytest.approx(1 / 3, rel=1e-12)
    assert c.low == 0.0 and c.high == pytest.approx(29 / 30, rel=1e-12)
    # p = 2 * min(share <= 0, share >= 0) = 2 * min(2/5, 5/5) = 0.8; 0 lies in [low, high]
    assert c.p_value == pytest.approx(0.8, rel=1e-12) and not c.significant
    # b never right: differences = a's accuracies 1, 0, 2/3, 1/3, 2/3 -> low 1/30 > 0
    c = paired(STATS_A, np.array([[0, 1]] * 3), WEIGHTS, accuracy, "accuracy")
    assert c.difference == pytest.approx(2 / 3, rel=1e-12) and c.low == pytest.approx(1 / 30, rel=1e-12)
    assert c.significant and c.p_value == pytest.approx(0.4, rel=1e-12)


def test_a_system_against_itself_differs_by_nothing():
    rng = np.random.default_rng(0)
    stats = np.stack([rng.integers(0, 2, 30), np.ones(30, dtype=np.int64)], axis=1)
    w = resample_weights(rng.choice(["a", "b", "c", "d"], 30).tolist(), 200, seed=0)
    c = paired(stats, stats, w, accuracy, "accuracy")
    assert (c.difference, c.low, c.high, c.p_value, c.significant) == (0.0, 0.0, 0.0, 1.0, False)


def test_every_value_gets_an_interval_even_when_the_first_resample_lacks_it():
    # a per-type score exists only in resamples that drew a unit of that type
    def aggregate(s):
        return {"total": float(s.sum())} | ({"first": float(s[0])} if s[0] else {})

    stats = np.array([[1, 0], [0, 1]])
    w = FixedResamples(np.array([[0, 2], [2, 0], [1, 1]]))  # sums (0, 2), (2, 0), (1, 1): "first" absent from the first
    out = intervals(stats, w, aggregate)
    assert out["total"] == Interval(2.0, 2.0)
    # over the two resamples that have it, values 2 and 1: 1 + 0.025 * 1 and 1 + 0.975 * 1
    assert out["first"].low == pytest.approx(1.025) and out["first"].high == pytest.approx(1.975)


def test_sums_do_not_depend_on_the_chunk_size(monkeypatch):
    """Each resample has its own generator, so summing in chunks of any size gives the same draws."""
    from baselines import bootstrap

    rng = np.random.default_rng(5)
    ids = rng.choice(["a", "b", "c", "d", "e"], 40).tolist()
    stats = rng.integers(0, 3, (40, 3))
    r = resample_weights(ids, 25, seed=9)
    whole = r.weights() @ stats
    kept = r.sums(stats)  # 25 x 40 cells fit in one chunk: drawn once and kept
    assert r._kept is not None and np.array_equal(kept, whole)
    assert np.array_equal(r.sums(stats[:, ::-1]), whole[:, ::-1])  # the kept draws serve other counts
    chunked = resample_weights(ids, 25, seed=9)
    monkeypatch.setattr(bootstrap, "_CHUNK_CELLS", 40 * 3)  # three resamples per chunk
    assert np.array_equal(chunked.sums(stats), whole) and chunked._kept is None
    assert r.n_documents == 5 and r.n_units == 40


def test_resamples_of_no_units_are_empty():
    r = resample_weights([], 4, seed=0)
    assert r.sums(np.zeros((0, 2))).tolist() == [[0.0, 0.0]] * 4
