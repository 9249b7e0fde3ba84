"""`python -m corpus.add FILE...`: ingest raw pages with a stable id, provenance and split.

Everything is checked before anything is written, so a refused batch changes nothing.
"""
from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from labels.cli import UserError, run
from labels.text import doc_id_of, normalise
from corpus import manifest
from corpus.manifest import Entry
from corpus.sources import DEFAULT, Sources
from corpus.splits import SPLITS, assign_split


def plan(files: list[Path], sources: Sources, *, publisher: str | None, url: str | None,
         language: str, license: str, split: str | None) -> list[tuple[Path, bytes, Entry]]:
    """What adding these files would do; raises UserError for unreadable or duplicate pages."""
    known = {e.doc_id: e for e in manifest.read(sources.manifest)}
    planned: list[tuple[Path, bytes, Entry]] = []
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise UserError(f"{path}: cannot read: {err.strerror}") from None
        try:
            text = normalise(raw)
        except UnicodeDecodeError as err:
            raise UserError(f"{path}: not UTF-8 (byte {err.start}): convert it to UTF-8 first") from None
        if not text.strip():
            raise UserError(f"{path}: the page is empty")
        doc_id = doc_id_of(text)
        if doc_id in known:
            raise UserError(f"{path}: duplicate of document {doc_id} (added from "
                            f"{known[doc_id].source_file}); nothing was added")
        entry = Entry(
            doc_id=doc_id, source_file=path.name, source_sha256=hashlib.sha256(raw).hexdigest(),
            publisher=publisher, url=url, language=language, license=license,
            split=split or assign_split(doc_id),
        )
        known[doc_id] = entry
        planned.append((path, raw, entry))
    return planned


def add(files: list[Path], sources: Sources = DEFAULT, **provenance) -> list[Entry]:
    planned = plan(files, sources, **provenance)
    sources.raw_dir.mkdir(parents=True, exist_ok=True)
    for _, raw, entry in planned:
        (sources.raw_dir / entry.raw_name).write_bytes(raw)
    manifest.write(sources.manifest, manifest.read(sources.manifest) + [e for _, _, e in planned])
    return [e for _, _, e in planned]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.add", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="raw page files (UTF-8 text)")
    parser.add_argument("--publisher", help="who published the page, if known")
    parser.add_argument("--url", help="where the page was published, if known")
    parser.add_argument("--language", default="en", help="BCP-47 language code (default: en)")
    parser.add_argument("--license", default="unknown",
                        help="licence note for redistribution (default: unknown)")
    parser.add_argument("--split", choices=SPLITS,
                        help="override the deterministic split assigned from the content id")
    args = parser.parse_args(argv)
    added = add(args.files, publisher=args.publisher, url=args.url, language=args.language,
                license=args.license, split=args.split)
    for e in added:
        print(f"added {e.doc_id} ({e.split}) from {e.source_file}")
    print("next: write labels/gold/<doc_id>.json, run python -m labels.validate, then python -m corpus.build")
    return 0


if __name__ == "__main__":
    run(main)
