"""Which systems a table may rank, and which differences it may call significant.

Units of one page are not independent (they share an author, a topic, a template), so
the unit of resampling that a test can trust is the document. With fewer than
MIN_DOCUMENTS documents a paired test is "not testable": the percentile bootstrap of a
mean over n documents covers far less than its nominal 95% when n is small (for normal
per-document scores: 0.50 at 2 documents, 0.73 at 3, 0.84 at 5, 0.89 at 10, 0.92 at 20;
`python benchmarks/bootstrap_coverage.py`), and one document cannot be resampled at all.
Ten is where the shortfall stops growing fast; below it a p-value would mostly measure
the noise of a handful of pages. The intervals themselves are still shown.

Within one table (a task under one condition) every comparison with the best is
corrected together by Holm's step-down method, so the table's family-wise error rate
stays at ALPHA however many systems it lists.
"""
from __future__ import annotations

from dataclasses import dataclass

from baselines.bootstrap import Comparison, Resamples, paired
from baselines.conditions import task_for
from baselines.metrics import for_task
from baselines.runner import Scored

MIN_DOCUMENTS = 10
ALPHA = 0.05


def holm(p_values: dict[str, float]) -> dict[str, float]:
    """Holm-adjusted p-values: the i-th smallest of m is multiplied by (m - i), made monotone, capped at 1."""
    order = sorted(p_values, key=lambda k: (p_values[k], k))
    m, running, out = len(order), 0.0, {}
    for i, key in enumerate(order):
        running = max(running, min(1.0, (m - i) * p_values[key]))
        out[key] = running
    return out


def not_testable_reason(n_documents: int) -> str | None:
    if n_documents >= MIN_DOCUMENTS:
        return None
    many = "one document" if n_documents == 1 else f"{n_documents} documents"
    return f"{many}: not testable (needs {MIN_DOCUMENTS})"


@dataclass(frozen=True)
class Verdict:
    """One system against the table's best on the primary value."""

    comparison: Comparison
    p_holm: float | None             # None when not testable
    label: str                       # "significant", "not significant" or "<n> documents: not testable ..."

    @property
    def significant(self) -> bool:
        return self.p_holm is not None and self.p_holm < ALPHA


def ranking(scored: list[Scored]) -> list[Scored]:
    """Oracles (upper bounds) first, then by the task's primary value, ties by system id."""
    metric_name, key = task_for(scored[0].task, scored[0].condition).primary if scored else ("", "")
    return sorted(scored, key=lambda s: (not s.system["sees_gold"], -s.values[metric_name][key], s.system["id"]))


def rankable(s: Scored) -> bool:
    """An oracle is an upper bound and a system tuned on the scored split is optimistic: neither is 'best'."""
    return not s.system["sees_gold"] and s.system["tuned_on"] != "test"


def compare_to_best(scored: list[Scored], resamples: Resamples,
                    others: list[Scored] = ()) -> tuple[str | None, dict[str, Verdict]]:
    """The best rankable system, and a paired bootstrap of every other non-oracle system (and of
    `others`, e.g. optional systems shown in their own table) against it, Holm-corrected together."""
    ranked = ranking(scored)
    best = next((s for s in ranked if rankable(s)), None)
    if best is None:
        return None, {}
    metric_name, key = task_for(best.task, best.condition).primary
    metric = next(m for m in for_task(best.task) if m.name == metric_name)
    rivals = [s for s in [*ranked, *others] if s is not best and not s.system["sees_gold"]]
    comparisons = {s.system["id"]: paired(s.stats[metric_name], best.stats[metric_name], resamples,
                                          metric.aggregate, key, metric.aggregate_many) for s in rivals}
    reason = not_testable_reason(resamples.n_documents)
    if reason:
        return best.system["id"], {k: Verdict(c, None, reason) for k, c in comparisons.items()}
    adjusted = holm({k: c.p_value for k, c in comparisons.items()})
    return best.system["id"], {
        k: Verdict(c, adjusted[k], "significant" if adjusted[k] < ALPHA else "not significant")
        for k, c in comparisons.items()}
