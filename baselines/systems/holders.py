"""The base of every built-in stance system: a classifier of (target, context, level) units that,
end to end, finds its own holders.

In `gold-upstream` the units come with the holder and the holder's line, and pass through
unchanged. In `end-to-end` a source-level unit is a claim with no holder (baselines.stance_records):
the system finds holders by quote attribution (baselines.systems.attribution, rules, nothing
learned), classifies the claim against its holder's line, and answers with a record (holder
span, label). A learned classifier is fitted on the training claims against their gold holders'
lines, the same shape of unit it then classifies.
"""
from __future__ import annotations

from abc import abstractmethod

import pandas as pd

from baselines.stance_records import HOLDER_COLUMNS, page_lines
from baselines.system import System
from baselines.systems.attribution import attributions, holder_of
from baselines.tasks import TaskInput


def _claims(units: pd.DataFrame) -> pd.Series:
    """Source-level units without a holder: end-to-end claims (units lacking the column carry none)."""
    if "holder_span" not in units:
        return pd.Series(False, index=units.index)
    return (units.level == "source") & units.holder_span.isna()


def _line_of(text: str, offset: int) -> str:
    return text[text.rfind("\n", 0, offset) + 1:(text.find("\n", offset) + 1 or len(text) + 1) - 1]


def _holder_unit(claim: pd.Series, text: str, start: int, end: int, context: str) -> dict:
    return claim.to_dict() | {"id": f"{claim.id}@{start}-{end}", "context": context,
                              "holder_span": {"start": start, "end": end, "text": text[start:end]}}


def with_gold_holders(inputs: TaskInput, gold: pd.DataFrame) -> tuple[TaskInput, pd.DataFrame]:
    """Training units: each claim once per gold holder, on the holder's line, with that label."""
    units = inputs.units
    claims = _claims(units)
    if not claims.any():
        return inputs, gold
    texts = dict(zip(inputs.documents.doc_id, inputs.documents.text))
    by_claim = {(r.doc_id, r.id): r for _, r in units[claims].iterrows()}
    rows, labels = [], []
    for g in gold.itertuples(index=False):
        claim = by_claim.get((g.doc_id, g.id))
        if claim is None or pd.isna(g.holder_start):
            continue
        text, start, end = texts[g.doc_id], int(g.holder_start), int(g.holder_end)
        rows.append(_holder_unit(claim, text, start, end, _line_of(text, start)))
        labels.append({"doc_id": g.doc_id, "id": rows[-1]["id"], "label": g.label})
    kept = units[~claims]
    expanded = pd.concat([kept, pd.DataFrame(rows, columns=units.columns)], ignore_index=True)
    gold = pd.concat([gold.merge(kept[["doc_id", "id"]], on=["doc_id", "id"])[["doc_id", "id", "label"]],
                      pd.DataFrame(labels, columns=["doc_id", "id", "label"])], ignore_index=True)
    return TaskInput(inputs.documents, expanded.drop_duplicates(["doc_id", "id"]).reset_index(drop=True)), gold


def with_found_holders(inputs: TaskInput) -> tuple[TaskInput, dict[tuple[str, str], tuple[str, int, int]]]:
    """Units to classify: each claim once, on the line of the holder attribution finds for it on
    any line of the page (a claim with none is left out); and, per such unit, its claim id and
    holder span."""
    units = inputs.units
    claims = _claims(units)
    if not claims.any():
        return inputs, {}
    docs = inputs.documents
    texts = dict(zip(docs.doc_id, docs.text))
    every_line = page_lines(docs)
    found = {d: attributions(texts[d], every_line[d])
             for d in set(units[claims].doc_id)}
    rows, back = [], {}
    for _, claim in units[claims].iterrows():
        text = texts[claim.doc_id]
        a = holder_of(claim.target, text, found[claim.doc_id])
        if a is None:
            continue
        rows.append(_holder_unit(claim, text, a.start, a.end, text[a.line[0]:a.line[1]]))
        back[(claim.doc_id, rows[-1]["id"])] = (claim.id, a.start, a.end)
    expanded = pd.concat([units[~claims], pd.DataFrame(rows, columns=units.columns)], ignore_index=True)
    return TaskInput(docs, expanded), back


def as_records(pred: pd.DataFrame, back: dict[tuple[str, str], tuple[str, int, int]]) -> pd.DataFrame:
    """Labels of holder units turned back into records of their claims (end to end only)."""
    if not back:
        return pred
    found = [back.get((d, i)) for d, i in zip(pred.doc_id, pred.id)]
    out = pred.assign(id=[f[0] if f else i for f, i in zip(found, pred.id)])
    for k, column in enumerate(HOLDER_COLUMNS, start=1):
        out[column] = pd.array([f[k] if f else None for f in found], dtype="Int64")
    return out


class HolderFinding(System):
    """A stance classifier of units; end to end it finds the holders by quote attribution."""

    task = "stance"

    def fit(self, inputs: TaskInput, gold: pd.DataFrame) -> None:
        self.fit_units(*with_gold_holders(inputs, gold))

    def predict(self, inputs: TaskInput) -> pd.DataFrame:
        units, back = with_found_holders(inputs)
        return as_records(self.predict_units(units), back)

    def fit_units(self, inputs: TaskInput, gold: pd.DataFrame) -> None:
        """Learn from units that all name a holder (learned systems only)."""

    def describe(self) -> dict:
        return super().describe() | {"details": {"holders": "end to end: found by quote attribution (rules, "
                                                            "nothing learned; baselines.systems.attribution)"}}

    @abstractmethod
    def predict_units(self, inputs: TaskInput) -> pd.DataFrame:
        """One label per unit (doc_id, id, label); every source-level unit names a holder."""
