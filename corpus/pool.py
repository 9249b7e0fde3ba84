"""Map the per-document work over a process pool, in order, with a bounded number of chunks in
flight: results come back in build order (so the output is the serial build's, byte for byte)
and memory stays flat however large the corpus (Executor.map would submit every chunk at once)."""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 32                # documents per task
MIN_PER_WORKER = 500      # fewer documents per process than this, and starting a pool and shipping rows
                          # between processes costs more than it saves (benchmarks/build_speed.py)
IN_FLIGHT_PER_WORKER = 4  # chunks submitted ahead per worker


def cores() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def default_workers(items: int) -> int:
    """All cores when the corpus is large enough to pay for the pool, else one (no pool)."""
    return max(1, min(cores(), items // MIN_PER_WORKER))


def ordered_map(fn: Callable[[list[T]], list[R]], items: Sequence[T], workers: int,
                chunk: int | None = None) -> Iterator[R]:
    """fn over items in chunks (of CHUNK by default), results in item order; workers <= 1 runs
    in this process."""
    chunk = chunk or CHUNK
    chunks = (list(items[i:i + chunk]) for i in range(0, len(items), chunk))
    if workers <= 1:
        for part in chunks:
            yield from fn(part)
        return
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        pending: deque = deque()
        for part in chunks:
            pending.append(pool.submit(fn, part))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:  # a failure (or a consumer that stops early) leaves no work running behind it
        pool.shutdown(wait=True, cancel_futures=True)

