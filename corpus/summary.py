"""What a build saw: row counts, label counts and an example row per config, gathered while streaming."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from labels import scheme


@dataclass
class Summary:
    version: str = ""
    fingerprint: str = ""
    rows: Counter = field(default_factory=Counter)          # (config, split) -> rows
    documents: Counter = field(default_factory=Counter)     # split -> documents
    roles: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    conll_types: Counter = field(default_factory=Counter)
    stance: Counter = field(default_factory=Counter)        # (level, label) -> instances
    origins: Counter = field(default_factory=Counter)       # (level, origin) -> instances
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)
    publishers: Counter = field(default_factory=Counter)    # (publisher, license) -> documents
    statuses: Counter = field(default_factory=Counter)      # label status (or "unlabelled") -> documents
    withheld: list = field(default_factory=list)            # labels.validate.Withheld, in build order
    # per publisher and per status: (publisher, split, config) -> rows; (status, config) -> rows
    by_publisher: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)
    attribution: list = field(default_factory=list)         # (doc_id, publisher, date, url, licence) per document
    drafted: list = field(default_factory=list)             # doc_ids whose labels began as a system's draft
    people: set = field(default_factory=set)                # who annotated, reviewed or adjudicated
    _current: tuple = ("unknown", "unknown")                # (publisher, status) of the document being observed

    def begin(self, publisher: str | None, status: str, history) -> None:
        """The document whose rows come next: its publisher, status and who labelled it."""
        self._current = (publisher or "unknown", status)
        self.people |= {step.by for step in history if step.action != "drafted"}

    def observe(self, config: str, split: str, rows: list[dict[str, Any]]) -> None:
        """One document's rows of one config (the document named by the last begin)."""
        if not rows:
            return
        n = len(rows)
        self.rows[(config, split)] += n
        self.by_publisher[(self._current[0], split, config)] += n
        self.by_status[(self._current[1], config)] += n
        self.examples.setdefault(config, rows[0])
        if config == "documents":
            for row in rows:
                self.documents[split] += 1
                self.publishers[(row["publisher"] or "unknown", row["license"])] += 1
                self.attribution.append((row["doc_id"], row["publisher"] or "unknown", row["date"], row["url"],
                                         row["license"]))
        elif config == "boilerplate":
            self.roles.update(scheme.ROLES[row["role"]] for row in rows)
        elif config == "entities":
            self.types.update(scheme.ENTITY_TYPES[row["type"]] for row in rows)
            self.conll_types.update(scheme.CONLL_TYPES[row["conll_type"]] for row in rows
                                    if row["conll_type"] is not None)
        elif config == "stance":
            for row in rows:
                level = scheme.LEVELS[row["level"]]
                self.stance[(level, scheme.STANCE_LABELS[row["label"]])] += 1
                self.origins[(level, scheme.TARGET_ORIGINS[row["target_origin"]])] += 1

    @property
    def splits(self) -> list[str]:
        return sorted(self.documents)
