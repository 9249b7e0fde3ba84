"""`python -m corpus.remove DOC_ID...`: take documents out cleanly, the opposite of corpus.add.

Removes each document's manifest entry, its stored copy in corpus/raw (a page kept in
the pages folder is left there: it is not the project's) and every label file of it:
gold, drafts and annotation passes. Unknown ids are refused before anything changes.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from labels.cli import UserError, run
from corpus import manifest
from corpus.lock import corpus_lock
from corpus.manifest import Entry
from corpus.sources import DEFAULT, Sources


def label_files(sources: Sources, doc_id: str) -> list[Path]:
    """Every label file of one document: gold, drafts beside it, and each annotation pass."""
    roots = [sources.gold_dir, sources.gold_dir.parent / "drafts"]
    if sources.passes_dir is not None and sources.passes_dir.is_dir():
        roots += sorted(p for p in sources.passes_dir.iterdir() if p.is_dir())
    return [root / f"{doc_id}.json" for root in roots if (root / f"{doc_id}.json").is_file()]


def remove(doc_ids: list[str], sources: Sources = DEFAULT) -> list[tuple[Entry, list[Path]]]:
    """Under the corpus lock (corpus.lock), like every corpus mutation."""
    with corpus_lock(sources.lock_file):
        return _remove(doc_ids, sources)


def _remove(doc_ids: list[str], sources: Sources) -> list[tuple[Entry, list[Path]]]:
    entries = manifest.read(sources.manifest)
    known = {e.doc_id: e for e in entries}
    missing = [d for d in doc_ids if d not in known]
    if missing:
        raise UserError(f"{sources.manifest}: no document {missing[0]} in the corpus; nothing was removed")
    gone = set(doc_ids)
    manifest.write(sources.manifest, [e for e in entries if e.doc_id not in gone])
    removed = []
    for doc_id in dict.fromkeys(doc_ids):
        entry = known[doc_id]
        files = label_files(sources, doc_id)
        if not entry.external:
            files.append(sources.raw_dir / entry.raw_name)
        for path in files:
            path.unlink(missing_ok=True)
        removed.append((entry, files))
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.remove", description=__doc__.splitlines()[0])
    parser.add_argument("doc_ids", nargs="+", help="content ids of the documents to remove")
    args = parser.parse_args(argv)
    for entry, files in remove(args.doc_ids):
        print(f"removed {entry.doc_id} ({entry.source_file}): manifest entry"
              + "".join(f", {p.parent.name}/{p.name}" for p in files))
    print("next: bump corpus/VERSION, add a CHANGELOG.md entry, then python -m corpus.build")
    return 0


if __name__ == "__main__":
    run(main)
