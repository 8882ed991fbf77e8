"""What the ledger keeps beyond the shared model: tracked commitments, status changes, decisions.

Frozen attrs values like :mod:`policy_tracker.models`; nothing here reads or
writes files (see :mod:`policy_tracker.ledger.yaml_io`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..models import Commitment, Document, Mention, one_of

#: Fields an analyst may set; once set, the machine never overwrites them.
# the analyst fields: those of Commitment whose metadata says curated (models.curated), and how a merge combines each
CURATED_FIELDS = tuple(f.name for f in attrs.fields(Commitment) if f.metadata.get("curated"))
MERGE_POLICY = tuple((f.name, f.metadata["merge"]) for f in attrs.fields(Commitment) if f.metadata.get("curated"))

#: Curation actions recorded in ``decisions:``.
ACTIONS = ("merge", "split", "reject", "pin", "separate")


def _tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    return tuple(value) if value is not None else ()


def _changes(value: Mapping[str, Iterable[str]] | Iterable[tuple[str, Iterable[str]]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if value is None:
        return ()
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), tuple(v)) for k, v in items))


@attrs.frozen
class StatusChange:
    """One entry of a commitment's status history.

    ``by`` is ``machine`` for derived states (recomputed from the mentions at
    every save) or ``analyst`` for verdicts, which keep the evidence ids they
    rest on.  ``briefing`` is the briefing as of which the status holds.
    """

    status: str
    by: str = "machine"
    briefing: str | None = None
    date: _dt.date | None = None
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    note: str | None = None


@attrs.frozen
class Decision:
    """A replayable curation record.

    - ``merge``: commitments ``ids`` are merged ``into`` one;
    - ``split``: ``mentions`` are moved out of ``commitment`` ``into`` a new one;
    - ``reject``: ``mentions`` (or the whole ``commitment``) are not pledges;
    - ``pin``: ``mentions`` always belong to commitment ``into``;
    - ``separate``: the two ``mentions`` state different pledges (a review answer): never in one commitment.

    A merge or pin naming exactly two ``mentions`` records the pair an analyst
    judged the same pledge (``policy-tracker review``); with ``separate`` these
    pairs are what ``policy-tracker train`` learns from.

    ``applied`` is set by the machine once the ledger reflects the decision;
    a decision without it (written by hand) is applied at the next ingest.
    Mentions the ledger holds never move again, so an applied decision needs
    no replay (except rejects, which keep re-extracted mentions out).
    """

    action: str = attrs.field(validator=one_of(ACTIONS))
    commitment: str | None = None
    into: str | None = None
    ids: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    mentions: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    reason: str | None = None
    date: _dt.date | None = None
    applied: bool = False


@attrs.frozen
class TrackedCommitment(Commitment):
    """A :class:`~policy_tracker.models.Commitment` as the ledger keeps it.

    ``curated`` names the fields an analyst set (never overwritten);
    ``aliases`` are ids that were merged into this one (they still resolve);
    ``history`` is the status history; ``evidence`` links evidence ids;
    ``changes`` maps mention ids to their change types (from evolution).
    """

    curated: tuple[str, ...] = attrs.field(default=(), converter=lambda v: tuple(sorted(set(v or ()))))
    aliases: tuple[str, ...] = attrs.field(default=(), converter=lambda v: tuple(sorted(set(v or ()))))
    history: tuple[StatusChange, ...] = attrs.field(default=(), converter=_tuple)
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    changes: tuple[tuple[str, tuple[str, ...]], ...] = attrs.field(default=(), converter=_changes)

    def changes_of(self, mention: Mention) -> tuple[str, ...]:
        """The change types recorded for one of this commitment's mentions."""
        return dict(self.changes).get(mention.id, ())

    @property
    def verdict(self) -> StatusChange | None:
        """The latest analyst verdict, if any."""
        verdicts = [h for h in self.history if h.by == "analyst"]
        return verdicts[-1] if verdicts else None


@attrs.frozen
class DocumentRecord:
    """What the ledger remembers of an ingested document (its text stays on disk)."""

    id: str
    briefing: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: _dt.date | None = None
    sha256: str | None = None
    # How the date held was found ("text: <rule>", "front matter", "file name", "linked: …").
    # Left out when the manifest gave it (the authority) or no date is known.
    date_source: str | None = None

    @classmethod
    def from_document(cls, doc: Document, sha256: str | None = None) -> DocumentRecord:
        """The record of a loaded document."""
        return cls(
            id=doc.id,
            briefing=doc.briefing_id,
            title=doc.title,
            outlet=doc.outlet,
            url=doc.url,
            published=doc.published,
            sha256=sha256,
            date_source=None if doc.date_source == "manifest" else doc.date_source,
        )
