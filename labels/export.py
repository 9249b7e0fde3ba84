"""`python -m labels.export --to {label-studio,brat} OUT [DOC_ID...]`: hand pages to an annotation tool.

Writes OUT/tasks.json (one task per document: its text and lines, and its draft, or else its
current label file, as a prediction the annotator corrects) and OUT/config.xml (the labeling
config for all three tasks). Create a project with the config, import the tasks, annotate, export
the project as JSON and bring it back with `python -m labels.import`.
With `--to brat`, OUT gets <doc_id>.txt and a standoff <doc_id>.ann of its entity mentions
(brat counts offsets in code points, as the project does), for viewing or entity work in brat.
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


def labels_of(sources, doc_id: str, text: str) -> model.GoldDocument | None:
    """The labels an annotator starts from: the draft if there is one, else the label file."""
    for path in (drafts_dir(sources) / f"{doc_id}.json", sources.gold_dir / f"{doc_id}.json"):
        if path.exists():
            doc, problems = model.load(path, {doc_id: text}.get)
            if problems or doc is None:
                raise InvalidLabels(problems)
            return doc
    return None


def documents(sources, doc_ids: list[str] | None) -> dict[str, str]:
    """doc_id -> text of the wanted documents (default: all), in the order asked."""
    from corpus.documents import iter_documents

    docs = {d.doc_id: d.text for d in iter_documents(sources)}
    wanted = doc_ids or sorted(docs)
    unknown = [d for d in wanted if d not in docs]
    if unknown:
        raise UserError(f"{unknown[0]}: no such document in {sources.manifest}")
    return {d: docs[d] for d in wanted}


def tasks(sources, doc_ids: list[str] | None) -> list[dict]:
    return [studio.task(d, text, labels_of(sources, d, text)) for d, text in documents(sources, doc_ids).items()]


def brat_ann(doc: model.GoldDocument | None) -> str:
    """brat standoff lines for the entity mentions: `T<n>\tTYPE start end\tsurface`."""
    mentions = doc.entities if doc else ()
    return "".join(f"T{i}\t{e.type} {e.start} {e.end}\t{e.text}\n" for i, e in enumerate(mentions, 1))


def brat_files(sources, doc_ids: list[str] | None) -> dict[str, str]:
    out = {}
    for d, text in documents(sources, doc_ids).items():
        out[f"{d}.txt"], out[f"{d}.ann"] = text, brat_ann(labels_of(sources, d, text))
    return out


def write(out: Path, files: dict[str, str]) -> None:
    """All files or none: each is written beside its name, then all are renamed into place."""
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (out / f".{name}.tmp").write_text(content, encoding="utf-8")
    for name in files:
        os.replace(out / f".{name}.tmp", out / name)


def main(argv: list[str] | None = None) -> int:
    from corpus.sources import DEFAULT

    parser = argparse.ArgumentParser(prog="python -m labels.export", description=__doc__.splitlines()[0])
    parser.add_argument("--to", required=True, choices=["label-studio", "brat"], help="annotation tool")
    parser.add_argument("out", type=Path, help="folder for tasks.json and config.xml (or brat's .txt and .ann)")
    parser.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="documents (default: all)")
    args = parser.parse_args(argv)
    if args.to == "brat":
        files = brat_files(DEFAULT.at_hand(), args.doc_ids)
        write(args.out, files)
        print(f"wrote {len(files) // 2} document(s) as brat standoff (.txt, .ann) to {args.out}")
        return 0
    made = tasks(DEFAULT.at_hand(), args.doc_ids)
    write(args.out, {"tasks.json": json.dumps(made, ensure_ascii=False, indent=1) + "\n",
                     "config.xml": studio.config()})
    with_labels = sum(1 for t in made if "predictions" in t)
    print(f"wrote {args.out / 'tasks.json'} ({len(made)} task(s), {with_labels} with labels to start from) "
          f"and {args.out / 'config.xml'}")
    return 0


if __name__ == "__main__":
    run(main)
