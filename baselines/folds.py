"""Cross-validation folds for learned systems, grouped so no document (or line block) straddles folds."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

DEFAULT_K = 5


@dataclass(frozen=True)
class FoldProtocol:
    """How cross-fitted predictions were made; recorded with every result."""

    kind: str          # "grouped-by-document" or "contiguous-unit-blocks"
    k: int
    seed: int
    n_units: int
    n_documents: int

    def to_dict(self) -> dict:
        return asdict(self)


def assign_folds(units: pd.DataFrame, k: int = DEFAULT_K, seed: int = 0) -> tuple[np.ndarray, FoldProtocol]:
    """Fold id per unit. With at least k documents, whole documents go to folds (shuffled
    with the seed); with fewer, each document's units are cut into k contiguous blocks in
    their order, so neighbouring lines (which share context) stay together."""
    docs = list(dict.fromkeys(units.doc_id))
    n = len(units)
    if len(docs) >= k:
        order = np.random.default_rng(seed).permutation(len(docs))
        fold_of_doc = {docs[i]: rank % k for rank, i in enumerate(order)}
        folds = np.array([fold_of_doc[d] for d in units.doc_id], dtype=np.int64)
        kind = "grouped-by-document"
    else:
        positions = units.groupby("doc_id", sort=False).cumcount().to_numpy()
        sizes = units.groupby("doc_id", sort=False)["doc_id"].transform("size").to_numpy()
        folds = (positions * k // np.maximum(sizes, 1)).astype(np.int64)
        kind = "contiguous-unit-blocks"
    return folds, FoldProtocol(kind, k, seed, n, len(docs))
