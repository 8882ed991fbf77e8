"""Curation, the part of :class:`~policy_tracker.ledger.ledger.Ledger` that records analyst decisions (a private mixin).

merge, split, reject, pin and set record a :class:`~.records.Decision` (or
curated fields) and apply it at once; every later ingest replays it
(:mod:`.curation`).  See docs/ledger.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from . import curation
from . import status as lifecycle
from .curation import Group, SpanIndex
from ..errors import LedgerError, LookupFailed
from .ids import IdAllocator
from ..models import Mention
from .records import Decision, TrackedCommitment



class _Deciding:
    """Ledger methods that record and apply analyst decisions."""

    # ------------------------------------------------------------ curation

    def decide(self, decision: Decision) -> None:
        """Record a decision and apply it now (later ingests keep it)."""
        self._check_decision(decision)
        snapshot = self._snapshot()
        try:
            self._decide(decision)
        except BaseException:
            self._restore(snapshot)
            raise

    def _decide(self, decision: Decision) -> None:
        self._decisions.append(decision)
        mentions = [m for c in self._commitments for m in c.mentions]
        previous = self._previous()
        self._decisions = curation.complete(self._decisions, previous)
        pool = SpanIndex(mentions)
        groups = [Group(list(c.mentions), c.id) for c in self._commitments]
        last = len(self._decisions) - 1
        groups = curation.replay(groups, self._decisions, previous, pool, selected=[last])
        self._assign(groups, previous)
        self._mark_applied({last})

    def merge(self, into: str, *others: str, reason: str | None = None, date: dt.date | None = None) -> TrackedCommitment:
        """Merge commitments ``others`` into ``into``; their ids stay as aliases."""
        into = self[into].id
        ids = tuple(self[o].id for o in others)
        if not ids or into in ids:
            raise LedgerError(f"merge: name two different commitments; got {into} and {', '.join(others) or 'nothing'}")
        self.decide(Decision("merge", into=into, ids=ids, reason=reason, date=date))
        return self[into]

    def split(self, cid: str, mentions: Sequence[str], *, reason: str | None = None, date: dt.date | None = None) -> TrackedCommitment:
        """Move ``mentions`` out of commitment ``cid`` into a new commitment, which is returned."""
        c = self[cid]
        found = [self._mention_in(c, mid) for mid in mentions]
        if len(found) >= len(c.mentions):
            raise LedgerError(f"split: {c.id} would be left without mentions; name only the mentions to move out")
        allocator = IdAllocator([x.id for x in self._commitments] + [a for x in self._commitments for a in x.aliases] + sorted(self._decision_ids()) + sorted(self._reserved))
        new_id = allocator.new(min(found, key=Mention.sort_key))
        self.decide(Decision("split", commitment=c.id, mentions=tuple(m.id for m in found), into=new_id, reason=reason, date=date))
        return self[new_id]

    def reject(self, target: str, *, reason: str, date: dt.date | None = None) -> None:
        """Reject a commitment (by id) or a mention (by mention id): not a pledge."""
        if not reason:
            raise LedgerError("reject: give a --reason (e.g. 'not a pledge: past achievement')")
        if self.get(target) is not None:
            c = self[target]
            self.decide(Decision("reject", commitment=c.id, mentions=tuple(m.id for m in c.mentions), reason=reason, date=date))
            return
        holder = self.commitment_of(target)
        m = self._mention_in(holder, target)
        self.decide(Decision("reject", commitment=holder.id, mentions=(m.id,), reason=reason, date=date))

    def pin(self, mention: str, cid: str, *, reason: str | None = None, date: dt.date | None = None) -> TrackedCommitment:
        """Pin a mention to commitment ``cid`` for good."""
        target = self[cid]
        holder = self.commitment_of(mention)
        m = self._mention_in(holder, mention)
        self.decide(Decision("pin", mentions=(m.id,), into=target.id, reason=reason, date=date))
        return self[target.id]

    def set(
        self,
        cid: str,
        *,
        title: str | None = None,
        status: str | None = None,
        notes: str | None = None,
        tags: Sequence[str] | None = None,
        evidence: Sequence[str] = (),
        note: str | None = None,
        date: dt.date | None = None,
    ) -> TrackedCommitment:
        """Set analyst fields; a status becomes an analyst verdict in the history (with evidence ids)."""
        c = self[cid]
        changes: dict[str, Any] = {}
        curated = set(c.curated)
        if title is not None:
            if not title.strip():
                raise LedgerError(f"set {c.id}: the title cannot be empty; give the words you want shown (the machine's title was {c.title!r})")
            changes["title"] = title
            curated.add("title")
        if notes is not None:
            changes["notes"] = notes or None
            curated.add("notes")
        if tags is not None:
            changes["tags"] = tuple(tags)
            curated.add("tags")
        for eid in evidence:
            if eid not in self._evidence:
                raise LookupFailed(f"set: no evidence {eid!r} in the ledger; evidence ids are listed under evidence:")
        if status is not None:
            if status == "auto":
                curated.discard("status")
                changes["history"] = tuple(h for h in c.history if h.by == "machine")
            else:
                try:
                    entry = lifecycle.verdict(status, self._latest_briefing(), evidence=evidence, note=note, date=date)
                except ValueError as exc:
                    raise LedgerError(f"set {c.id}: {exc} (or 'auto' to return to the derived status)") from None
                changes["status"] = status
                changes["history"] = (*c.history, entry)
                curated.add("status")
        if evidence:
            changes["evidence"] = tuple(dict.fromkeys((*c.evidence, *evidence)))
        updated = attrs.evolve(c, curated=curated, **changes)
        updated = lifecycle.apply(updated, lifecycle.chronological(list(self._briefings.values())), reuse_changes=True)
        self._commitments[self._commitments.index(c)] = updated
        self._index()
        return updated

    def _check_decision(self, d: Decision) -> None:
        for cid in (d.commitment, d.into, *d.ids):
            if cid and d.action != "split" and self.get(cid) is None and not (d.action == "reject" and d.mentions):
                raise LookupFailed(f"{d.action}: no commitment {cid!r} in the ledger")

    def _detect_hand_edits(self) -> None:
        """Fields an analyst edited in the YAML become curated, so the machine keeps them."""
        latest = self._latest_briefing()
        edited = [curation.detect_hand_edits(c, latest) for c in self._commitments]
        if edited != self._commitments:
            self._commitments = edited
            self._index()
