"""Built-in systems; importing this package registers them."""
from baselines.systems import boilerplate, entities, extractors, line_structure, oracle, spacy_adapter, stance  # noqa: F401
