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

import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from baselines import leaderboard
from baselines.bootstrap import CONFIDENCE
from baselines.conditions import task_for
from baselines.data import Bench
from baselines.leaderboard import Table
from baselines.metrics import for_task
from baselines.protocol import PROTOCOLS
from baselines.provenance import code_version, packages
from baselines.runner import Scored
from baselines.significance import ALPHA, MIN_DOCUMENTS, Verdict
from corpus.atomic import replace_set

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
    task = task_for(s.task, s.condition)
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


def result_files(prefix: str, ctx: Context, tables: list[Table]) -> dict[str, bytes | str]:
    """One JSON result and one Parquet predictions file per system, task and condition."""
    files: dict[str, bytes | str] = {}
    for t in tables:
        for s in t.scored:
            stem = f"{prefix}{t.task}/{t.condition}/{file_stem(s.system['id'])}"
            files[f"{stem}.json"] = json.dumps(to_json(s, ctx, t), indent=1) + "\n"
            buffer = io.BytesIO()
            s.predictions.to_parquet(buffer, index=False)
            files[f"{stem}.parquet"] = buffer.getvalue()
    return files


def board_files(board: dict, json_name: str, md_name: str, title: str) -> dict[str, str]:
    return {json_name: json.dumps(board, indent=1) + "\n", md_name: leaderboard.markdown(board, title=title)}


def write(out: Path, ctx: Context, tables: list[Table], optional: list[Table], run_label: str | None) -> Path:
    """Write every result file and the leaderboard(s) as one set (corpus.atomic.replace_set): a
    failure or kill never leaves a new leaderboard.json beside an old LEADERBOARD.md. Returns the
    main leaderboard's Markdown file.

    `run_label` None marks the canonical run; any other run goes below runs/<label>/.
    """
    root = out / ctx.bench.version
    if ctx.bench.build == "full":  # the full build's boards live apart from the bundled dataset's
        root = root / "full"
    if run_label is not None:
        root = root / "runs" / file_stem(run_label)
    files = result_files("", ctx, tables) | board_files(
        leaderboard.snapshot(ctx, tables), leaderboard.JSON_NAME, "LEADERBOARD.md",
        "Leaderboard" if run_label is None else f"Run {run_label} (not the canonical leaderboard)")
    if any(t.scored for t in optional):
        files |= result_files("optional/", ctx, optional) | board_files(
            leaderboard.snapshot(ctx, optional, with_versions=True), leaderboard.OPTIONAL_JSON_NAME,
            "LEADERBOARD.optional.md", "Optional systems (not on the canonical leaderboard)")
    replace_set(root, files)
    return root / "LEADERBOARD.md"
