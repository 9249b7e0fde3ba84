"""The closed vocabularies of the label scheme and the views derived from them.

Order matters: it is the ClassLabel id order of the published dataset, so a
change here is a schema change (version bump and changelog entry).
"""
from __future__ import annotations

ROLES: tuple[str, ...] = (
    "headline", "subheadline", "body",
    "caption", "media", "metadata", "author", "related", "navigation", "other",
)
CONTENT_ROLES: frozenset[str] = frozenset({"headline", "subheadline", "body"})

ENTITY_TYPES: tuple[str, ...] = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
    "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)
CONLL_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")
CONLL_OF: dict[str, str | None] = {
    "PERSON": "PER", "ORG": "ORG",
    "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "PRODUCT": "MISC", "LANGUAGE": "MISC",
    "DATE": None, "TIME": None, "PERCENT": None, "MONEY": None,
    "QUANTITY": None, "ORDINAL": None, "CARDINAL": None,
}

# FNC-1 order: the FNC-1 scorer lists its labels in exactly this order.
STANCE_LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
LEVELS: tuple[str, ...] = ("article", "source")
LABELS_FOR_LEVEL: dict[str, frozenset[str]] = {
    "article": frozenset(STANCE_LABELS),
    "source": frozenset({"agree", "disagree", "discuss"}),
}
TARGET_ORIGINS: tuple[str, ...] = ("page", "annotator")


def is_content(role: str) -> bool:
    """The binary boilerplate label is derived from the role, never annotated."""
    return role in CONTENT_ROLES


def conll_type(entity_type: str) -> str | None:
    """Coarse CoNLL-2003 type of an OntoNotes type; None for numeric and temporal types."""
    return CONLL_OF[entity_type]


def iob2_names(types: tuple[str, ...]) -> list[str]:
    """IOB2 tag names in conll2003 order: O, then B-/I- per type."""
    names = ["O"]
    for t in types:
        names += [f"B-{t}", f"I-{t}"]
    return names


ONTONOTES_TAGS: list[str] = iob2_names(ENTITY_TYPES)
CONLL_TAGS: list[str] = iob2_names(CONLL_TYPES)
assert set(CONLL_OF) == set(ENTITY_TYPES)
