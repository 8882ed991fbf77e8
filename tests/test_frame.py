"""Tests for policy_tracker.ledger.dataframe: the optional pandas DataFrame export."""

from __future__ import annotations

import builtins
from typing import Any

import pytest

from policy_tracker.ledger import dataframe as frame
from policy_tracker.errors import PolicyTrackerError


class _Records:
    def to_records(self, level: str = "mention") -> list[dict[str, Any]]:
        return [{"level": level, "commitment": "a"}, {"level": level, "commitment": "b"}]


def test_to_dataframe_has_one_row_per_record() -> None:
    """With pandas installed, the frame holds exactly the ledger's records."""
    pytest.importorskip("pandas")
    df = frame.to_dataframe(_Records(), "commitment")
    assert list(df["commitment"]) == ["a", "b"] and set(df["level"]) == {"commitment"}


def test_to_dataframe_without_pandas_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas the error names the optional extra."""
    real_import = builtins.__import__

    def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pandas":
            raise ImportError("no pandas")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(PolicyTrackerError, match=r"policy-tracker\[pandas\]"):
        frame.to_dataframe(_Records())


@pytest.mark.parametrize("level", ["mention", "commitment"])
def test_to_records_passes_the_level(level: str) -> None:
    """to_records returns the ledger's records at the requested level."""
    assert {r["level"] for r in frame.to_records(_Records(), level)} == {level}
