"""`python -m corpus.show DOC_ID`: a document's lines as annotators and error analysis need them.

One line per unit: number, start and end offsets into the document text, the
XPath of an HTML page's block element, and the text. With --text, the document
text exactly as stored (what every offset points into).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from labels.cli import UserError, run
from labels.text import units
from corpus import manifest
from corpus.documents import read_document
from corpus.sources import DEFAULT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.show", description=__doc__.splitlines()[0])
    parser.add_argument("doc_id", help="the document's content id (see corpus/raw/manifest.jsonl)")
    parser.add_argument("--text", action="store_true", help="print the document text as stored, nothing else")
    parser.add_argument("--pages", type=Path, help="pages folder (default: ../shared/corpus/pages beside the project)")
    args = parser.parse_args(argv)
    entries = {e.doc_id: e for e in manifest.read(DEFAULT.manifest)}
    if args.doc_id not in entries:
        raise UserError(f"{DEFAULT.manifest}: no document {args.doc_id}")
    entry = entries[args.doc_id]
    doc = read_document(DEFAULT.full(pages_dir=args.pages), entry)
    if args.text:
        print(doc.text, end="")
        return 0
    for u in units(doc.text):
        xpath = f"\t{doc.xpaths[u.line]}" if doc.xpaths else ""
        print(f"{u.line}\t{u.start}\t{u.end}{xpath}\t{u.text}")
    return 0


if __name__ == "__main__":
    run(main)
