"""The ledger as rows: one per mention (with its commitment's fields) or one per commitment.

:func:`rows` keeps native values (dates, lists, targets as dicts) for pandas,
JSON lines and SQLite; :func:`records` flattens them for CSV (lists joined
with ``"; "``, dates ``YYYY-MM-DD``).  Both come from the same two mappings,
:func:`commitment_fields` and :func:`mention_fields`, so every export shows
the same columns.  :func:`target_rows` and :func:`deadline_rows` are the tidy
tables (one row per target or deadline).  Writers: :func:`to_csv`,
:func:`to_jsonl`; SQLite is :mod:`policy_tracker.ledger.export_sqlite`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..models import Deadline, Evidence, Mention, Target, iso_date
from .status import formalisation, meter

if TYPE_CHECKING:  # pragma: no cover
    from .ledger import Ledger
    from .records import TrackedCommitment

LEVELS = ("mention", "commitment")


def commitment_fields(c: TrackedCommitment, evidence: Mapping[str, Evidence]) -> dict[str, Any]:
    """A commitment's own fields, analyst fields included (verdict and its note)."""
    first, last = c.first_seen, c.last_seen
    v = c.verdict
    return {
        "commitment": c.id,
        "title": c.title,
        "status": c.status,
        "meter": meter(c.status),
        "formalisation": formalisation(c, evidence),
        "topics": list(c.topics),
        "tags": list(c.tags),
        "notes": c.notes,
        "verdict_note": v.note if v else None,
        "verdict_date": v.date if v else None,
        "first_seen": first.date if first else None,
        "last_seen": last.date if last else None,
    }


def mention_fields(m: Mention) -> dict[str, Any]:
    """A mention's fields (targets and deadlines as their raw phrases; :func:`target_rows` has the parts)."""
    return {
        "mention": m.id,
        "source": m.source,
        "start": m.start,
        "end": m.end,
        "quote": m.quote,
        "date": m.date,
        "briefing": m.briefing,
        "speaker": m.speaker,
        "role": m.role,
        "section": m.section,
        "stage": m.stage,
        "strength": m.strength,
        "verbs": list(m.verbs),
        "targets": [t.raw for t in m.targets],
        "deadlines": [d.period or d.raw for d in m.deadlines],
        "instruments": list(m.instruments),
        "mention_topics": list(m.topics),
    }


def rows(ledger: Ledger, level: str = "mention") -> list[dict[str, Any]]:
    """One dict per mention (default) or per commitment, with native values: dates, lists."""
    if level not in LEVELS:
        raise ValueError(f"level: expected one of {', '.join(LEVELS)}; got {level!r}")
    evidence = {e.id: e for e in ledger.evidence}
    return [r for c in ledger for r in _rows_of(c, evidence, level)]


def _rows_of(c: TrackedCommitment, evidence: Mapping[str, Evidence], level: str) -> list[dict[str, Any]]:
    head = commitment_fields(c, evidence)
    if level == "commitment":
        return [{**head, "mentions": len(c.mentions), "evidence": list(c.evidence), "aliases": list(c.aliases)}]
    return [{**head, **mention_fields(m), "changes": list(c.changes_of(m))} for m in c.mentions]


def flat(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row with plain scalars only: lists joined with ``"; "``, dates as ``YYYY-MM-DD``, None kept."""
    out = {}
    for k, v in row.items():
        if isinstance(v, (list, tuple)):
            v = "; ".join(str(x.get("raw", x)) if isinstance(x, dict) else str(x) for x in v)
        elif isinstance(v, dt.date):
            v = iso_date(v)
        out[k] = v
    return out


def records(ledger: Ledger, level: str = "mention") -> list[dict[str, Any]]:
    """:func:`rows` flattened for CSV: every value a plain scalar."""
    return [flat(r) for r in rows(ledger, level)]


# --------------------------------------------------------------------------- tidy tables

_PERIOD = re.compile(r"^(\d{4})(?:(H[12])|Q([1-4])|-(\d{2})(?:-(\d{2}))?|-(\d{4}))?$")


def period_end(period: str | None) -> dt.date | None:
    """The last day of a deadline period: ``2023`` → 2023-12-31, ``2023H1`` → 2023-06-30, ``2021-2025`` → 2025-12-31."""
    m = _PERIOD.match(period or "")
    if not m:
        return None
    year, half, quarter, month, day, until = m.groups()
    y = int(until or year)
    if day:
        return dt.date(y, int(month), int(day))
    end_month = int(month) if month else 6 if half == "H1" else 3 * int(quarter) if quarter else 12
    if not 1 <= end_month <= 12:
        return None
    nxt = dt.date(y + (end_month == 12), end_month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _owner(ledger: Ledger) -> Iterable[tuple[str, Mention]]:
    for c in ledger:
        for m in c.mentions:
            yield c.id, m


TARGET_COLUMNS = ("commitment", "mention", "date", "n", "value", "unit", "comparator", "counted", "raw")
DEADLINE_COLUMNS = ("commitment", "mention", "date", "n", "period", "precision", "due", "raw")


def target_record(commitment: str, m: Mention, i: int, t: Target) -> dict[str, Any]:
    """Target ``i`` of mention ``m`` as a :data:`TARGET_COLUMNS` row."""
    return dict(zip(TARGET_COLUMNS, (commitment, m.id, m.date, i, t.value, t.unit, t.comparator, t.counted, t.raw), strict=True))


def deadline_record(commitment: str, m: Mention, i: int, d: Deadline) -> dict[str, Any]:
    """Deadline ``i`` of mention ``m`` as a :data:`DEADLINE_COLUMNS` row (``due`` = last day of its period)."""
    values = (commitment, m.id, m.date, i, d.period, d.precision, period_end(d.period), d.raw)
    return dict(zip(DEADLINE_COLUMNS, values, strict=True))


def target_rows(ledger: Ledger) -> list[dict[str, Any]]:
    """One row per quantitative target: commitment, mention, date, n, value, unit, comparator, counted, raw."""
    return [target_record(cid, m, i, t) for cid, m in _owner(ledger) for i, t in enumerate(m.targets)]


def deadline_rows(ledger: Ledger) -> list[dict[str, Any]]:
    """One row per deadline: commitment, mention, date, n, period, precision, due (last day of the period), raw."""
    return [deadline_record(cid, m, i, d) for cid, m in _owner(ledger) for i, d in enumerate(m.deadlines)]


# --------------------------------------------------------------------------- writers

#: CSV is written for Excel unless asked otherwise: a UTF-8 byte-order mark (without it Excel
#: reads UTF-8 as the local code page and shows Chinese as mojibake) and formula cells neutralised.
EXCEL_CSV = True
# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection);
# a leading apostrophe makes it text.  Numbers stay numbers: only text cells are guarded.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def excel_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text Excel would take for a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, excel: bool = EXCEL_CSV) -> str:
    """CSV with one header row and ``\\n`` line ends; None is empty; for Excel (:data:`EXCEL_CSV`) a BOM and guarded cells."""
    buf = io.StringIO()
    if excel:
        buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else excel_cell(v) if excel else v for v in row])
    return buf.getvalue()


def to_jsonl(ledger: Ledger, level: str = "mention") -> str:
    """One JSON object per line (UTF-8 text, dates ``YYYY-MM-DD``, lists as arrays)."""
    return "".join(json.dumps(r, ensure_ascii=False, default=_iso_default) + "\n" for r in rows(ledger, level))


def _iso_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return iso_date(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_csv(ledger: Ledger, level: str = "mention", *, excel: bool | None = None) -> str:
    """:func:`records` as CSV (for Excel by default: see :data:`EXCEL_CSV`)."""
    recs = records(ledger, level)
    header = list(recs[0]) if recs else _empty_header(level)
    return csv_text(header, ([r[k] for k in header] for r in recs), excel=EXCEL_CSV if excel is None else excel)


def _empty_header(level: str) -> list[str]:
    """The columns of a ledger without commitments: those of a one-mention placeholder."""
    from .records import TrackedCommitment

    m = Mention("x", 0, 1, "x")
    return list(_rows_of(TrackedCommitment("x", "x", (m,)), {}, level)[0])
