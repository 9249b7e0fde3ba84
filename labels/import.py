"""`python -m labels.import --from label-studio EXPORT.json`: annotations back into label files.

Each task's latest submitted annotation becomes labels/gold/<doc_id>.json with status `annotated`
(or `reviewed` with --reviewed-by, when a second person checked it in Label Studio), the annotator
recorded in its history. The task's text must be the document's; every region is re-checked
against it, and the file against every rule of the scheme. A region that does not fit is refused
with the task, the region and the reason, and then nothing is written.
(The module is named for the command; from Python, use importlib: `import` is a keyword.)
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from labels import model, rules, studio
from labels.cli import UserError, run
from labels.model import GoldDocument
from labels.problems import InvalidLabels, Problem
from labels.status import Step


def _annotation(task: dict[str, Any]) -> dict[str, Any] | None:
    """The latest submitted (not cancelled) annotation of a task."""
    done = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    return max(done, key=lambda a: (str(a.get("updated_at") or ""), a.get("id") or 0), default=None)


def _annotator(annotation: dict[str, Any], users: dict[str, str]) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return users.get(str(who), f"label-studio user {who}")


def read_export(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"{path}: cannot read: {err}") from None
    except (json.JSONDecodeError, RecursionError) as err:
        raise UserError(f"{path}: not a Label Studio JSON export ({getattr(err, 'msg', 'nested too deeply')})") from None
    if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
        raise UserError(f"{path}: not a Label Studio JSON export (expected a list of tasks)")
    return data


def convert(export: Path, texts: dict[str, str], users: dict[str, str],
            reviewer: str | None) -> tuple[list[GoldDocument], list[str]]:
    """Label files from an export, and one note per task left without an annotation."""
    docs, notes, problems = [], [], []
    for i, task in enumerate(read_export(export)):
        tid = f"task {task.get('id', i)}"
        data = task.get("data") if isinstance(task.get("data"), dict) else {}
        doc_id = data.get("doc_id")
        if doc_id not in texts:
            problems.append(Problem(str(export), tid, "data.doc_id", f"{doc_id!r} is not a document of the corpus"))
            continue
        if data.get("text") != texts[doc_id]:
            problems.append(Problem(str(export), tid, "data.text", f"differs from the text of document {doc_id}: "
                                                                  "export the task again from this corpus"))
            continue
        annotation = _annotation(task)
        if annotation is None:
            notes.append(f"{tid} ({doc_id}): no submitted annotation, skipped")
            continue
        annotator = _annotator(annotation, users)
        if reviewer is not None and reviewer == annotator:
            raise UserError(f"--reviewed-by {reviewer}: the reviewer must be someone other than the annotator")
        history = (Step("annotated", annotator),) + ((Step("reviewed", reviewer),) if reviewer else ())
        try:
            doc = studio.from_results(texts[doc_id], doc_id, annotation.get("result") or [], history,
                                      "reviewed" if reviewer else "annotated")
        except studio.Refused as err:
            problems.append(Problem(str(export), tid, f"region {err.region}", err.reason))
            continue
        problems += rules.check(texts[doc_id], doc, f"{export}: {tid} ({doc_id})")
        docs.append(doc)
    if problems:
        raise InvalidLabels(problems)
    return docs, notes


def main(argv: list[str] | None = None) -> int:
    from corpus.documents import iter_documents
    from corpus.sources import DEFAULT

    parser = argparse.ArgumentParser(prog="python -m labels.import", description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", required=True, choices=["label-studio"], help="annotation tool")
    parser.add_argument("export", type=Path, help="the project's JSON export")
    parser.add_argument("--user", action="append", default=[], metavar="ID=NAME",
                        help="name to record for a Label Studio user id (repeatable)")
    parser.add_argument("--reviewed-by", metavar="NAME",
                        help="the second person who checked and corrected the annotations: status reviewed")
    parser.add_argument("--replace", action="store_true", help="overwrite existing label files")
    args = parser.parse_args(argv)
    if not args.export.is_file():
        raise UserError(f"{args.export}: no such file")
    users = dict(u.split("=", 1) for u in args.user if "=" in u)
    if len(users) != len(args.user):
        raise UserError(f"--user {next(u for u in args.user if '=' not in u)}: expected ID=NAME")
    texts = {d.doc_id: d.text for d in iter_documents(DEFAULT.at_hand())}
    docs, notes = convert(args.export, texts, users, args.reviewed_by)
    targets = [DEFAULT.gold_dir / f"{d.doc_id}.json" for d in docs]
    existing = [p for p in targets if p.exists()]
    if existing and not args.replace:
        raise UserError(f"{existing[0]}: exists; pass --replace to overwrite it")
    DEFAULT.gold_dir.mkdir(parents=True, exist_ok=True)
    outside = DEFAULT.outside()
    for doc, path in zip(docs, targets):
        model.write(path, doc, redact=doc.doc_id in outside)
        print(f"wrote {path} (status {doc.status}; {len(doc.lines)} lines, {len(doc.entities)} entities, "
              f"{len(doc.stance)} stance instances)")
    for note in notes:
        print(f"info: {note}")
    return 0


if __name__ == "__main__":
    run(main)
