"""Status lifecycle: derived states recomputed from the mentions, analyst verdicts kept.

Derived states (``data/status.yaml``): ``new`` when first stated, ``restated``,
``advanced`` when restated at a higher stage, ``stalled`` when restated at the
same stage for ``stalled_after`` consecutive briefings of a series,
``dormant`` when a series held ``dormant_after`` briefings without it.  The
machine history is a pure function of mentions and briefings (one entry per
change), so ingesting in one batch or several gives the same history.
Analyst verdicts (``fulfilled`` …) are separate entries that are never
recomputed; while one stands, ``status`` is the analyst's.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence

import attrs

from .evolution import Evolution, briefing_of, evolve
from ..models import Briefing, Commitment, Evidence, Mention, date_key
from .records import StatusChange, TrackedCommitment
from ..errors import DataError
from ..resources import load_table

DERIVED = ("new", "restated", "advanced", "stalled", "dormant")
VERDICTS = ("fulfilled", "partially_fulfilled", "broken", "superseded")
STATUSES = DERIVED + VERDICTS
_ADVANCE = ("stage_advanced",)
_STAGE_MOVES = ("stage_advanced", "stage_regressed")


def thresholds() -> tuple[int, int]:
    """(stalled_after, dormant_after) from ``data/status.yaml`` (the one home of both numbers)."""
    table = load_table("status.yaml") or {}
    try:
        return int(table["stalled_after"]), int(table["dormant_after"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"data/status.yaml: stalled_after and dormant_after must be whole numbers ({exc!r}); fix the file") from exc


def stamp() -> str:
    """The status thresholds in force, as the incremental sidecar records those a ledger's statuses were derived with."""
    return repr(thresholds())


def meter(status: str | None) -> str | None:
    """The PolitiFact-style meter for a status (``Promise Kept`` …)."""
    table = load_table("status.yaml") or {}
    return (table.get("meter") or {}).get(status) if status else None


FORMALISATION = ("pledged", "policy_document", "law")


def formalisation(commitment: TrackedCommitment, evidence: Mapping[str, Evidence]) -> str:
    """Rung on the formalisation ladder (pledged → policy_document → law) from linked evidence."""
    rules = (load_table("status.yaml") or {}).get("formalisation") or []
    names = [i for eid in commitment.evidence if eid in evidence for i in evidence[eid].instruments]
    for rule in rules:  # highest rung first
        if any(marker in name for name in names for marker in rule.get("markers", ())):
            return str(rule["level"])
    return "pledged"


@attrs.frozen
class Statement:
    """The first mention of a commitment in one briefing, with its change types."""

    briefing: str
    mention: Mention
    previous: Mention | None
    changes: tuple[str, ...]


def statements(commitment: Commitment, changes: Mapping[str, tuple[str, ...]]) -> list[Statement]:
    """One statement per briefing, in order, from stored change types (same grouping as evolution)."""
    out: list[Statement] = []
    seen: set[str] = set()
    head: Mention | None = None
    for m in sorted(commitment.mentions, key=lambda m: (*m.sort_key(), m.id)):
        bid = briefing_of(m)
        if bid in seen:
            continue
        seen.add(bid)
        out.append(Statement(bid, m, head, tuple(changes.get(m.id, ()))))
        head = m
    return out


def _stage_moved(r: Statement) -> bool:
    """Did the stage change?  Ranked moves from evolution, else two different stage names."""
    if any(c in r.changes for c in _STAGE_MOVES):
        return True
    before = r.previous.stage if r.previous is not None else None
    return before is not None and r.mention.stage is not None and before != r.mention.stage


def chronological(briefings: Sequence[Briefing]) -> list[Briefing]:
    """Briefings by date held (undated last), then id."""
    if isinstance(briefings, Chronology):
        return list(briefings.order)
    return sorted(briefings, key=lambda b: (date_key(b.held), b.id))


def latest(briefings: Sequence[Briefing]) -> Briefing | None:
    """The latest briefing that has a date; ``None`` when none has.

    An undated briefing sorts last but was not necessarily held last: it is
    never "the latest briefing" that newest pledges and verdicts refer to.
    """
    dated = [b for b in chronological(briefings) if b.held is not None]
    return dated[-1] if dated else None


class Chronology:
    """Briefings sorted once, with each one's position and the positions of each series (kind).

    Build it once per ingest and pass it to :func:`apply` for every
    commitment: deriving a status then costs the commitment's own statements
    (times the number of series), not a walk over every later briefing.
    """

    def __init__(self, briefings: Sequence[Briefing]) -> None:
        self.order: tuple[Briefing, ...] = tuple(
            briefings.order if isinstance(briefings, Chronology) else chronological(briefings)
        )
        self.position: dict[str, int] = {b.id: i for i, b in enumerate(self.order)}
        series: dict[str, list[int]] = {}
        for i, b in enumerate(self.order):
            if b.held is not None:  # when an undated briefing was held is unknown: it is never a briefing "gone by"
                series.setdefault(b.kind, []).append(i)
        self.series: dict[str, list[int]] = series

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self) -> Iterator[Briefing]:
        return iter(self.order)

    def __getitem__(self, i: int) -> Briefing:
        return self.order[i]


def _chronology(briefings: Sequence[Briefing] | Chronology) -> Chronology:
    return briefings if isinstance(briefings, Chronology) else Chronology(briefings)


def derive(
    evolution: Evolution,
    briefings: Sequence[Briefing],
    *,
    stalled_after: int | None = None,
    dormant_after: int | None = None,
) -> tuple[StatusChange, ...]:
    """The machine status history of one commitment: an entry each time the derived state changes."""
    stated = [
        Statement(r.briefing, r.mention, r.previous, r.changes) for r in evolution.restatements if "repeat" not in r.changes
    ]
    return _derive(stated, chronological(briefings), stalled_after=stalled_after, dormant_after=dormant_after)


def _derive(
    statements: Sequence[Statement],
    order: Sequence[Briefing] | Chronology,
    *,
    stalled_after: int | None = None,
    dormant_after: int | None = None,
) -> tuple[StatusChange, ...]:
    """Walk the statements in briefing order; the unstated briefings between two are counted per series from positions."""
    if not stalled_after or not dormant_after:
        default_stalled, default_dormant = thresholds()
        stalled_after = stalled_after or default_stalled
        dormant_after = dormant_after or default_dormant
    chron = _chronology(order)
    stated = {r.briefing: r for r in statements}
    # Briefings the ledger does not list (a mention without briefing) still count as statements.
    extra = [Briefing(id=bid, held=r.mention.date) for bid, r in stated.items() if bid not in chron.position]
    if extra:
        chron = Chronology([*chron.order, *extra])
    position, series, kind_at = chron.position, chron.series, chron.order
    steps = sorted(position[bid] for bid in stated)
    # A statement in an undated briefing cannot advance, stall or revive a pledge stated in dated ones:
    # where it falls in time is unknown.  Alone (no dated statement), it still makes the pledge "new".
    # Alone (no dated statement), the undated statements make the pledge "new" once: their order is unknown too.
    dated_steps = [p for p in steps if kind_at[p].held is not None]
    steps = dated_steps or steps[:1]
    history: list[StatusChange] = []
    status: str | None = None
    run = 0  # consecutive same-stage statements
    missed: dict[str, int] = {}
    series_seen: list[str] = []  # in order first stated

    interrupted = False  # a briefing of a series it was stated in went by without it since the last statement

    def gap(lo: int, hi: int) -> None:
        """Unstated briefings at positions lo < p < hi: count them per series; dormant at the first that reaches the limit."""
        nonlocal status, run, interrupted
        trigger: int | None = None
        for kind in series_seen:
            held = series.get(kind, ())  # a kind seen only in undated briefings has no series
            a, b = bisect_right(held, lo), bisect_left(held, hi)
            if b <= a:
                continue
            interrupted = True
            need = dormant_after - missed.get(kind, 0)
            at = held[a + max(need, 1) - 1] if a + max(need, 1) - 1 < b else None
            if at is not None and (trigger is None or at < trigger):
                trigger = at
            missed[kind] = missed.get(kind, 0) + (b - a)
        if trigger is not None and status is not None and status != "dormant":
            status = "dormant"
            history.append(StatusChange("dormant", briefing=kind_at[trigger].id))
            run = 0

    last = -1
    for p in steps:
        if last >= 0:
            gap(last, p)
        last = p
        b = kind_at[p]
        r = stated[b.id]
        if b.kind not in series_seen:
            series_seen.append(b.kind)
        missed[b.kind] = 0
        if status is None:
            new, run = "new", 1
        elif any(c in r.changes for c in _ADVANCE):
            new, run = "advanced", 1
        else:
            # a run of same-stage statements counts briefings in a row: one skipped in any series it was
            # stated in (a press conference between two interviews) starts it again
            run = 1 if interrupted or _stage_moved(r) else run + 1
            new = "stalled" if run >= stalled_after else "restated"
        interrupted = False
        if new != status:
            history.append(StatusChange(new, briefing=b.id))
            status = new
    if last >= 0:
        gap(last, len(kind_at))
    return tuple(history)


def apply(
    commitment: TrackedCommitment,
    briefings: Sequence[Briefing] | Chronology,
    *,
    reuse_changes: bool = False,
    stalled_after: int | None = None,
    dormant_after: int | None = None,
) -> TrackedCommitment:
    """Recompute derived history, change types and status; keep analyst entries and verdicts.

    ``briefings`` must be in the order :func:`chronological` gives; pass a
    :class:`Chronology` built once when applying to many commitments.
    With ``reuse_changes`` the stored change types are kept (the mentions did
    not change) and evolution is not run again.
    """
    if not commitment.mentions:
        return commitment
    chron = _chronology(briefings)
    stored = dict(commitment.changes)
    if reuse_changes and all(m.id in stored for m in commitment.mentions):
        changes = stored
    else:  # change types need no briefing list (only missed briefings would)
        changes = {r.mention.id: r.changes for r in evolve(commitment, diffs=False).restatements}
    machine = _derive(statements(commitment, changes), chron, stalled_after=stalled_after, dormant_after=dormant_after)
    analyst = [h for h in commitment.history if h.by != "machine"]
    if analyst:
        order, position = chron.order, chron.position

        def held(bid: str | None) -> str:
            b = order[position[bid]] if bid in position else None
            return date_key(b.held if b is not None else None)

        def key(item: tuple[int, StatusChange]) -> tuple[str, int, int]:
            i, h = item
            return (held(h.briefing), 0 if h.by == "machine" else 1, i)

        history = [h for _, h in sorted(enumerate([*machine, *analyst]), key=key)]
    else:
        history = list(machine)
    status = commitment.status
    if "status" not in commitment.curated:
        status = machine[-1].status if machine else "new"
    return attrs.evolve(commitment, history=history, changes=changes, status=status)


def appended(before: Chronology, after: Chronology) -> bool:
    """Whether ``after`` is ``before`` with briefings added at the end (same ids and series before them)."""
    n = len(before)
    return len(after) >= n and all(a.id == b.id and a.kind == b.kind for a, b in zip(before.order, after.order))


def extend(
    commitment: TrackedCommitment,
    before: Chronology,
    after: Chronology,
    *,
    dormant_after: int | None = None,
) -> TrackedCommitment | None:
    """The commitment once briefings were appended (:func:`appended`), its mentions unchanged; ``None``: use :func:`apply`.

    Its history up to the old last briefing cannot change; the only possible
    change is ``dormant`` at one of the new briefings, found from the number
    of briefings of each series held since the commitment's last statement in
    it.  Applies to machine-derived histories only (no analyst entry or verdict).
    """
    history = commitment.history
    if not history or "status" in commitment.curated or any(h.by != "machine" for h in history):
        return None
    if commitment.status != history[-1].status:
        return None
    if history[-1].status == "dormant" or len(after) == len(before):
        return commitment
    limit = dormant_after or thresholds()[1]
    position, order = before.position, before.order
    last: dict[str, int] = {}
    for m in commitment.mentions:
        p = position.get(m.briefing or m.source)
        if p is None:
            return None  # a statement outside the briefing list: derive it in full
        if order[p].held is None:
            continue  # as in _derive: an undated statement never starts or ends a gap
        kind = order[p].kind
        if last.get(kind, -1) < p:
            last[kind] = p
    trigger = dormant_trigger(last, before, after, limit)
    if trigger is None:
        return commitment
    change = StatusChange("dormant", briefing=after.order[trigger].id)
    return attrs.evolve(commitment, history=(*history, change), status="dormant")


def dormant_trigger(last: Mapping[str, int], before: Chronology, after: Chronology, limit: int) -> int | None:
    """Position in ``after`` of the appended briefing at which a commitment turns dormant, or ``None``.

    ``last``: per series (briefing kind), the position in ``before`` of the
    commitment's last dated statement in it.  Dormant at the first appended
    briefing of a series that makes ``limit`` briefings of that series held
    since that statement (a series already past the limit: its first
    appended briefing).  The one rule :func:`extend` and the ledger folder's
    appending ingest (which reads ``last`` from its index) both use.
    """
    n = len(before)
    trigger: int | None = None
    for kind, p in last.items():
        held = after.series.get(kind, [])
        end = bisect_left(held, n)
        missed = end - bisect_right(held, p)
        i = end + max(limit - missed, 1) - 1
        if i < len(held) and (trigger is None or held[i] < trigger):
            trigger = held[i]
    return trigger


def verdict(
    status: str,
    briefing: str | None,
    *,
    evidence: Sequence[str] = (),
    note: str | None = None,
    date: dt.date | None = None,
) -> StatusChange:
    """An analyst's status entry; raises ``ValueError`` for an unknown status."""
    if status not in STATUSES:
        raise ValueError(f"status: expected one of {', '.join(STATUSES)}; got {status!r}")
    return StatusChange(status, by="analyst", briefing=briefing, date=date, evidence=tuple(evidence), note=note)
