"""Result files and the leaderboard: every number with its interval and what produced it.

Layout: results/<dataset-version>/<task>/<system>.json (+ .parquet predictions),
results/<dataset-version>/LEADERBOARD.md.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from baselines.bootstrap import CONFIDENCE, Comparison, paired
from baselines.data import Bench
from baselines.metrics import for_task
from baselines.provenance import code_version, packages
from baselines.runner import Scored
from baselines.tasks import TASKS

RESULT_SCHEMA = "newsbench.result/1"
BOOTSTRAP_SCHEME = "two-level: documents with replacement, then units within each drawn document"


@dataclass(frozen=True)
class Context:
    """What every result of one run shares."""

    bench: Bench
    seed: int
    resamples: int
    code_version: str
    packages: dict[str, str]

    @classmethod
    def of(cls, bench: Bench, seed: int, resamples: int) -> "Context":
        return cls(bench, seed, resamples, code_version(), packages())


def compare_to_best(scored: list[Scored], weights) -> dict[str, Comparison | None]:
    """Paired bootstrap of each system against the best on the task's primary value."""
    if not scored:
        return {}
    task = TASKS[scored[0].task]
    metric_name, key = task.primary
    aggregate = next(m.aggregate for m in for_task(task.name) if m.name == metric_name)
    best = max(scored, key=lambda s: (s.values[metric_name][key], s.system["id"]))
    return {s.system["id"]: None if s is best else
            paired(s.stats[metric_name], best.stats[metric_name], weights, aggregate, key) for s in scored}


def to_json(s: Scored, ctx: Context, comparison: Comparison | None, best: str) -> dict:
    task = TASKS[s.task]
    definitions = {m.name: m.definition for m in for_task(s.task)}
    return {
        "schema": RESULT_SCHEMA,
        "task": s.task,
        "system": s.system,
        "dataset": {"source": ctx.bench.source, "split": ctx.bench.split,
                    "version": ctx.bench.version, "fingerprint": ctx.bench.fingerprint},
        "seed": ctx.seed,
        "bootstrap": {"resamples": ctx.resamples, "confidence": CONFIDENCE, "scheme": BOOTSTRAP_SCHEME},
        "fold_protocol": s.folds.to_dict() if s.folds else None,
        "primary": {"metric": task.primary[0], "value": task.primary[1]},
        "metrics": {
            name: {"definition": definitions[name], "values": vals,
                   "ci": {k: [iv.low, iv.high] for k, iv in s.ci[name].items()}}
            for name, vals in s.values.items()
        },
        "comparison_to_best": None if comparison is None else {
            "best": best, "difference": comparison.difference, "ci": [comparison.low, comparison.high],
            "p_value": comparison.p_value, "significant": comparison.significant,
        },
        "code_version": ctx.code_version,
        "packages": ctx.packages,
        "wall_seconds": round(s.seconds, 3),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def file_stem(system_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", system_id)


def write(out: Path, ctx: Context, task_results: dict[str, list[Scored]],
          comparisons: dict[str, dict[str, Comparison | None]]) -> Path:
    """Write every result file and the leaderboard; returns the run's folder."""
    root = out / ctx.bench.version
    for task_name, scored in task_results.items():
        folder = root / task_name
        folder.mkdir(parents=True, exist_ok=True)
        best = next((sid for sid, c in comparisons[task_name].items() if c is None), "")
        for s in scored:
            stem = file_stem(s.system["id"])
            doc = to_json(s, ctx, comparisons[task_name][s.system["id"]], best)
            (folder / f"{stem}.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
            s.predictions.to_parquet(folder / f"{stem}.parquet", index=False)
    (root / "LEADERBOARD.md").write_text(leaderboard(ctx, task_results, comparisons), encoding="utf-8")
    return root


def p_text(p: float, resamples: int) -> str:
    """A bootstrap p of 0 only says p is below the resolution of the resamples (2/B two-sided)."""
    return f"p<{2 / resamples:.3g}" if p == 0 else f"p={p:.3f}"


def _cell(value: float, iv) -> str:
    return f"{value:.3f} [{iv.low:.3f}, {iv.high:.3f}]"


def task_table(scored: list[Scored], comparisons: dict[str, Comparison | None],
               resamples: int) -> tuple[list[str], list[list[str]]]:
    """Header and rows for one task: headline values with intervals, and the test against the best."""
    task = TASKS[scored[0].task]
    columns = [(m.name, k) for m in for_task(task.name) for k in m.headline
               if any(m.name in s.values and k in s.values[m.name] for s in scored)]
    header = ["system"] + [f"{m}/{k}" for m, k in columns] + [f"vs best on {'/'.join(task.primary)}"]
    metric_name, key = task.primary
    rows = []
    for s in sorted(scored, key=lambda s: (-s.values[metric_name][key], s.system["id"])):
        cells = [s.system["id"]]
        for m, k in columns:
            cells.append(_cell(s.values[m][k], s.ci[m][k]) if m in s.values and k in s.values[m] else "n/a")
        c = comparisons[s.system["id"]]
        cells.append("best" if c is None else
                     f"{c.difference:+.3f} [{c.low:+.3f}, {c.high:+.3f}] {p_text(c.p_value, resamples)}"
                     + (" (significant)" if c.significant else " (not significant)"))
        rows.append(cells)
    return header, rows


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"


def leaderboard(ctx: Context, task_results: dict[str, list[Scored]],
                comparisons: dict[str, dict[str, Comparison | None]]) -> str:
    b = ctx.bench
    parts = [f"# Leaderboard: dataset {b.version} (fingerprint `{b.fingerprint}`), split `{b.split}`\n",
             f"Values with {int(CONFIDENCE * 100)}% bootstrap intervals ({ctx.resamples} resamples, "
             f"{BOOTSTRAP_SCHEME}; seed {ctx.seed}). \"vs best\" is a paired bootstrap on the same "
             f"resamples: a difference whose interval contains 0 is not significant, so those systems "
             f"are not ranked apart. Code {ctx.code_version}.\n"]
    for task_name, scored in task_results.items():
        if scored:
            header, rows = task_table(scored, comparisons[task_name], ctx.resamples)
            parts.append(f"## {task_name}\n\n" + markdown_table(header, rows))
    return "\n".join(parts)
