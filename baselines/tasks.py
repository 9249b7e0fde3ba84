"""Tasks: what a system is given, what the gold answer is, and how predictions line up with it.

A task hides gold answers from system inputs; the same `align` serves the built-in
baselines and a predictions file from anyone's model, so both are scored alike.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np
import pandas as pd

from labels import scheme
from labels.tokens import tokenize
from baselines.data import Bench


@dataclass(frozen=True)
class TaskInput:
    """What a system sees: the documents and the units to predict for, never the answers."""

    documents: pd.DataFrame  # doc_id, text (and html, language when the dataset has them)
    units: pd.DataFrame

    def subset(self, mask: np.ndarray) -> "TaskInput":
        units = self.units[mask].reset_index(drop=True)
        docs = self.documents[self.documents.doc_id.isin(set(units.doc_id))].reset_index(drop=True)
        return TaskInput(docs, units)


class Task(ABC):
    name: str
    gold_config: str
    key: tuple[str, ...]            # columns identifying one predicted row
    required: tuple[str, ...]       # columns a predictions file must carry
    labels: dict[str, tuple[str, ...]]  # closed vocabularies of prediction columns
    unit_key: tuple[str, ...]       # columns identifying one scoring unit
    every_unit_needs_a_row: bool    # False where "no row" means "nothing predicted" (entity spans)
    primary: tuple[str, str]        # (metric, value) that ranks systems on the leaderboard

    def inputs(self, bench: Bench) -> TaskInput:
        """Each document's text, and its markup and language where the dataset has them (HTML readers)."""
        columns = [c for c in ("doc_id", "text", "html", "language") if c in bench.documents]
        return TaskInput(bench.documents[columns].copy(), self._units(bench))

    @abstractmethod
    def _units(self, bench: Bench) -> pd.DataFrame:
        """One row per scoring unit, with its doc_id and no gold answer columns."""

    def gold(self, bench: Bench) -> pd.DataFrame:
        return bench.frame(self.gold_config)[list(self.key) + self.answer_columns()].copy()

    def rows_for_units(self, gold: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
        """The rows of a gold or predictions frame that answer these units (e.g. a training fold)."""
        keys = list(self.unit_key)
        return gold.merge(units[keys].drop_duplicates(), on=keys, how="inner")

    def answer_columns(self) -> list[str]:
        return [c for c in self.required if c not in self.key]

    @abstractmethod
    def align(self, units: pd.DataFrame, gold: pd.DataFrame, pred: pd.DataFrame) -> pd.DataFrame:
        """One row per unit, in unit order, holding both the gold and the predicted answers."""

    def checked(self, pred: pd.DataFrame, inputs: TaskInput, source: str) -> pd.DataFrame:
        """The checks a task's own answer shape needs beyond the shared ones (baselines.predictions)."""
        return pred


def _line_of(starts_by_doc: dict[str, list[int]], lines_by_doc: dict[str, list[int]], doc: str, offset: int) -> int:
    starts = starts_by_doc[doc]
    return lines_by_doc[doc][max(bisect_right(starts, offset) - 1, 0)]


class Boilerplate(Task):
    name = "boilerplate"
    gold_config = "boilerplate"
    key = ("doc_id", "line")
    required = ("doc_id", "line", "is_content")
    labels = {"role": scheme.ROLES}
    unit_key = ("doc_id", "line")
    every_unit_needs_a_row = True
    primary = ("content_lines", "f1")

    def _units(self, bench):
        return bench.boilerplate[["doc_id", "line", "start", "end", "text"]].copy()

    def gold(self, bench):
        return bench.boilerplate[["doc_id", "line", "is_content", "role"]].copy()

    def align(self, units, gold, pred):
        cols = ["doc_id", "line", "is_content"] + (["role"] if "role" in pred else [])
        df = units.merge(gold, on=["doc_id", "line"], how="left", validate="1:1")
        df = df.merge(pred[cols], on=["doc_id", "line"], how="left", suffixes=("", "_pred"), validate="1:1")
        df["n_chars"] = df["end"] - df["start"]
        return df.rename(columns={"is_content": "gold_content", "is_content_pred": "pred_content",
                                  "role": "gold_role", "role_pred": "pred_role"})


class Entities(Task):
    """Flat entity spans, scored in the OntoNotes view and the derived CoNLL view."""

    name = "entities"
    gold_config = "entities"
    key = ("doc_id", "start", "end")
    required = ("doc_id", "start", "end", "type")
    labels = {"type": scheme.ENTITY_TYPES}
    unit_key = ("doc_id", "line")
    every_unit_needs_a_row = False
    primary = ("ontonotes/strict", "f1")

    def _units(self, bench):
        return self.line_units(bench.documents, bench.boilerplate[["doc_id", "line", "start", "end", "text"]])

    @staticmethod
    def line_units(documents: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
        """Each line with its tokens. The tokens are cut afresh, not taken from the
        entities_tokens config, whose tokens are split at gold entity boundaries."""
        units = lines.copy()
        texts = dict(zip(documents.doc_id, documents.text))
        tokens = [tokenize(texts[d], s, e) for d, s, e in zip(units.doc_id, units.start, units.end)]
        units["tokens"] = [[t.text for t in ts] for ts in tokens]
        units["token_starts"] = [[t.start for t in ts] for ts in tokens]
        units["token_ends"] = [[t.end for t in ts] for ts in tokens]
        return units

    def rows_for_units(self, gold, units):
        """Spans are keyed by offsets, not lines: keep those inside the given lines."""
        bounds = units[["doc_id", "start", "end"]].rename(columns={"start": "u_start", "end": "u_end"})
        m = gold.merge(bounds, on="doc_id")
        m = m[(m.start >= m.u_start) & (m.end <= m.u_end)]
        return m[gold.columns].drop_duplicates().reset_index(drop=True)

    def align(self, units, gold, pred):
        """Per line: the gold spans and the predicted spans as sorted (start, end, type) tuples."""
        starts = units.groupby("doc_id", sort=False)["start"].apply(list).to_dict()
        lines = units.groupby("doc_id", sort=False)["line"].apply(list).to_dict()
        index = {(d, ln): i for i, (d, ln) in enumerate(zip(units.doc_id, units.line))}
        gold_spans: list[list] = [[] for _ in range(len(units))]
        pred_spans: list[list] = [[] for _ in range(len(units))]
        for target, frame in ((gold_spans, gold), (pred_spans, pred)):
            for d, s, e, t in zip(frame.doc_id, frame.start, frame.end, frame.type):
                i = index.get((d, _line_of(starts, lines, d, int(s))))
                if i is not None:
                    target[i].append((int(s), int(e), t))
        out = units[["doc_id", "line"]].copy()
        out["gold"] = [sorted(x) for x in gold_spans]
        out["pred"] = [sorted(x) for x in pred_spans]
        return out


class Stance(Task):
    """Article-level and source-level stance, scored per level and together."""

    name = "stance"
    gold_config = "stance"
    key = ("doc_id", "id")
    required = ("doc_id", "id", "label")
    labels = {"label": scheme.STANCE_LABELS}
    unit_key = ("doc_id", "id")
    every_unit_needs_a_row = True
    primary = ("all", "macro_f1")

    def _units(self, bench):
        """Each instance with its context: the body (content lines but the headline) at article
        level, the holder's line at source level. Evidence spans are gold and are withheld."""
        units = bench.stance[["doc_id", "id", "level", "target", "target_origin", "target_span",
                              "holder", "holder_span"]].copy()
        bp = bench.boilerplate
        body = (bp[bp.is_content & (bp.role != "headline")].groupby("doc_id", sort=False)["text"]
                .apply("\n".join).to_dict())
        starts = bp.groupby("doc_id", sort=False)["start"].apply(list).to_dict()
        texts = bp.groupby("doc_id", sort=False)["text"].apply(list).to_dict()

        def context(row) -> str:
            if row.level == "article" or row.holder_span is None:
                return body.get(row.doc_id, "")
            i = max(bisect_right(starts[row.doc_id], int(row.holder_span["start"])) - 1, 0)
            return texts[row.doc_id][i]

        units["context"] = [context(r) for r in units.itertuples(index=False)]
        return units

    def align(self, units, gold, pred):
        df = units[["doc_id", "id", "level"]].merge(gold, on=["doc_id", "id"], how="left", validate="1:1")
        df = df.merge(pred[["doc_id", "id", "label"]], on=["doc_id", "id"], how="left",
                      suffixes=("", "_pred"), validate="1:1")
        return df.rename(columns={"label": "gold_label", "label_pred": "pred_label"})


TASKS: dict[str, Task] = {t.name: t for t in (Boilerplate(), Entities(), Stance())}
