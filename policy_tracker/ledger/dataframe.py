"""The ledger as flat records or a pandas DataFrame (optional extra: ``pip install policy-tracker[pandas]``)."""

from __future__ import annotations

from typing import Any

from ..errors import PolicyTrackerError


def to_records(ledger: Any, level: str = "mention") -> list[dict[str, Any]]:
    """Plain dicts, one per mention (default) or per commitment (``level="commitment"``)."""
    return list(ledger.to_records(level))


def to_dataframe(ledger: Any, level: str = "mention") -> Any:
    """:func:`to_records` as a pandas DataFrame."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise PolicyTrackerError("to_dataframe needs pandas; install it with `pip install policy-tracker[pandas]`") from exc
    return pd.DataFrame.from_records(to_records(ledger, level))
