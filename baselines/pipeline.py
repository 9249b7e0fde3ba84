"""The pipeline question: how much entity and stance scores drop when systems read the page
with *predicted* boilerplate removed instead of the gold content lines.

The benchmark scores each task on gold inputs; a real pipeline first strips boilerplate
with a system, and its mistakes cost downstream twice: entities and stance evidence in
missed content lines are lost, and kept boilerplate lines add spurious entities and noise
to the article body. Both conditions below use the same gold answers, the same units and
the same bootstrap resamples, so their difference is due to the line selection alone.

Definitions, for a boilerplate system B, an entity system E and a stance system S:

- **content lines**: gold = lines whose gold `is_content` is true; predicted = lines B
  predicts as content (B is cross-fitted if learned, exactly as on the leaderboard).
- **entities**: E predicts once over every line (cross-fitted if learned). In each
  condition, E's spans are kept only inside that condition's content lines and scored
  against the gold entities of the *gold* content lines, over all lines of the page: a
  missed content line costs its gold entities as false negatives, a kept boilerplate line
  costs E's spans there as false positives. The gold condition (spans kept inside the gold
  content lines) is E's score on the article alone. Keeping E's model fixed makes the drop
  exact; for systems that read each line on its own it equals running E on the kept lines.
- **stance**: article-level instances read the article body (`context`): the content lines
  except the headline, joined by "\\n". In the predicted condition the body is rebuilt from
  the lines B predicts as content, dropping the lines B predicts as headline when B
  predicts roles (a system that predicts no roles names no headline, so its body keeps
  every predicted content line; no gold role is used). S then predicts again (cross-fitted
  if learned, on the same folds) and is rescored. Source-level contexts (the holder's line)
  do not depend on boilerplate and are unchanged; the default metric is article level.
- **drop** = gold-condition score - predicted-condition score, with a paired bootstrap
  interval over the same resamples (baselines.bootstrap.paired).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from baselines.bootstrap import paired, resample_weights
from baselines.data import Bench
from baselines.metrics import for_task
from baselines.run import DEFAULT_RESAMPLES
from baselines.runner import checked_predictions, measure, system_id
from baselines.system import System
from baselines.tasks import TASKS, Task, TaskInput

ENTITY_METRIC = ("ontonotes/strict", "f1")
STANCE_METRIC = ("article", "macro_f1")


@dataclass(frozen=True)
class Drop:
    """One downstream score read from gold vs predicted content lines."""

    metric: str                     # "<metric>/<value>", e.g. "ontonotes/strict/f1"
    gold: float                     # reading the gold content lines
    predicted: float                # reading the lines the boilerplate system keeps
    drop: float                     # gold - predicted
    ci: tuple[float, float]         # paired bootstrap interval of the drop


@dataclass(frozen=True)
class PipelineResult:
    """One (boilerplate, entity, stance) system triple: how the boilerplate system's line
    errors move the downstream scores."""

    boilerplate: str                # system ids
    entity_system: str
    stance_system: str
    missed_content_lines: int       # gold content lines the boilerplate system drops
    kept_boilerplate_lines: int     # gold boilerplate lines it keeps
    entities: Drop
    stance: Drop


def _predictions(task: Task, system: System, inputs: TaskInput, gold: pd.DataFrame, seed: int) -> pd.DataFrame:
    return checked_predictions(task, system, inputs, gold, seed)[0]


def content_view(bench: Bench, boilerplate_pred: pd.DataFrame) -> Bench:
    """The bench as the boilerplate system sees it: its is_content (and role, or none) per line.
    Only what downstream inputs derive from boilerplate changes (the article body); gold
    answers of the other tasks are untouched."""
    cols = ["doc_id", "line", "is_content"] + (["role"] if "role" in boilerplate_pred else [])
    bp = bench.boilerplate.drop(columns=["is_content", "role"])
    bp = bp.merge(boilerplate_pred[cols], on=["doc_id", "line"], how="left", validate="1:1")
    if "role" not in bp:
        bp["role"] = None
    return replace(bench, boilerplate=bp)


def _compare(task: Task, inputs: TaskInput, gold: pd.DataFrame, pred_gold: pd.DataFrame,
             pred_predicted: pd.DataFrame, metric: tuple[str, str], weights: np.ndarray) -> Drop:
    name, key = metric
    aggregate = next(m.aggregate for m in for_task(task.name) if m.name == name)
    v_gold, s_gold = measure(task, inputs, gold, pred_gold)
    v_pred, s_pred = measure(task, inputs, gold, pred_predicted)
    c = paired(s_gold[name], s_pred[name], weights, aggregate, key)
    return Drop(f"{name}/{key}", float(v_gold[name][key]), float(v_pred[name][key]), c.difference, (c.low, c.high))


def pipeline(bench: Bench, boilerplate: System, entity_system: System, stance_system: System,
             seed: int = 0, resamples: int = DEFAULT_RESAMPLES,
             entity_metric: tuple[str, str] = ENTITY_METRIC,
             stance_metric: tuple[str, str] = STANCE_METRIC) -> PipelineResult:
    """Entity and stance scores from gold vs predicted content lines (see the module docstring)."""
    bp_task, ent_task, st_task = TASKS["boilerplate"], TASKS["entities"], TASKS["stance"]
    bp_inputs, bp_gold = bp_task.inputs(bench), bp_task.gold(bench)
    bp_pred = _predictions(bp_task, boilerplate, bp_inputs, bp_gold, seed)
    ent_inputs, ent_gold = ent_task.inputs(bench), ent_task.gold(bench)
    content = bp_gold[["doc_id", "line", "is_content"]].merge(
        bp_pred[["doc_id", "line", "is_content"]], on=["doc_id", "line"], suffixes=("", "_pred"), validate="1:1")
    lines = ent_inputs.units[["doc_id", "line"]].merge(content, on=["doc_id", "line"], how="left", validate="1:1")
    gold_mask = lines.is_content.to_numpy(bool)
    pred_mask = lines.is_content_pred.to_numpy(bool)
    gold_lines, pred_lines = ent_inputs.units[gold_mask], ent_inputs.units[pred_mask]
    ent_pred = _predictions(ent_task, entity_system, ent_inputs, ent_gold, seed)
    entities = _compare(ent_task, ent_inputs, ent_task.rows_for_units(ent_gold, gold_lines),
                        ent_task.rows_for_units(ent_pred, gold_lines), ent_task.rows_for_units(ent_pred, pred_lines),
                        entity_metric, resample_weights(ent_inputs.units.doc_id, resamples, seed))

    st_inputs, st_gold = st_task.inputs(bench), st_task.gold(bench)
    st_inputs_pred = st_task.inputs(content_view(bench, bp_pred))
    stance = _compare(st_task, st_inputs, st_gold,
                      _predictions(st_task, stance_system, st_inputs, st_gold, seed),
                      _predictions(st_task, stance_system, st_inputs_pred, st_gold, seed),
                      stance_metric, resample_weights(st_inputs.units.doc_id, resamples, seed))

    return PipelineResult(system_id(boilerplate), system_id(entity_system), system_id(stance_system),
                          int((gold_mask & ~pred_mask).sum()), int((~gold_mask & pred_mask).sum()),
                          entities, stance)
