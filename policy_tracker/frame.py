"""The ledger as a pandas DataFrame (optional extra: ``pip install policy-tracker[pandas]``)."""

from __future__ import annotations

from typing import Any

from .errors import PolicyTrackerError


def to_dataframe(ledger: Any, level: str = "mention") -> Any:
    """One row per mention (default) or per commitment (``level="commitment"``), from ``ledger.to_records``."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise PolicyTrackerError("to_dataframe needs pandas; install it with `pip install policy-tracker[pandas]`") from exc
    return pd.DataFrame.from_records(ledger.to_records(level))
