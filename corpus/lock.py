"""One lock for every corpus mutation (corpus.add, corpus.build): two at once would both plan
from the same manifest and both succeed, listing a page twice."""
from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from typing import Iterator

from labels.cli import UserError
from corpus.atomic import writing

WAIT_SECONDS = 60.0


@contextlib.contextmanager
def corpus_lock(path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock on path (created if needed), waiting up to wait seconds
    (default WAIT_SECONDS).

    The kernel drops the lock when the process dies, so a killed command never leaves it held.
    """
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    wait = WAIT_SECONDS if wait is None else wait
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise UserError(f"{path}: another corpus command has held the lock for {wait:.0f} s; "
                                    "try again when it has finished") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
