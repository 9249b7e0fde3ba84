"""Documents as the rest of the project sees them: manifest entry plus the text offsets point into."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from labels.cli import UserError
from labels.text import doc_id_of
from labels.userfiles import read_bytes
from corpus import manifest
from corpus.ingest import MAX_PAGE_BYTES, Page, PageError, reread_page
from corpus.manifest import Entry
from corpus.sources import Sources
from corpus.splits import SPLITS


@dataclass(frozen=True)
class Document:
    entry: Entry
    text: str
    xpaths: tuple[str, ...] = ()     # per line of text, for HTML pages
    html: str | None = None          # the decoded markup of an HTML page, for systems that read it

    @property
    def doc_id(self) -> str:
        return self.entry.doc_id


def page_path(sources: Sources, entry: Entry) -> Path:
    """Where the stored page is: corpus/raw for the repository's pages, the pages folder otherwise."""
    if not entry.external:
        return sources.raw_dir / entry.raw_name
    if sources.pages_dir is None or not sources.pages_dir.is_dir():
        raise UserError(f"{sources.manifest}: document {entry.doc_id} is kept in a pages folder "
                        f"({entry.pages_path}), and no pages folder was found at "
                        f"{sources.pages_dir}: pass --pages DIR")
    return sources.pages_dir / entry.pages_path


def read_document(sources: Sources, entry: Entry) -> Document:
    """Load one stored page and prove it is the page the manifest names, read the way it was read."""
    path = page_path(sources, entry)
    raw = read_bytes(path, f"document listed in {sources.manifest}", MAX_PAGE_BYTES)
    if hashlib.sha256(raw).hexdigest() != entry.source_sha256:
        raise UserError(f"{path}: bytes differ from the manifest's source_sha256 for {entry.doc_id}")
    try:
        page: Page = reread_page(raw, entry.format, entry.encoding, entry.renderer)
    except PageError as err:
        raise UserError(f"{path}: {entry.doc_id}: {err}") from None
    if doc_id_of(page.text) != entry.doc_id:
        raise UserError(f"{path}: content id {doc_id_of(page.text)} does not match the manifest's {entry.doc_id}"
                        + (f" (the {entry.renderer} rendering changed: the parser library's output moved)"
                           if entry.format == "html" else ""))
    return Document(entry, page.text, page.xpaths, page.html)


def build_order(sources: Sources) -> list[int]:
    """Manifest byte offsets of the documents in build order (split, then doc_id), whatever the
    manifest's line order. Only (split, doc_id, offset) is kept per document to sort; each entry
    is re-read when its turn comes, so memory stays small as the corpus grows. Pages kept outside
    the repository are included only in a full build (sources.external)."""
    order = sorted((SPLITS.index(e.split), e.doc_id, offset) for offset, e in manifest.iter_entries(sources.manifest)
                   if sources.external or not e.external)
    return [offset for _, _, offset in order]


def document_at(sources: Sources, offset: int) -> Document:
    """The document of the manifest entry at a byte offset (from build_order)."""
    return read_document(sources, manifest.entry_at(sources.manifest, offset))


def iter_documents(sources: Sources) -> Iterator[Document]:
    """Stream documents in build order, one at a time."""
    for offset in build_order(sources):
        yield document_at(sources, offset)
