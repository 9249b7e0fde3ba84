"""`python -m corpus.add FILE...`: ingest raw pages (plain text or HTML) with a stable id, provenance and split.

A page inside the pages folder (kept outside the repository for its licence) is
recorded by reference: its path there and its sha256, never its bytes. Every other
page is copied into corpus/raw byte for byte. Everything is checked before anything
is written, so a refused batch changes nothing.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from labels.cli import UserError, run
from labels.text import doc_id_of
from corpus import manifest
from corpus.ingest import MAX_PAGE_BYTES, PageError, read_page
from corpus.manifest import Entry
from corpus.sources import DEFAULT, Sources
from corpus.splits import SPLITS, assign_split


def _read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_PAGE_BYTES + 1)
    except OSError as err:
        raise UserError(f"{path}: cannot read: {err.strerror}") from None
    if len(raw) > MAX_PAGE_BYTES:
        raise UserError(f"{path}: larger than {MAX_PAGE_BYTES // 2**20} MiB: not a news page")
    return raw


def _pages_path(path: Path, pages_dir: Path | None) -> str | None:
    """The page's path inside the pages folder, or None when it lies elsewhere."""
    if pages_dir is None or not pages_dir.is_dir():
        return None
    try:
        return path.resolve().relative_to(pages_dir.resolve()).as_posix()
    except ValueError:
        return None


def load_provenance(path: Path) -> dict[str, dict]:
    """Per-file provenance from a sources list: a JSON array of objects with `file` and any of
    url, date, lang, licence, evidence (the shape of the development corpus's sources.json)."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UserError(f"{path}: cannot read the provenance list: {err}") from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get("file"), str) for r in rows):
        raise UserError(f"{path}: expected a JSON array of objects, each with a \"file\" name")
    return {r["file"]: r for r in rows}


def split_for(publisher: str | None, doc_id: str, requested: str | None, known: dict[str, Entry],
              where: Path) -> str:
    """Splits are grouped by publisher: a publisher's pages all share one split."""
    held = {e.split for e in known.values() if publisher is not None and e.publisher == publisher}
    if held:
        split = min(held, key=SPLITS.index)
        if requested and requested != split:
            raise UserError(f"{where}: publisher {publisher!r} is in the {split} split; a publisher's "
                            f"pages never straddle two splits (drop --split or use --split {split})")
        return split
    if requested:
        return requested
    # A new publisher's split comes from a hash of its name; a page without one is its own publisher.
    return assign_split(hashlib.sha256(publisher.encode()).hexdigest() if publisher else doc_id)


def plan(files: list[Path], sources: Sources, *, publisher: str | None, url: str | None,
         language: str, license: str, split: str | None,
         provenance: dict[str, dict] | None = None) -> list[tuple[Path, bytes, Entry]]:
    """What adding these files would do; raises UserError for unreadable, unfit or duplicate pages."""
    known = {e.doc_id: e for e in manifest.read(sources.manifest)}
    by_sha = {e.source_sha256: e for e in known.values()}
    planned: list[tuple[Path, bytes, Entry]] = []
    for path in files:
        raw = _read_bytes(path)
        try:
            page = read_page(raw)
        except PageError as err:
            raise UserError(f"{path}: {err}; nothing was added") from None
        doc_id = doc_id_of(page.text)
        sha = hashlib.sha256(raw).hexdigest()
        twin = known.get(doc_id) or by_sha.get(sha)
        if twin is not None:
            raise UserError(f"{path}: duplicate of document {twin.doc_id} (added from "
                            f"{twin.source_file}); nothing was added")
        meta = (provenance or {}).get(path.name, {})
        if provenance is not None and not meta:
            raise UserError(f"{path}: not listed in the provenance list; nothing was added")
        if meta.get("sha256") not in (None, sha):
            raise UserError(f"{path}: sha256 {sha} differs from the provenance list's {meta['sha256']}")
        entry = Entry(
            doc_id=doc_id, source_file=path.name, source_sha256=sha,
            publisher=publisher, url=meta.get("url", url), language=meta.get("lang", language),
            license=meta.get("licence", license),
            split=split_for(publisher, doc_id, split, known, path),
            format=page.format, compression="gzip" if page.compressed else None,
            encoding=page.encoding, renderer=page.renderer,
            pages_path=_pages_path(path, sources.pages_dir),
            date=meta.get("date"), license_evidence=meta.get("evidence"),
        )
        known[doc_id] = by_sha[sha] = entry
        planned.append((path, raw, entry))
    return planned


def add(files: list[Path], sources: Sources = DEFAULT, **provenance) -> list[Entry]:
    planned = plan(files, sources, **provenance)
    sources.raw_dir.mkdir(parents=True, exist_ok=True)
    for _, raw, entry in planned:
        if not entry.external:
            (sources.raw_dir / entry.raw_name).write_bytes(raw)
    manifest.write(sources.manifest, manifest.read(sources.manifest) + [e for _, _, e in planned])
    return [e for _, _, e in planned]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.add", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="raw page files: plain text (UTF-8) or HTML (any "
                                                            "encoding, optionally gzip-compressed)")
    parser.add_argument("--publisher", help="who published the pages (pages of one publisher share a split)")
    parser.add_argument("--url", help="where the page was published, if known")
    parser.add_argument("--language", default="en", help="BCP-47 language code (default: en)")
    parser.add_argument("--license", default="unknown",
                        help="licence note for redistribution (default: unknown)")
    parser.add_argument("--provenance", type=Path,
                        help="JSON list of {file, url, date, lang, licence, evidence, sha256} per page, "
                             "overriding --url/--language/--license")
    parser.add_argument("--pages", type=Path, default=DEFAULT.pages_dir,
                        help="pages folder: pages inside it are recorded by reference, not copied "
                             "(default: ../shared/corpus/pages beside the project)")
    parser.add_argument("--split", choices=SPLITS,
                        help="split for a new publisher (default: from a hash of the publisher)")
    args = parser.parse_args(argv)
    sources = DEFAULT if args.pages == DEFAULT.pages_dir else DEFAULT.full(pages_dir=args.pages)
    added = add(args.files, sources, publisher=args.publisher, url=args.url, language=args.language,
                license=args.license, split=args.split,
                provenance=load_provenance(args.provenance) if args.provenance else None)
    for e in added:
        where = f"by reference to {e.pages_path}" if e.external else f"as {e.raw_name}"
        print(f"added {e.doc_id} ({e.split}, {e.format}) {where}")
    print("next: python -m labels.draft DOC_ID (or write labels/gold/<doc_id>.json), "
          "python -m labels.validate, then python -m corpus.build")
    return 0


if __name__ == "__main__":
    run(main)
