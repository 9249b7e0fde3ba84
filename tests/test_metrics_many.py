"""A metric's aggregate_many gives its aggregate's floats exactly, row by row, and bootstrap intervals
drawn through it are the ones drawn resample by resample, keys in the same order."""
from __future__ import annotations

import numpy as np
import pytest

from labels import scheme
from baselines.bootstrap import intervals, paired, resample_weights
from baselines.metrics import METRICS, confusion_scores, confusion_scores_many, for_task, prf
from baselines.metrics import semeval

for _task in ("boilerplate", "entities", "entities_conll", "stance"):
    for_task(_task)  # registers every metric

_SEMEVAL = len(semeval.RULES) * len(semeval.COUNTS)
WIDTH = {  # count columns of each metric with an aggregate_many
    ("entities", "ontonotes/strict"): 3 * len(scheme.ENTITY_TYPES),
    ("entities", "conll/strict"): 3 * len(scheme.CONLL_TYPES),
    ("entities_conll", "conll/strict"): 3 * len(scheme.CONLL_TYPES),
    ("entities", "ontonotes/semeval"): _SEMEVAL * (1 + len(scheme.ENTITY_TYPES)),
    ("entities", "conll/semeval"): _SEMEVAL * (1 + len(scheme.CONLL_TYPES)),
    ("entities_conll", "conll/semeval"): _SEMEVAL * (1 + len(scheme.CONLL_TYPES)),
    ("stance", "all"): len(scheme.STANCE_LABELS) ** 2,
    ("stance", "article"): len(scheme.STANCE_LABELS) ** 2,
    ("stance", "source"): len(scheme.STANCE_LABELS) ** 2,
}


def sparse_sums(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """Resample-like sums: mostly zero, so types go missing and denominators are 0; row 0 all zero."""
    sums = (rng.integers(0, 40, (n, k)) * (rng.random((n, k)) < 0.25)).astype(np.float64)
    sums[0] = 0
    sums[1] = 0
    sums[1, rng.integers(k)] = 3  # one count alone
    return sums


def test_every_aggregate_many_is_listed_here():
    assert {key for key, m in METRICS.items() if m.aggregate_many} == set(WIDTH)


@pytest.mark.parametrize("key", sorted(WIDTH))
def test_aggregate_many_gives_aggregates_floats_row_by_row(key):
    metric = METRICS[key]
    sums = sparse_sums(np.random.default_rng(len(key[1])), 300, WIDTH[key])
    many = metric.aggregate_many(sums)
    absent_somewhere = False
    for b, row in enumerate(sums):
        one = metric.aggregate(row)
        present = {k for k, column in many.items() if not np.isnan(column[b])}
        assert set(one) == present, (b, set(one) ^ present)
        assert all(many[k][b] == v for k, v in one.items()), b
        absent_somewhere |= len(present) < len(many)
    assert absent_somewhere  # the matrices did exercise keys missing from some rows


@pytest.mark.parametrize("k", [4, 9])  # np.mean sums nine values pairwise: the row-by-row mean must too
def test_confusion_scores_many_matches_confusion_scores(k):
    rng = np.random.default_rng(k)
    cms = (rng.integers(0, 7, (200, k, k)) * (rng.random((200, k, k)) < 0.4)).astype(np.float64)
    names = tuple(f"c{i}" for i in range(k))
    many = confusion_scores_many(cms, names)
    for b, cm in enumerate(cms):
        one = confusion_scores(cm, names)
        assert {key for key, col in many.items() if not np.isnan(col[b])} == set(one)
        assert all(many[key][b] == v for key, v in one.items())


@pytest.mark.parametrize("key", [("entities", "ontonotes/semeval"), ("entities", "ontonotes/strict"),
                                 ("stance", "article")])
def test_intervals_through_aggregate_many_are_the_same_in_the_same_order(key):
    metric = METRICS[key]
    rng = np.random.default_rng(3)
    units = 120
    stats = (rng.integers(0, 2, (units, WIDTH[key])) * (rng.random((units, WIDTH[key])) < 0.05))
    resamples = resample_weights(rng.choice([f"d{i}" for i in range(12)], units).tolist(), 400, seed=1)
    slow = intervals(stats, resamples, metric.aggregate)
    fast = intervals(stats, resamples, metric.aggregate, metric.aggregate_many)
    assert list(fast.items()) == list(slow.items())
    assert len(slow) > 20


def test_an_aggregate_many_that_disagrees_is_refused():
    stats = np.array([[1, 0, 2], [0, 1, 0], [2, 2, 0]])
    resamples = resample_weights(["a", "b", "c"], 50, seed=0)

    def off_by_one(sums):
        return {"precision": sums[:, 0] / np.maximum(sums[:, 0] + sums[:, 1], 1) + 1,
                "recall": sums[:, 0] * 0, "f1": sums[:, 0] * 0}

    with pytest.raises(ValueError, match=r"aggregate_many disagrees with aggregate on 'precision' in resample 0"):
        intervals(stats, resamples, lambda s: prf(*s), off_by_one)

    def extra(sums):
        many = {k: np.array([prf(*row)[k] for row in sums]) for k in ("precision", "recall", "f1")}
        return many | {"made_up": np.zeros(len(sums))}

    with pytest.raises(ValueError, match=r"keys aggregate never does: \['made_up'\]"):
        intervals(stats, resamples, lambda s: prf(*s), extra)


@pytest.mark.parametrize("key, value, density", [(("stance", "all"), "macro_f1", 0.1),
                                                 (("entities", "ontonotes/strict"), "f1", 0.1),
                                                 (("entities", "ontonotes/semeval"), "PERSON/strict/f1", 0.004)])
def test_paired_through_aggregate_many_is_the_same(key, value, density):
    """In one call where every resample has the value; resample by resample (as before) where some lack
    it (the sparse SemEval case: some resamples draw no PERSON span)."""
    metric = METRICS[key]
    rng = np.random.default_rng(11)
    units = 150
    a, b = ((rng.integers(1, 3, (units, WIDTH[key])) * (rng.random((units, WIDTH[key])) < density)) for _ in "ab")
    resamples = resample_weights(rng.choice([f"d{i}" for i in range(15)], units).tolist(), 300, seed=2)
    sums_a, sums_b = resamples.sums(a), resamples.sums(b)
    has_both = [value in metric.aggregate(x) and value in metric.aggregate(y) for x, y in zip(sums_a, sums_b)]
    assert (not all(has_both)) == (density < 0.01) and sum(has_both) > 100
    slow = paired(a, b, resamples, metric.aggregate, value)
    assert paired(a, b, resamples, metric.aggregate, value, metric.aggregate_many) == slow
    diff = np.array([metric.aggregate(x)[value] - metric.aggregate(y)[value]
                     for x, y, kept in zip(sums_a, sums_b, has_both) if kept])
    assert (slow.low, slow.high) == tuple(np.quantile(diff, [0.025, 0.975]))  # over the resamples that have it
    assert slow.p_value == min(1.0, 2 * min(np.mean(diff <= 0), np.mean(diff >= 0)))
