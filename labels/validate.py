"""`python -m labels.validate [FILE...]`: check label files against their documents and the scheme.

Every problem is printed as `file: record: field: message`; exit 1 if there is any.
With no FILE, every gold file and every document of the corpus is checked: a label
file without a document is an error; a document without labels, or with labels not
yet reviewed, is reported by name as information (the build leaves it out).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from dataclasses import dataclass

from labels import model, redaction, rules, status
from labels.cli import UserError, run
from labels.model import GoldDocument
from labels.problems import InvalidLabels, Problem


@dataclass(frozen=True)
class Withheld:
    """A document the build leaves out of every config, and why."""

    doc_id: str
    status: str          # the label file's status, or "unlabelled" when there is none

    def __str__(self) -> str:
        why = "no label file" if self.status == "unlabelled" else f"status {self.status!r}, not yet reviewed"
        return f"{self.doc_id} ({why})"


def check_file(path: Path, texts: dict[str, str],
               outside: frozenset[str] = frozenset()) -> tuple[GoldDocument | None, list[Problem]]:
    """Parse and check one label file; texts maps doc_id to the document text, outside names the
    documents whose pages the repository may not hold (their label files carry no surface text)."""
    data, problems = model.read(path)
    if problems:
        return None, problems
    doc, problems = model.from_data(data, path, texts.get)
    if doc is None:
        return None, problems
    if doc.doc_id in outside and not redaction.is_redacted(data):
        problems.append(Problem(str(path), "document", "-", "quotes the text of a page kept outside the "
                                "repository: commit it without surfaces (python -m labels.redact FILE)"))
    if doc.doc_id != path.stem:
        problems.append(Problem(str(path), "document", "doc_id",
                                f"{doc.doc_id!r} does not match the file name {path.name!r}"))
    text = texts.get(doc.doc_id)
    if text is None:
        problems.append(Problem(str(path), "document", "doc_id",
                                f"no document {doc.doc_id} in the corpus manifest"))
        return doc, problems
    return doc, problems + rules.check(text, doc, str(path))


def gold_for(text: str, path: Path, doc_id: str, outside: frozenset[str] = frozenset()) -> GoldDocument | Withheld:
    """The checked gold labels of one document; Withheld when it has none or they are not yet
    reviewed; InvalidLabels with every problem when its file breaks the scheme."""
    if not path.exists():
        return Withheld(doc_id, "unlabelled")
    doc, problems = check_file(path, {doc_id: text}, outside)
    if problems or doc is None:
        raise InvalidLabels(problems)
    return doc if status.is_gold(doc.status) else Withheld(doc_id, doc.status)


def validate(files: list[Path] | None, sources=None) -> list[Problem]:
    return _checked(files, *_corpus(sources))


def _checked(files, sources, texts, outside) -> list[Problem]:
    away = set(_away(sources, texts))
    targets = files if files else [p for p in sorted(sources.gold_dir.glob("*.json")) if p.stem not in away]
    committed = sources.gold_dir.parent.resolve()  # labels/: what the repository holds
    problems: list[Problem] = []
    for path in targets:
        problems += check_file(path, texts, outside if path.resolve().is_relative_to(committed) else frozenset())[1]
    return problems


def _away(sources, texts) -> list[str]:
    """Documents kept in a pages folder that is not here: their gold files cannot be checked."""
    return sorted(sources.outside() - set(texts))


def _unlabelled(sources, texts) -> list[str]:
    return sorted(set(texts) - {p.stem for p in sources.gold_dir.glob("*.json")})


def unlabelled(sources=None) -> list[str]:
    """Documents of the corpus without a gold label file, by doc_id."""
    sources, texts, _ = _corpus(sources)
    return _unlabelled(sources, texts)


def _corpus(sources):
    from corpus.documents import iter_documents
    from corpus.sources import DEFAULT

    sources = sources or DEFAULT.at_hand()
    docs = list(iter_documents(sources))
    return sources, {d.doc_id: d.text for d in docs}, frozenset(d.doc_id for d in docs if d.entry.external)


def texts_at_hand() -> dict[str, str]:
    """doc_id -> text of every document whose page is at hand, for reading digest-only label files."""
    return _corpus(None)[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labels.validate", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="label files (default: all gold files, and "
                                                            "the corpus's documents without one)")
    args = parser.parse_args(argv)
    missing = [p for p in args.files if not p.is_file()]
    if missing:
        raise UserError(f"{missing[0]}: no such file")
    corpus = _corpus(None)  # every document read once, for all that follows
    problems = _checked(args.files, *corpus)
    if problems:
        raise InvalidLabels(problems)
    print(f"ok: {len(args.files) or 'all'} label file(s) valid")
    if not args.files:
        sources, texts, _ = corpus
        for doc_id in _unlabelled(sources, texts):
            print(f"info: {doc_id}: no gold label file yet; the build leaves it out")
        away = _away(sources, texts)
        if away:
            print(f"info: {len(away)} document(s) kept in the pages folder, which is not at hand: their label "
                  f"files were not checked (put the pages in ../shared/corpus/pages)")
    return 0


if __name__ == "__main__":
    run(main)
