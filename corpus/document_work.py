"""One document's whole share of a build, as a pure function of (sources, manifest offset).

Reading and rendering the page, validating its gold, building its rows, hashing them into
its digest and counting its labels need nothing from any other document, so a build can run
this in this process, in a process pool or on a cluster and combine the results in build order.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from labels.problems import InvalidLabels, Problem
from labels.status import Step
from labels.validate import Withheld, gold_for
from corpus.batches import RowRange, share
from corpus.documents import document_at
from corpus.fingerprint import columns_digest
from corpus.rows import Rows, rows_for
from corpus.sources import Sources
from corpus.summary import Tally, tally


@dataclass(frozen=True)
class DocumentWork:
    """What one document adds to the build: its rows, digest and counts, or why it is left out. Only
    what the build needs of the gold crosses back from a worker (status, history), not the gold itself."""

    doc_id: str
    split: str
    publisher: str | None
    problems: tuple[Problem, ...] = ()       # its label file's problems: it is not built
    withheld: Withheld | None = None         # unlabelled or not yet reviewed: it is not built
    status: str = ""
    history: tuple[Step, ...] = ()
    rows: dict[str, RowRange] | None = None  # config -> its rows, a range of its chunk's Arrow batch
    digest: str = ""
    tally: Tally | None = None


def work_on(sources: Sources, offset: int) -> tuple[DocumentWork, Rows | None]:
    """The document's work, and its rows as columns (which work_on_chunk turns into Arrow)."""
    doc = document_at(sources, offset)
    e = doc.entry
    try:
        gold = gold_for(doc.text, sources.gold_dir / f"{doc.doc_id}.json", doc.doc_id,
                        frozenset({doc.doc_id}) if e.external else frozenset())
    except InvalidLabels as err:
        return DocumentWork(doc.doc_id, e.split, e.publisher, problems=tuple(err.problems)), None
    if isinstance(gold, Withheld):
        return DocumentWork(doc.doc_id, e.split, e.publisher, withheld=gold, status=gold.status), None
    rows = rows_for(doc, gold)
    return DocumentWork(doc.doc_id, e.split, e.publisher, status=gold.status, history=gold.history,
                        digest=columns_digest(doc.doc_id, e.split, rows), tally=tally(rows)), rows


def batched(done: list[tuple[DocumentWork, Rows | None]]) -> list[DocumentWork]:
    """A chunk's rows as one Arrow batch per config, each document a range of it, so a pool ships
    them back as buffers (whatever shards the documents came from)."""
    ranges = share([rows for _, rows in done])
    return [work if part is None else replace(work, rows=part) for (work, _), part in zip(done, ranges)]


def work_on_chunk(sources: Sources, offsets: list[int]) -> list[DocumentWork]:
    """Several documents per task, so a pool pays its per-task overhead once per chunk."""
    return batched([work_on(sources, offset) for offset in offsets])
