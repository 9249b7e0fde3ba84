"""The evaluation protocol as data: per task, what a system may read, where it fits, where it may
be tuned, where it is scored, and under which conditions.

Declared once here and printed beside every number, so a score always says what it is.
"""
from __future__ import annotations

from dataclasses import dataclass

GOLD_UPSTREAM = "gold-upstream"
END_TO_END = "end-to-end"
TUNED_ON = ("none", "validation", "test")     # what a system's design or settings were chosen on


@dataclass(frozen=True)
class Condition:
    """What an upstream stage gives a system: the gold answer, or the system's own reading."""

    name: str
    description: str


@dataclass(frozen=True)
class Protocol:
    task: str
    reads: tuple[str, ...]                  # unit columns a system may read (plus each page's text)
    conditions: tuple[Condition, ...]
    fit_split: str = "train"
    tune_split: str = "validation"
    scored_split: str = "test"
    upstream: str | None = None             # boilerplate system an end-to-end system reads through

    def condition(self, name: str) -> Condition:
        found = [c for c in self.conditions if c.name == name]
        if not found:
            raise KeyError(f"task {self.task!r} has no condition {name!r}")
        return found[0]

    def to_dict(self) -> dict:
        return {"task": self.task, "reads": list(self.reads), "fit_split": self.fit_split,
                "tune_split": self.tune_split, "scored_split": self.scored_split, "upstream": self.upstream,
                "conditions": {c.name: c.description for c in self.conditions}}


_LINES = ("doc_id", "line", "start", "end", "text")

PROTOCOLS: dict[str, Protocol] = {p.task: p for p in (
    Protocol("boilerplate", _LINES, (
        Condition(END_TO_END, "every non-empty line of the page; boilerplate removal is the first stage, "
                              "so nothing upstream is given"),)),
    Protocol("entities", _LINES + ("tokens", "token_starts", "token_ends"), (
        Condition(GOLD_UPSTREAM, "the gold content lines only (headline, subheadline, body)"),
        Condition(END_TO_END, "every line of the page, scored against every gold span of the page (gold of "
                              "scheme 2 covers the article only, so spans predicted on boilerplate lines are "
                              "spurious)"),
    )),
    Protocol("stance", ("doc_id", "id", "level", "target", "target_origin", "target_span", "holder",
                        "holder_span", "context"), (
        Condition(GOLD_UPSTREAM, "the article body from the gold content lines; source level: the gold "
                                 "holder and the holder's line"),
        Condition(END_TO_END, "the article body from the lines the upstream boilerplate system keeps; "
                              "source level: the page text and each distinct claim that some named holder "
                              "takes a position on, but no holder: the system finds the holders (character "
                              "spans) and labels them, scored as (claim, holder, label) records"),
    ), upstream="justext"),
)}
