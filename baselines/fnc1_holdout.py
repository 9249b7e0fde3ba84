"""The official FNC-1 baseline's evaluation (fnc-1-baseline, fnc_kfold.py), so its published
hold-out score can be reproduced: the hold-out split of the bodies, 10 folds of the training
bodies, one model per fold trained on the other nine, the fold model with the best relative
FNC score kept, and that model scored on the hold-out pairs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from baselines import fnc1
from baselines.fnc1_model import OFFICIAL_SEED, classifier, design
from baselines.metrics import for_task

PUBLISHED_RELATIVE = 0.7953   # the official baseline's hold-out score, as a share of the best possible


def fnc_scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    """The project's FNC-1 scorer (metric `article`) on plain label lists."""
    metric = next(m for m in for_task("stance") if m.name == "article")
    return metric.value(pd.DataFrame({"level": "article", "gold_label": gold, "pred_label": pred}))


@dataclass(frozen=True)
class Reproduction:
    """Per-fold relative scores, the fold kept, and the hold-out scores (with the confusion matrix)."""

    fold_relative: tuple[float, ...]
    best_fold: int
    n_train_pairs: int
    n_hold_out_pairs: int
    hold_out: dict[str, float]


def reproduce(data: fnc1.Fnc1, seed: int = OFFICIAL_SEED, n_folds: int = fnc1.N_FOLDS,
              on_fold: Callable[[int, float], None] = lambda k, score: None) -> Reproduction:
    """Run the official protocol on FNC-1's training data; pairs keep file order within each fold.
    `on_fold(k, relative score)` is called as each fold's model is scored (a fit takes minutes)."""
    training_ids, hold_out_ids = fnc1.hold_out_split(list(data.bodies))
    fold_of = {b: k for k, ids in enumerate(fnc1.folds(training_ids, n_folds)) for b in ids}
    held = set(hold_out_ids)
    by_fold = [design(data, [p for p in data.pairs if fold_of.get(p.body_id) == k]) for k in range(n_folds)]
    x_hold, y_hold = design(data, [p for p in data.pairs if p.body_id in held])
    relative, models = [], []
    for k in range(n_folds):
        rest = [by_fold[i] for i in range(n_folds) if i != k]
        model = classifier(seed).fit(np.vstack([x for x, _ in rest]), np.concatenate([y for _, y in rest]))
        relative.append(fnc_scores(list(by_fold[k][1]), list(model.predict(by_fold[k][0])))["fnc_relative"])
        on_fold(k, relative[-1])
        models.append(model)
    best = int(np.argmax(relative))   # the first of equal scores, as the original's strict ">" keeps
    return Reproduction(tuple(relative), best, sum(len(y) for _, y in by_fold), len(y_hold),
                        fnc_scores(list(y_hold), list(models[best].predict(x_hold))))
