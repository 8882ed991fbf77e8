"""Tests for policy_tracker.ledger.dataframe: the optional pandas DataFrames (skipped cleanly without pandas)."""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any

import pytest

from policy_tracker.ledger import dataframe as frame
from policy_tracker.errors import PolicyTrackerError
from policy_tracker.ledger import Ledger
from tests.report_samples import GOLDEN

SEEDS = Ledger.load(GOLDEN / "seeds-ledger.yaml")


@pytest.fixture(scope="module")
def pd() -> Any:
    return pytest.importorskip("pandas")


def test_to_dataframe_has_real_dates_lists_and_an_ordered_stage(pd: Any) -> None:
    """Dates are datetime64, list columns hold lists, stage is an ordered categorical in ladder order."""
    df = frame.to_dataframe(SEEDS)
    assert len(df) == len(SEEDS.mentions)
    for name in ("date", "first_seen", "last_seen", "verdict_date"):
        assert pd.api.types.is_datetime64_any_dtype(df[name]), name
    assert isinstance(df["topics"].iloc[0], list) and isinstance(df["verbs"].iloc[0], list)
    stage = df["stage"].dtype
    assert isinstance(stage, pd.CategoricalDtype) and stage.ordered
    assert list(stage.categories[:6]) == ["研究", "制定", "出台", "启动", "实施", "深化"]
    assert (df[df["stage"] >= "出台"]["stage"].isin(["出台", "启动", "实施", "深化"])).all()


def test_commitment_frame_has_one_row_per_commitment(pd: Any) -> None:
    """level="commitment" gives one row per commitment with its mention count."""
    df = frame.to_dataframe(SEEDS, "commitment")
    assert len(df) == len(SEEDS) and df["mentions"].sum() == len(SEEDS.mentions)


def test_targets_frame_is_tidy(pd: Any) -> None:
    """One row per target with a numeric value, its unit, comparator and raw phrase."""
    df = frame.targets_frame(SEEDS)
    expected = sum(len(m.targets) for m in SEEDS.mentions)
    assert len(df) == expected > 0
    assert list(df.columns) == ["commitment", "mention", "date", "n", "value", "unit", "comparator", "counted", "raw"]
    assert pd.api.types.is_float_dtype(df["value"]) and pd.api.types.is_datetime64_any_dtype(df["date"])


def test_deadlines_frame_has_due_dates(pd: Any) -> None:
    """Deadlines with a period get ``due``, the last day of the period, as a real date."""
    df = frame.deadlines_frame(SEEDS)
    assert len(df) == sum(len(m.deadlines) for m in SEEDS.mentions) > 0
    year = df[df["period"] == "2023"]
    assert not year.empty and (year["due"] == pd.Timestamp(2023, 12, 31)).all()


def test_empty_ledger_frames_keep_their_columns(pd: Any) -> None:
    """An empty ledger gives empty frames with the same columns."""
    empty = Ledger()
    assert "stage" in frame.to_dataframe(empty).columns and len(frame.to_dataframe(empty)) == 0
    assert len(frame.targets_frame(empty).columns) == 9


def test_to_dataframe_without_pandas_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas the error names the optional extra."""
    real_import = builtins.__import__

    def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pandas":
            raise ImportError("no pandas")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(PolicyTrackerError, match=r"policy-tracker\[pandas\]"):
        frame.to_dataframe(SEEDS)


@pytest.mark.parametrize("level", ["mention", "commitment"])
def test_to_records_are_plain_scalars(level: str) -> None:
    """to_records joins lists and writes dates as text (the CSV view of the same rows)."""
    rows = frame.to_records(SEEDS, level)
    assert rows and all(not isinstance(v, (list, dict, dt.date)) for r in rows for v in r.values())
