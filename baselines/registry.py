"""System registry: built-ins, entry points (group `newsbench.systems`) and `module:callable` specs.

A user adds a system without editing the core: register a System subclass with
`@register`, publish it as an entry point, or name it on the command line.
"""
from __future__ import annotations

import importlib
import inspect
from importlib.metadata import entry_points

from labels.cli import UserError
from baselines.guard import guarded
from baselines.protocol import TUNED_ON
from baselines.system import System

ENTRY_POINT_GROUP = "newsbench.systems"
_SYSTEMS: dict[tuple[str, str], type[System]] = {}
_LOADED = False


class DuplicateSystem(UserError, ValueError):
    """A second system under a registered task and name: a user's mistake, told in one line."""


def register(cls: type[System]) -> type[System]:
    """Class decorator; refuses a second system with the same task and name, or an unknown `tuned_on`."""
    if cls.tuned_on not in TUNED_ON:
        raise ValueError(f"system {cls.name!r}: tuned_on must be one of {', '.join(TUNED_ON)}, not {cls.tuned_on!r}")
    key = (cls.task, cls.name)
    if key in _SYSTEMS and _SYSTEMS[key] is not cls:
        raise DuplicateSystem(f"system {cls.name!r} is already registered for task {cls.task!r} "
                         f"by {_SYSTEMS[key].__module__}")
    _SYSTEMS[key] = cls
    return cls


def _load_builtins_and_plugins() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    importlib.import_module("baselines.systems")
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        with guarded(f"entry point {ep.value}", "loading"):
            loaded = ep.load()
        _register_object(loaded, ep.value)


def _register_object(obj, spec: str) -> list[type[System]]:
    """A System subclass, or a callable returning one or a list of them."""
    if inspect.isclass(obj) and issubclass(obj, System):
        return [register(obj)]
    if callable(obj):
        with guarded(spec, "calling it"):
            made = obj()
        made = made if isinstance(made, (list, tuple)) else [made]
        if all(inspect.isclass(m) and issubclass(m, System) for m in made):
            return [register(m) for m in made]
    raise UserError(f"{spec}: expected a System subclass or a callable returning System subclasses")


def from_spec(spec: str) -> list[type[System]]:
    """Import `module:callable` and register what it names."""
    module_name, _, attr = spec.partition(":")
    with guarded(spec, "import"):
        try:
            module = importlib.import_module(module_name)
        except ImportError as err:
            raise UserError(f"{spec}: cannot import {module_name!r} ({err})") from None
    if not hasattr(module, attr):
        raise UserError(f"{spec}: module {module_name!r} has no attribute {attr!r}")
    return _register_object(getattr(module, attr), spec)


def builtin(cls: type[System]) -> bool:
    """Shipped with the project and needing nothing outside it: the systems of the canonical board."""
    return cls.__module__.startswith("baselines.systems.") and not cls.optional


def available(task: str | None = None) -> list[type[System]]:
    _load_builtins_and_plugins()
    return [cls for (t, _), cls in sorted(_SYSTEMS.items()) if task is None or t == task]


def resolve(spec: str) -> list[tuple[type[System], dict]]:
    """Systems named by a spec, with constructor params.

    `NAME` is a registered system (for every task that has one by that name);
    `NAME:ARG` passes ARG to a registered system that takes one (e.g. `spacy:en_core_web_sm`);
    `module:callable` imports and registers a user's system.
    """
    _load_builtins_and_plugins()
    name, _, arg = spec.partition(":")
    named = [cls for (_, n), cls in _SYSTEMS.items() if n == name]
    if named and arg:
        takes = [c for c in named if getattr(c, "argument", None)]
        if not takes:
            raise UserError(f"{spec}: system {name!r} takes no argument")
        return [(c, {c.argument: arg}) for c in takes]
    if named:
        return [(c, {}) for c in named]
    if arg:
        return [(c, {}) for c in from_spec(spec)]
    names = sorted({n for _, n in _SYSTEMS})
    raise UserError(f"unknown system {spec!r}; known: {', '.join(names)}; or give module:callable")


