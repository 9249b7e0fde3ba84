"""What a build saw: row counts, label counts and an example row per config, gathered while streaming."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from labels import scheme
from corpus.batches import RowRange
from corpus.rows import Rows, count

ATTRIBUTION_ROWS = 1000  # pages listed one by one in the card; past this the documents config lists them


@dataclass(frozen=True)
class Tally:
    """What one document adds to the counts of a Summary, counted from its columns where they were
    built (a worker of a pool), so that the main process only adds counters."""

    rows: dict[str, int]                # config -> rows (configs with rows only)
    attribution: tuple                  # (doc_id, publisher, date, url, licence) per documents row
    roles: Counter
    types: Counter
    conll_types: Counter
    stance: Counter                     # (level, label) -> instances
    origins: Counter                    # (level, origin) -> instances


def tally(rows: Rows) -> Tally:
    """The counts of one document's rows (corpus.rows columns: ClassLabel ids turned back into names)."""
    docs, stance = rows["documents"], rows["stance"]
    levels = [scheme.LEVELS[x] for x in stance["level"]]
    return Tally(
        rows={config: n for config, columns in rows.items() if (n := count(columns))},
        attribution=tuple(zip(docs["doc_id"], [p or "unknown" for p in docs["publisher"]], docs["date"], docs["url"],
                              docs["license"])),
        roles=Counter(map(scheme.ROLES.__getitem__, rows["boilerplate"]["role"])),
        types=Counter(map(scheme.ENTITY_TYPES.__getitem__, rows["entities"]["type"])),
        conll_types=Counter(scheme.CONLL_TYPES[c] for c in rows["entities"]["conll_type"] if c is not None),
        stance=Counter(zip(levels, map(scheme.STANCE_LABELS.__getitem__, stance["label"]))),
        origins=Counter(zip(levels, map(scheme.TARGET_ORIGINS.__getitem__, stance["target_origin"]))),
    )


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
    attribution: list = field(default_factory=list)         # (doc_id, publisher, date, url, licence) per document,
                                                            # while there are at most ATTRIBUTION_ROWS documents
    watched: frozenset = frozenset()                        # documents with independent passes (corpus.card)
    passed: set = field(default_factory=set)                # ... of them, those this build has
    drafted: list = field(default_factory=list)             # doc_ids whose labels began as a system's draft
    people: set = field(default_factory=set)                # who annotated, reviewed or adjudicated
    _current: tuple = ("unknown", "unknown")                # (publisher, status) of the document being observed

    def begin(self, publisher: str | None, status: str, history) -> None:
        """The document whose rows come next: its publisher, status and who labelled it."""
        self._current = (publisher or "unknown", status)
        self.people |= {step.by for step in history if step.action != "drafted"}

    def observe(self, split: str, tally: Tally, rows: dict[str, RowRange]) -> None:
        """One document's counts and rows (the document named by the last begin)."""
        for config, n in tally.rows.items():
            self.rows[(config, split)] += n
            self.by_publisher[(self._current[0], split, config)] += n
            self.by_status[(self._current[1], config)] += n
            if config not in self.examples:
                self.examples[config] = rows[config].first()
        self.documents[split] += len(tally.attribution)
        self.publishers.update((publisher, licence) for _, publisher, _, _, licence in tally.attribution)
        if sum(self.documents.values()) <= ATTRIBUTION_ROWS:
            self.attribution += tally.attribution
        else:  # memory stays flat however many pages: each documents row carries its attribution
            self.attribution.clear()
        self.passed.update(doc_id for doc_id, *_ in tally.attribution if doc_id in self.watched)
        self.roles.update(tally.roles)
        self.types.update(tally.types)
        self.conll_types.update(tally.conll_types)
        self.stance.update(tally.stance)
        self.origins.update(tally.origins)

    @property
    def splits(self) -> list[str]:
        return sorted(self.documents)
