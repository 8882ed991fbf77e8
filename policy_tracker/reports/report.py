"""Reports over a ledger: the diff between two briefings, commitment timelines, an overview.

Everything here is computed from the ledger (anything with ``.commitments``
and ``.briefings``) and returned as frozen attrs values; rendering lives
in :mod:`policy_tracker.reports.markdown`, :mod:`policy_tracker.reports.html` and
:mod:`policy_tracker.reports.data` (JSON, CSV).  How one mention differs from an earlier
one (change types, character diff) is decided by
:mod:`policy_tracker.ledger.evolution`; this module only sorts those verdicts into
the sections an analyst reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from ..ledger import evolution
from ..ledger import status
from ..errors import LookupFailed
from ..models import UNDATED, Briefing, Commitment, Evidence, Mention, iso_date
from ..ledger.records import StatusChange

from .labels import CELL_CLASSES, SECTION_KEYS, SECTIONS, cell_class, ordered_briefings, section_for  # noqa: F401 - report.CELL_CLASSES … as before


class LedgerLike(Protocol):
    """What reports need from a ledger: commitments and briefings."""

    @property
    def commitments(self) -> Sequence[Commitment]: ...

    @property
    def briefings(self) -> Sequence[Briefing]: ...


# --------------------------------------------------------------------------- comparison


@attrs.frozen
class Comparison:
    """How ``after`` restates ``before``: change types and a character diff of the texts."""

    changes: tuple[str, ...]
    diff: tuple[tuple[str, str], ...] = ()


StageRank = Callable[[str | None], int | None]


def compare(before: Mention, after: Mention, stage_rank: StageRank | None = None) -> Comparison:
    """How ``after`` differs from ``before``, as judged by :mod:`policy_tracker.ledger.evolution`."""
    changes = evolution.compare(before, after, stage_rank)
    return Comparison(changes, evolution.char_diff(evolution.text_of(before), evolution.text_of(after)))


# --------------------------------------------------------------------------- briefings


def briefing_label(b: Briefing) -> str:
    """``2023-04-20 press conference (2023Q1)``."""
    held = iso_date(b.held, UNDATED)
    period = f" ({b.period})" if b.period else ""
    return f"{held} {b.kind.replace('_', ' ')}{period}"


def resolve_briefing(ledger: LedgerLike, ref: str) -> Briefing:
    """Find a briefing by id, by date held (``2023-04-20``), or by document id or file path."""
    briefings = tuple(ledger.briefings)
    for b in briefings:
        if b.id == ref:
            return b
    try:
        day = dt.date.fromisoformat(ref)
    except ValueError:
        day = None
    if day is not None:
        found = [b for b in briefings if b.held == day]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            ids = ", ".join(b.id for b in found)
            raise LookupFailed(f"{ref}: several briefings were held that day ({ids}); give a briefing id")
    stem = Path(ref).stem
    for b in briefings:
        if stem in b.documents:
            return b
    known = ", ".join(f"{b.id}" for b in briefings) or "none; run `policy-tracker ingest` first"
    if Path(ref).suffix.lower() in (".txt", ".md"):
        raise LookupFailed(f"{ref}: document {stem} is not in the ledger; add it with `policy-tracker ingest {ref}`")
    raise LookupFailed(f"{ref}: no briefing with that id, date or document; known briefings: {known}")


def _ordered_briefings(ledger: LedgerLike) -> tuple[Briefing, ...]:
    return ordered_briefings(ledger.briefings)


def _representative(mentions: Sequence[Mention]) -> Mention:
    """A briefing's statement of a pledge: its first mention, as in :func:`evolution.evolve` (later ones repeat it)."""
    return min(mentions, key=lambda m: (*m.sort_key(), m.id))


def _in_briefing(c: Commitment, b: Briefing) -> tuple[Mention, ...]:
    return tuple(m for m in c.mentions if m.briefing == b.id or (m.briefing is None and m.source in b.documents))


# --------------------------------------------------------------------------- diff


@attrs.frozen
class DiffEntry:
    """One commitment in a briefing diff: its statements in A and B and what changed."""

    commitment: str
    title: str
    section: str
    changes: tuple[str, ...]
    before: Mention | None
    after: Mention | None
    diff: tuple[tuple[str, str], ...] = ()
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    status: str | None = None
    verdict: StatusChange | None = None


@attrs.frozen
class BriefingDiff:
    """What briefing ``b`` says compared with briefing ``a``, one tuple of entries per section."""

    a: Briefing
    b: Briefing
    new: tuple[DiffEntry, ...] = ()
    advanced: tuple[DiffEntry, ...] = ()
    changed: tuple[DiffEntry, ...] = ()
    reworded: tuple[DiffEntry, ...] = ()
    unchanged: tuple[DiffEntry, ...] = ()
    not_restated: tuple[DiffEntry, ...] = ()

    def sections(self) -> tuple[tuple[str, str, tuple[DiffEntry, ...]], ...]:
        """``(key, heading, entries)`` for every section in reading order."""
        return tuple((key, heading, getattr(self, key)) for key, heading in SECTIONS)



def _position(m: Mention | None) -> tuple[str, int]:
    return (m.source, m.start) if m else ("", 0)


def diff_briefings(
    ledger: LedgerLike, a: str | Briefing, b: str | Briefing, *, stage_rank: StageRank | None = None
) -> BriefingDiff:
    """Compare two briefings (ids, dates or document paths): new, advanced, changed, reworded, unchanged, dropped."""
    ba = a if isinstance(a, Briefing) else resolve_briefing(ledger, a)
    bb = b if isinstance(b, Briefing) else resolve_briefing(ledger, b)
    groups: dict[str, list[DiffEntry]] = {key: [] for key in SECTION_KEYS}
    for c in ledger.commitments:
        in_a, in_b = _in_briefing(c, ba), _in_briefing(c, bb)
        if not in_a and not in_b:
            continue
        first = c.first_seen.date if c.first_seen else None
        last = c.last_seen.date if c.last_seen else None
        common = {
            "commitment": c.id, "title": c.title, "first_seen": first, "last_seen": last,
            "tags": tuple(c.tags), "notes": c.notes, "status": c.status, "verdict": getattr(c, "verdict", None),
        }  # fmt: skip
        if in_a and in_b:
            before, after = _representative(in_a), _representative(in_b)
            cmp = compare(before, after, stage_rank)
            section = section_for(cmp.changes)
            groups[section].append(DiffEntry(section=section, changes=cmp.changes, before=before, after=after, diff=cmp.diff, **common))
        elif in_b:
            after = _representative(in_b)
            # stated before A, skipped by A, back in B: still listed as new in B, but marked
            earlier = first is not None and ba.held is not None and first < ba.held
            change = "resumed" if earlier else "new"
            groups["new"].append(DiffEntry(section="new", changes=(change,), before=None, after=after, **common))
        else:
            before = _representative(in_a)
            groups["not_restated"].append(
                DiffEntry(section="not_restated", changes=("not_restated",), before=before, after=None, **common)
            )
    for key, entries in groups.items():
        entries.sort(key=lambda e: (_position(e.after or e.before), e.commitment))
    return BriefingDiff(a=ba, b=bb, **{k: tuple(v) for k, v in groups.items()})


# --------------------------------------------------------------------------- timelines


@attrs.frozen
class TimelineEntry:
    """One briefing's statement of a pledge: the first (``changes == ("first",)``) or a restatement."""

    mention: Mention
    briefing: Briefing | None
    changes: tuple[str, ...]
    diff: tuple[tuple[str, str], ...] = ()

    @property
    def cell(self) -> str:
        return "new" if "first" in self.changes else cell_class(self.changes)


@attrs.frozen
class Timeline:
    """A commitment's history from first appearance: statements, gaps, evidence, status.

    ``evidence`` is what an analyst linked; ``suggested`` are the ledger's
    unconfirmed candidates (progress statements, score 0–100), best first.
    """

    commitment: Commitment
    entries: tuple[TimelineEntry, ...]
    missing: tuple[Briefing, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    status_history: tuple[StatusChange, ...] = ()
    suggested: tuple[tuple[Evidence, float], ...] = ()

    @property
    def status(self) -> str | None:
        """The current status: the analyst's if set, else the latest derived one."""
        if self.commitment.status:
            return self.commitment.status
        return self.status_history[-1].status if self.status_history else None

    @property
    def latest_change(self) -> str:
        """Cell class of the latest restatement (``new`` when never restated)."""
        return self.entries[-1].cell if self.entries else "new"

    @property
    def verdict(self) -> StatusChange | None:
        """The latest analyst verdict in the status history, if any."""
        verdicts = [h for h in self.status_history if h.by == "analyst"]
        return verdicts[-1] if verdicts else None

    @property
    def first_seen(self) -> dt.date | None:
        """The date of the commitment's first mention."""
        return self.commitment.first_seen.date if self.commitment.first_seen else None

    @property
    def last_seen(self) -> dt.date | None:
        """The date of the commitment's last mention."""
        return self.commitment.last_seen.date if self.commitment.last_seen else None

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(self.commitment.topics)

    @property
    def stated(self) -> tuple[str, ...]:
        """Ids of the known briefings that stated it, in order."""
        return tuple(e.briefing.id for e in self.entries if e.briefing is not None)



def _briefing_of(m: Mention, briefings: Sequence[Briefing]) -> Briefing | None:
    for b in briefings:
        if m.briefing == b.id or (m.briefing is None and m.source in b.documents):
            return b
    return None


class _ByPosition:
    """Briefings by id through a Chronology's positions (no dict built per timeline)."""

    def __init__(self, order: Sequence[Briefing], position: dict[str, int]) -> None:
        self.order, self.position = order, position

    def get(self, bid: str | None) -> Briefing | None:
        i = self.position.get(bid) if bid is not None else None
        return self.order[i] if i is not None else None

    def __contains__(self, bid: object) -> bool:
        return bid in self.position

    def __getitem__(self, bid: str) -> Briefing:
        return self.order[self.position[bid]]


def _evidence_for(ledger: Any, c: Commitment) -> tuple[Evidence, ...]:
    """Evidence the ledger links to this commitment (``TrackedCommitment.evidence`` holds ids)."""
    wanted = {*(getattr(c, "evidence", ()) or ()), *(i for h in getattr(c, "history", ()) or () for i in h.evidence)}
    if not wanted:
        return ()
    by_id = {ev.id: ev for ev in getattr(ledger, "evidence", ()) or ()}
    return tuple(sorted((by_id[i] for i in wanted if i in by_id), key=lambda ev: (ev.date or dt.date.max, ev.id)))


def _suggestions(ledger: Any, c: Commitment, limit: int, linked: Sequence[Evidence]) -> tuple[tuple[Evidence, float], ...]:
    suggest = getattr(ledger, "suggest_evidence", None)
    if limit <= 0 or not callable(suggest):
        return ()
    known = {ev.id for ev in linked}
    return tuple((ev, float(score)) for ev, score in suggest(c.id, limit + len(known)) if ev.id not in known)[:limit]


def build_timeline(
    ledger: LedgerLike,
    c: Commitment,
    *,
    stage_rank: StageRank | None = None,
    suggest: int = 0,
    diffs: bool = True,
    order: status.Chronology | None = None,
) -> Timeline:
    """The timeline of one commitment object (restatements per briefing from :func:`evolution.evolve`).

    ``diffs=False`` leaves out the character diffs (the overview needs only
    change types); ``order`` is the ledger's briefings as a
    :class:`~policy_tracker.status.Chronology`, built once when building many timelines.
    """
    if order is None:
        order = status.Chronology(_ordered_briefings(ledger))
    briefings, position = order.order, order.position
    by_id = _ByPosition(briefings, position)
    entries: list[TimelineEntry] = []
    missing: tuple[Briefing, ...] = ()
    history: tuple[StatusChange, ...]
    if c.mentions:
        evo = evolution.evolve(c, order, stage_rank=stage_rank, diffs=diffs)
        for r in evo.restatements:
            if "repeat" in r.changes:
                continue
            m = r.mention
            held_in = by_id.get(m.briefing) if m.briefing else _briefing_of(m, briefings)
            entries.append(TimelineEntry(m, held_in, tuple(r.changes), tuple(r.diff)))
        missing = tuple(by_id[i] for i in evo.missing_briefings if i in by_id)
        # The ledger's recorded history (with analyst verdicts) wins; else derive it as the ledger would.
        history = tuple(getattr(c, "history", ()) or ()) or status.derive(evo, briefings)
        # machine entries name the briefing, not the date: date them for the reader
        history = tuple(
            attrs.evolve(h, date=by_id[h.briefing].held) if h.date is None and h.briefing in by_id else h for h in history
        )
    else:
        history = ()
    linked = _evidence_for(ledger, c)
    return Timeline(c, tuple(entries), missing, linked, history, _suggestions(ledger, c, suggest, linked))


def find_commitment(ledger: LedgerLike, commitment_id: str) -> Commitment:
    """The commitment with this id (or an alias left by a merge), or a LookupFailed naming close ids."""
    get = getattr(ledger, "get", None)
    if callable(get):
        found = get(commitment_id)
        if found is not None:
            return found  # type: ignore[no-any-return]
    for c in ledger.commitments:
        if c.id == commitment_id:
            return c
    missing = getattr(ledger, "missing_message", None)
    if callable(missing) and getattr(ledger, "rejection", lambda _: None)(commitment_id) is not None:
        raise LookupFailed(f"{commitment_id}: {missing(commitment_id, 'commitment')}")
    close = [c.id for c in ledger.commitments if commitment_id.lower() in c.id.lower()][:5]
    hint = f"; did you mean {', '.join(close)}?" if close else "; list ids with `policy-tracker timeline`"
    raise LookupFailed(f"{commitment_id}: no commitment with that id in the ledger{hint}")


def timeline(ledger: LedgerLike, commitment_id: str, *, stage_rank: StageRank | None = None, suggest: int = 3) -> Timeline:
    """The history of one commitment from its first appearance, with up to ``suggest`` evidence candidates."""
    return build_timeline(ledger, find_commitment(ledger, commitment_id), stage_rank=stage_rank, suggest=suggest)


def timelines(
    ledger: LedgerLike,
    *,
    topic: str | None = None,
    speaker: str | None = None,
    min_briefings: int = 1,
    stage_rank: StageRank | None = None,
    diffs: bool = True,
) -> tuple[Timeline, ...]:
    """Timelines of every commitment, by first appearance.

    Optionally only those with a topic, a speaker, or stated in at least
    ``min_briefings`` different briefings (2 = restated at least once).
    ``diffs=False`` skips the character diffs (most of the cost on large ledgers).
    """
    chosen = []
    for c in ledger.commitments:
        if min_briefings > 1 and len({m.briefing or m.source for m in c.mentions}) < min_briefings:
            continue
        if topic and topic.replace("-", "_") not in {t.replace("-", "_") for t in c.topics}:  # ids use hyphens, topics underscores
            continue
        if speaker and not any(speaker in (m.speaker or "") for m in c.mentions):
            continue
        chosen.append(c)
    chosen.sort(key=lambda c: (c.first_seen.sort_key() if c.first_seen else ("9999",), c.id))
    order = status.Chronology(_ordered_briefings(ledger))
    return tuple(build_timeline(ledger, c, stage_rank=stage_rank, diffs=diffs, order=order) for c in chosen)


# --------------------------------------------------------------------------- overview


from .overview import BriefingCount, Overview, Row, overview  # noqa: E402,F401 - the overview is built from summaries
