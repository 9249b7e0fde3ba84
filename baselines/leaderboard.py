"""The leaderboard as a deterministic snapshot (JSON) and its Markdown rendering.

One table per task and condition. Each row says what the system was tuned on and what a
learned system was fitted on; the best is the top system that is neither an oracle nor
tuned on the scored split; differences from it are paired bootstraps, Holm-corrected
within the table, or "not testable" with too few documents (baselines.significance).
The snapshot holds only what the same seed reproduces (no times, no code hash), so it
can be committed and rendered into the dataset card by the build; its shape is leaderboard.schema.json.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.markdown import table as markdown_table
from baselines.bootstrap import CONFIDENCE
from baselines.conditions import task_for
from baselines.metrics import for_task
from baselines.protocol import PROTOCOLS
from baselines.runner import Scored
from baselines.significance import ALPHA, MIN_DOCUMENTS, Verdict, ranking

JSON_NAME = "leaderboard.json"
SCHEMA = "newsbench.leaderboard/1"
SCHEMA_FILE = Path(__file__).with_name("leaderboard.schema.json")   # the board's documented shape
OPTIONAL_JSON_NAME = "leaderboard.optional.json"
BOOTSTRAP_SCHEME = "two-level: documents with replacement, then units within each drawn document"


@dataclass(frozen=True)
class Table:
    """The systems scored on one task under one condition, and how they compare with the best."""

    task: str
    condition: str
    n_documents: int
    scored: tuple[Scored, ...]
    best: str | None
    verdicts: dict[str, Verdict]


def _role(s: Scored, best: str | None) -> str:
    if s.system["sees_gold"]:
        return "upper bound"
    if s.system["id"] == best:
        return "best"
    return "not ranked (tuned on test)" if s.system["tuned_on"] == "test" else "compared"


def _vs_best(v: Verdict | None) -> dict | None:
    if v is None:
        return None
    c = v.comparison
    return {"difference": c.difference, "ci": [c.low, c.high], "p_value": c.p_value, "p_holm": v.p_holm,
            "verdict": v.label}


def _training(s) -> str | None:
    """What the system learned from: outside data it declares, then its fit on the dataset."""
    parts = [s.system.get("trained_on"), s.training.label() if s.training else None]
    return "; ".join(p for p in parts if p) or None


def _table_snapshot(t: Table, with_versions: bool) -> dict[str, Any]:
    metric_name, key = task_for(t.task, t.condition).primary
    columns = [f"{m.name}/{k}" for m in for_task(t.task) for k in m.headline
               if any(m.name in s.values and k in s.values[m.name] for s in t.scored)]
    systems = []
    for s in ranking(list(t.scored)):
        values = {col: [s.values[m][k], s.ci[m][k].low, s.ci[m][k].high]
                  for col in columns for m, _, k in [col.rpartition("/")] if m in s.values and k in s.values[m]}
        row = {"id": s.system["id"], "role": _role(s, t.best), "tuned_on": s.system["tuned_on"],
               "training": _training(s), "values": values,
               "macro_over_documents": s.macro.get(metric_name, {}).get(key),
               "by_publisher": {p: v[metric_name][key] for p, v in s.publishers.items() if metric_name in v},
               "vs_best": _vs_best(t.verdicts.get(s.system["id"]))}
        if with_versions:
            row["versions"] = s.system.get("versions", {})
        systems.append(row)
    return {"condition": PROTOCOLS[t.task].condition(t.condition).description, "documents": t.n_documents,
            "primary": f"{metric_name}/{key}", "best": t.best, "columns": columns, "systems": systems}


def snapshot(ctx, tables: list[Table], with_versions: bool = False) -> dict[str, Any]:
    """Headline values with intervals and the verdict against the best, per task, condition and system."""
    b = ctx.bench
    tasks: dict[str, Any] = {}
    for t in tables:
        if not t.scored:
            continue
        entry = tasks.setdefault(t.task, {"conditions": {}})
        entry["conditions"][t.condition] = _table_snapshot(t, with_versions)
    return {"schema": SCHEMA, "dataset": {"version": b.version, "fingerprint": b.fingerprint, "split": b.split},
            "seed": ctx.seed, "resamples": ctx.resamples, "confidence": CONFIDENCE,
            "bootstrap": BOOTSTRAP_SCHEME,
            "significance": {"min_documents": MIN_DOCUMENTS, "correction": "holm", "alpha": ALPHA},
            "protocol": {name: PROTOCOLS[name].to_dict() for name in tasks}, "tasks": tasks}


def p_text(p: float, resamples: int) -> str:
    """A bootstrap p of 0 only says p is below the resolution of the resamples (2/B two-sided)."""
    return f"p<{2 / resamples:.3g}" if p == 0 else f"p={p:.3f}"


def _vs_best_text(s: dict[str, Any], resamples: int) -> str:
    if s["role"] == "upper bound":
        return "upper bound (gold answers)"
    c = s["vs_best"]
    if c is None:
        return "best" if s["role"] == "best" else "no rankable system"
    text = f"{c['difference']:+.3f} [{c['ci'][0]:+.3f}, {c['ci'][1]:+.3f}] "
    if c["p_holm"] is None:
        return text + c["verdict"]
    return text + f"{p_text(c['p_holm'], resamples)} Holm ({c['verdict']})"


def table_markdown(board: dict[str, Any], task_name: str, condition: str) -> str:
    t = board["tasks"][task_name]["conditions"][condition]
    primary = t.get("primary") or board["tasks"][task_name]["primary"]  # boards before 2.1.0's have it per task
    with_versions = any("versions" in s for s in t["systems"])
    publishers = sorted({p for s in t["systems"] for p in s["by_publisher"]})
    header = ["system", "tuned on", "training", *t["columns"], f"{primary}, macro over documents",
              *([f"{primary} by publisher"] if len(publishers) > 1 else []), f"vs best on {primary}",
              *(["versions"] if with_versions else [])]
    rows = []
    for s in t["systems"]:
        cells = [s["id"], s["tuned_on"], s["training"] or "-"]
        cells += [f"{v[0]:.3f} [{v[1]:.3f}, {v[2]:.3f}]" if (v := s["values"].get(col)) else "n/a"
                  for col in t["columns"]]
        macro = s["macro_over_documents"]
        cells.append("n/a" if macro is None else f"{macro:.3f}")
        if len(publishers) > 1:
            cells.append("; ".join(f"{p}: {s['by_publisher'][p]:.3f}" for p in publishers if p in s["by_publisher"]))
        cells.append(_vs_best_text(s, board["resamples"]))
        if with_versions:
            cells.append(", ".join(f"{k} {v}" for k, v in s.get("versions", {}).items()) or "-")
        rows.append(cells)
    n = t["documents"]
    return (f"Condition `{condition}`: {t['condition']} ({n} document{'' if n == 1 else 's'}).\n\n"
            + markdown_table(header, rows))


def explanation(board: dict[str, Any]) -> str:
    sig = board["significance"]
    return (f"Values pooled over units, with {int(board['confidence'] * 100)}% bootstrap intervals "
            f"({board['resamples']} resamples, {board['bootstrap']}; seed {board['seed']}), and the primary "
            "value macro-averaged over documents. \"tuned on\" is the split a system's design or settings "
            "were chosen on; a system tuned on the scored split is shown but never ranked best. \"training\" "
            "is what a learned system was fitted on. \"vs best\" is a paired bootstrap on the same "
            f"resamples, Holm-corrected within the table at {sig['alpha']}; with fewer than "
            f"{sig['min_documents']} documents it is not testable and no p-value is given.\n")


def tasks_markdown(board: dict[str, Any], level: int) -> str:
    h = "#" * level
    return "\n".join(f"{h} {name}, {condition}\n\n" + table_markdown(board, name, condition)
                     for name, task in board["tasks"].items() for condition in task["conditions"])


def markdown(board: dict[str, Any], level: int = 1, title: str = "Leaderboard") -> str:
    d = board["dataset"]
    h = "#" * level
    return "\n".join([f"{h} {title}: dataset {d['version']} (fingerprint `{d['fingerprint']}`), split `{d['split']}`\n",
                      explanation(board), tasks_markdown(board, level + 1)])
