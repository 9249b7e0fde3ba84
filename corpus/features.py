"""The public schema: one `datasets.Features` per config, in the order configs are built.

This is the contract users code against. Changing it needs a version bump and a
changelog entry; tests pin it.
"""
from __future__ import annotations

from typing import Any

import pyarrow as pa
from datasets import ClassLabel, Features, List, Value

from labels import scheme

_SPAN = {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}

FEATURES: dict[str, Features] = {
    "documents": Features({
        "doc_id": Value("string"),
        "text": Value("string"),
        "source_file": Value("string"),
        "source_sha256": Value("string"),
        "publisher": Value("string"),
        "url": Value("string"),
        "language": Value("string"),
        "license": Value("string"),
        "license_evidence": Value("string"),
        "date": Value("string"),
        "format": Value("string"),
        "encoding": Value("string"),
        "renderer": Value("string"),
        "html": Value("string"),
        "num_lines": Value("int32"),
        "num_chars": Value("int32"),
    }),
    "boilerplate": Features({
        "doc_id": Value("string"),
        "line": Value("int32"),
        "start": Value("int32"),
        "end": Value("int32"),
        "text": Value("string"),
        "xpath": Value("string"),
        "role": ClassLabel(names=list(scheme.ROLES)),
        "is_content": Value("bool"),
    }),
    "entities": Features({
        "doc_id": Value("string"),
        "id": Value("string"),
        "line": Value("int32"),
        "start": Value("int32"),
        "end": Value("int32"),
        "text": Value("string"),
        "type": ClassLabel(names=list(scheme.ENTITY_TYPES)),
        "conll_type": ClassLabel(names=list(scheme.CONLL_TYPES)),
    }),
    "entities_tokens": Features({
        "id": Value("string"),
        "doc_id": Value("string"),
        "line": Value("int32"),
        "tokens": List(Value("string")),
        "token_starts": List(Value("int32")),
        "token_ends": List(Value("int32")),
        "ner_tags": List(ClassLabel(names=scheme.ONTONOTES_TAGS)),
        "conll_ner_tags": List(ClassLabel(names=scheme.CONLL_TAGS)),
    }),
    "stance": Features({
        "doc_id": Value("string"),
        "id": Value("string"),
        "level": ClassLabel(names=list(scheme.LEVELS)),
        "target": Value("string"),
        "target_origin": ClassLabel(names=list(scheme.TARGET_ORIGINS)),
        "target_span": dict(_SPAN),
        "holder": Value("string"),
        "holder_span": dict(_SPAN),
        "evidence": List(dict(_SPAN)),
        "label": ClassLabel(names=list(scheme.STANCE_LABELS)),
    }),
}

CONFIGS: tuple[str, ...] = tuple(FEATURES)

# The Arrow schema of each config, made once: `Features.arrow_schema` rebuilds it on every access.
SCHEMAS: dict[str, pa.Schema] = {config: features.arrow_schema for config, features in FEATURES.items()}


def describe(feat: Any) -> Any:
    """The project's own, library-independent description of a column type: a dtype name,
    {"class_label": names}, {"list": inner} or {"struct": [[field, inner], ...]} (fields in order)."""
    kind = type(feat).__name__
    if kind == "ClassLabel":
        return {"class_label": list(feat.names)}
    if kind == "Value":
        return feat.dtype
    if kind == "List":
        return {"list": describe(feat.feature)}
    if isinstance(feat, dict):
        return {"struct": [[name, describe(inner)] for name, inner in feat.items()]}
    raise TypeError(f"no description for column type {kind}")

# Columns that identify a row: a predictions file must carry these to be scored.
KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "boilerplate": ("doc_id", "line"),
    "entities": ("doc_id", "start", "end"),
    "entities_tokens": ("id",),
    "stance": ("doc_id", "id"),
}
