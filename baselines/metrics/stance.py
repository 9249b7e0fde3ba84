"""Stance metrics: accuracy, per-class and macro F1 and the confusion matrix, per level and
together; the FNC-1 weighted score at article level. End to end, where a system finds the
source-level holders itself, the source level and the whole are scored as records instead
(baselines.stance_records): holder+label and holder-only precision, recall and F1.

FNC-1 score, exactly as the FNC-1 scorer (fnc-1/scorer.py) computes it: per pair,
+0.25 when gold and prediction are both unrelated or both related (agree, disagree,
discuss), and +0.75 more when a related gold label is predicted exactly. `fnc_relative`
divides by the score of the gold labels themselves.
"""
from __future__ import annotations

import numpy as np

from labels import scheme
from baselines.metrics import (Metric, confusion_scores, confusion_scores_many, one_hot_confusion, prf,
                               ratio, register)

LABELS = scheme.STANCE_LABELS
K = len(LABELS)
_RELATED = np.array([lab != "unrelated" for lab in LABELS])
# FNC_WEIGHT[g, p]: the FNC-1 score of one pair with gold g and prediction p.
FNC_WEIGHT = (0.25 * (_RELATED[:, None] == _RELATED[None, :])
              + 0.75 * (np.eye(K, dtype=bool) & _RELATED[:, None]))


def _confusion(aligned, level: str | None) -> np.ndarray:
    keep = np.ones(len(aligned), bool) if level is None else (aligned.level == level).to_numpy()
    out = np.zeros((len(aligned), K * K), dtype=np.int64)
    out[keep] = one_hot_confusion(list(aligned.gold_label[keep]), list(aligned.pred_label[keep]), LABELS)
    return out


def _scored_as_records(aligned) -> bool:
    """End to end, source-level units are claims answered by records, not one label each."""
    return "holder_tp" in aligned.columns


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


def _scores_many(s: np.ndarray, fnc: bool) -> dict[str, np.ndarray]:
    cm = s.reshape(len(s), K, K)
    out = confusion_scores_many(cm, LABELS)
    out.update({f"confusion/{g}/{p}": cm[:, i, j] for i, g in enumerate(LABELS) for j, p in enumerate(LABELS)})
    if fnc:
        score = (cm * FNC_WEIGHT).sum(axis=(1, 2))
        best = (cm.sum(axis=2) * np.diag(FNC_WEIGHT)).sum(axis=1)
        out |= {"fnc_score": score, "fnc_max": best, "fnc_relative": ratio(score, best)}
    return out


for _level, _name in ((None, "all"), ("article", "article"), ("source", "source")):
    register(Metric(
        "stance", _name,
        f"{'all instances' if _level is None else _level + '-level instances'}: accuracy, per-class "
        "P/R/F1, macro-F1 over the labels present in gold or prediction, confusion matrix"
        + ("; FNC-1 weighted score and its share of the best possible" if _level == "article" else ""),
        stats=lambda a, lv=_level: _confusion(a, lv),
        aggregate=lambda s, f=(_level == "article"): _scores(s, f),
        aggregate_many=lambda s, f=(_level == "article"): _scores_many(s, f),
        headline=("macro_f1", "fnc_relative") if _level == "article" else ("macro_f1",),
        applies=(lambda a: True) if _level == "article" else (lambda a: not _scored_as_records(a))))

_RECORD_RULE = ("a record matches a gold instance of its claim when its holder span overlaps a mention of the "
                "gold holder (one record to at most one instance, largest overlap first); a wrong label on a "
                "matched holder counts as both a false positive and a false negative")


def _records(a) -> np.ndarray:
    """Per unit tp, fp, fn; in gold-upstream each instance is one record whose holder is given."""
    if _scored_as_records(a):
        return a[["tp", "fp", "fn"]].to_numpy(np.int64)
    wrong = (a.gold_label != a.pred_label).to_numpy(np.int64)
    return np.column_stack([1 - wrong, wrong, wrong])


def _record_scores(s: np.ndarray) -> dict[str, float]:
    tp, fp, fn = s[:3]
    out = prf(tp, fp, fn) | {"tp": float(tp), "fp": float(fp), "fn": float(fn)}
    if len(s) > 3:
        h_tp, h_fp, h_fn = s[3:]
        out |= {f"holder_{k}": v for k, v in prf(h_tp, h_fp, h_fn).items()}
    return out


register(Metric(
    "stance", "records",
    "every instance as a (target, holder, label) record: precision, recall and F1 of holder and label "
    "together; a record whose holder is given (article level; source level in gold-upstream, where the "
    "F1 is therefore the accuracy) is one true positive when its label is right and a false positive and a "
    f"false negative otherwise; end to end, {_RECORD_RULE}",
    stats=_records, aggregate=_record_scores, headline=("f1",)))
register(Metric(
    "stance", "source_records",
    "end to end, source-level instances only: precision, recall and F1 of holder and label together, and "
    f"of the holder alone (holder_precision, holder_recall, holder_f1); {_RECORD_RULE}",
    stats=lambda a: a[["tp", "fp", "fn", "holder_tp", "holder_fp", "holder_fn"]].to_numpy(np.int64)
    * (a.level == "source").to_numpy()[:, None],
    aggregate=_record_scores, headline=("f1", "holder_f1"), applies=_scored_as_records))
