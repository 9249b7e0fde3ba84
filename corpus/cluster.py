"""Dask helpers for work too large for one machine: a client on a scheduler's address or on a
LocalCluster (always closed), and an ordered map with the contract of corpus.pool.ordered_map.

Only what a job needs crosses to the workers (its chunk, and one shared context scattered once), so
a cluster needs the project installed on every worker and the inputs at the same paths there;
dask.distributed is imported only when a cluster is asked for (the `cluster` extra).
"""
from __future__ import annotations

import logging
import pickle
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import uuid4
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence, TypeVar

from labels.cli import UserError
from corpus import pool

if TYPE_CHECKING:
    from distributed import Client

T = TypeVar("T")
R = TypeVar("R")

@dataclass(frozen=True)
class ClusterSpec:
    """Where the work runs: the scheduler at `address`, or a LocalCluster of `local_workers`
    single-threaded workers (processes unless processes=False, which tests use)."""

    address: str | None = None
    local_workers: int | None = None
    processes: bool = True
    timeout: str = "20s"  # to reach the scheduler

    def __post_init__(self) -> None:
        if (self.address is None) == (self.local_workers is None):
            raise ValueError("a ClusterSpec takes either a scheduler address or a number of local workers")


@contextmanager
def connect(spec: ClusterSpec) -> Iterator["Client"]:
    """A client for the spec; on leaving (normally or not) the client is closed, and a LocalCluster
    made here is shut down with its workers."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UserError("a Dask cluster needs dask.distributed: pip install 'dask[distributed]'") from None
    if spec.address is not None:
        try:
            client = Client(spec.address, timeout=spec.timeout)
        except (OSError, ValueError, TypeError) as err:
            raise UserError(f"Dask scheduler {spec.address}: cannot connect ({err})") from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(n_workers=spec.local_workers, threads_per_worker=1, processes=spec.processes,
                           dashboard_address=":0", silence_logs=logging.CRITICAL)
    try:
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def threads(client: "Client") -> int:
    """Tasks the cluster runs at once."""
    return max(1, sum(client.nthreads().values()))


def _pickled(fn: Callable[..., list[R]], *args: Any) -> bytes:
    """A chunk's results as one pickle: Dask serialises a list's elements one by one, so objects the
    results share (a chunk's one Arrow batch of rows) would cross once per document, not once."""
    return pickle.dumps(fn(*args), protocol=pickle.HIGHEST_PROTOCOL)


def ordered_map(client: "Client", fn: Callable[..., list[R]], items: Sequence[T], chunk: int | None = None,
                in_flight: int | None = None, context: Any = None) -> Iterator[R]:
    """fn over items in chunks (of corpus.pool.CHUNK by default) on the cluster, results in item order,
    at most `in_flight` chunks submitted ahead (default: corpus.pool.IN_FLIGHT_PER_WORKER per worker
    thread), so neither the scheduler nor this process holds more than a window of results.

    With a context, fn(context, chunk) runs instead of fn(chunk): the context is sent to every worker
    once, not with each chunk. A chunk's exception is raised here as the worker raised it, with a
    note naming the chunk; the chunks still pending are cancelled, also when the consumer stops early."""
    from dask.utils import funcname

    chunk = chunk or pool.CHUNK
    window = in_flight or pool.IN_FLIGHT_PER_WORKER * threads(client)
    args = ()
    if context is not None:
        [shared] = client.scatter([context], broadcast=True, hash=False)
        args = (shared,)
    pending: deque = deque()

    def take() -> list[R]:
        index, future = pending.popleft()
        try:
            return pickle.loads(future.result())
        except Exception as err:
            err.add_note(f"in chunk {index} (items {index * chunk} to {min((index + 1) * chunk, len(items)) - 1})")
            raise

    try:
        for index, start in enumerate(range(0, len(items), chunk)):
            pending.append((index, client.submit(_pickled, fn, *args, list(items[start:start + chunk]),
                                                 key=f"{funcname(fn)}-{uuid4().hex}")))
            if len(pending) >= window:
                yield from take()
        while pending:
            yield from take()
    finally:
        if pending:
            client.cancel([future for _, future in pending])
