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
from baselines.systems.entities import spans_frame
from baselines.tasks import TaskInput

DEFAULT_PIPELINE = "en_core_web_sm"
# spaCy's English pipelines use the OntoNotes labels; CoNLL/WikiNER ones say PER. Others are dropped.
LABELS: dict[str, str] = {t: t for t in ENTITY_TYPES} | {"PER": "PERSON"}
_LEADING = ("the ", "The ")
_TRAILING = ("'s", "’s")


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Our span conventions on a pipeline's span: no leading "the", no trailing possessive 's."""
    if text.startswith(_LEADING, start, end):
        start += 4
    if text.endswith(_TRAILING, start, end):
        end -= 2
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

    def __init__(self, seed: int = 0, pipeline: str = DEFAULT_PIPELINE, *, nlp: Any = None, **params: Any):
        """`nlp` injects a loaded pipeline object (tests); otherwise `pipeline` is loaded on first use."""
        if nlp is None:
            params["pipeline"] = pipeline
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
                s, e = trim(doc.text, ent.start_char, ent.end_char)
                if label and s < e:
                    rows.append((doc_id, int(start) + s, int(start) + e, label))
        return spans_frame(rows)
