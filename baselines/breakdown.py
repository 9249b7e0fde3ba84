"""Scores besides the pooled one: macro-averaged over documents, and pooled per publisher.

Pooling over units lets long pages dominate; the document macro-average weighs every
page alike, and the per-publisher scores show whether a system only works on one site.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import pandas as pd

Aggregate = Callable[[np.ndarray], dict[str, float]]


def group_sums(stats: np.ndarray, groups: Sequence[str]) -> dict[str, np.ndarray]:
    """Column sums of the per-unit counts within each group, groups in sorted order."""
    if not len(groups):
        return {}
    summed = pd.DataFrame(np.asarray(stats)).groupby(np.asarray(groups, dtype=object), sort=True).sum()
    return {str(g): row.to_numpy() for g, row in summed.iterrows()}


def macro_over_documents(stats: np.ndarray, doc_ids: Sequence[str], aggregate: Aggregate) -> dict[str, float]:
    """The mean over documents of each document's value; a value a document lacks (a class it
    does not have) is averaged over the documents that have it."""
    per_doc = [aggregate(s) for s in group_sums(stats, doc_ids).values()]
    keys = dict.fromkeys(k for d in per_doc for k in d)
    return {k: float(np.mean([d[k] for d in per_doc if k in d])) for k in keys}


def by_publisher(stats: np.ndarray, doc_ids: Sequence[str], publishers: dict[str, str],
                 aggregate: Aggregate) -> dict[str, dict[str, float]]:
    """Pooled values over the units of each publisher's documents."""
    groups = [publishers.get(d, "unknown") for d in doc_ids]
    return {p: aggregate(s) for p, s in group_sums(stats, groups).items()}
