"""ingest --dask: the ledger written on a Dask cluster is byte-identical to a local run's (skipped without dask)."""

from __future__ import annotations

import builtins
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from policy_tracker import parallel
from policy_tracker.cli import main
from policy_tracker.errors import ClusterError
from policy_tracker.ledger.ingest import ingest_paths
from tests.benchmarks.generate import generate, write
from tests.conftest import SEEDS

SYNTHETIC_MENTIONS = 6000  # above candidates.ARRAY_MIN: the local run takes the numpy candidate path, the workers the row-by-row one


class Counting:
    """An executor that forwards to another and counts which steps it ran."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.workers, self.steps = inner, inner.workers, Counter()

    def map(self, fn: Any, shared: Any, items: Any) -> list[Any]:
        self.steps[fn.__name__] += 1
        return self.inner.map(fn, shared, items)


@pytest.fixture(scope="module")
def cluster() -> Any:
    pytest.importorskip("distributed")
    from policy_tracker.dask_executor import connect

    with connect("local", workers=2) as executor:
        yield executor


def _ledger(docs: Path, path: Path, executor: Any = None) -> bytes:
    with parallel.using(executor):
        ingest_paths([str(docs)], str(path), show_progress=False)
    return path.read_bytes()


def _same_on_dask(docs: Path, tmp_path: Path, cluster: Any) -> None:
    local = _ledger(docs, tmp_path / "local.yaml")
    counting = Counting(cluster)
    remote = _ledger(docs, tmp_path / "dask.yaml", counting)
    assert counting.steps["_extract_one"] >= 1 and counting.steps["_score_partition"] >= 1, counting.steps
    assert remote == local


def test_seeds_ledger_identical_on_dask(cluster: Any, tmp_path: Path) -> None:
    """The seed ledger written with extraction and scoring on 2 Dask workers is byte-identical to the local one."""
    _same_on_dask(SEEDS, tmp_path, cluster)


def test_synthetic_ledger_identical_on_dask(cluster: Any, tmp_path: Path) -> None:
    """On a synthetic corpus past the numpy candidate threshold, the Dask ledger is byte-identical to the local one."""
    docs = write(generate(SYNTHETIC_MENTIONS, seed=3), tmp_path / "corpus")
    _same_on_dask(docs, tmp_path, cluster)


def test_dask_flag_without_dask_says_what_to_install(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Without dask installed, ingest --dask fails with one line naming the extra to install, and writes nothing."""
    real_import = builtins.__import__

    def no_dask(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in ("dask", "distributed"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    ledger = tmp_path / "l.yaml"
    code = main(["ingest", str(SEEDS), "--ledger", str(ledger), "--dask", "local", "-q"])
    err = capsys.readouterr().err
    assert code != 0 and not ledger.exists()
    assert "pip install 'policy-tracker[dask]'" in err and len(err.strip().splitlines()) == 1, err


class Failing:
    """An executor whose every step raises (a cluster lost under an ingest)."""

    workers = 2

    def __init__(self, error: Exception) -> None:
        self.error = error

    def map(self, fn: Any, shared: Any, items: Any) -> list[Any]:
        raise self.error


def test_failing_executor_is_not_replaced_by_local_work(tmp_path: Path) -> None:
    """When the active executor fails during extraction, the ingest stops with its error: no silent local redo, the ledger untouched."""
    ledger = tmp_path / "l.yaml"
    before = _ledger(SEEDS, ledger)
    with pytest.raises(RuntimeError, match="scheduler lost"):
        _ledger(SEEDS, ledger, Failing(RuntimeError("scheduler lost")))
    assert ledger.read_bytes() == before


def test_cluster_error_is_one_line_and_writes_nothing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """ingest --dask whose cluster fails exits 1 with one Error line naming the address and saying nothing was written."""
    import policy_tracker.dask_executor as dask_executor

    class Connected(Failing):
        def close(self) -> None:
            pass

    error = ClusterError("--dask tcp://sched:8786: the cluster failed during extraction (CommClosedError: in <TCP>: Stream is closed)")
    monkeypatch.setattr(dask_executor, "connect", lambda address, **kw: Connected(error))
    ledger = tmp_path / "l.yaml"
    code = main(["ingest", str(SEEDS), "--ledger", str(ledger), "--dask", "tcp://sched:8786", "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 1 and not ledger.exists()
    assert err == f"Error: {error}; nothing was written to {ledger}", err


# ---------------------------------------------------------------- failures on a real cluster


def _raise_on_three(_: Any, x: int) -> int:
    if x == 3:
        raise ValueError("three is not allowed")
    return x


def _exit_worker(_: Any, x: int) -> int:
    os._exit(1)


def test_task_error_names_the_item(cluster: Any) -> None:
    """A task raising on a worker is reported with the item that raised it and its error, in one line."""
    with pytest.raises(ClusterError) as raised:
        cluster.map(_raise_on_three, None, [1, 2, 3, 4])
    message = str(raised.value)
    assert message == "--dask local: _raise_on_three failed on a worker at int (ValueError: three is not allowed)", message
    assert cluster.map(_raise_on_three, None, [1, 2]) == [1, 2]  # the cluster is still usable


def test_workers_without_the_clients_tables_are_refused(cluster: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A client with user tables (POLICY_TRACKER_DATA) the workers do not read refuses the cluster before any work."""
    from policy_tracker.dask_executor import _check_workers

    _check_workers(cluster)  # the same install and tables: accepted
    (tmp_path / "aliases.yaml").write_text("车购税: 车辆购置税\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    with pytest.raises(ClusterError, match=r"^--dask local: worker tcp://\S+ reads other data tables than this client"):
        _check_workers(cluster)


@pytest.fixture(scope="module")
def fragile() -> Any:
    """A one-worker LocalCluster whose scheduler gives up on a task the first time its worker dies."""
    pytest.importorskip("distributed")
    import dask

    from policy_tracker.dask_executor import connect

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), connect("local", workers=1) as executor:
        yield executor


def test_worker_lost_during_a_step_is_a_cluster_error(fragile: Any) -> None:
    """A worker process that dies under a task ends the step with a ClusterError naming the address and the step."""
    with pytest.raises(ClusterError, match=r"^--dask local: the cluster failed during _exit_worker \(KilledWorker: "):
        fragile.map(_exit_worker, None, [1, 2])


def test_cluster_shut_down_between_steps_writes_nothing(fragile: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A cluster shut down after extraction stops ingest --dask before scoring: exit 1, one Error line, the ledger as it was."""
    import policy_tracker.dask_executor as dask_executor

    class ShutBeforeScoring(Counting):
        def map(self, fn: Any, shared: Any, items: Any) -> list[Any]:
            if fn.__name__ == "_score_partition":
                self.inner.client.shutdown()
            return super().map(fn, shared, items)

        def close(self) -> None:
            pass  # the fixture closes the cluster

    ledger = tmp_path / "l.yaml"
    before = _ledger(SEEDS, ledger)
    shut = ShutBeforeScoring(fragile)
    monkeypatch.setattr(dask_executor, "connect", lambda address, **kw: shut)
    code = main(["ingest", str(SEEDS), "--ledger", str(ledger), "--dask", "local", "--rematch", "-q"])
    err = capsys.readouterr().err.strip()
    assert shut.steps["_extract_one"] == 1 and shut.steps["_score_partition"] == 1, shut.steps
    assert code == 1 and ledger.read_bytes() == before
    assert err == (
        "Error: --dask local: the cluster is gone before candidate generation and pair scoring (client closed); "
        f"nothing was written to {ledger}"
    ), err
