"""Built-in systems; importing this package registers them."""
from baselines.systems import (  # noqa: F401
    boilerplate, entities, extractors, fnc1, line_structure, oracle, spacy_adapter, stance)
