"""Boilerplate metrics: content detection by line and by character, and role classification."""
from __future__ import annotations

import numpy as np

from labels import scheme
from baselines.metrics import Metric, confusion_scores, one_hot_confusion, prf, register


def _counts(aligned, weight) -> np.ndarray:
    """Per line: [tp, fp, fn] of is_content, times the line's weight."""
    g = aligned["gold_content"].to_numpy(bool)
    p = aligned["pred_content"].to_numpy(bool)
    return np.stack([g & p, ~g & p, g & ~p], axis=1) * np.asarray(weight, dtype=np.int64)[:, None]


def _roles(aligned) -> np.ndarray:
    return one_hot_confusion(list(aligned.gold_role), list(aligned.pred_role), scheme.ROLES)


def _role_scores(s: np.ndarray) -> dict[str, float]:
    k = len(scheme.ROLES)
    return confusion_scores(s.reshape(k, k), scheme.ROLES)


register(Metric(
    "boilerplate", "content_lines", "precision, recall and F1 of is_content, one count per line",
    stats=lambda a: _counts(a, np.ones(len(a))), aggregate=lambda s: prf(*s), headline=("f1",)))
register(Metric(
    "boilerplate", "content_chars",
    "precision, recall and F1 of is_content weighted by each line's characters (CleanEval style: "
    "recall is the share of content characters kept)",
    stats=lambda a: _counts(a, a["n_chars"]), aggregate=lambda s: prf(*s), headline=("f1",)))
register(Metric(
    "boilerplate", "roles", "accuracy and macro-F1 over the ten line roles, for systems that predict roles",
    stats=_roles, aggregate=_role_scores, headline=("accuracy", "macro_f1"),
    applies=lambda a: "pred_role" in a and a["pred_role"].notna().all()))
