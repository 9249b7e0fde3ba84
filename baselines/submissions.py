"""Prediction file formats for `baselines.score`: the tasks' own, CoNLL-typed spans and token tags.

A format is a task (what a row answers and how it lines up with gold) and the check
that refuses a bad file; every format is scored by the same runner as the baselines.

- entities, conll view: spans typed PER, ORG, LOC or MISC, against the gold spans mapped
  to the CoNLL types (numeric and temporal gold spans leave the view).
- entities_tokens: the conll2003 shape, one row per row of the entities_tokens config
  (`id`, optional `tokens`, `ner_tags` as tag names or ids of the view's tag list), read
  as IOB2 against the config's gold tags (`ner_tags`, or `conll_ner_tags` in the conll view).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from labels import scheme
from labels.cli import UserError
from baselines import predictions
from baselines.data import Bench
from baselines.predictions import _plain, _where, require_columns
from baselines.tasks import TASKS, Entities, Task, TaskInput

VIEWS = ("ontonotes", "conll")


class ConllSpans(Entities):
    """Entity spans typed with the four CoNLL-2003 types."""

    name = "entities_conll"
    labels = {"type": scheme.CONLL_TYPES}
    primary = ("conll/strict", "f1")

    def gold(self, bench: Bench) -> pd.DataFrame:
        gold = super().gold(bench)
        gold["type"] = gold["type"].map(scheme.conll_type)
        return gold.dropna(subset=["type"]).reset_index(drop=True)


class TokenTags(Task):
    """One IOB2 tag per token of each row of the entities_tokens config."""

    name = "entities_tokens"
    gold_config = "entities_tokens"
    key = ("id",)
    required = ("id", "ner_tags")
    labels: dict[str, tuple[str, ...]] = {}
    unit_key = ("id",)
    every_unit_needs_a_row = True
    primary = ("conlleval", "f1")

    def __init__(self, view: str):
        self.view = view
        self.tag_names = tuple(scheme.ONTONOTES_TAGS if view == "ontonotes" else scheme.CONLL_TAGS)
        self.gold_column = "ner_tags" if view == "ontonotes" else "conll_ner_tags"

    def _units(self, bench):
        return bench.entities_tokens[["id", "doc_id", "line", "tokens"]].copy()

    def gold(self, bench):
        rows = bench.entities_tokens
        return pd.DataFrame({"id": rows["id"],
                             "ner_tags": [[self.tag_names[i] for i in tags] for tags in rows[self.gold_column]]})

    def align(self, units, gold, pred):
        df = units[["id", "doc_id"]].merge(gold, on="id", how="left", validate="1:1")
        df = df.merge(pred[["id", "ner_tags"]], on="id", how="left", suffixes=("", "_pred"), validate="1:1")
        return df.rename(columns={"ner_tags": "gold_tags", "ner_tags_pred": "pred_tags"})


def check_tags(task: TokenTags, pred: pd.DataFrame, inputs: TaskInput, source: str) -> pd.DataFrame:
    """The predictions with every tag as its name, or UserError naming the row, field and token."""
    pred = require_columns(pred, task.required, source, "a token-level entities predictions")
    tokens_of = dict(zip(inputs.units["id"], inputs.units["tokens"]))
    seen: dict[str, int] = {}
    names = []
    for i, (row_id, tags) in enumerate(zip(pred["id"], pred["ner_tags"])):
        if not isinstance(row_id, str):
            raise UserError(f"{_where(source, i, 'id')}: expected a string, got {_plain(row_id)!r}")
        if row_id not in tokens_of:
            raise UserError(f"{_where(source, i, 'id')}: no row {row_id!r} in the entities_tokens config of the split")
        if row_id in seen:
            raise UserError(f"{source}: row {i + 1}: duplicate prediction for id={row_id!r} (also row {seen[row_id] + 1})")
        seen[row_id] = i
        gold_tokens = list(tokens_of[row_id])
        if "tokens" in pred.columns:
            _check_tokens(pred["tokens"][i], gold_tokens, _where(source, i, "tokens"))
        names.append(_tag_names(tags, len(gold_tokens), task.tag_names, _where(source, i, "ner_tags"), task.view))
    absent = [r for r in inputs.units["id"] if r not in seen]
    if absent:
        raise UserError(f"{source}: {len(absent)} of {len(inputs.units)} rows have no prediction, e.g. id={absent[0]!r}; "
                        "every row needs one (missing predictions are not scored as anything)")
    pred["ner_tags"] = names
    return pred


def _sequence(value) -> list | None:
    """A JSON list or a Parquet array as a list; anything else None."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return value.tolist()
    return None


def _check_tokens(value, gold_tokens: list[str], where: str) -> None:
    tokens = _sequence(value)
    if tokens is None:
        raise UserError(f"{where}: expected a list of tokens, got {_plain(value)!r}")
    if tokens != gold_tokens:
        j = next((j for j, (a, b) in enumerate(zip(tokens, gold_tokens)) if a != b), min(len(tokens), len(gold_tokens)))
        got = repr(tokens[j]) if j < len(tokens) else "nothing"
        want = repr(gold_tokens[j]) if j < len(gold_tokens) else "nothing"
        raise UserError(f"{where}: token {j + 1} is {got} but the dataset has {want} "
                        f"({len(tokens)} tokens given, {len(gold_tokens)} in the dataset)")


def _tag_names(value, n_tokens: int, tag_names: tuple[str, ...], where: str, view: str) -> list[str]:
    tags = _sequence(value)
    if tags is None:
        raise UserError(f"{where}: expected a list of tags, got {_plain(value)!r}")
    if len(tags) != n_tokens:
        raise UserError(f"{where}: {len(tags)} tags for a row of {n_tokens} tokens")
    out = []
    for j, tag in enumerate(tags):
        if isinstance(tag, str) and tag in tag_names:
            out.append(tag)
        elif isinstance(tag, (int, np.integer)) and not isinstance(tag, bool) and 0 <= tag < len(tag_names):
            out.append(tag_names[int(tag)])
        else:
            raise UserError(f"{where}: token {j + 1}: unknown tag {_plain(tag)!r}; expected a {view} IOB2 tag "
                            f"({', '.join(tag_names[:3])}, ...) or its id 0-{len(tag_names) - 1}")
    return out


@dataclass(frozen=True)
class Format:
    """What a predictions file answers, and the check that refuses a malformed one."""

    task: Task
    check: Callable[[Task, pd.DataFrame, TaskInput, str], pd.DataFrame]


FORMATS: dict[tuple[str, str], Format] = {
    **{(name, "ontonotes"): Format(task, predictions.check) for name, task in TASKS.items()},
    ("entities", "conll"): Format(ConllSpans(), predictions.check),
    ("entities_tokens", "ontonotes"): Format(TokenTags("ontonotes"), check_tags),
    ("entities_tokens", "conll"): Format(TokenTags("conll"), check_tags),
}
TASK_NAMES = tuple(dict.fromkeys(name for name, _ in FORMATS))


def resolve(task: str, view: str | None) -> Format:
    """The format of `--task`, `--view` (default: ontonotes); a view for a task without views is refused."""
    found = FORMATS.get((task, view or "ontonotes"))
    if found is None:
        raise UserError(f"--view {view} applies to entities and entities_tokens only, not to {task}")
    return found
