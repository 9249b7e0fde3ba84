"""How a learned system gets its predictions: fitted on the protocol's fit split and applied to
the scored split, or, only when there are no training documents, cross-fitted as a labelled fallback."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from baselines.conditions import View, task_for
from baselines.folds import DEFAULT_K, FoldProtocol, assign_folds
from baselines.guard import guarded_fit, guarded_new, guarded_predict
from baselines.system import System

FIT_ON_SPLIT = "fit-on-split"
CROSS_FITTED = "cross-fitted-fallback"


@dataclass(frozen=True)
class Training:
    """Recorded with every result of a learned system, so a score says what the model saw."""

    mode: str                   # FIT_ON_SPLIT or CROSS_FITTED
    split: str                  # the split the model was fitted on
    n_documents: int
    n_units: int
    folds: FoldProtocol | None  # only for the fallback
    reason: str | None          # why the fallback was taken
    tuning: dict | None = None  # settings tried on the tune split and the one kept (baselines.tuning)

    def label(self) -> str:
        if self.mode == FIT_ON_SPLIT:
            tuned = "" if not self.tuning else (
                f", tuned on validation ({', '.join(f'{k}={v}' for k, v in self.tuning['chosen'].items())})")
            return f"fit on {self.split} ({self.n_documents} documents){tuned}"
        return f"cross-fitted within {self.split} ({self.reason})"

    def to_dict(self) -> dict:
        return asdict(self) | {"folds": self.folds.to_dict() if self.folds else None}


def fresh(system: System) -> System:
    """An unfitted copy with the same seed and parameters, so one fit never leaks into another."""
    return guarded_new(system)


def fallback_reason(scored: View, train: View | None) -> str | None:
    """None when fitting on the training view is sound; otherwise why it is not."""
    if train is None or train.n_documents == 0:
        return "fallback: no training documents"
    if train.split == scored.split:
        return "fallback: the scored split is the fit split"
    return None


@dataclass(frozen=True)
class Folds:
    """A cross-fitted system's predictions of each fold (None for an empty one), in fold order, made
    elsewhere (a pool runs the folds side by side), and the seconds they took."""

    parts: tuple[pd.DataFrame | None, ...]
    seconds: float


def cross_fit_fold(system: System, scored: View, seed: int, fold: int, k: int = DEFAULT_K) -> pd.DataFrame | None:
    """The predictions of one fold by a model fitted on the other k-1 (None when the fold is empty)."""
    task, inputs = task_for(scored.task, scored.condition), scored.inputs
    held_out = assign_folds(inputs.units, k, seed)[0] == fold
    if not held_out.any():
        return None
    train = inputs.subset(~held_out)
    model = fresh(system)
    guarded_fit(model, train, task.rows_for_units(scored.gold, train.units))
    return guarded_predict(model, inputs.subset(held_out))


def cross_fit(system: System, scored: View, seed: int, k: int = DEFAULT_K,
              folds: Folds | None = None) -> tuple[pd.DataFrame, FoldProtocol]:
    """Fitted on k-1 folds and predicting the held-out fold, k times, so no unit is predicted
    by a model that saw its answer; the folds run here one after another unless made elsewhere."""
    parts = folds.parts if folds is not None else [cross_fit_fold(system, scored, seed, f, k) for f in range(k)]
    protocol = assign_folds(scored.inputs.units, k, seed)[1]
    return pd.concat([p for p in parts if p is not None], ignore_index=True), protocol


def fit_predict(system: System, scored: View, train: View | None, seed: int,
                tune: View | None = None, folds: Folds | None = None) -> tuple[pd.DataFrame, Training]:
    """Fitted on the training view; a system with a `grid` of settings is tuned on the tune view
    (validation) when there is one, never on the scored split."""
    reason = fallback_reason(scored, train)
    if reason is None:
        tuning = None
        if getattr(type(system), "grid", ()) and tune is not None and tune.n_documents \
                and tune.split not in (scored.split, train.split):
            from baselines.tuning import tune as choose

            model, tuned = choose(task_for(tune.task, tune.condition), type(system), system.seed, train.inputs,
                                  train.gold, tune.inputs, tune.gold)
            tuning = tuned.to_dict()
        else:
            model = fresh(system)
            guarded_fit(model, train.inputs, train.gold)
        return guarded_predict(model, scored.inputs), Training(FIT_ON_SPLIT, train.split, train.n_documents,
                                                               len(train.inputs.units), None, None, tuning)
    pred, protocol = cross_fit(system, scored, seed, folds=folds)
    return pred, Training(CROSS_FITTED, scored.split, scored.n_documents, len(scored.inputs.units), protocol, reason)
