"""Predictions files and their checks: a malformed file is refused with what is wrong, where.

Missing predictions are never counted as correct nor dropped: they are an error.
"""
from __future__ import annotations

import io
from bisect import bisect_right
from pathlib import Path

import numpy as np
import pandas as pd

from labels.cli import UserError
from labels.userfiles import MIB, read_bytes
from baselines.tasks import Task, TaskInput

MAX_PREDICTIONS_BYTES = 1024 * MIB
_INT_COLUMNS = ("line", "start", "end")
_TEXT_COLUMNS = ("doc_id", "id")


def read(path: Path) -> pd.DataFrame:
    """A Parquet or JSONL predictions file (chosen by extension), read through the bounded reader."""
    if path.suffix not in (".parquet", ".jsonl", ".json"):
        raise UserError(f"{path}: predictions must be .parquet or .jsonl")
    raw = io.BytesIO(read_bytes(path, "predictions file", MAX_PREDICTIONS_BYTES))
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(raw)
        return pd.read_json(raw, lines=True, dtype=False)
    except Exception as err:  # pyarrow and pandas raise many types for a corrupt file
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        raise UserError(f"{path}: cannot read predictions ({type(err).__name__}: {first})") from None


def _where(source: str, row: int, field: str) -> str:
    return f"{source}: row {row + 1}: {field}"


def _plain(value):
    """A value as the user wrote it: 3, not np.int64(3)."""
    return value.item() if isinstance(value, np.generic) else value


def require_columns(pred: pd.DataFrame, required: tuple[str, ...], source: str, what: str) -> pd.DataFrame:
    """A fresh copy of the predictions, or UserError naming the missing columns and what the file needs."""
    missing = [c for c in required if c not in pred.columns]
    if missing:
        raise UserError(f"{source}: missing column(s) {', '.join(missing)}; {what} file needs "
                        f"{', '.join(required)}")
    return pred.reset_index(drop=True).copy()


def check(task: Task, pred: pd.DataFrame, inputs: TaskInput, source: str) -> pd.DataFrame:
    """Return the predictions with normalised dtypes, or raise UserError naming the problem."""
    pred = require_columns(pred, task.required, source, f"a {task.name} predictions")
    for col in task.required:
        bad = pred[col].isna()
        if bad.any():
            raise UserError(f"{_where(source, int(bad.idxmax()), col)}: empty value")
    for col in task.labels:  # an optional answer column is all or nothing: a gap would go unscored
        if col in pred.columns and col not in task.required and pred[col].isna().any():
            i = int(pred[col].isna().idxmax())
            raise UserError(f"{_where(source, i, col)}: empty value; give a {col} for every "
                            f"{'line' if task.name == 'boilerplate' else 'row'} or leave the column out")
    for col in _TEXT_COLUMNS:
        if col in task.required:
            bad = ~pred[col].map(lambda v: isinstance(v, str))
            if bad.any():
                i = int(bad.idxmax())
                raise UserError(f"{_where(source, i, col)}: expected a string, got {_plain(pred[col][i])!r}")
    for col in _INT_COLUMNS:
        if col in pred.columns:
            as_num = pd.to_numeric(pred[col].map(lambda v: None if isinstance(v, (bool, np.bool_)) else v),
                                   errors="coerce").astype(float)
            bad = ~np.isfinite(as_num) | (as_num != as_num.round()) | (as_num.abs() >= 2 ** 53)
            if bad.any():
                i = int(bad.idxmax())
                raise UserError(f"{_where(source, i, col)}: expected an integer, got {_plain(pred[col][i])!r}")
            pred[col] = as_num.astype("int64")
    if "is_content" in pred.columns:
        ok = pred["is_content"].map(lambda v: isinstance(v, bool) or v in (0, 1))
        if not ok.all():
            i = int((~ok).idxmax())
            raise UserError(f"{_where(source, i, 'is_content')}: expected true or false, got {pred['is_content'][i]!r}")
        pred["is_content"] = pred["is_content"].astype(bool)
    for col, names in task.labels.items():
        if col in pred.columns:
            bad = ~pred[col].isin(names) & pred[col].notna()
            if bad.any():
                i = int(bad.idxmax())
                raise UserError(f"{_where(source, i, col)}: unknown label {pred[col][i]!r}; "
                                f"expected one of {', '.join(names)}")
    keys = [k for k in task.key if k in pred.columns]
    dup = pred.duplicated(keys, keep="first")
    if dup.any():
        i = int(dup.idxmax())
        key = ", ".join(f"{k}={_plain(pred[k][i])!r}" for k in keys)
        raise UserError(f"{source}: row {i + 1}: duplicate prediction for {key}")
    if task.every_unit_needs_a_row:
        _check_units(task, pred, inputs, source)
    elif "start" in task.key:
        _check_spans(pred, inputs, source)
    return task.checked(pred, inputs, source)


def _check_units(task: Task, pred: pd.DataFrame, inputs: TaskInput, source: str) -> None:
    keys = list(task.unit_key)
    merged = (pred[keys].rename_axis("_row").reset_index()
              .merge(inputs.units[keys].drop_duplicates(), on=keys, how="outer", indicator=True))
    unknown = merged[merged._merge == "left_only"]
    if len(unknown):
        i = int(unknown._row.min())
        doc = pred.doc_id[i]
        if doc not in set(inputs.units.doc_id):
            raise UserError(f"{_where(source, i, 'doc_id')}: document {doc!r} is not in the dataset split")
        rest = ", ".join(f"{k}={_plain(pred[k][i])!r}" for k in keys[1:])
        raise UserError(f"{_where(source, i, ', '.join(keys[1:]))}: document {doc!r} has no unit {rest} in the "
                        f"dataset split ({len(unknown)} such prediction(s))")
    absent = merged[merged._merge == "right_only"]
    if len(absent):
        first = ", ".join(f"{k}={_plain(absent.iloc[0][k])!r}" for k in keys)
        raise UserError(f"{source}: {len(absent)} of {len(inputs.units)} units have no prediction, e.g. {first}; "
                        "every unit needs one (missing predictions are not scored as anything)")


def _check_spans(pred: pd.DataFrame, inputs: TaskInput, source: str) -> None:
    """Entity spans: a known document, inside one of its lines."""
    lines = inputs.units.groupby("doc_id", sort=False)
    starts = lines["start"].apply(list).to_dict()
    ends = lines["end"].apply(list).to_dict()
    for i, (d, s, e) in enumerate(zip(pred.doc_id, pred.start, pred.end)):
        if d not in starts:
            raise UserError(f"{_where(source, i, 'doc_id')}: document {d!r} is not in the dataset split")
        j = bisect_right(starts[d], s) - 1
        if s >= e or j < 0 or e > ends[d][j]:
            raise UserError(f"{_where(source, i, 'start')}: span [{s}, {e}) is empty or not inside one line "
                            "of the document")
