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
import sys
from dataclasses import dataclass
from pathlib import Path

from labels.cli import UserError, run
from labels.text import doc_id_of
from labels.userfiles import read_bytes
from corpus import manifest
from corpus.atomic import write_file
from corpus.documents import page_path
from corpus.ingest import MAX_PAGE_BYTES, PageError, read_page, reread_page
from corpus.lock import corpus_lock
from corpus.manifest import Entry
from corpus.sources import DEFAULT, Sources
from corpus.splits import SPLITS, assign_split


def near_key(text: str) -> str:
    """What is left when whitespace is ignored: copies differing only in spaces, NBSPs or blank
    lines get different ids but the same key, and must not land in different splits."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _near_keys(sources: Sources, known: dict[str, Entry]) -> dict[str, Entry]:
    keys = {}
    for entry in known.values():
        try:
            raw = page_path(sources, entry).read_bytes()
            keys[near_key(reread_page(raw, entry.format, entry.encoding, entry.renderer).text)] = entry
        except (OSError, UserError, PageError):
            continue  # a missing or broken stored page is corpus.build's to report
    return keys


@dataclass(frozen=True)
class Planned:
    path: Path
    raw: bytes
    entry: Entry
    warning: str | None = None


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
         provenance: dict[str, dict] | None = None) -> list[Planned]:
    """What adding these files would do; raises UserError for unreadable, unfit or duplicate pages."""
    known = {e.doc_id: e for e in manifest.read(sources.manifest)}
    by_sha = {e.source_sha256: e for e in known.values()}
    near = _near_keys(sources, known)
    planned: list[Planned] = []
    for path in files:
        raw = read_bytes(path, "page", MAX_PAGE_BYTES)
        try:
            name = path.name.encode("utf-8").decode("utf-8")
        except UnicodeEncodeError:
            raise UserError(f"{path}: the file name is not UTF-8; rename the file") from None
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
        twin, warning = near.get(near_key(page.text)), None
        chosen = split_for(publisher, doc_id, split, known, path)
        if twin is not None:
            if chosen != twin.split and split is None and not any(
                    e.publisher == publisher for e in known.values() if publisher is not None):
                chosen = twin.split  # a new publisher's near-copy follows its original
            warning = (f"warning: {path}: near-duplicate of document {twin.doc_id} (differs only in whitespace); "
                       + (f"it goes to that page's split, {chosen}" if chosen == twin.split else
                          f"it goes to {chosen} while that page is in {twin.split}: the two straddle splits"))
        entry = manifest.from_dict(dict(
            doc_id=doc_id, source_file=name, source_sha256=sha,
            publisher=publisher, url=meta.get("url", url), language=meta.get("lang", language),
            license=meta.get("licence", license), split=chosen,
            format=page.format, compression="gzip" if page.compressed else None,
            encoding=page.encoding, renderer=page.renderer,
            pages_path=_pages_path(path, sources.pages_dir),
            date=meta.get("date"), license_evidence=meta.get("evidence"),
        ), f"{path}")
        known[doc_id] = by_sha[sha] = near[near_key(page.text)] = entry
        planned.append(Planned(path, raw, entry, warning))
    return planned


def commit(planned: list[Planned], sources: Sources) -> None:
    """Store the pages, then the manifest that lists them (the commit point); on any failure the
    pages stored so far are removed again."""
    stored: list[Path] = []
    try:
        for p in planned:
            target = sources.raw_dir / p.entry.raw_name
            if not p.entry.external and not target.exists():
                write_file(target, p.raw)
                stored.append(target)
        manifest.write(sources.manifest, manifest.read(sources.manifest) + [p.entry for p in planned])
    except BaseException:
        for target in stored:
            target.unlink(missing_ok=True)
        raise


def add(files: list[Path], sources: Sources = DEFAULT, *, warn=None, **provenance) -> list[Entry]:
    """Plan (read, decode, check) every file, then commit them together, all under the corpus lock."""
    with corpus_lock(sources.lock_file):
        planned = plan(files, sources, **provenance)
        commit(planned, sources)
    for p in planned:
        if p.warning:
            (warn or (lambda line: print(line, file=sys.stderr)))(p.warning)
    return [p.entry for p in planned]


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
