"""Adding a briefing to a ledger folder: load only the commitments the new mentions can touch.

The whole-ledger ingest (:meth:`Ledger.ingest <policy_tracker.ledger.ledger.Ledger.ingest>`)
of a briefing that comes after everything the ledger holds already matches
the new mentions against their candidates only
(:mod:`policy_tracker.matching.incremental`), but it loads every commitment,
derives every status and writes every file that changed.  For a ledger
folder, :func:`prepare` finds what the new briefing can change from the
index alone and loads only that, as a partial ledger:

- the commitments holding a *candidate* of a new mention (the rule of
  :func:`policy_tracker.matching.incremental.related`, run over the keys in the
  index, :mod:`policy_tracker.ledger.folder_keys`): the matcher sees their
  mentions and the new ones, exactly the mentions the whole-ledger path gives it;
- the commitments the new briefing can turn ``dormant`` (a status is a
  function of the commitment's statements and the briefings; a new briefing
  changes an untouched commitment only by making it dormant, and only when
  a series has now gone ``dormant_after`` briefings without it:
  :func:`policy_tracker.ledger.status.dormant_trigger`, from the briefings of its
  mentions in the index).

Every other commitment's file stays as it is, byte for byte, since the whole-
ledger path would write it unchanged.  Ids are allocated against every id
and alias of the folder.  The result is the ledger the whole-ledger ingest
gives (tested file by file).

It applies only to the usual append; anything else takes the whole-ledger
path: documents the ledger holds already (read again), a document dated
before the latest briefing or in its day before a held document
(``_out_of_order``), a decision not yet applied, statuses not known to be
derived with today's thresholds for exactly these files (the index records
that after each save, see :func:`policy_tracker.ledger.folder.statuses_current`),
undated press-conference reports that a new dated one would relink.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import folder
from . import status as lifecycle
from ._ingesting import gc_paused
from .folder_keys import FolderKeys, related_mentions, sync
from ..models import Document, Evidence, Mention


def prepare(path: Path, documents: Sequence[Document], show: bool = False) -> tuple[Any, dict[str, Any], int] | str:
    """A partial ledger of ``path``, the arguments of its ``ingest(documents, **kwargs)`` and how many commitments it leaves out.

    A text instead: why this is not an append this path does (load the whole ledger).
    """
    index = folder.open_index(path)  # brought up to date once; the loads below read it as it is
    try:
        return _prepare(index, path, documents, show)
    finally:
        index.close()


def _prepare(index: Any, path: Path, documents: Sequence[Document], show: bool) -> tuple[Any, dict[str, Any], int] | str:
    import hashlib

    from ._ingesting import _merge_briefing
    from ._ingesting import prepare as prepare_mentions
    from .ledger import Ledger
    from .records import DocumentRecord
    from ..matching import incremental
    from ..sources.load import briefings_from, link_undated

    with gc_paused():
        probe = Ledger._load_folder(path, (), False, index)  # root only: briefings, documents, decisions
    if probe._order is None:
        return "the index does not record every status as derived with today's thresholds (a file edited by hand, or other thresholds)"
    if any(not d.applied for d in probe.decisions):
        return "the ledger holds a decision not yet applied"
    docs, _ = probe._drop_copies(sorted(documents, key=lambda d: d.id))  # as Ledger.ingest does
    docs = link_undated(docs, probe._dated_by_period(exclude={d.id for d in docs}))
    held = {d.id for d in probe.documents}
    latest = max((b.held for b in probe.briefings if b.held is not None), default=None)
    if not docs:
        return "no new document (copies of documents the ledger holds)"
    if latest is None:
        return "the ledger has no dated briefing"
    for d in docs:
        if d.id in held:
            return f"document {d.id} is in the ledger already (read again)"
        if d.sort_date is None:
            return f"document {d.id} has no date"
        if d.sort_date < latest:
            return f"document {d.id} is dated {d.sort_date}, before the ledger's latest briefing ({latest})"
    before = lifecycle.Chronology(probe.briefings)
    batch = {d.id for d in docs}
    for b in briefings_from(docs):  # what the ingest does to the root: the briefings come after, no document is relinked
        probe._briefings[b.id] = _merge_briefing(probe._briefings.get(b.id), b)
    for d in docs:
        probe._documents[d.id] = DocumentRecord.from_document(d, hashlib.sha256(d.text.encode()).hexdigest())
    after = lifecycle.Chronology(list(probe._briefings.values()))
    if not lifecycle.appended(before, after):
        return "the new briefings do not all come after the ledger's briefings"
    if probe._relink_held(batch):
        return "an undated document of the ledger would be linked to the new briefing"
    if probe._out_of_order(_last_mentions(index), docs):
        return "a new document comes before the ledger's last mentions (same day, earlier document)"
    extracted = _extract(docs, show)
    vocab, config, stamp = incremental.vocabulary()
    fresh = [m for d in docs for m in prepare_mentions(d, extracted[d.id][0])]
    signatures = {m.id: incremental.signature(m, vocab) for m in fresh}
    keys = FolderKeys(index.db, stamp)
    sync(keys, lambda mids: _mentions(index, mids), vocab)
    touched = index.rels_of_mentions(related_mentions(keys, list(signatures.values()), config))
    dormant = _may_turn_dormant(index, before, after)
    only = sorted(index.cids_of(touched | dormant))
    total = index.counts()[0]
    with gc_paused():
        ledger = Ledger._load_folder(path, only, False, index)
    if ledger._order is None:
        return "the folder changed while it was read"
    kwargs = {
        "extract": lambda doc: extracted[doc.id][0],
        "extract_evidence": lambda doc: extracted[doc.id][1],
        "cluster": subset_matcher(ledger, touched),
        "incremental": False,
    }
    ledger._signatures.update(signatures)
    return ledger, kwargs, total - len(ledger)


def _extract(docs: Sequence[Document], show: bool) -> dict[str, tuple[list[Mention], list[Evidence]]]:
    from ..extraction.extract import PARALLEL_DOCUMENTS, extract, extract_evidence, extract_iter
    from ..progress import progress

    if len(docs) >= PARALLEL_DOCUMENTS:
        done = progress(extract_iter(docs), total=len(docs), label="extracting", enabled=show, unit="documents")
        return {d.id: (list(r[0]), list(r[1])) for d, r in zip(docs, list(done))}
    return {d.id: (list(extract(d)), list(extract_evidence(d))) for d in docs}


def _last_mentions(index: Any) -> list[Any]:
    """Stand-ins (date, source) for the ledger's last mentions in the matcher's order: what ``_out_of_order`` compares with."""
    return [types.SimpleNamespace(date=date, source=source) for date, source in index.last_mentions()]


def _mentions(index: Any, mids: Sequence[str]) -> list[Mention]:
    from . import yaml_io

    wanted = set(mids)
    out = []
    for plain in index.data(sorted(index.rels_of_mentions(mids))).values():
        out.extend(m for m in yaml_io.commitment_in(plain, ()).mentions if m.id in wanted)
    return out


def _may_turn_dormant(index: Any, before: lifecycle.Chronology, after: lifecycle.Chronology) -> set[str]:
    """Commitment files whose status the new briefings can change (see the module docstring)."""
    limit = lifecycle.thresholds()[1]
    out = set()
    last: dict[str, dict[str, int]] = {}
    unknown: set[str] = set()
    # each briefing's (kind, position) looked up once, not once per mention: (None, -1) unknown, (None, -2) undated
    place: dict[str, tuple[Any, int]] = {}
    for rel, briefing, source in index.mention_briefings():
        key = briefing or source
        found = place.get(key)
        if found is None:
            p = before.position.get(key)
            found = place[key] = (None, -1) if p is None else (None, -2) if before.order[p].held is None else (before.order[p].kind, p)
        kind, p = found
        if p < 0:
            if p == -1:
                unknown.add(rel)
            continue
        kinds = last.setdefault(rel, {})
        if kinds.get(kind, -1) < p:
            kinds[kind] = p
    for rel, machine_last, machine_only in index.commitment_statuses():
        if rel in unknown:
            out.add(rel)
        elif (not machine_only or machine_last != "dormant") and lifecycle.dormant_trigger(last.get(rel, {}), before, after, limit) is not None:
            out.add(rel)
    return out


def subset_matcher(ledger: Any, touched: set[str]) -> Any:
    """The matcher of the partial ingest: the real one over the new mentions and those of the commitments in ``touched``, every other commitment as it is.

    The mentions it gets are those of the partial ledger (in its order) and the new ones.
    """
    from ._ingesting import _default_matcher

    cluster = _default_matcher()
    held = {id(m): n for n, c in enumerate(ledger.commitments) for m in c.mentions}
    matched = {id(m) for c in ledger.commitments if folder.commitment_rel(c.id) in touched for m in c.mentions}

    def run(
        active: Sequence[Mention],
        *,
        must_link: Iterable[tuple[str, str]] = (),
        cannot_link: Iterable[tuple[str, str]] = (),
        document_order: Any = None,
    ) -> list[list[Mention]]:
        subset = [m for m in active if id(m) in matched or id(m) not in held]
        chosen = {m.id for m in subset}
        must = [(a, b) for a, b in must_link if a in chosen and b in chosen]
        cannot = [(a, b) for a, b in cannot_link if a in chosen and b in chosen]
        options = {"document_order": document_order} if document_order is not None else {}
        clusters = [list(c) for c in cluster(subset, must_link=must, cannot_link=cannot, **options)] if subset else []
        rest: dict[int, list[Mention]] = {}
        for m in active:
            if id(m) in held and id(m) not in matched:
                rest.setdefault(held[id(m)], []).append(m)
        return [*clusters, *(rest[g] for g in sorted(rest))]

    return run
