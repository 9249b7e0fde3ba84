"""`python -m labels.draft DOC_ID... [--boilerplate SYSTEM] [--entities SYSTEM]`: draft label files.

A draft proposes a role for every line (a boilerplate system) and entity mentions in the lines it
takes for content (an entity system, scheme 2); every record says who proposed it. A line whose
exact text already has a role on a reviewed page of the same publisher takes that role instead,
marked `template:<doc_id>`, because pages of one publisher share their template. Drafts are
written to labels/drafts/, apart from gold, and never enter the dataset: a draft becomes gold only
through annotation and review (labels.export / labels.import).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from labels import model, scheme, status
from labels.cli import UserError, run
from labels.model import Entity, GoldDocument, LineLabel
from labels.status import Step
from labels.text import units

DEFAULT_BOILERPLATE = "line-heuristic"
DEFAULT_ENTITIES = "capitalised"


def drafts_dir(sources) -> Path:
    return sources.gold_dir.parent / "drafts"


def _system(spec: str, task: str):
    """One rule system of the task by registry spec; learned systems need training data a draft lacks."""
    from baselines.registry import resolve

    found = [(cls, params) for cls, params in resolve(spec) if cls.task == task]
    if not found:
        raise UserError(f"{spec}: not a {task} system")
    cls, params = found[0]
    if cls.learned:
        raise UserError(f"{spec}: a learned system needs training data; draft with a rule system")
    return cls(**params)


def template_roles(sources, doc_id: str, publisher: str | None) -> dict[str, tuple[str, str]]:
    """Line text -> (role, doc_id it comes from), from reviewed pages of the same publisher."""
    from corpus import manifest
    from corpus.documents import read_document

    if publisher is None:
        return {}
    out: dict[str, tuple[str, str]] = {}
    for entry in sorted(manifest.read(sources.manifest), key=lambda e: e.doc_id):
        path = sources.gold_dir / f"{entry.doc_id}.json"
        if entry.doc_id == doc_id or entry.publisher != publisher or not path.exists():
            continue
        text = read_document(sources, entry).text
        gold, problems = model.load(path, {entry.doc_id: text}.get)
        if gold is None or problems or not status.is_gold(gold.status):
            continue
        for lab in gold.lines:
            out.setdefault(text[lab.start:lab.end], (lab.role, entry.doc_id))
    return out


def draft(sources, doc_id: str, boilerplate: str = DEFAULT_BOILERPLATE,
          entities: str = DEFAULT_ENTITIES) -> GoldDocument:
    """The draft of one document; a pure function of the corpus, the gold files and the systems."""
    from baselines.tasks import Entities, TaskInput
    from corpus import manifest
    from corpus.documents import read_document

    entry = next((e for e in manifest.read(sources.manifest) if e.doc_id == doc_id), None)
    if entry is None:
        raise UserError(f"{doc_id}: no such document in {sources.manifest}")
    text = read_document(sources, entry).text
    lines = units(text)
    documents = pd.DataFrame({"doc_id": [doc_id], "text": [text]})
    frame = pd.DataFrame([{"doc_id": doc_id, "line": u.line, "start": u.start, "end": u.end, "text": u.text}
                          for u in lines])
    roles_system, entity_system = _system(boilerplate, "boilerplate"), _system(entities, "entities")
    predicted = roles_system.predict(TaskInput(documents, frame)).set_index("line")
    template = template_roles(sources, doc_id, entry.publisher)
    labels = []
    for u in lines:
        if u.text in template:
            role, source = template[u.text]
            labels.append(LineLabel(u.line, u.start, u.end, u.text, role, proposed_by=f"template:{source}"))
            continue
        row = predicted.loc[u.line]
        role = row["role"] if "role" in predicted and isinstance(row["role"], str) else \
            ("body" if bool(row["is_content"]) else "other")
        labels.append(LineLabel(u.line, u.start, u.end, u.text, role, proposed_by=roles_system.name))
    content = frame[[scheme.is_content(lab.role) for lab in labels]]
    spans = entity_system.predict(TaskInput(documents, Entities.line_units(documents, content)))
    spans = spans.sort_values(["start", "end"]).reset_index(drop=True)
    mentions = tuple(Entity(f"e{i}", int(s), int(e), text[int(s):int(e)], t, proposed_by=entity_system.name)
                     for i, (s, e, t) in enumerate(zip(spans.start, spans.end, spans.type), 1))
    history = (Step("drafted", roles_system.name), Step("drafted", entity_system.name))
    return GoldDocument(doc_id, tuple(labels), mentions, (), "draft", history)


def main(argv: list[str] | None = None) -> int:
    from corpus.sources import DEFAULT

    parser = argparse.ArgumentParser(prog="python -m labels.draft", description=__doc__.splitlines()[0])
    parser.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    parser.add_argument("--boilerplate", default=DEFAULT_BOILERPLATE,
                        help=f"boilerplate system proposing line roles (default: {DEFAULT_BOILERPLATE})")
    parser.add_argument("--entities", default=DEFAULT_ENTITIES,
                        help=f"entity system proposing mentions (default: {DEFAULT_ENTITIES})")
    args = parser.parse_args(argv)
    drafts = [draft(DEFAULT, d, args.boilerplate, args.entities) for d in args.doc_ids]
    out = drafts_dir(DEFAULT)
    out.mkdir(parents=True, exist_ok=True)
    outside = DEFAULT.outside()
    for doc in drafts:
        path = out / f"{doc.doc_id}.json"
        model.write(path, doc, redact=doc.doc_id in outside)
        carried = sum(1 for x in doc.lines if (x.proposed_by or "").startswith("template:"))
        print(f"drafted {path}: {len(doc.lines)} line roles ({carried} carried over from the "
              f"publisher's template), {len(doc.entities)} entity mentions")
    return 0


if __name__ == "__main__":
    run(main)
