"""Run a function over items in forked worker processes.

Extraction (per document) and pair scoring (per block of rows) are
independent pieces of work over large read-only state.  Forked workers
inherit that state instead of receiving it pickled: the task is parked in a
module global just before the pool forks, so it may be a closure.  Results
come back in input order, so the outcome never depends on how the work was
shared out.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

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
    global _TASK
    if workers <= 1 or not can_fork():
        return [task(x) for x in items]
    _TASK = task
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_run, items, chunksize=chunksize)
    finally:
        _TASK = None
