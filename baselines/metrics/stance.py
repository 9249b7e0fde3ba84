"""Stance metrics: accuracy, per-class and macro F1 and the confusion matrix, per level and
together; the FNC-1 weighted score at article level.

FNC-1 score, exactly as the FNC-1 scorer (fnc-1/scorer.py) computes it: per pair,
+0.25 when gold and prediction are both unrelated or both related (agree, disagree,
discuss), and +0.75 more when a related gold label is predicted exactly. `fnc_relative`
divides by the score of the gold labels themselves.
"""
from __future__ import annotations

import numpy as np

from labels import scheme
from baselines.metrics import Metric, confusion_scores, one_hot_confusion, register

LABELS = scheme.STANCE_LABELS
K = len(LABELS)
_RELATED = np.array([lab != "unrelated" for lab in LABELS])
# FNC_WEIGHT[g, p]: the FNC-1 score of one pair with gold g and prediction p.
FNC_WEIGHT = (0.25 * (_RELATED[:, None] == _RELATED[None, :])
              + 0.75 * (np.eye(K, dtype=bool) & _RELATED[:, None]))


def _confusion(aligned, level: str | None) -> np.ndarray:
    keep = np.ones(len(aligned), bool) if level is None else (aligned.level == level).to_numpy()
    out = one_hot_confusion(list(aligned.gold_label), list(aligned.pred_label), LABELS)
    return out * keep[:, None]


def _scores(s: np.ndarray, fnc: bool) -> dict[str, float]:
    cm = s.reshape(K, K)
    out = confusion_scores(cm, LABELS)
    out.update({f"confusion/{g}/{p}": float(cm[i, j]) for i, g in enumerate(LABELS) for j, p in enumerate(LABELS)})
    if fnc:
        score = float((cm * FNC_WEIGHT).sum())
        best = float((cm.sum(axis=1) * np.diag(FNC_WEIGHT)).sum())
        out["fnc_score"] = score
        out["fnc_max"] = best
        out["fnc_relative"] = score / best if best else 0.0
    return out


for _level, _name in ((None, "all"), ("article", "article"), ("source", "source")):
    register(Metric(
        "stance", _name,
        f"{'all instances' if _level is None else _level + '-level instances'}: accuracy, per-class "
        "P/R/F1, macro-F1 over the labels present in gold or prediction, confusion matrix"
        + ("; FNC-1 weighted score and its share of the best possible" if _level == "article" else ""),
        stats=lambda a, lv=_level: _confusion(a, lv),
        aggregate=lambda s, f=(_level == "article"): _scores(s, f),
        headline=("macro_f1", "fnc_relative") if _level == "article" else ("macro_f1",)))
