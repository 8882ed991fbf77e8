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

A cluster the user asked for is never silently replaced by local work: when
it cannot be reached, its workers run another policy-tracker or other data
tables, or it fails during a step (scheduler or workers lost, a task
raising), :class:`~policy_tracker.errors.ClusterError` says so in one line
naming the address and the step, and the ingest writes nothing.

dask is optional: ``pip install 'policy-tracker[dask]'``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from .errors import ClusterError, PolicyTrackerError
from .parallel import cpu_count

INSTALL = "pip install 'policy-tracker[dask]'"

# tasks per worker thread for each step: a few evens out the load without drowning the scheduler
PARTITIONS_PER_WORKER = 4

_TASK_KEY = re.compile(r"\b_run_partition-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b")  # Dask's task names mean nothing to a user

# what a step is called in messages, by the stage package of its function
_STEPS = {"extraction": "extraction", "matching": "candidate generation and pair scoring"}


class _ItemFailed(Exception):
    """Raised in a task: the step's item at ``index`` raised ``error`` (its type and message, as text that unpickles anywhere)."""

    def __init__(self, index: int, error: str) -> None:
        super().__init__(index, error)
        self.index, self.error = index, error


def _run_partition(fn: Callable[[Any, Any], Any], shared: Any, items: Sequence[Any], offset: int) -> list[Any]:
    out = []
    for k, x in enumerate(items):
        try:
            out.append(fn(shared, x))
        except Exception as exc:  # noqa: BLE001 - reported on the client with the item that raised it
            raise _ItemFailed(offset + k, _reason(exc)) from None
    return out


def _reason(exc: BaseException) -> str:
    """``Type: message`` on one line (Dask's messages span several), cut to a readable length."""
    text = _TASK_KEY.sub("a task", " ".join(str(exc).split()))
    text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _describe(item: Any) -> str:
    """An item of a step as a user knows it: a document's path, a range of matching rows."""
    if isinstance(item, range):
        return f"matching rows {item.start}-{item.stop - 1}"
    found = getattr(item, "path", None) or getattr(item, "id", None)
    return str(found) if found else type(item).__name__


def _step(fn: Callable[..., Any]) -> str:
    parts = fn.__module__.split(".")
    return _STEPS.get(parts[1] if len(parts) > 1 else "", fn.__name__)


class DaskExecutor:
    """Maps ``fn(shared, item)`` over a Dask cluster; ``partitions`` tasks per step (default: 4 per worker thread)."""

    def __init__(self, client: Any, *, partitions: int | None = None, cluster: Any = None, address: str = "local") -> None:
        self.client = client
        self.cluster = cluster  # a LocalCluster we started (closed with the client), else None
        self.address = address  # as the user gave it, for messages
        nthreads = client.nthreads()
        threads = sum(nthreads.values()) or 1
        self.workers = threads
        self._started = len(nthreads)  # worker processes when we connected
        # set to a list to record, per step, the wall time of scatter, run (until every task is done) and gather
        self.stats: list[dict[str, Any]] | None = None
        self.partitions = partitions or PARTITIONS_PER_WORKER * threads

    def map(self, fn: Callable[[Any, Any], Any], shared: Any, items: Sequence[Any]) -> list[Any]:
        """``[fn(shared, x) for x in items]`` on the cluster; any failure is a :class:`ClusterError` naming the step."""
        items = list(items)
        if not items:
            return []
        n = min(self.partitions, len(items))
        size, extra = divmod(len(items), n)
        parts, offsets, lo = [], [], 0
        for k in range(n):
            hi = lo + size + (1 if k < extra else 0)
            parts.append(items[lo:hi])
            offsets.append(lo)
            lo = hi
        step = _step(fn)
        if self.client.status != "running":  # shut down, or the scheduler was lost in an earlier step
            raise ClusterError(f"--dask {self.address}: the cluster is gone before {step} (client {self.client.status})")
        from distributed import wait

        clock = [time.time()]  # wall clock, comparable with the task stream of the workers
        try:
            [shared_f] = self.client.scatter([shared], broadcast=True, hash=False)
            part_fs = self.client.scatter(parts, hash=False)
            clock.append(time.time())
            futures = [self.client.submit(_run_partition, fn, shared_f, p, at, pure=False) for p, at in zip(part_fs, offsets, strict=True)]
            try:
                wait(futures)  # timed apart from gather: the run, then moving the results
                clock.append(time.time())
                results = self.client.gather(futures)
                clock.append(time.time())
            finally:
                if self.client.status == "running":
                    self.client.cancel([shared_f, *part_fs])
        except _ItemFailed as exc:
            raise ClusterError(f"--dask {self.address}: {step} failed on a worker at {_describe(items[exc.index])} ({exc.error})") from None
        except Exception as exc:  # noqa: BLE001 - scheduler or workers lost, a task that could not run: never redone locally
            raise ClusterError(f"--dask {self.address}: the cluster failed during {step} ({_reason(exc)}){self._workers_left()}") from None
        if self.stats is not None:
            self.stats.append(
                {"step": step, "items": len(items), "tasks": n, "start": clock[0], "end": clock[3],
                 "scatter_s": clock[1] - clock[0], "run_s": clock[2] - clock[1], "gather_s": clock[3] - clock[2]}
            )
        return [r for part in results for r in part]

    def _workers_left(self) -> str:
        """After a failure, how many workers the scheduler still has (Dask's own reason, e.g. "already forgotten", does not say)."""
        try:
            if self.client.status != "running":
                return ""
            return f"; the scheduler has {len(self.client.nthreads())} of {self._started} workers left"
        except Exception:  # noqa: BLE001 - the scheduler is gone too
            return ""

    def close(self) -> None:
        """Close the client (and the LocalCluster we started); a cluster already gone is not an error here."""
        try:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()
        except Exception:  # noqa: BLE001 - closing after a failure must not hide the failure's own message
            pass

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _identity() -> tuple[str, str]:
    """This process's policy-tracker version and the digest of the data tables it reads (run on each worker)."""
    from . import __version__
    from .resources import tables_digest

    return __version__, tables_digest()


def _check_workers(executor: DaskExecutor) -> None:
    """Fail unless every worker runs this policy-tracker version with the same data tables (else its ledger would differ)."""
    mine = _identity()
    try:
        theirs = executor.client.run(_identity)
    except Exception as exc:  # noqa: BLE001 - e.g. policy_tracker not importable on a worker
        raise ClusterError(
            f"--dask {executor.address}: the workers cannot run policy-tracker ({_reason(exc)}); "
            f"install policy-tracker {mine[0]} in their environment ({INSTALL})"
        ) from None
    if not theirs:
        raise ClusterError(f"--dask {executor.address}: the scheduler has no workers; start some (dask worker {executor.address})")
    for worker, (version, digest) in sorted(theirs.items()):
        if version != mine[0]:
            raise ClusterError(f"--dask {executor.address}: worker {worker} runs policy-tracker {version}, this client {mine[0]}; install the same version on both")
        if digest != mine[1]:
            raise ClusterError(
                f"--dask {executor.address}: worker {worker} reads other data tables than this client (digest {digest}, here {mine[1]}); "
                "give the workers the same policy-tracker install and POLICY_TRACKER_DATA folders"
            )


def connect(address: str, *, workers: int | None = None, partitions: int | None = None) -> DaskExecutor:
    """A :class:`DaskExecutor` on the scheduler at ``address``, or on a new LocalCluster for ``local``
    (``workers`` processes of one thread, default one per core), after checking its workers match this client."""
    if partitions is not None and partitions < 1:
        raise PolicyTrackerError(f"--dask-partitions: expected a whole number >= 1; got {partitions}")
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise PolicyTrackerError(f"--dask needs dask and distributed, which are not installed: {INSTALL}") from None
    if address == "local":
        try:
            cluster = LocalCluster(n_workers=workers or cpu_count(), threads_per_worker=1, processes=True, dashboard_address=None)
        except Exception as exc:  # noqa: BLE001 - e.g. a worker process that cannot start
            raise ClusterError(f"--dask local: could not start a LocalCluster ({_reason(exc)})") from None
        executor = DaskExecutor(Client(cluster), partitions=partitions, cluster=cluster, address=address)
    else:
        try:
            client = Client(address, timeout="30s")
        except (OSError, ValueError) as exc:
            raise ClusterError(
                f"--dask {address}: cannot reach a Dask scheduler there ({_reason(exc)}); give its address (tcp://HOST:8786) or 'local'"
            ) from None
        executor = DaskExecutor(client, partitions=partitions, address=address)
    try:
        _check_workers(executor)
    except BaseException:
        executor.close()
        raise
    return executor
