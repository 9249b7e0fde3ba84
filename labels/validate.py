"""`python -m labels.validate [FILE...]`: check gold files against their documents and the scheme.

Every problem is printed as `file: record: field: message`; exit 1 if there is any.
With no FILE, every gold file and every document of the corpus is checked,
so a label file without a document and a document without labels are both caught.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from labels import model, rules
from labels.cli import UserError, run
from labels.model import GoldDocument
from labels.problems import InvalidLabels, Problem


def check_file(path: Path, texts: dict[str, str]) -> tuple[GoldDocument | None, list[Problem]]:
    """Parse and check one gold file; texts maps doc_id to the normalised document."""
    doc, problems = model.load(path)
    if doc is None:
        return None, problems
    if doc.doc_id != path.stem:
        problems.append(Problem(str(path), "document", "doc_id",
                                f"{doc.doc_id!r} does not match the file name {path.name!r}"))
    text = texts.get(doc.doc_id)
    if text is None:
        problems.append(Problem(str(path), "document", "doc_id",
                                f"no document {doc.doc_id} in the corpus manifest"))
        return doc, problems
    return doc, problems + rules.check(text, doc, str(path))


def gold_for(text: str, path: Path, doc_id: str) -> GoldDocument:
    """The checked gold labels of one document, or InvalidLabels with every problem."""
    if not path.exists():
        raise InvalidLabels([Problem(str(path), doc_id, "labels", "document has no gold label file")])
    doc, problems = check_file(path, {doc_id: text})
    if problems or doc is None:
        raise InvalidLabels(problems)
    return doc


def validate(files: list[Path] | None, sources=None) -> list[Problem]:
    from corpus.documents import iter_documents
    from corpus.sources import DEFAULT

    sources = sources or DEFAULT
    texts = {d.doc_id: d.text for d in iter_documents(sources)}
    targets = files if files else sorted(sources.gold_dir.glob("*.json"))
    problems: list[Problem] = []
    for path in targets:
        problems += check_file(path, texts)[1]
    if not files:
        labelled = {p.stem for p in targets}
        for doc_id in sorted(set(texts) - labelled):
            problems.append(Problem(str(sources.gold_dir / f"{doc_id}.json"), doc_id, "labels",
                                    "document has no gold label file"))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labels.validate", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="gold files (default: all, plus coverage of the corpus)")
    args = parser.parse_args(argv)
    missing = [p for p in args.files if not p.is_file()]
    if missing:
        raise UserError(f"{missing[0]}: no such file")
    problems = validate(args.files)
    if problems:
        raise InvalidLabels(problems)
    print(f"ok: {len(args.files) or 'all'} gold file(s) valid")
    return 0


if __name__ == "__main__":
    run(main)
