"""`python -m labels.export --to label-studio OUT [DOC_ID...]`: hand pages to Label Studio.

Writes OUT/tasks.json (one task per document: its text and lines, and its draft, or else its
current label file, as a prediction the annotator corrects) and OUT/config.xml (the labeling
config for all three tasks). Create a project with the config, import the tasks, annotate, export
the project as JSON and bring it back with `python -m labels.import`.
"""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from labels import model, studio
from labels.cli import UserError, run
from labels.draft import drafts_dir
from labels.problems import InvalidLabels


def labels_of(sources, doc_id: str) -> model.GoldDocument | None:
    """The labels an annotator starts from: the draft if there is one, else the label file."""
    for path in (drafts_dir(sources) / f"{doc_id}.json", sources.gold_dir / f"{doc_id}.json"):
        if path.exists():
            doc, problems = model.load(path)
            if problems or doc is None:
                raise InvalidLabels(problems)
            return doc
    return None


def tasks(sources, doc_ids: list[str] | None) -> list[dict]:
    from corpus.documents import iter_documents

    docs = {d.doc_id: d.text for d in iter_documents(sources)}
    wanted = doc_ids or sorted(docs)
    unknown = [d for d in wanted if d not in docs]
    if unknown:
        raise UserError(f"{unknown[0]}: no such document in {sources.manifest}")
    return [studio.task(d, docs[d], labels_of(sources, d)) for d in wanted]


def write(out: Path, made: list[dict]) -> None:
    """Both files or neither: each is written beside its name and renamed into place."""
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    files = {"tasks.json": json.dumps(made, ensure_ascii=False, indent=1) + "\n", "config.xml": studio.config()}
    for name, content in files.items():
        (out / f".{name}.tmp").write_text(content, encoding="utf-8")
    for name in files:
        os.replace(out / f".{name}.tmp", out / name)


def main(argv: list[str] | None = None) -> int:
    from corpus.sources import DEFAULT

    parser = argparse.ArgumentParser(prog="python -m labels.export", description=__doc__.splitlines()[0])
    parser.add_argument("--to", required=True, choices=["label-studio"], help="annotation tool")
    parser.add_argument("out", type=Path, help="folder for tasks.json and config.xml")
    parser.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="documents (default: all)")
    args = parser.parse_args(argv)
    made = tasks(DEFAULT, args.doc_ids)
    write(args.out, made)
    with_labels = sum(1 for t in made if "predictions" in t)
    print(f"wrote {args.out / 'tasks.json'} ({len(made)} task(s), {with_labels} with labels to start from) "
          f"and {args.out / 'config.xml'}")
    return 0


if __name__ == "__main__":
    run(main)
