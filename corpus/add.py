"""`python -m corpus.add FILE...`: ingest raw pages with a stable id, provenance and split.

Everything is checked before anything is written, so a refused batch changes nothing; the
write happens under the corpus lock, so two runs at once cannot both add the same page.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from labels.cli import UserError, run
from labels.text import NotPlainText, doc_id_of, normalise
from labels.userfiles import read_bytes
from corpus import manifest
from corpus.atomic import write_file
from corpus.documents import MAX_PAGE_BYTES
from corpus.lock import corpus_lock
from corpus.manifest import Entry
from corpus.sources import DEFAULT, Sources
from corpus.splits import SPLITS, assign_split


def decode_page(raw: bytes) -> str:
    """The page's text as every offset will point into it; NotPlainText says why it is not one."""
    return normalise(raw)


def near_key(text: str) -> str:
    """What is left when whitespace is ignored: copies differing only in spaces, NBSPs or blank
    lines get different ids but the same key, and must not land in different splits."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Planned:
    path: Path
    raw: bytes
    entry: Entry
    warning: str | None = None


def _near_keys(sources: Sources, known: dict[str, Entry]) -> dict[str, Entry]:
    keys = {}
    for entry in known.values():
        try:
            keys[near_key(decode_page((sources.raw_dir / entry.raw_name).read_bytes()))] = entry
        except (OSError, NotPlainText):
            continue  # a broken stored page is corpus.build's to report
    return keys


def plan(files: list[Path], sources: Sources, *, publisher: str | None, url: str | None,
         language: str, license: str, split: str | None) -> list[Planned]:
    """What adding these files would do; raises UserError for unreadable or duplicate pages."""
    known = {e.doc_id: e for e in manifest.read(sources.manifest)}
    near = _near_keys(sources, known)
    planned: list[Planned] = []
    for path in files:
        raw = read_bytes(path, "page", MAX_PAGE_BYTES)
        try:
            name = path.name.encode("utf-8").decode("utf-8")
        except UnicodeEncodeError:
            raise UserError(f"{path}: the file name is not UTF-8; rename the file") from None
        try:
            text = decode_page(raw)
        except NotPlainText as err:
            raise UserError(f"{path}: {err}") from None
        if not text.strip():
            raise UserError(f"{path}: the page is empty")
        doc_id = doc_id_of(text)
        if doc_id in known:
            raise UserError(f"{path}: duplicate of document {doc_id} (added from "
                            f"{known[doc_id].source_file}); nothing was added")
        twin, warning = near.get(near_key(text)), None
        chosen = split or (twin.split if twin else assign_split(doc_id))
        if twin:
            warning = (f"warning: {path}: near-duplicate of document {twin.doc_id} (differs only in whitespace); "
                       + (f"it goes to that page's split, {chosen}" if chosen == twin.split else
                          f"it goes to {chosen} while that page is in {twin.split}: the two straddle splits"))
        entry = manifest.from_dict(dict(
            doc_id=doc_id, source_file=name, source_sha256=hashlib.sha256(raw).hexdigest(),
            publisher=publisher, url=url, language=language, license=license, split=chosen,
        ), f"{path}")
        known[doc_id] = near[near_key(text)] = entry
        planned.append(Planned(path, raw, entry, warning))
    return planned


def commit(planned: list[Planned], sources: Sources) -> None:
    """Store the pages, then the manifest that lists them (the commit point); on any failure the
    pages stored so far are removed again."""
    stored: list[Path] = []
    try:
        for p in planned:
            target = sources.raw_dir / p.entry.raw_name
            if not target.exists():
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
