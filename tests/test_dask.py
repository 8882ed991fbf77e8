"""ingest --dask: the ledger written on a Dask cluster is byte-identical to a local run's (skipped without dask)."""

from __future__ import annotations

import builtins
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from policy_tracker import parallel
from policy_tracker.cli import main
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
