"""One system on one task: predictions (cross-fitted if learned), alignment, metrics with intervals."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from labels.cli import UserError
from baselines import predictions
from baselines.bootstrap import Interval, intervals
from baselines.data import Bench
from baselines.folds import DEFAULT_K, FoldProtocol, assign_folds
from baselines.guard import SystemFailed, call, predictions_frame, private, private_inputs
from baselines.metrics import Metric, for_task
from baselines.system import System
from baselines.tasks import Task, TaskInput


@dataclass
class Scored:
    """A system's scores on a task, and the per-unit counts kept for paired comparisons."""

    task: str
    system: dict
    values: dict[str, dict[str, float]]            # metric -> key -> value
    ci: dict[str, dict[str, Interval]]             # metric -> key -> interval
    stats: dict[str, np.ndarray] = field(repr=False)
    predictions: pd.DataFrame = field(repr=False)
    folds: FoldProtocol | None = None
    seconds: float = 0.0


def system_id(system: System) -> str:
    arg = getattr(system, "argument", None)
    return f"{system.name}:{system.params[arg]}" if arg and arg in system.params else system.name


def predict(task: Task, system: System, inputs: TaskInput, gold: pd.DataFrame, seed: int,
            k: int = DEFAULT_K) -> tuple[pd.DataFrame, FoldProtocol | None]:
    """Predictions for every unit. A learned system is fitted on k-1 folds and predicts the
    held-out fold, k times, so no unit is predicted by a model that saw its answer. Every call
    into the system is guarded and gets its own copy of the data, so it cannot change the gold
    it is scored against."""
    who = f"system {system_id(system)}"
    if system.sees_gold:
        return predictions_frame(who, call(who, "predict_with_gold", system.predict_with_gold,
                                           private_inputs(inputs), private(gold))), None
    if not system.learned:
        return predictions_frame(who, call(who, "predict", system.predict, private_inputs(inputs))), None
    folds, protocol = assign_folds(inputs.units, k, seed)
    parts = []
    for f in range(k):
        test = folds == f
        if not test.any():
            continue
        train = inputs.subset(~test)
        train_gold = task.rows_for_units(gold, train.units)
        model = call(who, "construction", lambda: type(system)(seed=system.seed, **system.params))
        call(who, "fit", model.fit, private_inputs(train), private(train_gold))
        parts.append(predictions_frame(who, call(who, "predict", model.predict, private_inputs(inputs.subset(test)))))
    return pd.concat(parts, ignore_index=True), protocol


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


def score(task: Task, inputs: TaskInput, gold: pd.DataFrame, pred: pd.DataFrame,
          weights: np.ndarray) -> tuple[dict, dict, dict]:
    """Values, bootstrap intervals and per-unit counts of every metric that applies."""
    values, stats = measure(task, inputs, gold, pred)
    aggregates = {m.name: m.aggregate for m in for_task(task.name)}
    cis = {name: intervals(s, weights, aggregates[name]) for name, s in stats.items()}
    return values, cis, stats


def checked_predictions(task: Task, system: System, inputs: TaskInput, gold: pd.DataFrame,
                        seed: int) -> tuple[pd.DataFrame, FoldProtocol | None, float]:
    """A system's predictions, checked like a user's file; a malformed one blames the system."""
    started = time.perf_counter()
    pred, protocol = predict(task, system, inputs, gold, seed)
    seconds = time.perf_counter() - started
    try:
        return predictions.check(task, pred, inputs, f"system {system_id(system)}"), protocol, seconds
    except UserError as err:
        raise SystemFailed(f"{task.name}: {err} (a bug in the system, not in the data)") from None


def run_one(task: Task, system: System, bench: Bench, weights: np.ndarray, seed: int) -> Scored:
    inputs, gold = task.inputs(bench), task.gold(bench)
    pred, protocol, seconds = checked_predictions(task, system, inputs, gold, seed)
    values, cis, stats = score(task, inputs, gold, pred, weights)
    described = system.describe() | {"id": system_id(system)}
    return Scored(task.name, described, values, cis, stats, pred[list(task.required) + [
        c for c in pred.columns if c not in task.required and c in task.labels]], protocol, seconds)
