"""Run the parallel steps of an ingest on a Dask cluster (``policy-tracker ingest --dask ADDRESS``).

:class:`DaskExecutor` is a :class:`policy_tracker.parallel.Executor`: inside
``parallel.using(executor)`` extraction (a partition of documents per task)
and candidate generation + pair scoring (a partition of rows per task) run on
the cluster's workers, calling the same functions as a local run.  Each
step's read-only state (the matching keys, the configuration) is scattered
once to every worker (``client.scatter(..., broadcast=True)``) and tasks
receive it as a future; the items are scattered a partition at a time.
Results are gathered in input order, so the ledger is the same as a local
run's.  Components, clustering, ids, curation replay and the ledger stay on
the client.

dask is optional: ``pip install 'policy-tracker[dask]'``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .errors import PolicyTrackerError
from .parallel import cpu_count

INSTALL = "pip install 'policy-tracker[dask]'"

# tasks per worker thread for each step: a few evens out the load without drowning the scheduler
PARTITIONS_PER_WORKER = 4


def _run_partition(fn: Callable[[Any, Any], Any], shared: Any, items: Sequence[Any]) -> list[Any]:
    return [fn(shared, x) for x in items]


class DaskExecutor:
    """Maps ``fn(shared, item)`` over a Dask cluster; ``partitions`` tasks per step (default: 4 per worker thread)."""

    def __init__(self, client: Any, *, partitions: int | None = None, cluster: Any = None) -> None:
        self.client = client
        self.cluster = cluster  # a LocalCluster we started (closed with the client), else None
        threads = sum(client.nthreads().values()) or 1
        self.workers = threads
        self.partitions = partitions or PARTITIONS_PER_WORKER * threads

    def map(self, fn: Callable[[Any, Any], Any], shared: Any, items: Sequence[Any]) -> list[Any]:
        items = list(items)
        if not items:
            return []
        n = min(self.partitions, len(items))
        size, extra = divmod(len(items), n)
        parts, lo = [], 0
        for k in range(n):
            hi = lo + size + (1 if k < extra else 0)
            parts.append(items[lo:hi])
            lo = hi
        [shared_f] = self.client.scatter([shared], broadcast=True, hash=False)
        part_fs = self.client.scatter(parts, hash=False)
        futures = [self.client.submit(_run_partition, fn, shared_f, p, pure=False) for p in part_fs]
        try:
            results = self.client.gather(futures)
        finally:
            self.client.cancel([shared_f, *part_fs])
        return [r for part in results for r in part]

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(address: str, *, workers: int | None = None, partitions: int | None = None) -> DaskExecutor:
    """A :class:`DaskExecutor` on the scheduler at ``address``, or on a new LocalCluster for ``local``
    (``workers`` processes of one thread, default one per core)."""
    if partitions is not None and partitions < 1:
        raise PolicyTrackerError(f"--dask-partitions: expected a whole number >= 1; got {partitions}")
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise PolicyTrackerError(f"--dask needs dask and distributed, which are not installed: {INSTALL}") from None
    if address == "local":
        cluster = LocalCluster(n_workers=workers or cpu_count(), threads_per_worker=1, processes=True, dashboard_address=None)
        return DaskExecutor(Client(cluster), partitions=partitions, cluster=cluster)
    try:
        client = Client(address, timeout="30s")
    except OSError as e:
        raise PolicyTrackerError(f"--dask {address}: cannot reach a Dask scheduler there ({e}); give its address (tcp://HOST:8786) or 'local'") from None
    return DaskExecutor(client, partitions=partitions)
