"""Reports as plain data: JSON-ready dictionaries (a stable, versioned schema) and CSV.

The schemas are documented for users in docs/report-formats.md; keep both in step.

Schemas (every date ``YYYY-MM-DD`` or null; keys always present):

``policy-tracker/diff/1``
    ``{"schema", "a": briefing, "b": briefing, "counts": {section: n},
    "sections": {section: [entry]}}`` with sections ``new``, ``advanced``,
    ``changed``, ``reworded``, ``unchanged``, ``not_restated``; an entry is
    ``{"commitment", "title", "section", "changes": [change type],
    "first_seen", "last_seen", "a": mention|null, "b": mention|null,
    "diff": [[op, text]], "status", "tags", "notes", "verdict":
    status change|null}`` where op is ``=`` kept, ``-`` only in A, ``+``
    only in B.  ``changes`` holds evolution's change types, or ``new``
    (first stated after A), ``resumed`` (stated before A, absent from A) or
    ``not_restated``.

``policy-tracker/timeline/1``
    ``{"schema", "timelines": [timeline]}``; a timeline is ``{"commitment",
    "title", "topics", "first_seen", "last_seen", "entries":
    [{"briefing", "date", "changes", "diff", "mention"}], "not_restated_in":
    [briefing id], "evidence": [evidence], "suggested_evidence": [evidence +
    {"score"}], "status": current status,
    "status_history": [status change], "tags", "notes"}``; a status change is
    ``{"status", "by", "briefing", "date", "evidence", "note"}`` (``by`` is
    ``machine`` or ``analyst``).

``policy-tracker/overview/1``
    ``{"schema", "briefings": [briefing + {"mentions", "commitments",
    "new", "cells": {cell class: n}}], "topics": {topic: n}, "speakers": {speaker: n}, "newest",
    "advanced", "stalled", "dormant": [commitment id], "grid": [{"commitment",
    "title", "status", "tags", "notes", "verdict": status change|null,
    "cells": {briefing id: cell class|null}}], "fulfilment": {"statuses":
    [{"status", "count", "measured", "median_days", "to"}], "horizons": [k],
    "survival": [{"topic", "at_risk": [n], "restated": [n], "share":
    [x|null]}]}}``.

A mention is ``{"id", "source", "start", "end", "briefing", "date",
"speaker", "role", "quote", "text", "stage", "strength", "targets": [{"raw",
"value", "unit", "comparator", "counted"}], "deadlines": [{"raw", "period",
"precision"}], "instruments", "topics"}``; a briefing is ``{"id", "held",
"kind", "period", "event", "speakers", "documents"}``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..ledger.export import EXCEL_CSV, csv_text
from ..ledger.records import StatusChange
from ..models import Briefing, Deadline, Evidence, Mention, Target, iso_date
from .fulfilment import Fulfilment
from .overview import Overview
from .report import BriefingDiff, DiffEntry, Timeline

DIFF_SCHEMA = "policy-tracker/diff/1"
TIMELINE_SCHEMA = "policy-tracker/timeline/1"
OVERVIEW_SCHEMA = "policy-tracker/overview/1"


def _date(d: dt.date | None) -> str | None:
    return iso_date(d)


def briefing_record(b: Briefing) -> dict[str, Any]:
    return {
        "id": b.id,
        "held": _date(b.held),
        "kind": b.kind,
        "period": b.period,
        "event": b.event,
        "speakers": list(b.speakers),
        "documents": list(b.documents),
    }


def target_record(t: Target) -> dict[str, Any]:
    return {"raw": t.raw, "value": t.value, "unit": t.unit, "comparator": t.comparator, "counted": t.counted}


def deadline_record(d: Deadline) -> dict[str, Any]:
    return {"raw": d.raw, "period": d.period, "precision": d.precision}


def mention_record(m: Mention) -> dict[str, Any]:
    return {
        "id": m.id,
        "source": m.source,
        "start": m.start,
        "end": m.end,
        "briefing": m.briefing,
        "date": _date(m.date),
        "speaker": m.speaker,
        "role": m.role,
        "quote": m.quote,
        "text": m.text,
        "stage": m.stage,
        "strength": m.strength,
        "targets": [target_record(t) for t in m.targets],
        "deadlines": [deadline_record(d) for d in m.deadlines],
        "instruments": list(m.instruments),
        "topics": list(m.topics),
    }


def evidence_record(e: Evidence) -> dict[str, Any]:
    return {"id": e.id, "source": e.source, "date": _date(e.date), "speaker": e.speaker, "quote": e.quote}


def status_record(s: StatusChange) -> dict[str, Any]:
    return {"status": s.status, "by": s.by, "briefing": s.briefing, "date": _date(s.date), "evidence": list(s.evidence), "note": s.note}


def entry_record(e: DiffEntry) -> dict[str, Any]:
    return {
        "commitment": e.commitment,
        "title": e.title,
        "section": e.section,
        "changes": list(e.changes),
        "first_seen": _date(e.first_seen),
        "last_seen": _date(e.last_seen),
        "a": mention_record(e.before) if e.before else None,
        "b": mention_record(e.after) if e.after else None,
        "diff": [list(op) for op in e.diff],
        "status": e.status,
        "tags": list(e.tags),
        "notes": e.notes,
        "verdict": status_record(e.verdict) if e.verdict else None,
    }


def diff_to_dict(d: BriefingDiff) -> dict[str, Any]:
    sections = d.sections()
    return {
        "schema": DIFF_SCHEMA,
        "a": briefing_record(d.a),
        "b": briefing_record(d.b),
        "counts": {key: len(entries) for key, _, entries in sections},
        "sections": {key: [entry_record(e) for e in entries] for key, _, entries in sections},
    }


def timeline_record(t: Timeline) -> dict[str, Any]:
    c = t.commitment
    return {
        "commitment": c.id,
        "title": c.title,
        "topics": list(c.topics),
        "first_seen": _date(c.first_seen.date) if c.first_seen else None,
        "last_seen": _date(c.last_seen.date) if c.last_seen else None,
        "entries": [
            {
                "briefing": e.briefing.id if e.briefing else e.mention.briefing,
                "date": _date(e.mention.date),
                "changes": list(e.changes),
                "diff": [list(op) for op in e.diff],
                "mention": mention_record(e.mention),
            }
            for e in t.entries
        ],
        "not_restated_in": [b.id for b in t.missing],
        "evidence": [evidence_record(e) for e in t.evidence],
        "suggested_evidence": [{**evidence_record(e), "score": round(score, 1)} for e, score in t.suggested],
        "status": t.status,
        "status_history": [status_record(s) for s in t.status_history],
        "tags": list(c.tags),
        "notes": c.notes,
    }


def timelines_to_dict(ts: Sequence[Timeline]) -> dict[str, Any]:
    return {"schema": TIMELINE_SCHEMA, "timelines": [timeline_record(t) for t in ts]}


def overview_to_dict(o: Overview) -> dict[str, Any]:
    ids = [bc.briefing.id for bc in o.briefings]
    return {
        "schema": OVERVIEW_SCHEMA,
        "briefings": [
            {**briefing_record(bc.briefing), "mentions": bc.mentions, "commitments": bc.commitments, "new": bc.new,
             "cells": counts}
            for bc, counts in zip(o.briefings, o.column_counts(), strict=True)
        ],
        "topics": dict(o.topics),
        "speakers": dict(o.speakers),
        "newest": [t.id for t in o.newest],
        "advanced": [t.id for t in o.advanced],
        "stalled": [t.id for t in o.stalled],
        "dormant": [t.id for t in o.dormant],
        "grid": [
            {"commitment": t.id, "title": t.title, "status": t.status, "tags": list(t.tags),
             "notes": t.notes, "verdict": status_record(t.verdict) if t.verdict else None,
             "cells": dict(zip(ids, cells, strict=True))}
            for t, cells in o.grid()
        ],
        "fulfilment": fulfilment_to_dict(o.fulfilment) if o.fulfilment else None,
    }  # fmt: skip


def fulfilment_to_dict(f: Fulfilment) -> dict[str, Any]:
    """Median days per status and the survival table (:mod:`policy_tracker.reports.fulfilment`)."""
    return {
        "statuses": [
            {"status": s.status, "count": s.count, "measured": s.measured, "median_days": s.median_days, "to": s.to} for s in f.statuses
        ],
        "horizons": list(f.horizons),
        "survival": [
            {"topic": v.topic, "at_risk": list(v.at_risk), "restated": list(v.restated),
             "share": [None if x is None else round(x, 3) for x in v.shares]}
            for v in f.survival
        ],
    }  # fmt: skip


def to_json(data: dict[str, Any]) -> str:
    """Deterministic JSON: UTF-8 text (not \\u escapes), two-space indent, key order as built."""
    return json.dumps(data, ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- CSV


def marked_diff(ops: Iterable[tuple[str, str]]) -> str:
    """A diff as plain text: ``[-deleted-]`` and ``{+inserted+}`` (git word-diff style)."""
    parts = []
    for op, text in ops:
        parts.append(text if op == "=" else f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
    return "".join(parts)


def targets_text(m: Mention | None) -> str:
    return "; ".join(t.raw for t in m.targets) if m else ""


def deadlines_text(m: Mention | None) -> str:
    if m is None:
        return ""
    return "; ".join(f"{d.raw} ({d.period})" if d.period and d.period != d.raw else d.raw for d in m.deadlines)


def _verdict_note(v: StatusChange | None) -> str:
    return (v.note or "") if v else ""


def diff_to_csv(d: BriefingDiff, *, excel: bool = EXCEL_CSV) -> str:
    """One row per commitment in the diff: section, change types, both statements, the marked diff."""
    header = [
        "section", "commitment", "title", "changes",
        "a_briefing", "a_date", "a_speaker", "a_stage", "a_targets", "a_deadlines", "a_quote",
        "b_briefing", "b_date", "b_speaker", "b_stage", "b_targets", "b_deadlines", "b_quote",
        "diff", "status", "tags", "notes", "verdict_note",
    ]  # fmt: skip
    rows = []
    for key, _, entries in d.sections():
        for e in entries:
            row: list[Any] = [key, e.commitment, e.title, ";".join(e.changes)]
            for m, b in ((e.before, d.a), (e.after, d.b)):
                row += [b.id if m else "", _date(m.date) if m else "", m.speaker if m else "", m.stage if m else ""]
                row += [targets_text(m), deadlines_text(m), m.quote if m else ""]
            row += [marked_diff(e.diff), e.status, ";".join(e.tags), e.notes, _verdict_note(e.verdict)]
            rows.append(row)
    return csv_text(header, rows, excel=excel)


def timelines_to_csv(ts: Sequence[Timeline], *, excel: bool = EXCEL_CSV) -> str:
    """One row per statement: commitment, briefing, date, speaker, change types, stage, targets, quote, diff, analyst fields."""
    header = ["commitment", "title", "briefing", "date", "speaker", "changes", "stage", "targets", "deadlines", "quote", "diff",
              "status", "tags", "notes", "verdict_note"]  # fmt: skip
    rows = []
    for t in ts:
        c = t.commitment
        for e in t.entries:
            m = e.mention
            rows.append(
                [c.id, c.title, e.briefing.id if e.briefing else m.briefing, _date(m.date),
                 m.speaker, ";".join(e.changes), m.stage, targets_text(m), deadlines_text(m), m.quote,
                 marked_diff(e.diff), t.status, ";".join(c.tags), c.notes, _verdict_note(t.verdict)]
            )  # fmt: skip
    return csv_text(header, rows, excel=excel)


def overview_to_csv(o: Overview, *, excel: bool = EXCEL_CSV) -> str:
    """One row per commitment: first/last seen, latest change, status, analyst fields, then one cell class per briefing."""
    ids = [bc.briefing.id for bc in o.briefings]
    header = ["commitment", "title", "topics", "first_seen", "last_seen", "briefings_stated", "latest_change", "status",
              "tags", "notes", "verdict_note", *ids]  # fmt: skip
    rows = []
    for t, cells in o.grid():
        rows.append(
            [t.id, t.title, ";".join(t.topics), _date(t.first_seen), _date(t.last_seen), len(t.statements), t.latest_change, t.status,
             ";".join(t.tags), t.notes, _verdict_note(t.verdict), *(cell or "" for cell in cells)]
        )  # fmt: skip
    return csv_text(header, rows, excel=excel)
