"""The leaderboard as a deterministic snapshot (JSON) and its Markdown rendering.

The snapshot holds only what the same seed reproduces (no times, no code hash),
so it can be committed and rendered into the dataset card by the build.
"""
from __future__ import annotations

from typing import Any

from baselines.bootstrap import CONFIDENCE

JSON_NAME = "leaderboard.json"
BOOTSTRAP_SCHEME = "two-level: documents with replacement, then units within each drawn document"


def snapshot(ctx, task_results: dict, comparisons: dict) -> dict[str, Any]:
    """Headline values with intervals and the paired test against the best, per task and system."""
    from baselines.metrics import for_task
    from baselines.results import ranking
    from baselines.tasks import TASKS

    b = ctx.bench
    tasks = {}
    for task_name, scored in task_results.items():
        if not scored:
            continue
        task = TASKS[task_name]
        columns = [f"{m.name}/{k}" for m in for_task(task_name) for k in m.headline
                   if any(m.name in s.values and k in s.values[m.name] for s in scored)]
        metric_name, key = task.primary
        best, against = comparisons[task_name]
        systems = []
        for s in ranking(scored):
            values = {}
            for col in columns:
                m, _, k = col.rpartition("/")
                if m in s.values and k in s.values[m]:
                    iv = s.ci[m][k]
                    values[col] = [s.values[m][k], iv.low, iv.high]
            c = against.get(s.system["id"])
            role = "upper bound" if s.system["sees_gold"] else "best" if s.system["id"] == best else "compared"
            systems.append({"id": s.system["id"], "role": role, "values": values, "vs_best": None if c is None else {
                "difference": c.difference, "ci": [c.low, c.high], "p_value": c.p_value,
                "significant": c.significant}})
        tasks[task_name] = {"primary": f"{metric_name}/{key}", "columns": columns, "systems": systems}
    return {"dataset": {"version": b.version, "fingerprint": b.fingerprint, "split": b.split},
            "seed": ctx.seed, "resamples": ctx.resamples, "confidence": CONFIDENCE,
            "bootstrap": BOOTSTRAP_SCHEME, "tasks": tasks}


def p_text(p: float, resamples: int) -> str:
    """A bootstrap p of 0 only says p is below the resolution of the resamples (2/B two-sided)."""
    return f"p<{2 / resamples:.3g}" if p == 0 else f"p={p:.3f}"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"


def task_markdown(board: dict[str, Any], task_name: str) -> str:
    t = board["tasks"][task_name]
    header = ["system", *t["columns"], f"vs best on {t['primary']}"]
    rows = []
    for s in t["systems"]:
        cells = [s["id"]]
        for col in t["columns"]:
            v = s["values"].get(col)
            cells.append(f"{v[0]:.3f} [{v[1]:.3f}, {v[2]:.3f}]" if v else "n/a")
        c = s["vs_best"]
        cells.append("upper bound (gold answers)" if s["role"] == "upper bound" else "best" if c is None else
                     f"{c['difference']:+.3f} [{c['ci'][0]:+.3f}, {c['ci'][1]:+.3f}] "
                     f"{p_text(c['p_value'], board['resamples'])} "
                     + ("(significant)" if c["significant"] else "(not significant)"))
        rows.append(cells)
    return markdown_table(header, rows)


def explanation(board: dict[str, Any]) -> str:
    return (f"Values with {int(board['confidence'] * 100)}% bootstrap intervals ({board['resamples']} "
            f"resamples, {board['bootstrap']}; seed {board['seed']}). \"vs best\" is a paired bootstrap "
            "on the same resamples: where the difference's interval contains 0 the systems are not "
            "significantly different and should not be ranked apart.\n")


def markdown(board: dict[str, Any], level: int = 1) -> str:
    d = board["dataset"]
    h = "#" * level
    parts = [f"{h} Leaderboard: dataset {d['version']} (fingerprint `{d['fingerprint']}`), split `{d['split']}`\n",
             explanation(board)]
    parts += [f"{h}# {name}\n\n" + task_markdown(board, name) for name in board["tasks"]]
    return "\n".join(parts)
