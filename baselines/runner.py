"""One system on one task under one condition: predictions (fitted on train if learned), alignment,
metrics with intervals, and the document and publisher breakdowns."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from labels.cli import UserError
from baselines import predictions
from baselines.bootstrap import Interval, Resamples, intervals
from baselines.breakdown import by_publisher, macro_over_documents
from baselines.conditions import View, task_for
from baselines.guard import SystemFailed, guarded_predict, guarded_predict_with_gold, system_id
from baselines.metrics import Metric, for_task
from baselines.system import System
from baselines.tasks import Task, TaskInput
from baselines.training import Folds, Training, fit_predict


@dataclass
class Scored:
    """A system's scores on a task under one condition, and the per-unit counts kept for paired comparisons."""

    task: str
    condition: str
    system: dict
    values: dict[str, dict[str, float]]            # metric -> key -> value, pooled over units
    ci: dict[str, dict[str, Interval]]             # metric -> key -> interval
    stats: dict[str, np.ndarray] = field(repr=False)
    predictions: pd.DataFrame = field(repr=False)
    training: Training | None = None
    seconds: float = 0.0
    macro: dict[str, dict[str, float]] = field(default_factory=dict)       # metric -> key -> doc macro-average
    publishers: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # publisher -> metric -> key


def predict(task: Task, system: System, view: View, seed: int, train: View | None = None,
            tune: View | None = None, folds: Folds | None = None) -> tuple[pd.DataFrame, Training | None]:
    """Predictions for every unit of the view; a learned system is fitted on the training view
    (or, without one, cross-fitted and labelled so). Every call into the system is guarded
    (baselines.guard) and gets its own copy of the data."""
    if system.sees_gold:
        return guarded_predict_with_gold(system, view.inputs, view.gold), None
    if not system.learned:
        return guarded_predict(system, view.inputs), None
    return fit_predict(system, view, train, seed, tune, folds)


def measure(task: Task, inputs: TaskInput, gold: pd.DataFrame,
            pred: pd.DataFrame) -> tuple[dict[str, dict[str, float]], dict[str, np.ndarray]]:
    """Point values and per-unit counts of every metric that applies; no resampling."""
    aligned = task.align(inputs.units, gold, pred)
    values, stats = {}, {}
    metric: Metric
    for metric in for_task(task.name):
        if metric.applies(aligned):
            stats[metric.name] = metric.stats(aligned)
            values[metric.name] = metric.aggregate(stats[metric.name].sum(axis=0))
    return values, stats


def summarise(task: Task, stats: dict[str, np.ndarray], resamples: Resamples) -> tuple[dict, dict]:
    """Values and bootstrap intervals from per-unit counts, wherever the counts were made."""
    metrics = {m.name: m for m in for_task(task.name)}
    values = {name: metrics[name].aggregate(s.sum(axis=0)) for name, s in stats.items()}
    return values, {name: intervals(s, resamples, metrics[name].aggregate, metrics[name].aggregate_many)
                    for name, s in stats.items()}


def score(task: Task, inputs: TaskInput, gold: pd.DataFrame, pred: pd.DataFrame,
          resamples: Resamples) -> tuple[dict, dict, dict]:
    """Values, bootstrap intervals and per-unit counts of every metric that applies."""
    values, stats = measure(task, inputs, gold, pred)
    return values, summarise(task, stats, resamples)[1], stats


def breakdowns(task: Task, view: View, stats: dict[str, np.ndarray]) -> tuple[dict, dict]:
    """Each metric macro-averaged over documents, and pooled per publisher."""
    aggregates = {m.name: m.aggregate for m in for_task(task.name)}
    doc_ids = view.inputs.units.doc_id.tolist()
    macro = {name: macro_over_documents(s, doc_ids, aggregates[name]) for name, s in stats.items()}
    publishers: dict[str, dict[str, dict[str, float]]] = {}
    for name, s in stats.items():
        for publisher, values in by_publisher(s, doc_ids, view.publishers, aggregates[name]).items():
            publishers.setdefault(publisher, {})[name] = values
    return macro, publishers


def checked_predictions(task: Task, system: System, view: View, seed: int, train: View | None = None,
                        tune: View | None = None,
                        folds: Folds | None = None) -> tuple[pd.DataFrame, Training | None, float]:
    """A system's predictions, checked like a user's file; a malformed one blames the system. The
    seconds are the predictions' (the folds' too, wherever they ran)."""
    started = time.perf_counter()
    pred, training = predict(task, system, view, seed, train, tune, folds)
    seconds = time.perf_counter() - started + (folds.seconds if folds else 0.0)
    try:
        return predictions.check(task, pred, view.inputs, f"system {system_id(system)}"), training, seconds
    except UserError as err:
        raise SystemFailed(f"{task.name}: {err} (a bug in the system, not in the data)") from None


def run_one(system: System, view: View, resamples: Resamples, seed: int, train: View | None = None,
            tune: View | None = None, folds: Folds | None = None) -> Scored:
    task = task_for(view.task, view.condition)
    pred, training, seconds = checked_predictions(task, system, view, seed, train, tune, folds)
    values, cis, stats = score(task, view.inputs, view.gold, pred, resamples)
    macro, publishers = breakdowns(task, view, stats)
    described = system.describe() | {"id": system_id(system)}
    if training is not None and training.tuning:  # settings chosen on validation: say so, and which
        described |= {"tuned_on": "validation", "params": described["params"] | training.tuning["chosen"]}
    answer = list(dict.fromkeys(task.required + task.key))
    kept = pred[answer + [c for c in pred.columns if c not in answer and c in task.labels]]
    return Scored(task.name, view.condition, described, values, cis, stats, kept, training, seconds, macro, publishers)
