"""How a commitment evolved: first seen, each restatement typed, briefings that skipped it.

Derived on demand from a :class:`~policy_tracker.models.Commitment` (never
stored in the ledger), so an analyst's merge or split is reflected at once.

Restatements are counted per *briefing*, not per document: the lede and body of
one article, or two outlets reporting the same press conference, are one
restatement.  The first mention of a briefing (chronological order: date,
document, offset) is the restatement; the others are listed right after it
with the single change ``"repeat"`` and ``previous`` pointing at that first
mention.
"""

from __future__ import annotations

import difflib
from bisect import bisect_right
from collections.abc import Callable, Sequence

import attrs

from ..models import Briefing, Commitment, Mention, Target, date_key

CHANGE_TYPES: tuple[str, ...] = (
    "first",
    "unchanged",
    "reworded",
    "stage_advanced",
    "stage_regressed",
    "target_raised",
    "target_lowered",
    "target_added",
    "target_dropped",
    "deadline_moved",
    "instrument_renamed",
    "repeat",
)

DiffOps = tuple[tuple[str, str], ...]


@attrs.frozen
class Restatement:
    """One mention of a commitment and how it differs from the previous briefing's."""

    mention: Mention
    previous: Mention | None
    changes: tuple[str, ...]
    diff: DiffOps = ()

    @property
    def briefing(self) -> str:
        """The briefing this restatement belongs to (the document id when unknown)."""
        return briefing_of(self.mention)


@attrs.frozen
class Evolution:
    """The history of one commitment.

    ``first_seen`` is the earliest mention; ``last_seen`` the first mention of
    the latest briefing that stated it (a repeat in that briefing is not newer).
    """

    commitment_id: str
    first_seen: Mention
    last_seen: Mention
    restatements: tuple[Restatement, ...]
    missing_briefings: tuple[str, ...] = ()

    @property
    def briefings(self) -> tuple[str, ...]:
        """Briefing ids where the commitment was stated, in order."""
        return tuple(r.briefing for r in self.restatements if "repeat" not in r.changes)


def briefing_of(mention: Mention) -> str:
    """The briefing id of a mention; its document id when the briefing is unknown."""
    return mention.briefing or mention.source


def text_of(mention: Mention) -> str:
    """The text compared between restatements: normalised text, else the quote."""
    return mention.text or mention.quote


def char_diff(old: str, new: str) -> DiffOps:
    """Character-level diff: ``("=", kept)``, ``("-", removed)``, ``("+", added)`` in order."""
    ops: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("=", old[i1:i2]))
            continue
        if tag in ("replace", "delete"):
            ops.append(("-", old[i1:i2]))
        if tag in ("replace", "insert"):
            ops.append(("+", new[j1:j2]))
    return tuple(ops)


def _default_stage_rank() -> Callable[[str | None], int | None]:
    try:  # the extraction stage owns the ladder (data/ + attributes.stage_rank)
        from ..extraction.facets import stage_rank
    except ImportError:  # pragma: no cover - before the attributes stage exists
        return lambda stage: None
    return stage_rank  # type: ignore[no-any-return]


def _target_key(t: Target) -> tuple[str, str]:
    return (t.unit, t.counted or "")


def target_changes(old: Sequence[Target], new: Sequence[Target]) -> tuple[str, ...]:
    """Compare targets by unit: raised/lowered when one value moved, added/dropped otherwise."""
    if not old and not new:
        return ()
    if not old:
        return ("target_added",)
    if not new:
        return ("target_dropped",)
    before = {_target_key(t): t.value for t in old}
    after = {_target_key(t): t.value for t in new}
    by_unit_old = {t.unit: t.value for t in old}
    changes: set[str] = set()
    for key, value in after.items():
        prev = before.get(key, by_unit_old.get(key[0]))
        if prev is None:
            changes.add("target_added")
        elif value > prev:
            changes.add("target_raised")
        elif value < prev:
            changes.add("target_lowered")
    units_new = {k[0] for k in after}
    if any(k[0] not in units_new for k in before):
        changes.add("target_dropped")
    return tuple(c for c in CHANGE_TYPES if c in changes)


def compare(
    previous: Mention,
    mention: Mention,
    stage_rank: Callable[[str | None], int | None] | None = None,
) -> tuple[str, ...]:
    """The change types between two successive statements of one commitment."""
    rank = stage_rank or _default_stage_rank()
    changes: set[str] = set()
    if text_of(previous) != text_of(mention):
        changes.add("reworded")
    r0, r1 = rank(previous.stage), rank(mention.stage)
    if r0 is not None and r1 is not None and r0 != r1:
        changes.add("stage_advanced" if r1 > r0 else "stage_regressed")
    changes.update(target_changes(previous.targets, mention.targets))
    p0 = {d.period for d in previous.deadlines if d.period}
    p1 = {d.period for d in mention.deadlines if d.period}
    if p0 and p1 and p0 != p1:
        changes.add("deadline_moved")
    i0, i1 = set(previous.instruments), set(mention.instruments)
    if i0 and i1 and i0 != i1:
        changes.add("instrument_renamed")
    if not changes:
        return ("unchanged",)
    return tuple(c for c in CHANGE_TYPES if c in changes)


def _briefing_order(briefings: Sequence[Briefing]) -> Sequence[Briefing]:
    """Briefings by date held, then id; an already sorted :class:`~policy_tracker.ledger.status.Chronology` is used as it is."""
    order = getattr(briefings, "order", None)
    if order is not None:
        return order  # type: ignore[no-any-return]
    return sorted(briefings, key=lambda b: (date_key(b.held), b.id))


def evolve(
    commitment: Commitment,
    briefings: Sequence[Briefing] = (),
    *,
    stage_rank: Callable[[str | None], int | None] | None = None,
    diffs: bool = True,
) -> Evolution:
    """Derive first/last seen, typed restatements and missed briefings of ``commitment``.

    ``briefings`` (all briefings of the corpus) is only needed for
    ``missing_briefings``: those held after the first statement where the
    commitment was not stated.  ``diffs=False`` leaves :attr:`Restatement.diff`
    empty (the status derivation needs only the change types; the character
    diff is most of the cost).  Raises ``ValueError`` for a commitment without
    mentions.
    """
    if not commitment.mentions:
        raise ValueError(f"commitment {commitment.id}: has no mentions; nothing to derive")
    rank = stage_rank or _default_stage_rank()
    mentions = sorted(commitment.mentions, key=lambda m: (*m.sort_key(), m.id))
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(briefing_of(m), []).append(m)
    restatements: list[Restatement] = []
    previous: Mention | None = None
    for group in groups.values():  # insertion order is chronological
        head, *repeats = group
        if previous is None:
            restatements.append(Restatement(head, None, ("first",), ()))
        else:
            restatements.append(
                Restatement(head, previous, compare(previous, head, rank), char_diff(text_of(previous), text_of(head)) if diffs else ())
            )
        for r in repeats:
            restatements.append(Restatement(r, head, ("repeat",), char_diff(text_of(head), text_of(r)) if diffs else ()))
        previous = head
    first = mentions[0]
    stated = set(groups)
    missing: list[str] = []
    if briefings:
        first_date = date_key(first.date)
        first_key = (first_date, briefing_of(first))
        order = _briefing_order(briefings)
        # order is sorted by this key: bisect instead of keying every briefing (reports evolve thousands of commitments)
        start = bisect_right(order, first_key, key=lambda b: (date_key(b.held), b.id))
        missing = [b.id for b in order[start:] if b.id not in stated and stated.isdisjoint(b.documents)]
    return Evolution(
        commitment_id=commitment.id,
        first_seen=first,
        last_seen=previous or first,
        restatements=tuple(restatements),
        missing_briefings=tuple(missing),
    )

