"""Documents as the rest of the project sees them: manifest entry plus normalised text."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterator

from labels.cli import UserError
from labels.text import NotPlainText, doc_id_of, normalise
from labels.userfiles import MIB, read_bytes
from corpus import manifest
from corpus.manifest import Entry
from corpus.sources import Sources
from corpus.splits import SPLITS

MAX_PAGE_BYTES = 64 * MIB


@dataclass(frozen=True)
class Document:
    entry: Entry
    text: str

    @property
    def doc_id(self) -> str:
        return self.entry.doc_id


def read_document(sources: Sources, entry: Entry) -> Document:
    """Load one stored page and prove it is the page the manifest names."""
    path = sources.raw_dir / entry.raw_name
    raw = read_bytes(path, f"document listed in {sources.manifest}", MAX_PAGE_BYTES)
    if hashlib.sha256(raw).hexdigest() != entry.source_sha256:
        raise UserError(f"{path}: bytes differ from the manifest's source_sha256 for {entry.doc_id}")
    try:
        text = normalise(raw)
    except NotPlainText as err:
        raise UserError(f"{path}: {err}") from None
    if doc_id_of(text) != entry.doc_id:
        raise UserError(f"{path}: content id {doc_id_of(text)} does not match the manifest's {entry.doc_id}")
    return Document(entry, text)


def iter_documents(sources: Sources) -> Iterator[Document]:
    """Stream documents in build order (split, then doc_id), whatever the manifest's line order.

    Only (split, doc_id, byte offset) is kept per document to sort; each entry is re-read
    when its turn comes, so memory stays small as the corpus grows.
    """
    order = sorted((SPLITS.index(e.split), e.doc_id, offset) for offset, e in manifest.iter_entries(sources.manifest))
    for _, _, offset in order:
        yield read_document(sources, manifest.entry_at(sources.manifest, offset))
