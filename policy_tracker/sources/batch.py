"""Dates from the batch: an undated report takes the date of another report of the same event.

Several outlets report one event and not all of them give its date: one
writes 7月19日 without a year, another only 21日, a third only that the
reporter learned it at the national work conference.  A careful reader dates
them from the report that does give the date.  :func:`link_batch` does the
same: an undated document joins a document of the batch dated by its own text
(or a dated press conference of the ledger) when both report the same kind of
event, every clue the undated text gives agrees with that date, and exactly
one such date fits; otherwise the date stays unknown (with a warning naming
the candidates when there are several).  The vocabulary is ``same_event`` in
``data/dates.yaml``; see docs/dates.md, "Dates from the batch".
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..models import Document
from .dates import _alt, _dates, infer_period, year_clues
from .held import disagreement, stated_day

LINKED = "linked: "  # date_source prefix of a date taken from the dated press conference of the same period (load.link_undated)
NAMED = "named: "  # the event of a report that names the meeting it reports (not a same_event kind)
BATCH = "batch: "  # date_source prefix of a date taken from another report of the same event


def is_linked(date_source: str | None) -> bool:
    """Whether a date came from the same-period link (:func:`.load.link_undated`), not from the document itself."""
    return bool(date_source and date_source.startswith(LINKED))


def is_from_batch(date_source: str | None) -> bool:
    """Whether a date came from another report of the batch (:func:`link_batch`), not from the document itself."""
    return bool(date_source and date_source.startswith(BATCH))


def is_inferred(date_source: str | None) -> bool:
    """Whether a date came from another document (linked by period or from the batch), not from the document itself."""
    return is_linked(date_source) or is_from_batch(date_source)


@attrs.frozen
class Dated:
    """A dated report (or ledger briefing) an undated report may join."""

    briefing_id: str
    held: dt.date
    kind: str
    event: str | None
    period: str | None = None
    speakers: tuple[str, ...] = ()
    name: str = ""  # the document id (a ledger briefing: its id)


def _events() -> dict[str, dict[str, Any]]:
    table = _dates().get("same_event") or {}
    return {str(k): dict(v or {}) for k, v in table.items()}


def _head(doc: Document) -> str:
    from .metadata import _fold  # the folded head the date rules read (Traditional, mirror artefacts)

    return _fold(doc.text)[0]


@functools.lru_cache(maxsize=8)
def _named_pattern(key: str) -> re.Pattern[str] | None:
    spec = _dates().get("named_event") or {}
    verbs, ends = spec.get("verbs") or (), spec.get("ends") or ()
    if not verbs or not ends:
        return None
    return re.compile(rf"(?:{_alt(verbs)})(?P<name>[^，,。；;：:\n“”「」]{{{int(spec.get('min_chars', 8))},40}}?(?:{_alt(ends)}))")


def _speakers(doc: Document, head: str) -> tuple[str, ...]:
    """The document's speakers and those its folded head names (金壯龍 read as 金壮龙): who spoke tells 部长通道 apart."""
    from .metadata import find_speakers

    return tuple(dict.fromkeys((*doc.speakers, *find_speakers(head))))


def event_of(head: str, kind: str) -> str | None:
    """The event a report is about: the ``same_event`` word first in its head, else ``press_conference`` for a press conference,
    else the name of the meeting it reports (``named_event``: 召开加快推进5G发展…电视电话会议), else the first yearly event
    of ``event_editions`` it names (世界5G大会), else ``None``."""
    found = [(head.find(str(w)), name) for name, spec in _events().items() for w in spec.get("words") or () if str(w) in head]
    if found:
        return min(found)[1]
    if kind == "press_conference":
        return "press_conference"
    pattern = _named_pattern(os.environ.get("POLICY_TRACKER_DATA", ""))
    named = pattern.search(head) if pattern is not None else None
    if named:
        return f"{NAMED}{named['name']}"
    yearly = [(head.find(str(e)), str(e)) for e in _dates().get("event_editions") or () if str(e) in head]  # 世界5G大会今日开幕
    return f"{NAMED}{min(yearly)[1]}" if yearly else None


def fits(doc: Document, head: str, event: str | None, c: Dated) -> str | None:
    """The rule by which undated ``doc`` is a report of dated ``c``'s event, or ``None`` when a clue disagrees or too few agree."""
    if event is None or event != c.event or doc.kind != c.kind:
        return None
    spec = _events().get(event, {})
    held = c.held
    speakers = _speakers(doc, head)
    if spec.get("distinct_speakers") and speakers and c.speakers and not set(speakers) & set(c.speakers):
        return None
    if disagreement(head, held, doc.published) is not None:
        return None  # a day, weekday, year clue or the publication date (a report never precedes its event) rules it out
    day = stated_day(head)
    month, mday = day.value if day is not None else (None, None)  # type: ignore[misc]
    years = {y for y, _, _ in year_clues(head, held.month, doc.published, held.day)}
    period = doc.period or getattr(infer_period(head, held), "value", None)
    if period and c.period and period != c.period:
        return None
    same_period = bool(period and period == c.period)
    if month is not None:
        return "same month-day and event"
    if mday is not None and (years or same_period):
        return "same day, event and period" if same_period else "same day and event, year from the text"
    late = doc.published is not None and (doc.published - held).days > int(spec.get("reported_within_days", 100000))
    if mday is None and spec.get("once_a_year") and years and not late:
        return "same yearly event, year from the text"
    return None


def candidates_of(documents: Iterable[Document], dated: Mapping[str, set[tuple[str, dt.date]]] | None = None) -> list[Dated]:
    """The reports of the batch dated by their own text (not by another report), and the ledger's dated press conferences (period → {(briefing id, held)})."""
    out = [
        Dated(d.briefing_id or "", d.held, d.kind, event_of(_head(d), d.kind), d.period, _speakers(d, _head(d)), d.id)
        for d in documents
        if d.held is not None and not is_inferred(d.date_source)
    ]
    for period, found in sorted((dated or {}).items()):
        out.extend(Dated(bid, held, "press_conference", "press_conference", period, (), bid) for bid, held in sorted(found))
    return out


def link_batch(documents: Iterable[Document], dated: Mapping[str, set[tuple[str, dt.date]]] | None = None) -> list[Document]:
    """Date each undated document from the one dated report of the same event (see the module docstring)."""
    documents = list(documents)
    pool = candidates_of(documents, dated)
    out = []
    for d in documents:
        if d.held is None and pool:
            d = _judge(d, pool)
        out.append(d)
    return out


def _judge(d: Document, pool: list[Dated]) -> Document:
    head = _head(d)
    event = event_of(head, d.kind)
    found: dict[tuple[str, dt.date], tuple[Dated, str]] = {}
    for c in pool:
        if c.name == d.id:
            continue
        rule = fits(d, head, event, c)
        if rule is not None:
            found.setdefault((c.briefing_id, c.held), (c, rule))
    if not found:
        return d
    notes = tuple(w for w in d.warnings if "date held" not in w)
    if len(found) > 1:
        named = ", ".join(f"{c.name} ({c.held.isoformat()})" for c, _ in sorted(found.values(), key=lambda x: (x[0].held, x[0].name)))
        return attrs.evolve(d, warnings=(*d.warnings, f"date held unknown: reports of more than one dated event fit its clues: {named}"))
    (c, rule), = found.values()
    prov = dict(d.provenance)
    prov["held"] = f"inferred: {rule} as {c.name}"
    return attrs.evolve(
        d,
        held=c.held,
        briefing_id=c.briefing_id,
        date_source=f"{BATCH}same event as {c.name} ({rule})",
        provenance=prov,
        warnings=(*notes, f"date held inferred from {c.name}, a report of the same event ({rule})"),
    )


