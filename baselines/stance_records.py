"""End-to-end stance: the system is given the claims, finds who holds a position on them, and is
scored on (claim, holder, label) records.

What a system is given at source level, and why. A source-level instance is a question, "who
on this page takes which position on this claim?", and a claim (the target) is that question's
wording, not its answer: without it nothing could be scored, as a system's own claims could
not be matched to the annotators'. So each document's distinct source-level claims are given,
once each, under a neutral id (`c1`, `c2`, ... in the claims' alphabetical order, so the ids
carry no page order), with their origin and page span; the holder, the holder's span, the
evidence and the number of holders per claim are withheld. What the claims do reveal, and is
stated with every end-to-end score: each claim has at least one named holder on the page.

A system answers with zero or more records per claim: `holder_start`, `holder_end` (the holder
mention as a character span of the page text) and `label`; article-level instances are answered
as in `gold-upstream`, one label each, with no holder. A claim's row with no holder span (what a
system written for `gold-upstream` gives, one label per unit) names nobody: it matches nothing
and counts as spurious.

Matching (`match`): within one claim, a record matches a gold instance when its span overlaps
a mention of the gold holder: a gold entity mention in a content line with the holder's surface
text (the scheme has no coreference, so the name identifies the holder; gold mentions lie in
content lines only). Pairs are taken greedily, largest overlap first, then a label that agrees,
then the record's span and the gold id, so one record matches at most one gold instance and the
result is deterministic. A matched pair with the right label is a true positive; with a wrong
label it is both a false positive and a false negative (a wrong answer about a found holder);
an unmatched record is spurious (fp), an unmatched gold instance missed (fn). Holder detection
alone counts every matched pair as a true positive.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from labels.cli import UserError
from labels.scheme import LABELS_FOR_LEVEL, STANCE_LABELS
from baselines.data import Bench
from baselines.tasks import Stance, TaskInput

HOLDER_COLUMNS = ("holder_start", "holder_end")
COUNTS = ("tp", "fp", "fn", "holder_tp", "holder_fp", "holder_fn")


@dataclass(frozen=True)
class GoldRecord:
    instance: str                            # the gold instance id (s10, ...)
    mentions: tuple[tuple[int, int], ...]    # every mention of its holder in content lines
    label: str


@dataclass(frozen=True)
class Record:
    start: int
    end: int
    label: str


def _overlap(record: Record, mentions: tuple[tuple[int, int], ...]) -> int:
    return max((min(record.end, e) - max(record.start, s) for s, e in mentions), default=0)


def match(records: list[Record], gold: list[GoldRecord]) -> list[tuple[int, int]]:
    """(record index, gold index) pairs: greedy, largest overlap first, then agreeing label, then
    the record's span and the gold id; each record and each gold instance in at most one pair."""
    candidates = []
    for i, r in enumerate(records):
        for j, g in enumerate(gold):
            overlap = _overlap(r, g.mentions)
            if overlap > 0:
                candidates.append((-overlap, r.label != g.label, r.start, r.end, r.label, g.instance, i, j))
    used_r, used_g, pairs = set(), set(), []
    for *_, i, j in sorted(candidates):
        if i not in used_r and j not in used_g:
            used_r.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def counts(records: list[Record], gold: list[GoldRecord]) -> dict[str, int]:
    """Holder+label and holder-only counts of one claim's records against its gold instances."""
    pairs = match(records, gold)
    right = sum(records[i].label == gold[j].label for i, j in pairs)
    return {"tp": right, "fp": len(records) - right, "fn": len(gold) - right,
            "holder_tp": len(pairs), "holder_fp": len(records) - len(pairs), "holder_fn": len(gold) - len(pairs)}


def claim_ids(stance: pd.DataFrame) -> pd.Series:
    """Per source-level row, the id of its claim in its document: c1, c2, ... in alphabetical order."""
    source = stance[stance.level == "source"]
    ids = {}
    for doc, targets in source.groupby("doc_id", sort=False)["target"]:
        for k, target in enumerate(sorted(set(targets)), start=1):
            ids[(doc, target)] = f"c{k}"
    return pd.Series([ids[(d, t)] for d, t in zip(source.doc_id, source.target)], index=source.index, dtype=object)


def holder_mentions(bench: Bench) -> dict[tuple[str, str], tuple[tuple[int, int], ...]]:
    """Per (doc_id, holder entity id), the spans of every gold mention with the holder's surface text."""
    e = bench.entities
    by_surface: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for d, s, end, text in zip(e.doc_id, e.start, e.end, e.text):
        by_surface.setdefault((d, " ".join(text.split())), []).append((int(s), int(end)))
    return {(d, i): tuple(sorted(by_surface[(d, " ".join(text.split()))]))
            for d, i, text in zip(e.doc_id, e.id, e.text)}


def page_lines(documents: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    """Each page's non-empty lines as (start, end) offsets, the line break left out."""
    out = {}
    for doc, text in zip(documents.doc_id, documents.text):
        spans, start = [], 0
        for line in text.split("\n"):
            if line.strip():
                spans.append((start, start + len(line)))
            start += len(line) + 1
        out[doc] = spans
    return out


class StanceEndToEnd(Stance):
    """Stance as the `end-to-end` condition poses it: article level as before; source level as
    claims to find (holder, label) records for. Primary value: F1 over every record, article
    instances included (their holder, the article, is always found)."""

    key = ("doc_id", "id") + HOLDER_COLUMNS
    unit_key = ("doc_id", "id")
    every_unit_needs_a_row = False   # a claim may get no record; article units are checked below
    primary = ("records", "f1")

    def inputs(self, bench: Bench) -> TaskInput:
        """Article units as in gold-upstream (over the bench's boilerplate), source units as claims."""
        base = super().inputs(bench)
        units = base.units
        source = units.level == "source"
        claims = units[source].assign(id=claim_ids(units[source]))
        claims = (claims.sort_values(["doc_id", "id"], kind="stable").drop_duplicates(["doc_id", "id"])
                  .assign(holder=None, holder_span=None, context=""))
        return TaskInput(base.documents, pd.concat([units[~source], claims], ignore_index=True))

    def gold(self, bench: Bench) -> pd.DataFrame:
        """Article instances with their label; source instances under their claim's id, with the
        annotated holder span and every mention of the holder."""
        st = bench.stance
        mentions = holder_mentions(bench)
        source = st.level == "source"
        ids = st.id.copy()
        ids[source] = claim_ids(st)
        span = [h if isinstance(h, dict) else None for h in st.holder_span]
        return pd.DataFrame({
            "doc_id": st.doc_id, "id": ids, "instance": st.id, "level": st.level, "label": st.label,
            "holder_start": [int(h["start"]) if h else None for h in span],
            "holder_end": [int(h["end"]) if h else None for h in span],
            "holder_mentions": [mentions.get((d, h), ()) if s else () for d, h, s in zip(st.doc_id, st.holder, source)],
        }).astype({"holder_start": "Int64", "holder_end": "Int64"}).reset_index(drop=True)

    def checked(self, pred: pd.DataFrame, inputs: TaskInput, source: str) -> pd.DataFrame:
        """One row per article unit (no holder); per claim, rows with a holder span inside the page
        (or none at all) and a source-level label; nothing for an id the split does not have."""
        units = inputs.units.set_index(["doc_id", "id"]).level.to_dict()
        lengths = dict(zip(inputs.documents.doc_id, inputs.documents.text.str.len()))
        for c in HOLDER_COLUMNS:
            if c not in pred:
                pred[c] = None
        for i, (d, u, label) in enumerate(zip(pred.doc_id, pred.id, pred.label)):
            level = units.get((d, u))
            where = f"{source}: row {i + 1}"
            if level is None:
                raise UserError(f"{where}: id: document {d!r} has no stance unit {u!r} in the dataset split")
            s, e = pred.holder_start[i], pred.holder_end[i]
            if level == "article":
                if pd.notna(s) or pd.notna(e):
                    raise UserError(f"{where}: holder_start: an article-level instance has no holder")
                continue
            if pd.isna(s) and pd.isna(e):
                continue  # names no holder: spurious
            if not all(isinstance(v, (int, np.integer)) or (isinstance(v, float) and v.is_integer())
                       for v in (s, e)):
                raise UserError(f"{where}: holder_start: expected integer offsets, got {s!r}, {e!r}")
            if not 0 <= int(s) < int(e) <= lengths[d]:
                raise UserError(f"{where}: holder_start: span [{int(s)}, {int(e)}) is empty or outside the page")
            if label not in LABELS_FOR_LEVEL["source"]:
                allowed = ", ".join(x for x in STANCE_LABELS if x in LABELS_FOR_LEVEL["source"])
                raise UserError(f"{where}: label: a source-level record is one of {allowed}, not {label!r}")
        answered = set(zip(pred.doc_id, pred.id))
        absent = [k for k, level in units.items() if level == "article" and k not in answered]
        if absent:
            raise UserError(f"{source}: {len(absent)} article-level units have no prediction, e.g. "
                            f"doc_id={absent[0][0]!r}, id={absent[0][1]!r}; every one needs one")
        return pred.astype({c: "Int64" for c in HOLDER_COLUMNS})

    def align(self, units, gold, pred):
        """One row per unit: the labels (article level) and the record counts (every unit)."""
        out = units[["doc_id", "id", "level"]].reset_index(drop=True)
        gold_by = {k: g for k, g in gold.groupby(["doc_id", "id"], sort=False)}
        pred_by = {k: p for k, p in pred.groupby(["doc_id", "id"], sort=False)}
        rows = []
        empty = pred.iloc[:0]
        for d, u, level in zip(out.doc_id, out.id, out.level):
            g, p = gold_by[(d, u)], pred_by.get((d, u), empty)
            if level == "article":
                gl, pl = g.label.iloc[0], p.label.iloc[0]
                rows.append((gl, pl, int(gl == pl), int(gl != pl), int(gl != pl), 0, 0, 0))
                continue
            c = counts([Record(-1, -1, lab) if pd.isna(s) else Record(int(s), int(e), lab)
                        for s, e, lab in zip(p.holder_start, p.holder_end, p.label)],
                       [GoldRecord(i, tuple(m), lab) for i, m, lab in
                        zip(g.instance, g.holder_mentions, g.label)])
            rows.append((None, None, *(c[k] for k in COUNTS)))
        frame = pd.DataFrame(rows, columns=["gold_label", "pred_label", *COUNTS])
        return pd.concat([out, frame], axis=1)


STANCE_END_TO_END = StanceEndToEnd()
