"""Flat records of a ledger for pandas or CSV: every value a plain scalar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .status import formalisation, meter
from ..models import iso_date

if TYPE_CHECKING:  # pragma: no cover
    from .ledger import Ledger

LEVELS = ("mention", "commitment")


def _join(values: Any) -> str:
    return "; ".join(str(v) for v in values)


def records(ledger: Ledger, level: str = "mention") -> list[dict[str, Any]]:
    """One dict per mention (default) or per commitment; lists are joined with ``"; "``."""
    if level not in LEVELS:
        raise ValueError(f"level: expected one of {', '.join(LEVELS)}; got {level!r}")
    rows: list[dict[str, Any]] = []
    evidence = {e.id: e for e in ledger.evidence}
    for c in ledger:
        first, last = c.first_seen, c.last_seen
        head = {
            "commitment": c.id,
            "title": c.title,
            "status": c.status,
            "meter": meter(c.status),
            "formalisation": formalisation(c, evidence),
            "topics": _join(c.topics),
            "tags": _join(c.tags),
            "notes": c.notes or "",
            "first_seen": iso_date(first.date) if first else None,
            "last_seen": iso_date(last.date) if last else None,
        }
        if level == "commitment":
            rows.append({**head, "mentions": len(c.mentions), "evidence": _join(c.evidence), "aliases": _join(c.aliases)})
            continue
        for m in c.mentions:
            rows.append(
                {
                    **head,
                    "mention": m.id,
                    "source": m.source,
                    "start": m.start,
                    "end": m.end,
                    "quote": m.quote,
                    "date": iso_date(m.date),
                    "briefing": m.briefing,
                    "speaker": m.speaker,
                    "role": m.role,
                    "section": m.section,
                    "stage": m.stage,
                    "strength": m.strength,
                    "verbs": _join(m.verbs),
                    "targets": _join(t.raw for t in m.targets),
                    "deadlines": _join(d.period or d.raw for d in m.deadlines),
                    "instruments": _join(m.instruments),
                    "mention_topics": _join(m.topics),
                    "changes": _join(c.changes_of(m)),
                }
            )
    return rows
