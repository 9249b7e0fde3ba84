"""What a build saw: row counts, label counts and an example row per config, gathered while streaming."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from labels import scheme
from corpus.rows import count, row


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

    def observe(self, config: str, split: str, columns: dict[str, list[Any]]) -> None:
        """One document's rows of one config, as columns (the document named by the last begin)."""
        n = count(columns)
        if not n:
            return
        self.rows[(config, split)] += n
        self.by_publisher[(self._current[0], split, config)] += n
        self.by_status[(self._current[1], config)] += n
        if config not in self.examples:
            self.examples[config] = row(columns, 0)
        if config == "documents":
            self.documents[split] += n
            publishers = [p or "unknown" for p in columns["publisher"]]
            self.publishers.update(zip(publishers, columns["license"]))
            self.attribution += zip(columns["doc_id"], publishers, columns["date"], columns["url"], columns["license"])
        elif config == "boilerplate":
            self.roles.update(map(scheme.ROLES.__getitem__, columns["role"]))
        elif config == "entities":
            self.types.update(map(scheme.ENTITY_TYPES.__getitem__, columns["type"]))
            self.conll_types.update(scheme.CONLL_TYPES[c] for c in columns["conll_type"] if c is not None)
        elif config == "stance":
            levels = [scheme.LEVELS[x] for x in columns["level"]]
            self.stance.update(zip(levels, map(scheme.STANCE_LABELS.__getitem__, columns["label"])))
            self.origins.update(zip(levels, map(scheme.TARGET_ORIGINS.__getitem__, columns["target_origin"])))

    @property
    def splits(self) -> list[str]:
        return sorted(self.documents)
