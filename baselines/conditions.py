"""A task's view of a split under one condition: the inputs a system reads and the gold it is scored on.

`gold-upstream` hands a system the gold answer of the stage before it (the content
lines, and for source-level stance the holder); `end-to-end` makes it read what that
stage really produces: the whole page for entities, and for stance the article body
rebuilt from the upstream boilerplate system's predictions, with source-level holders
left for the system to find (baselines.stance_records). Gold answers never change with
the condition; end-to-end stance only groups source-level ones by claim.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from baselines.data import Bench
from baselines.protocol import END_TO_END, GOLD_UPSTREAM, PROTOCOLS
from baselines.stance_records import STANCE_END_TO_END
from baselines.tasks import TASKS, Task, TaskInput


@dataclass(frozen=True)
class View:
    """What systems read (only the protocol's fields), the gold answers, and each document's publisher."""

    task: str
    condition: str
    split: str
    inputs: TaskInput
    gold: pd.DataFrame
    publishers: dict[str, str]

    @property
    def n_documents(self) -> int:
        return int(self.inputs.units.doc_id.nunique())


def content_view(bench: Bench, boilerplate_pred: pd.DataFrame) -> Bench:
    """The bench as a boilerplate system sees it: its is_content (and role, or none) per line.
    Only what downstream inputs derive from boilerplate changes (the article body); gold
    answers of the other tasks are untouched."""
    cols = ["doc_id", "line", "is_content"] + (["role"] if "role" in boilerplate_pred else [])
    bp = bench.boilerplate.drop(columns=["is_content", "role"])
    bp = bp.merge(boilerplate_pred[cols], on=["doc_id", "line"], how="left", validate="1:1")
    if "role" not in bp:
        bp["role"] = None
    return replace(bench, boilerplate=bp)


def upstream_predictions(bench: Bench, spec: str) -> pd.DataFrame:
    """The declared upstream boilerplate system's predictions; it must not learn (no fit split needed)."""
    from baselines import registry

    (cls, params), = [(c, p) for c, p in registry.resolve(spec) if c.task == "boilerplate"]
    if cls.learned:
        raise ValueError(f"upstream system {spec!r} is learned; the protocol needs one that is not")
    return cls(**params).predict(TASKS["boilerplate"].inputs(bench))


def task_for(name: str, condition: str) -> Task:
    """The task as a condition poses it: end to end, stance asks for the holders too."""
    PROTOCOLS[name].condition(condition)  # refuses a condition the task does not declare
    return STANCE_END_TO_END if (name, condition) == ("stance", END_TO_END) else TASKS[name]


def _inputs(task: Task, bench: Bench, condition: str) -> TaskInput:
    protocol = PROTOCOLS[task.name]
    if task.name == "stance" and condition == END_TO_END:
        return task.inputs(content_view(bench, upstream_predictions(bench, protocol.upstream)))
    inputs = task.inputs(bench)
    if task.name == "entities" and condition == GOLD_UPSTREAM:
        content = inputs.units[["doc_id", "line"]].merge(
            bench.boilerplate[["doc_id", "line", "is_content"]], on=["doc_id", "line"], how="left", validate="1:1")
        inputs = inputs.subset(content.is_content.fillna(False).to_numpy(bool))
    return inputs


def view(task: Task, bench: Bench, condition: str) -> View:
    task = task_for(task.name, condition)
    inputs = _inputs(task, bench, condition)
    units = inputs.units[list(PROTOCOLS[task.name].reads)].reset_index(drop=True)
    publishers = {d: p or "unknown" for d, p in zip(bench.documents.doc_id, bench.documents.publisher)}
    gold = task.rows_for_units(task.gold(bench), units).reset_index(drop=True)
    return View(task.name, condition, bench.split, TaskInput(inputs.documents, units), gold, publishers)
