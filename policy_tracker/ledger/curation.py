"""Analyst curation: decisions (merge, split, reject, pin) replayed over machine clusters, and analyst fields.

A decision names commitments by id and mentions by mention id
(``source@start-end``).  Mention ids are resolved against the mentions at
hand: the exact id, else the mention of the same document whose span
overlaps most (so a decision survives an extractor that now cuts a clause a
few characters differently).  Replaying every decision, in order, after each
clustering is what makes curation survive re-ingestion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..models import Mention
from .records import CURATED_FIELDS, MERGE_POLICY, Decision, StatusChange, TrackedCommitment

_MENTION_ID = re.compile(r"^(?P<source>.+)@(?P<start>\d+)-(?P<end>\d+)$")


def parse_mention_id(mid: str) -> tuple[str, int, int] | None:
    """``001_x@10-32`` → ``("001_x", 10, 32)``; ``None`` when it is not a mention id."""
    m = _MENTION_ID.match(mid)
    return (m["source"], int(m["start"]), int(m["end"])) if m else None


class SpanIndex:
    """Find a mention by id, or by the largest overlap with a span of the same document."""

    def __init__(self, mentions: Iterable[Mention] = (), *, ids: Iterable[str] | None = None, by_id: dict[str, Mention] | None = None) -> None:
        """Index ``mentions`` (or the mapping ``by_id``, used as it is); ``ids`` (theirs, in order) saves computing them.

        The maps are built on first use: an ingest without decisions never looks.
        """
        self._mentions = list(mentions) if by_id is None else list(by_id.values())
        self._ids = list(ids) if ids is not None else None
        self._by_id = by_id
        self._by_source: dict[str, list[Mention]] | None = None

    @property
    def by_id(self) -> dict[str, Mention]:
        if self._by_id is None:
            ids = self._ids if self._ids is not None else [m.id for m in self._mentions]
            self._by_id = dict(zip(ids, self._mentions, strict=True))
        return self._by_id

    @property
    def by_source(self) -> dict[str, list[Mention]]:
        if self._by_source is None:
            by_source: dict[str, list[Mention]] = {}
            for m in self._mentions:
                by_source.setdefault(m.source, []).append(m)
            self._by_source = by_source
        return self._by_source

    def find(self, mid: str) -> Mention | None:
        """The mention ``mid`` names, exactly or by best overlap (ties: earliest start)."""
        if mid in self.by_id:
            return self.by_id[mid]
        parsed = parse_mention_id(mid)
        if parsed is None:
            return None
        source, start, end = parsed
        best: tuple[int, int, Mention | None] = (0, 0, None)
        for m in self.by_source.get(source, ()):
            overlap = min(end, m.end) - max(start, m.start)
            if overlap > 0 and (overlap, -m.start) > best[:2]:
                best = (overlap, -m.start, m)
        return best[2]


@attrs.define
class Group:
    """Mentions that form one commitment, and the id a decision forces on it."""

    mentions: list[Mention]
    forced: str | None = None


@attrs.define
class Previous:
    """The ledger's assignment before this run: which commitment held which mention."""

    holder: dict[str, str]  # old mention id -> commitment id
    aliases: dict[str, str]  # alias -> commitment id
    old: SpanIndex  # old mentions, for overlap matching

    def canonical(self, cid: str) -> str:
        seen = set()
        while cid in self.aliases and cid not in seen:
            seen.add(cid)
            cid = self.aliases[cid]
        return cid

    def members(self, cid: str) -> set[str]:
        """Old mention ids held by commitment ``cid`` (or the commitment it was merged into)."""
        target = self.canonical(cid)
        return {mid for mid, holder in self.holder.items() if holder == target}

    def holder_of(self, m: Mention) -> str | None:
        """The commitment that held ``m`` (or the old mention overlapping it most)."""
        if m.id in self.holder:
            return self.holder[m.id]
        if not self.holder or m.source not in self.old.by_source:  # a new document: no old mention to overlap
            return None
        old = self.old.find(m.id)
        return self.holder.get(old.id) if old is not None else None


def _resolve(mids: Iterable[str], pool: SpanIndex) -> set[str]:
    out = set()
    for mid in mids:
        m = pool.find(mid)
        if m is not None:
            out.add(m.id)
    return out


def _members_now(cid: str, previous: Previous, pool: SpanIndex) -> set[str]:
    return _resolve(previous.members(cid), pool)


def rejected(decisions: Sequence[Decision], pool: SpanIndex, previous: Previous) -> set[str]:
    """Ids of the pool mentions that reject decisions take out."""
    out: set[str] = set()
    for d in decisions:
        if d.action != "reject":
            continue
        out |= _resolve(d.mentions, pool)
        if d.commitment and not d.mentions:
            out |= _members_now(d.commitment, previous, pool)
    return out


def complete(decisions: Sequence[Decision], previous: Previous) -> list[Decision]:
    """Fill what a hand-written decision leaves implicit, so that it replays the same forever.

    A rejected commitment records its mentions (it is about to disappear), a
    merge records ``into`` (default: the first id), a split or pin the
    commitment its mentions came from.
    """
    out = []
    for d in decisions:
        if d.action == "reject" and d.commitment and not d.mentions:
            d = attrs.evolve(d, mentions=tuple(sorted(previous.members(d.commitment))))
        elif d.action == "merge" and not d.into and d.ids:
            d = attrs.evolve(d, into=d.ids[0], ids=d.ids[1:])
        elif d.action in ("split", "pin") and not d.commitment and d.mentions:
            source = previous.old.find(d.mentions[0])
            holder = previous.holder.get(source.id) if source is not None else None
            if holder is not None and holder != d.into:
                d = attrs.evolve(d, commitment=holder)
        out.append(d)
    return out


def keep_holders(groups: list[Group], previous: Previous) -> list[Group]:
    """Mentions the ledger already held stay with their commitment; new ones join their cluster's majority.

    The matcher proposes clusters; an existing assignment (the machine's
    earlier one, or the analyst's) is never reshuffled by a re-run, so
    re-ingesting changes nothing and a new briefing only adds.  A new mention
    goes to the commitment holding most of its cluster's old mentions (ties:
    the holder of the earliest of them), or with the other new mentions of
    its cluster into a new group.
    """
    held: dict[str, Group] = {}
    fresh: list[Group] = []
    for g in groups:
        holders = [previous.holder_of(m) for m in g.mentions]
        if holders and holders[0] is not None and holders.count(holders[0]) == len(holders):
            held.setdefault(holders[0], Group([])).mentions.extend(g.mentions)  # one commitment already holds them all
            continue
        counts: dict[str, int] = {}
        for h in holders:
            if h is not None:
                counts[h] = counts.get(h, 0) + 1
        if not counts:  # only new mentions (every cluster of a first ingest): a new group as it is
            if g.mentions:
                fresh.append(Group(list(g.mentions)))
            continue
        first_of = {}
        for m, h in sorted(zip(g.mentions, holders, strict=True), key=lambda t: t[0].sort_key()):
            if h is not None:
                first_of.setdefault(h, m.sort_key())
        majority = min(counts, key=lambda h: (-counts[h], first_of[h], h)) if counts else None
        new = Group([])
        for m, h in zip(g.mentions, holders, strict=True):
            target = h or majority
            if target is None:
                new.mentions.append(m)
            else:
                held.setdefault(target, Group([])).mentions.append(m)
        if new.mentions:
            fresh.append(new)
    return [*held.values(), *fresh]


def _group_of(
    cid: str, groups: Sequence[Group], previous: Previous, pool: SpanIndex, exclude: set[str] | frozenset[str] = frozenset()
) -> Group | None:
    """The group that is commitment ``cid`` at this point of the replay.

    The group an earlier decision named ``cid``, else the one holding most of
    the mentions ``cid`` (or the commitment it was merged into) holds now
    (ties: the earlier group), ignoring ``exclude``.  Ids are compared as
    written, not through today's aliases: at the time of the decision a
    since-merged id was still a commitment of its own.
    """
    for g in groups:
        if g.forced == cid:
            return g
    members = _members_now(cid, previous, pool) - set(exclude)
    best: tuple[int, int, Group | None] = (0, 0, None)
    for i, g in enumerate(groups):
        count = sum(m.id in members for m in g.mentions)
        if (count, -i) > best[:2]:
            best = (count, -i, g)
    return best[2]


def _take(groups: list[Group], mids: set[str]) -> list[Mention]:
    taken: list[Mention] = []
    for g in groups:
        keep = []
        for m in g.mentions:
            (taken if m.id in mids else keep).append(m)
        g.mentions = keep
    groups[:] = [g for g in groups if g.mentions]
    return taken


def _union(groups: list[Group], chosen: list[Group], forced: str | None) -> Group:
    first = chosen[0]
    for g in chosen[1:]:
        first.mentions.extend(g.mentions)
        groups.remove(g)
    first.forced = forced
    return first


def replay(
    groups: list[Group],
    decisions: Sequence[Decision],
    previous: Previous,
    pool: SpanIndex,
    problems: list[str] | None = None,
    selected: Iterable[int] | None = None,
    failed: set[int] | None = None,
) -> list[Group]:
    """Apply the decisions (all, or the ``selected`` indexes), in order, to ``groups``.

    Groups forced to the same (canonical) id are united at the end.  A
    decision that finds nothing to act on is skipped, described in
    ``problems`` and its index added to ``failed``.
    """
    problems = problems if problems is not None else []
    failed = failed if failed is not None else set()
    chosen_indexes = set(range(len(decisions))) if selected is None else set(selected)
    for n, d in enumerate(decisions):
        if n not in chosen_indexes:
            continue
        where = f"decisions[{n}] ({d.action})"
        missing = [mid for mid in d.mentions if pool.find(mid) is None]
        if missing and d.action in ("split", "pin"):
            problems.append(f"{where}: mention {missing[0]} is in no ingested document; the decision is kept but has no effect")
            failed.add(n)
        if d.action == "merge":
            unknown = [cid for cid in (d.into, *d.ids) if cid and not previous.members(cid)]
            if unknown:
                problems.append(f"{where}: commitment {unknown[0]} is not in the ledger; check the id")
                failed.add(n)
        if d.action == "reject":
            _take(groups, _resolve(d.mentions, pool) | (_members_now(d.commitment, previous, pool) if d.commitment and not d.mentions else set()))
        elif d.action == "merge":
            into = d.into or (d.ids[0] if d.ids else None)
            if into is None:
                continue
            chosen: list[Group] = []
            for cid in (into, *d.ids):
                g = _group_of(cid, groups, previous, pool)
                if g is not None and all(g is not c for c in chosen):
                    chosen.append(g)
            if chosen:
                _union(groups, chosen, into)
        elif d.action == "split":
            moved = _resolve(d.mentions, pool)
            origin = _group_of(d.commitment, groups, previous, pool, exclude=moved) if d.commitment else None
            holding = [g for g in groups if any(m.id in moved for m in g.mentions)]
            if len(holding) == 1 and holding[0] is not origin:
                holding[0].forced = d.into  # already apart: keep what joined them since
                continue
            taken = _take(groups, moved)
            if taken:
                groups.append(Group(taken, d.into))
        elif d.action == "separate" and len(d.mentions) == 2:
            a, b = d.mentions
            holding = [g for g in groups if any(m.id == a for m in g.mentions) and any(m.id == b for m in g.mentions)]
            if holding:  # put together since: the second mention (the one reviewed) leaves
                taken = _take(groups, {b})
                if taken:
                    groups.append(Group(taken))
        elif d.action == "pin" and d.into:
            mids = _resolve(d.mentions, pool)
            target = _group_of(d.into, groups, previous, pool, exclude=mids)
            taken = _take(groups, mids)
            if not taken:
                continue
            if target is not None and any(target is g for g in groups):
                target.mentions.extend(taken)
                target.forced = d.into
            else:
                groups.append(Group(taken, d.into))
    # A forced id names one commitment: unite groups forced to the same (canonical) id.
    by_forced: dict[str, list[Group]] = {}
    for g in groups:
        if g.forced:
            g.forced = previous.canonical(g.forced)
            by_forced.setdefault(g.forced, []).append(g)
    for forced, same in by_forced.items():
        if len(same) > 1:
            _union(groups, same, forced)
    return groups


def constraints(
    decisions: Sequence[Decision], previous: Previous, pool: SpanIndex
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Must-link and cannot-link pairs (mention ids) that tell the matcher about the decisions.

    Only pairs the ledger as it stands agrees with are kept (must-links inside
    one commitment, cannot-links across two), so they never contradict each
    other even when a later decision undid an earlier one.  Replaying the
    decisions after clustering is what enforces them; these pairs only help
    the matcher place new mentions.
    """
    must: set[tuple[str, str]] = set()
    cannot: set[tuple[str, str]] = set()
    for d in decisions:
        if d.action in ("merge", "pin"):
            # The commitments a merge or pin touched stand as the analyst left them: hold each together,
            # so that the matcher's one-statement-per-document rule does not push a member out.
            heads = []
            for cid in dict.fromkeys(x for x in (d.into, *d.ids) if x):
                members = sorted(_members_now(cid, previous, pool))
                must.update((members[0], m) for m in members[1:])
                heads.extend(members[:1])
            heads.extend(sorted(_resolve(d.mentions, pool)) if d.action == "pin" else [])
            must.update((heads[0], h) for h in heads[1:])
        elif d.action == "separate" and len(d.mentions) == 2:
            cannot.add((d.mentions[0], d.mentions[1]))
        elif d.action == "split" and d.commitment:
            moved = _resolve(d.mentions, pool)
            rest = _members_now(d.commitment, previous, pool) - moved
            cannot.update((a, b) for a in moved for b in rest)

    def holder(mid: str) -> str | None:
        m = pool.by_id.get(mid)
        return previous.holder_of(m) if m is not None else None

    # Keep only what the ledger as it stands agrees with (it reflects every decision, later ones winning):
    # must-links inside one commitment, cannot-links across two.  Pairs from one partition never conflict.
    must_kept = [(a, b) for a, b in must if a != b and holder(a) is not None and holder(a) == holder(b)]
    cannot_kept = [(a, b) for a, b in cannot if a != b and holder(a) is not None and holder(b) is not None and holder(a) != holder(b)]
    return sorted(must_kept), sorted(cannot_kept)


# ---------------------------------------------------------------- analyst fields


def machine_title(c: TrackedCommitment) -> str:
    """The title the machine proposes: the first mention's text, without closing punctuation."""
    first = c.first_seen
    if first is None:
        return c.title
    return title_of(first)


def title_of(first: Mention) -> str:
    """:func:`machine_title` of a commitment first stated in ``first``."""
    return (first.text or first.quote).strip().rstrip("，。；、,.;:：")


def detect_hand_edits(c: TrackedCommitment, latest_briefing: str | None) -> TrackedCommitment:
    """Mark fields an analyst edited in the YAML as curated (a hand-set status also enters the history)."""
    from .status import STATUSES

    curated = set(c.curated)
    history = c.history
    if c.mentions and c.title != machine_title(c):
        curated.add("title")
    if c.notes:
        curated.add("notes")
    if c.tags:
        curated.add("tags")
    machine = [h for h in c.history if h.by == "machine"]
    derived = machine[-1].status if machine else None
    if "status" not in curated and c.status is not None and c.status != derived:
        curated.add("status")
        if c.status in STATUSES and (c.verdict is None or c.verdict.status != c.status):
            history = (*history, StatusChange(c.status, by="analyst", briefing=latest_briefing))
    if curated == set(c.curated) and history == c.history:
        return c
    return attrs.evolve(c, curated=curated, history=history)


def inherit_fields(own: TrackedCommitment | None, losers: Sequence[TrackedCommitment], cid: str) -> TrackedCommitment:
    """The analyst fields a commitment keeps: its own, completed by those of commitments merged into it."""
    base = own or TrackedCommitment(id=cid, title="")
    if not losers and (own is None or set(base.curated) <= set(CURATED_FIELDS)):
        return base  # nothing to inherit (a new commitment, or one that absorbed none)
    curated = set(base.curated)
    fields: dict[str, Any] = {}
    for loser in losers:
        for name, how in MERGE_POLICY:  # per field, as its metadata says (models.curated)
            value = getattr(loser, name)
            if how == "first":
                if name in loser.curated and name not in curated:
                    fields[name] = value
                    curated.add(name)
            elif how == "lines":
                if value:
                    mine = fields.get(name, getattr(base, name))
                    if not mine:
                        fields[name] = value
                    elif value not in mine:
                        fields[name] = f"{mine}\n{value}"
                    curated.add(name)
            elif value:  # "union"
                fields[name] = tuple(dict.fromkeys((*fields.get(name, getattr(base, name)), *value)))
                curated.add(name)
        fields["evidence"] = tuple(dict.fromkeys((*fields.get("evidence", base.evidence), *loser.evidence)))
        fields["history"] = (*fields.get("history", base.history), *(h for h in loser.history if h.by == "analyst"))
    return attrs.evolve(base, curated=curated & set(CURATED_FIELDS), **fields)


def analyst_work(c: TrackedCommitment) -> list[str]:
    """What an analyst put on a commitment: curated fields, notes, tags, verdicts, evidence links (empty: nothing)."""
    found = [name for name in CURATED_FIELDS if name in c.curated or (name in ("notes", "tags") and getattr(c, name))]
    if any(h.by != "machine" for h in c.history):
        found.append("status verdicts")
    if c.evidence:
        found.append("evidence links")
    return list(dict.fromkeys(found))


def dropped(
    before: Sequence[TrackedCommitment], after: Iterable[TrackedCommitment], decisions: Sequence[Decision], reread: Iterable[str]
) -> tuple[list[str], list[str]]:
    """Commitments an ingest left with no mention at all (not merged into another, not rejected): (warnings, errors).

    That happens when every document stating a commitment was read again and
    its new text no longer holds any of the old pledges (a corrected or
    replaced article).  The commitment goes, and so would what an analyst
    wrote on it: that is an error (nothing is written), a plain warning otherwise.
    """
    kept = {name for c in after for name in (c.id, *c.aliases)}
    rejected = {name for d in decisions if d.action == "reject" for name in (d.commitment, *d.mentions) if name}
    reread = set(reread)
    warnings, errors = [], []
    for c in before:
        if c.id in kept or c.id in rejected or all(m.id in rejected for m in c.mentions):
            continue
        docs = ", ".join(sorted({m.source for m in c.mentions} & reread)) or "?"
        work = analyst_work(c)
        if work:
            errors.append(
                f"ingest: document {docs} was read again with other text, and none of the pledges of commitment {c.id} is in it any more; "
                f"the commitment would go, and with it its {', '.join(work)}; nothing was written. Ingest the document's earlier text, "
                f"or, if the pledge is gone for good, record that: `policy-tracker reject {c.id} --reason …` (the decision keeps its id), then ingest again"
            )
        else:
            warnings.append(f"commitment {c.id} is gone: document {docs} was read again with other text, which no longer holds any of its pledges")
    return warnings, errors
