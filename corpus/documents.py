"""Documents as the rest of the project sees them: manifest entry plus normalised text."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterator

from labels.cli import UserError
from labels.text import doc_id_of, normalise
from corpus import manifest
from corpus.manifest import Entry
from corpus.sources import Sources


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
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UserError(f"{path}: cannot read the document listed in {sources.manifest}: {err.strerror}") from None
    if hashlib.sha256(raw).hexdigest() != entry.source_sha256:
        raise UserError(f"{path}: bytes differ from the manifest's source_sha256 for {entry.doc_id}")
    text = normalise(raw)
    if doc_id_of(text) != entry.doc_id:
        raise UserError(f"{path}: content id {doc_id_of(text)} does not match the manifest's {entry.doc_id}")
    return Document(entry, text)


def entries(sources: Sources) -> list[Entry]:
    """Manifest entries in build order: by split, then doc_id, independent of insertion order."""
    return sorted(manifest.read(sources.manifest), key=lambda e: (e.split, e.doc_id))


def iter_documents(sources: Sources) -> Iterator[Document]:
    """Stream documents one at a time, so memory does not grow with the corpus."""
    for entry in entries(sources):
        yield read_document(sources, entry)
