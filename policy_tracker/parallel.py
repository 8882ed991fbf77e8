"""Run a function over items in forked worker processes.

Extraction (per document) and pair scoring (per block of rows) are
independent pieces of work over large read-only state.  Forked workers
inherit that state instead of receiving it pickled: the task is parked in a
module global just before the pool forks, so it may be a closure.  Results
come back in input order, so the outcome never depends on how the work was
shared out.

:func:`map_shared` is the seam every parallel step goes through
(extraction, candidate generation and pair scoring): ``fn(shared, item)``
for every item, on forked processes by default, or on whatever
:class:`Executor` is active (:func:`using`), such as a Dask cluster
(:mod:`policy_tracker.distributed`).  The steps pass a top-level ``fn`` and
their read-only state as ``shared``, so a cluster receives that state once
rather than inside every task.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

_TASK: Callable[[Any], Any] | None = None


def can_fork() -> bool:
    """Whether this platform can start workers by forking."""
    return "fork" in multiprocessing.get_all_start_methods()


def cpu_count() -> int:
    return os.cpu_count() or 1


def _run(item: Any) -> Any:
    assert _TASK is not None
    return _TASK(item)


def fork_map(task: Callable[[T], R], items: Sequence[T], workers: int, chunksize: int = 1) -> list[R]:
    """``[task(x) for x in items]`` on ``workers`` forked processes (in-process when 1 or forking is unavailable)."""
    return list(fork_imap(task, items, workers, chunksize))


def fork_imap(task: Callable[[T], R], items: Sequence[T], workers: int, chunksize: int = 1) -> Iterator[R]:
    """:func:`fork_map` yielding each result, in input order, as soon as it and those before it are done.

    A progress count taken over it counts work the pool has finished, not
    work handed out (consume it to the end: the pool lives as long as it).
    """
    global _TASK
    if workers <= 1 or not can_fork():
        yield from (task(x) for x in items)
        return
    _TASK = task
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_run, items, chunksize=chunksize)
    finally:
        _TASK = None


class Executor(Protocol):
    """Runs ``fn(shared, item)`` for every item elsewhere than in this process, results in input order."""

    workers: int  # how many tasks it runs at once (steps size their partitions by it)

    def map(self, fn: Callable[[Any, Any], Any], shared: Any, items: Sequence[Any]) -> list[Any]: ...


_EXECUTOR: ContextVar[Executor | None] = ContextVar("policy_tracker_executor", default=None)


def current() -> Executor | None:
    """The executor set by :func:`using`, or None (forked processes)."""
    return _EXECUTOR.get()


@contextmanager
def using(executor: Executor | None) -> Iterator[None]:
    """Run the parallel steps inside the block on ``executor`` (None: the default forked processes)."""
    token = _EXECUTOR.set(executor)
    try:
        yield
    finally:
        _EXECUTOR.reset(token)


def map_shared(fn: Callable[[S, T], R], shared: S, items: Sequence[T], workers: int, chunksize: int = 1) -> list[R]:
    """``[fn(shared, x) for x in items]``: on the active executor if any, else :func:`fork_map` with ``workers``."""
    executor = current()
    if executor is not None:
        return executor.map(fn, shared, items) if items else []
    return fork_map(functools.partial(fn, shared), items, workers, chunksize)
