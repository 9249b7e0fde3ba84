"""A long build's progress on standard error: documents read of all, documents a second, time left.

A build of hundreds of thousands of pages runs for many minutes, on a pool or a cluster; a
line every few seconds says that it is moving and when it should end. A build that ends
sooner prints nothing, so the usual build's output stays one line.
"""
from __future__ import annotations

import time
from typing import Callable, TextIO

EVERY = 10.0  # seconds between two lines


def duration(seconds: float) -> str:
    """A rough length of time, as a person reads it: 40 s, 6 min, 2 h 5 min."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"


class Progress:
    """Counts documents as the build takes them and writes a line to `stream` at most every
    `every` seconds (by `clock`, which tests replace)."""

    def __init__(self, total: int, stream: TextIO, every: float | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.total, self.done = total, 0
        self._stream, self._every, self._clock = stream, EVERY if every is None else every, clock
        self._start = self._last = clock()

    def advance(self) -> None:
        self.done += 1
        now = self._clock()
        if now - self._last >= self._every:
            self._last = now
            print(self.line(now - self._start), file=self._stream, flush=True)

    def line(self, elapsed: float) -> str:
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = f", about {duration((self.total - self.done) / rate)} left" if rate and self.done < self.total else ""
        return (f"corpus.build: {self.done:,} of {self.total:,} documents read ({self.done / self.total:.0%}), "
                f"{rate:,.{1 if rate < 10 else 0}f} a second{left}")
