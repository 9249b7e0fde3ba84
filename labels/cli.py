"""Shared command-line contract: exit 0 ok, 1 failed check, 2 user error, no tracebacks for user mistakes."""
from __future__ import annotations

import os
import sys
from typing import Callable, NoReturn


class UserError(Exception):
    """A mistake in what the user asked for or supplied; shown as one line, exit 2."""


class CheckFailed(Exception):
    """A check ran and found problems; the message lists them, exit 1."""


def run(main: Callable[[list[str] | None], int | None], argv: list[str] | None = None) -> NoReturn:
    """Run a command's main and turn the project's exceptions into exit codes."""
    try:
        code = main(argv) or 0
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        code = 2
    except CheckFailed as err:
        print(str(err), file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    except BrokenPipeError:  # output piped into a reader that stopped early (e.g. head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        code = 0
    sys.exit(code)
