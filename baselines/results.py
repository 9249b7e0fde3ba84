"""Result files and the leaderboard: every number with its interval and what produced it.

Layout under results/<dataset-version>/:
- the canonical run (the default protocol: split test, seed 0, default resamples, every
  task, the built-in systems): <task>/<condition>/<system>.json (+ .parquet predictions),
  leaderboard.json and LEADERBOARD.md (deterministic: committed, and read by the dataset
  card); optional systems found installed (a spaCy pipeline, a plugin) go to
  optional/<task>/<condition>/ and leaderboard.optional.json / LEADERBOARD.optional.md,
  so what else is installed never changes the canonical board;
- any other run (another split, seed, resample count, dataset, or a chosen set of tasks or
  systems): runs/<label>/ with the same layout, so it never overwrites the canonical board.
Every result file follows baselines/result.schema.json.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from baselines import leaderboard
from baselines.bootstrap import CONFIDENCE
from baselines.data import Bench
from baselines.leaderboard import Table
from baselines.metrics import for_task
from baselines.protocol import PROTOCOLS
from baselines.provenance import code_version, packages
from baselines.runner import Scored
from baselines.significance import ALPHA, MIN_DOCUMENTS, Verdict
from baselines.tasks import TASKS

RESULT_SCHEMA = "newsbench.result/2"
SCHEMA_FILE = Path(__file__).with_name("result.schema.json")


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


def to_json(s: Scored, ctx: Context, table: Table) -> dict:
    task = TASKS[s.task]
    definitions = {m.name: m.definition for m in for_task(s.task)}
    verdict: Verdict | None = table.verdicts.get(s.system["id"])
    return {
        "schema": RESULT_SCHEMA,
        "task": s.task,
        "condition": s.condition,
        "protocol": PROTOCOLS[s.task].to_dict(),
        "system": s.system,
        "dataset": {"source": ctx.bench.source, "split": ctx.bench.split,
                    "version": ctx.bench.version, "fingerprint": ctx.bench.fingerprint},
        "documents": table.n_documents,
        "seed": ctx.seed,
        "bootstrap": {"resamples": ctx.resamples, "confidence": CONFIDENCE, "scheme": leaderboard.BOOTSTRAP_SCHEME},
        "training": s.training.to_dict() if s.training else None,
        "primary": {"metric": task.primary[0], "value": task.primary[1]},
        "metrics": {
            name: {"definition": definitions[name], "values": vals,
                   "ci": {k: [iv.low, iv.high] for k, iv in s.ci[name].items()},
                   "macro_over_documents": s.macro.get(name, {}),
                   "by_publisher": {p: v[name] for p, v in s.publishers.items() if name in v}}
            for name, vals in s.values.items()
        },
        "comparison_to_best": None if verdict is None else {
            "best": table.best, "difference": verdict.comparison.difference,
            "ci": [verdict.comparison.low, verdict.comparison.high], "p_value": verdict.comparison.p_value,
            "p_holm": verdict.p_holm, "significant": verdict.significant, "verdict": verdict.label,
            "min_documents": MIN_DOCUMENTS, "alpha": ALPHA,
        },
        "code_version": ctx.code_version,
        "packages": ctx.packages,
        "wall_seconds": round(s.seconds, 3),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def file_stem(system_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", system_id)


def write_results(root: Path, ctx: Context, tables: list[Table]) -> None:
    """One JSON result and one Parquet predictions file per system, task and condition."""
    for t in tables:
        folder = root / t.task / t.condition
        folder.mkdir(parents=True, exist_ok=True)
        for s in t.scored:
            stem = file_stem(s.system["id"])
            (folder / f"{stem}.json").write_text(json.dumps(to_json(s, ctx, t), indent=1) + "\n", encoding="utf-8")
            s.predictions.to_parquet(folder / f"{stem}.parquet", index=False)


def write_board(root: Path, board: dict, json_name: str, md_name: str, title: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / json_name).write_text(json.dumps(board, indent=1) + "\n", encoding="utf-8")
    (root / md_name).write_text(leaderboard.markdown(board, title=title), encoding="utf-8")
    return root / md_name


def write(out: Path, ctx: Context, tables: list[Table], optional: list[Table], run_label: str | None) -> Path:
    """Write every result file and the leaderboard(s); returns the main leaderboard's Markdown file.

    `run_label` None marks the canonical run; any other run goes below runs/<label>/.
    """
    root = out / ctx.bench.version
    if run_label is not None:
        root = root / "runs" / file_stem(run_label)
    write_results(root, ctx, tables)
    board = write_board(root, leaderboard.snapshot(ctx, tables), leaderboard.JSON_NAME, "LEADERBOARD.md",
                        "Leaderboard" if run_label is None else f"Run {run_label} (not the canonical leaderboard)")
    if any(t.scored for t in optional):
        write_results(root / "optional", ctx, optional)
        write_board(root, leaderboard.snapshot(ctx, optional, with_versions=True), leaderboard.OPTIONAL_JSON_NAME,
                    "LEADERBOARD.optional.md", "Optional systems (not on the canonical leaderboard)")
    return board
