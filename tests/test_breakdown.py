"""Scores macro-averaged over documents and pooled per publisher, worked by hand."""
from __future__ import annotations

import numpy as np
import pytest

from baselines.breakdown import by_publisher, macro_over_documents


def accuracy(s: np.ndarray) -> dict[str, float]:
    """Per unit [correct, 1, is_rare]; a 'rare' value exists only where a rare unit was counted."""
    return {"accuracy": s[0] / s[1]} | ({"rare": float(s[2])} if s[2] else {})


# document a: 3 units, 3 right; b: 1 unit, wrong; c: 2 units, 1 right (one rare)
DOCS = ["a", "b", "a", "c", "a", "c"]
STATS = np.array([[1, 1, 0], [0, 1, 0], [1, 1, 0], [1, 1, 1], [1, 1, 0], [0, 1, 0]])


def test_macro_over_documents_weighs_every_document_alike():
    macro = macro_over_documents(STATS, DOCS, accuracy)
    # pooled: 4 / 6; per document 1, 0, 1/2 -> mean 1/2; "rare" only in c, averaged over c alone
    assert accuracy(STATS.sum(axis=0))["accuracy"] == pytest.approx(4 / 6)
    assert macro == pytest.approx({"accuracy": 0.5, "rare": 1.0})


def test_by_publisher_pools_each_publishers_units():
    publishers = {"a": "North | Post", "b": "South", "c": "South"}
    out = by_publisher(STATS, DOCS, publishers, accuracy)
    assert list(out) == ["North | Post", "South"]
    assert out["North | Post"] == {"accuracy": 1.0}
    assert out["South"] == pytest.approx({"accuracy": 1 / 3, "rare": 1.0})
    assert by_publisher(STATS[:0], [], publishers, accuracy) == {}
