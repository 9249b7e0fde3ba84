"""Review status of a label file: who did what, and which files are gold.

A file is `draft` (proposed by systems), `annotated` (one person's pass), `reviewed`
(a second person checked and corrected it) or `adjudicated` (two independent passes
and an adjudication). Only reviewed and adjudicated files enter the gold splits, so
labelled and unlabelled pages never mix silently.
"""
from __future__ import annotations

from dataclasses import dataclass

STATUSES: tuple[str, ...] = ("draft", "annotated", "reviewed", "adjudicated")
GOLD_STATUSES: frozenset[str] = frozenset({"reviewed", "adjudicated"})
# The steps a file's history records; a draft's steps are by systems, the rest by people.
ACTIONS: tuple[str, ...] = ("drafted", "annotated", "reviewed", "adjudicated")


@dataclass(frozen=True)
class Step:
    """One act in a label file's history."""

    action: str
    by: str

    def to_dict(self) -> dict[str, str]:
        return {"action": self.action, "by": self.by}


def is_gold(status: str | None) -> bool:
    return status in GOLD_STATUSES


def history_problems(status: str, history: tuple[Step, ...]) -> list[tuple[str, str]]:
    """(field, message) for a history that does not back its status up."""
    out: list[tuple[str, str]] = []
    if status not in STATUSES:
        return [("status", f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")]
    for i, step in enumerate(history):
        if step.action not in ACTIONS:
            out.append((f"history[{i}]", f"unknown action {step.action!r}; expected one of {', '.join(ACTIONS)}"))
        if not step.by.strip():
            out.append((f"history[{i}]", "by: empty; name who did it"))
    by = {a: [s.by for s in history if s.action == a] for a in ACTIONS}
    if status == "draft" and not by["drafted"]:
        out.append(("history", "a draft needs a 'drafted' step naming the systems"))
    if status != "draft" and not by["annotated"]:
        out.append(("history", f"status {status!r} needs an 'annotated' step naming the annotator"))
    if status == "reviewed":
        if not by["reviewed"]:
            out.append(("history", "status 'reviewed' needs a 'reviewed' step naming the reviewer"))
        elif set(by["reviewed"]) <= set(by["annotated"]):
            out.append(("history", "the reviewer must be someone other than the annotator"))
    if status == "adjudicated":
        if len(set(by["annotated"])) < 2:
            out.append(("history", "status 'adjudicated' needs 'annotated' steps by two different annotators"))
        if not by["adjudicated"]:
            out.append(("history", "status 'adjudicated' needs an 'adjudicated' step naming the adjudicator"))
    return out
