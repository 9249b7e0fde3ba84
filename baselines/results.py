"""Result files and the leaderboard: every number with its interval and what produced it.

Layout: results/<dataset-version>/<task>/<system>.json (+ .parquet predictions),
results/<dataset-version>/leaderboard.json and LEADERBOARD.md (deterministic: committed,
and read by the dataset card).
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from baselines import leaderboard
from baselines.bootstrap import CONFIDENCE, Comparison, paired
from baselines.data import Bench
from baselines.metrics import for_task
from baselines.provenance import code_version, packages
from baselines.runner import Scored
from baselines.tasks import TASKS
from corpus.atomic import replace_set

RESULT_SCHEMA = "newsbench.result/1"


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


def ranking(scored: list[Scored]) -> list[Scored]:
    """Oracles (upper bounds) first, then by the task's primary value, ties by system id."""
    metric_name, key = TASKS[scored[0].task].primary if scored else ("", "")
    return sorted(scored, key=lambda s: (not s.system["sees_gold"], -s.values[metric_name][key], s.system["id"]))


def compare_to_best(scored: list[Scored], weights) -> tuple[str | None, dict[str, Comparison]]:
    """The best system that does not see gold, and a paired bootstrap of every other such
    system against it on the task's primary value. Oracles are upper bounds, not competitors."""
    competitors = [s for s in ranking(scored) if not s.system["sees_gold"]]
    if not competitors:
        return None, {}
    task = TASKS[competitors[0].task]
    metric_name, key = task.primary
    aggregate = next(m.aggregate for m in for_task(task.name) if m.name == metric_name)
    best = competitors[0]
    return best.system["id"], {
        s.system["id"]: paired(s.stats[metric_name], best.stats[metric_name], weights, aggregate, key)
        for s in competitors[1:]}


def to_json(s: Scored, ctx: Context, comparison: Comparison | None, best: str | None) -> dict:
    task = TASKS[s.task]
    definitions = {m.name: m.definition for m in for_task(s.task)}
    return {
        "schema": RESULT_SCHEMA,
        "task": s.task,
        "system": s.system,
        "dataset": {"source": ctx.bench.source, "split": ctx.bench.split,
                    "version": ctx.bench.version, "fingerprint": ctx.bench.fingerprint},
        "seed": ctx.seed,
        "bootstrap": {"resamples": ctx.resamples, "confidence": CONFIDENCE, "scheme": leaderboard.BOOTSTRAP_SCHEME},
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
          comparisons: dict[str, tuple[str | None, dict[str, Comparison]]], complete: bool) -> Path:
    """Write every result file and the leaderboard; returns the leaderboard's Markdown file.

    Only a complete run (every task, every registered system) writes the leaderboard the
    dataset card shows; a partial run writes LEADERBOARD.partial.md beside it instead, so a
    quick check of one system never replaces the full table.
    """
    root = out / ctx.bench.version
    files: dict[str, bytes | str] = {}
    for task_name, scored in task_results.items():
        best, against = comparisons[task_name]
        for s in scored:
            stem = file_stem(s.system["id"])
            doc = to_json(s, ctx, against.get(s.system["id"]), best)
            files[f"{task_name}/{stem}.json"] = json.dumps(doc, indent=1) + "\n"
            buffer = io.BytesIO()
            s.predictions.to_parquet(buffer, index=False)
            files[f"{task_name}/{stem}.parquet"] = buffer.getvalue()
    board = leaderboard.snapshot(ctx, task_results, comparisons)
    json_name, md_name = leaderboard.JSON_NAME, "LEADERBOARD.md"
    if not complete:
        json_name, md_name = json_name.replace(".json", ".partial.json"), md_name.replace(".md", ".partial.md")
    files[json_name] = json.dumps(board, indent=1) + "\n"
    files[md_name] = leaderboard.markdown(board)
    replace_set(root, files)  # all or nothing: never a new leaderboard.json beside an old LEADERBOARD.md
    return root / md_name
