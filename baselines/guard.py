"""The one guard around calls into a system: whatever a system does wrong (raises, calls
sys.exit, returns something that is not a predictions frame, edits what it was handed)
becomes one line naming it, and never ends or corrupts the run of the other systems."""
from __future__ import annotations

import contextlib
import copy
from typing import Any, Callable, Iterator

import numpy as np
import pandas as pd

from labels.cli import UserError
from baselines.system import System, SystemUnavailable
from baselines.tasks import TaskInput


class SystemFailed(UserError):
    """A system misbehaved; the message names it and what it did."""


def _first_line(err: BaseException) -> str:
    if isinstance(err, SystemExit):
        return f"SystemExit (a call to sys.exit({err.code!r}))"
    text = str(err).strip()
    return f"{type(err).__name__}: {text.splitlines()[0]}" if text else type(err).__name__


@contextlib.contextmanager
def guarded(who: str, step: str) -> Iterator[None]:
    """Run a step of a system (its import, fit, predict); any escape becomes SystemFailed.

    SystemExit is caught too: a system calling sys.exit must not end the run silently.
    Ctrl-C, a system's own word that it cannot run here, and one-line UserErrors pass through.
    """
    try:
        yield
    except (KeyboardInterrupt, SystemUnavailable, UserError):
        raise
    except BaseException as err:  # noqa: BLE001 - a plug-in may raise anything, SystemExit included
        raise SystemFailed(f"{who}: {step} raised {_first_line(err)}") from None


def call(who: str, step: str, fn: Callable[..., Any], *args: Any) -> Any:
    with guarded(who, step):
        return fn(*args)


def predictions_frame(who: str, value: Any) -> pd.DataFrame:
    """What predict returned, if it is a usable DataFrame."""
    if not isinstance(value, pd.DataFrame):
        raise SystemFailed(f"{who}: predict returned {type(value).__name__}, not a pandas DataFrame")
    dup = value.columns[value.columns.duplicated()]
    if len(dup):
        raise SystemFailed(f"{who}: predict returned duplicate column(s) {', '.join(map(str, dup.unique()))}")
    return value


def system_id(system: System) -> str:
    arg = getattr(system, "argument", None)
    return f"{system.name}:{system.params[arg]}" if arg and arg in system.params else system.name


def _who(system: System) -> str:
    return f"system {system_id(system)}"


def guarded_fit(system: System, inputs: TaskInput, gold: pd.DataFrame) -> None:
    call(_who(system), "fit", system.fit, private_inputs(inputs), private(gold))


def guarded_predict(system: System, inputs: TaskInput) -> pd.DataFrame:
    return predictions_frame(_who(system), call(_who(system), "predict", system.predict, private_inputs(inputs)))


def guarded_predict_with_gold(system: System, inputs: TaskInput, gold: pd.DataFrame) -> pd.DataFrame:
    return predictions_frame(_who(system), call(_who(system), "predict_with_gold", system.predict_with_gold,
                                                private_inputs(inputs), private(gold)))


def guarded_new(system: System) -> System:
    """An unfitted copy with the same seed and parameters; a constructor that fails is named."""
    return call(_who(system), "construction", lambda: type(system)(seed=system.seed, **system.params))


def private(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy a system may edit freely: lists and arrays inside cells are copied too."""
    out = frame.copy(deep=True)
    for col in out.columns[out.dtypes == object]:
        out[col] = [copy.deepcopy(v) if isinstance(v, (list, dict, set, np.ndarray)) else v for v in out[col]]
    return out


def private_inputs(inputs: TaskInput) -> TaskInput:
    return TaskInput(private(inputs.documents), private(inputs.units))
