"""Built-in systems; importing this package registers them."""
from baselines.systems import boilerplate, entities, oracle, stance  # noqa: F401
