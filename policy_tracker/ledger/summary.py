"""A commitment's summary: what the whole-ledger overview (``policy-tracker report``) needs of it, as plain data.

The overview lists every commitment with its status, dates, analyst fields and
one grid cell per briefing that stated it; it never shows a quote but the
latest.  Computing that means deriving each commitment's restatements
(:func:`evolution.evolve`), which at 10⁵ mentions is most of a report's
cost.  A summary depends on the commitment alone (and the stage ladder that
types the changes, :func:`stamp`), not on the other commitments or on the
briefings, so a ledger folder's index keeps one per commitment file, written
when the file is written or re-read (:mod:`policy_tracker.ledger.folder_index`),
and the report reads those instead of loading every commitment.
:mod:`policy_tracker.reports.report` turns summaries and the ledger's briefings
into the overview, for a single file (summaries computed from the loaded
commitments) and a folder alike, so both give the same report.

The one part that depends on the briefings, a status history derived for a
commitment whose file has none, is left out (``history`` false) and filled in
by :func:`with_history` when the briefings are known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from ..models import Commitment, date_key
from .records import TrackedCommitment
from . import evolution

#: Bump when the summary's content changes: the index then computes every summary again.
VERSION = 2

StageRank = Callable[[str | None], int | None]


def stamp() -> str:
    """What summaries depend on besides the commitment: this module's version and the stage ladder in force."""
    try:
        from ..extraction.facets import ladder

        stages: Sequence[str] = tuple(ladder().stages)
    except ImportError:  # pragma: no cover - before the extraction stage exists
        stages = ()
    return repr((VERSION, tuple(stages)))


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _change(h: Any) -> dict[str, Any]:
    return {"status": h.status, "by": h.by, "briefing": h.briefing, "date": _iso(h.date), "evidence": list(h.evidence), "note": h.note}


def _history(c: Commitment, history: Sequence[Any]) -> dict[str, Any]:
    verdicts = [h for h in history if h.by == "analyst"]
    return {"latest": history[-1].status if history else None, "verdict": _change(verdicts[-1]) if verdicts else None}


def summarize(c: Commitment, stage_rank: StageRank | None = None, *, hand_edits: bool = False) -> dict[str, Any]:
    """The summary of one commitment (see the module docstring); JSON-ready.

    ``hand_edits``: the commitment is as read from its file, so take in what
    loading it would (:func:`curation.detect_hand_edits`): a status set by hand
    is a verdict as of the latest briefing, which the summary leaves to the
    reader to fill in (``hand``).
    """
    hand = False
    if hand_edits and isinstance(c, TrackedCommitment):
        from .curation import detect_hand_edits

        edited = detect_hand_edits(c, None)
        hand, c = edited.history != c.history, edited
    groups: list[list[Any]] = []
    quote = None
    evo = None
    if c.mentions:
        evo = evolution.evolve(c, (), stage_rank=stage_rank, diffs=False)
        for r in evo.restatements:
            if "repeat" in r.changes:
                groups[-1][3] += 1
                continue
            m = r.mention
            groups.append([m.briefing, m.source, list(r.changes), 1])
            quote = m.quote
    history = tuple(getattr(c, "history", ()) or ())
    first, last = c.first_seen, c.last_seen
    return {
        "id": c.id,
        "title": c.title,
        "status": c.status,
        "topics": list(c.topics),
        "tags": list(c.tags),
        "notes": c.notes,
        "first": _iso(first.date) if first else None,
        "last": _iso(last.date) if last else None,
        "speakers": sorted({m.speaker for m in c.mentions if m.speaker}),
        "quote": quote,
        # per briefing that stated it, in order: [mention's briefing, its document, change types, mentions in that briefing]
        "groups": groups,
        # the sort key of its first mention as listed: the overview lists commitments in this order
        "key": list(first.sort_key()) if first else None,
        # the first briefing (or document) by date and offset: briefings held after it that did not state it are its gaps
        "since": [date_key(evo.first_seen.date), evolution.briefing_of(evo.first_seen)] if c.mentions else None,
        "history": bool(history) or not c.mentions,
        "hand": hand,  # the verdict was set by hand in the file: it holds as of the ledger's latest briefing
        **_history(c, history if c.mentions else ()),
    }


def with_history(summary: dict[str, Any], c: Commitment, order: Any, stage_rank: StageRank | None = None) -> dict[str, Any]:
    """``summary`` with the status history derived from the briefings (``order``: a ``status.Chronology``) when the commitment has none."""
    if summary["history"]:
        return summary
    from . import status

    derived = status.derive(evolution.evolve(c, order, stage_rank=stage_rank, diffs=False), order)
    return {**summary, "history": True, **_history(c, derived)}
