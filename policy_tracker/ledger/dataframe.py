"""The ledger as pandas DataFrames (optional extra: ``pip install policy-tracker[pandas]``).

- :func:`to_dataframe`: one row per mention (or per commitment) with real
  dates (``datetime64``; missing = ``NaT``), lists as Python lists, and
  ``stage`` an ordered categorical in ladder order (``data/stages.yaml``), so
  ``df[df.stage >= "出台"]`` means "issued or further";
- :func:`targets_frame`: one row per quantitative target (value, unit,
  comparator, counted, raw);
- :func:`deadlines_frame`: one row per deadline (period, precision, ``due``
  = last day of the period, raw).

The rows are :mod:`policy_tracker.ledger.export`'s, so the columns match the CSV,
JSON lines and SQLite exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import PolicyTrackerError
from . import export

DATE_COLUMNS = ("first_seen", "last_seen", "verdict_date", "date", "due")


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as exc:
        raise PolicyTrackerError("to_dataframe needs pandas; install it with `pip install policy-tracker[pandas]`") from exc
    return pd


def stage_order(found: Sequence[str | None] = ()) -> list[str]:
    """Ladder stages in order, then any other stage found (sorted), for the ordered categorical."""
    from ..extraction.facets import ladder

    stages = list(ladder().stages)
    return stages + sorted({s for s in found if s and s not in stages})


def _frame(rows: list[dict[str, Any]], columns: Sequence[str]) -> Any:
    pd = _pandas()
    df = pd.DataFrame.from_records(rows, columns=list(columns))
    for name in DATE_COLUMNS:
        if name in df.columns:
            df[name] = pd.to_datetime(df[name])
    if "stage" in df.columns:
        df["stage"] = pd.Categorical(df["stage"], categories=stage_order(list(df["stage"])), ordered=True)
    return df


def to_records(ledger: Any, level: str = "mention") -> list[dict[str, Any]]:
    """Plain dicts, one per mention (default) or per commitment (``level="commitment"``); lists joined, dates as text."""
    return list(ledger.to_records(level))


def to_dataframe(ledger: Any, level: str = "mention") -> Any:
    """One row per mention (default) or commitment: real dates, lists as lists, stage an ordered categorical."""
    _pandas()
    rows = export.rows(ledger, level)
    return _frame(rows, list(rows[0]) if rows else export._empty_header(level))


def targets_frame(ledger: Any) -> Any:
    """The tidy targets table: commitment, mention, date, n, value, unit, comparator, counted, raw."""
    return _frame(export.target_rows(ledger), export.TARGET_COLUMNS)


def deadlines_frame(ledger: Any) -> Any:
    """The tidy deadlines table: commitment, mention, date, n, period, precision, due, raw."""
    return _frame(export.deadline_rows(ledger), export.DEADLINE_COLUMNS)
