"""Ingestion, the part of :class:`~policy_tracker.ledger.ledger.Ledger` that adds documents (a private mixin).

Extraction and matching run over every mention the ledger holds plus the new
ones; mentions the ledger already held stay where they are; decisions are
replayed; ids are kept (:mod:`.ids`) and statuses derived (:mod:`.status`).
See docs/ledger.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from . import curation
from . import files
from . import status as lifecycle
from .curation import Group, Previous, SpanIndex
from ..errors import LedgerError, PolicyTrackerError
from .ids import IdAllocator, assign_ids
from ..models import Briefing, Document, Evidence, Mention, date_key
from .records import DocumentRecord, TrackedCommitment

Extractor = Callable[[Document], Sequence[Mention]]
EvidenceExtractor = Callable[[Document], Sequence[Evidence]]
Matcher = Callable[..., list[list[Mention]]]


@attrs.frozen
class IngestSummary:
    """What an ingest did, for the CLI's one-paragraph report."""

    documents: int
    mentions: int
    evidence: int
    new: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: int
    rejected: int
    warnings: tuple[str, ...] = ()


def _sort_key(c: TrackedCommitment) -> tuple[Any, ...]:
    first = c.first_seen
    return (*(first.sort_key() if first else ("9999-99-99", "", 0, 0)), c.id)


def _default_extract() -> tuple[Extractor, EvidenceExtractor | None]:
    from ..extraction.extract import extract, extract_evidence

    return extract, extract_evidence


def _default_matcher() -> Matcher:
    from ..matching.cluster import cluster

    return cluster


def prepare(doc: Document, mentions: Iterable[Mention]) -> list[Mention]:
    """Fill a fresh mention's briefing, date and text from its document where extraction left them out."""
    out = []
    for m in mentions:
        changes: dict[str, Any] = {}
        if m.source != doc.id:
            raise LedgerError(f"{doc.path or doc.id}: extracted mention {m.id} names source {m.source!r}; expected {doc.id!r}")
        if m.briefing is None and doc.briefing_id:
            changes["briefing"] = doc.briefing_id
        if m.date is None and doc.sort_date is not None:
            changes["date"] = doc.sort_date
        if not m.text:
            changes["text"] = m.quote
        out.append(attrs.evolve(m, **changes) if changes else m)
    return out


class _Ingesting:
    """Ledger methods that ingest documents; they use the ledger's state (``self._commitments`` …)."""

    # ------------------------------------------------------------ ingestion

    def ingest(
        self,
        documents: Iterable[Document],
        *,
        extract: Extractor | None = None,
        extract_evidence: EvidenceExtractor | None = None,
        cluster: Matcher | None = None,
        rematch: bool = False,
        incremental: bool = True,
        show_progress: bool = False,
    ) -> IngestSummary:
        """Add (or re-read) documents: extract, match, keep ids, assignments and decisions.

        Mentions the ledger already holds stay in their commitments; new ones
        join the commitment the matcher puts them with, or new commitments.
        With ``rematch`` the matcher may also regroup existing mentions
        (after a matcher upgrade); ids still go to the cluster holding most of
        their mentions and every decision is replayed.  When every document
        is dated on or after the ledger's latest briefing, the matcher sees
        only the new mentions and the commitments that are candidates for
        them (:mod:`policy_tracker.matching.incremental`); ``incremental=False`` makes
        it see every mention.  ``show_progress`` writes counts and rates of
        extraction and matching to stderr (the CLI sets it on a terminal).
        """
        from ..sources.load import link_undated

        docs = sorted(documents, key=lambda d: d.id)
        twice = sorted(i for i, n in Counter(d.id for d in docs).items() if n > 1)
        if twice:
            raise LedgerError(f"ingest: document id {twice[0]!r} given twice; document ids (file name stems) must be unique")
        docs, skipped = self._drop_copies(docs)
        docs = link_undated(docs, self._dated_by_period(exclude={d.id for d in docs}))
        snapshot = self._snapshot()
        try:
            with gc_paused():
                summary = self._ingest(docs, extract, extract_evidence, cluster, rematch, incremental, show_progress)
        except BaseException:
            self._restore(snapshot)  # a failed ingest leaves the ledger as it was
            raise
        return attrs.evolve(summary, warnings=(*skipped, *summary.warnings)) if skipped else summary

    def _drop_copies(self, docs: list[Document]) -> tuple[list[Document], list[str]]:
        """Leave out documents whose text the ledger (or an earlier document of the batch) already holds under another id.

        The same article saved under a second name would otherwise double
        every mention of its briefing.  Which copy stays does not depend on
        the order files were given in: the ledger's, else the smallest id.
        """
        held = {r.sha256: r.id for r in self._documents.values() if r.sha256}
        kept: list[Document] = []
        skipped: list[str] = []
        for doc in docs:  # sorted by id
            digest = hashlib.sha256(doc.text.encode()).hexdigest()
            first = held.setdefault(digest, doc.id)
            if first != doc.id:
                where = "the ledger holds" if first in self._documents else "this ingest also reads"
                skipped.append(
                    f"{doc.path or doc.id}: same text as document {first!r}, which {where}; skipped "
                    "(a copy under another name would count every pledge twice)"
                )
                continue
            kept.append(doc)
        return kept, skipped

    def _dated_by_period(self, exclude: set[str] | frozenset[str] = frozenset()) -> dict[str, set[tuple[str, dt.date]]]:
        """Dated press conferences by period, {period: {(briefing id, held)}}, counting only documents dated by themselves (not linked, not from the batch)."""
        from ..sources.load import is_inferred

        out: dict[str, set[tuple[str, dt.date]]] = {}
        for b in self._briefings.values():
            if b.held is None or b.kind != "press_conference" or not b.period:
                continue
            own = [
                d for d in b.documents
                if d not in exclude and d in self._documents and not is_inferred(self._documents[d].date_source)
            ]
            if own:
                out.setdefault(b.period, set()).add((b.id, b.held))
        return out

    def _relink_held(self, batch: set[str]) -> list[str]:
        """Link (or unlink) the ledger's undated press-conference reports to the one dated conference of their period.

        The batch's documents were linked before extraction (:func:`policy_tracker.sources.load.link_undated`);
        a document ingested earlier joins a dated conference that arrives later, and leaves it when a
        second one of the same period arrives, so that batches give what one ingest gives.
        """
        from ..sources.load import LINKED, held_by, is_linked

        dated = self._dated_by_period()
        moves: dict[str, tuple[str, dt.date | None, str | None]] = {}  # document → (briefing, date, date_source)
        for r in self._documents.values():
            if r.id in batch or r.briefing is None:
                continue
            own = f"undated-{r.id}"
            if not is_linked(r.date_source) and r.briefing != own:
                continue
            b = self._briefings.get(r.briefing)
            if b is None or b.kind != "press_conference" or not b.period:
                continue
            matches = dated.get(b.period, set())
            if len(matches) == 1 and held_by(r.published, matches):
                (bid, held), = matches
                if bid != r.briefing:
                    moves[r.id] = (bid, held, f"{LINKED}same period as briefing {bid}")
            elif is_linked(r.date_source):
                self._briefings[own] = Briefing(id=own, held=None, kind="press_conference", period=b.period, documents=(r.id,))
                moves[r.id] = (own, r.published, None)
        if not moves:
            return []
        notes = [
            f"{doc_id}: {'joined briefing ' + bid + ' (the dated press conference of its period)' if source else 'is undated again (its period has more than one dated press conference)'}; "
            "its pledges were read with its old date: ingest the document again to re-read them"
            for doc_id, (bid, _, source) in sorted(moves.items())
        ]
        for doc_id, (bid, date, source) in moves.items():
            self._documents[doc_id] = attrs.evolve(self._documents[doc_id], briefing=bid, date_source=source)
            target = self._briefings[bid]
            if doc_id not in target.documents:
                self._briefings[bid] = attrs.evolve(target, documents=tuple(sorted((*target.documents, doc_id))))
        self._drop_moved_documents()
        self._commitments = [
            attrs.evolve(c, mentions=tuple(_moved(m, moves) for m in c.mentions)) if any(m.source in moves for m in c.mentions) else c
            for c in self._commitments
        ]
        for eid, e in list(self._evidence.items()):
            if e.source in moves:
                self._evidence[eid] = attrs.evolve(e, date=moves[e.source][1])
        self._index()
        return notes

    def _snapshot(self) -> tuple[Any, ...]:
        return (dict(self._briefings), dict(self._documents), list(self._decisions), list(self._commitments), dict(self._evidence), self._order)

    def _restore(self, snapshot: tuple[Any, ...]) -> None:
        self._briefings, self._documents, self._decisions, self._commitments, self._evidence, self._order = snapshot
        self._index()

    def _ingest(
        self,
        docs: list[Document],
        extract: Extractor | None,
        extract_evidence: EvidenceExtractor | None,
        cluster: Matcher | None,
        rematch: bool,
        incremental_ok: bool = True,
        show: bool = False,
    ) -> IngestSummary:
        from .. import parallel
        from ..progress import progress, step
        from ..sources.load import briefings_from

        prefetched: dict[str, tuple[list[Mention], list[Evidence]]] = {}
        if extract is None:
            extract, default_evidence = _default_extract()
            if extract_evidence is None:
                from ..extraction.extract import PARALLEL_DOCUMENTS, extract_iter  # a large batch: one forked process per core
                if len(docs) >= PARALLEL_DOCUMENTS or parallel.current() is not None:
                    try:  # counted as the pool finishes documents, not as they are handed out
                        done = progress(extract_iter(docs), total=len(docs), label="extracting", enabled=show, unit="documents")
                        prefetched = {d.id: r for d, r in zip(docs, list(done))}
                    except Exception:
                        if parallel.current() is not None:  # a cluster the user asked for (--dask) failed: say so, never redo it here
                            raise
                        prefetched = {}  # the forked pool: redo serially below, where errors name the document
            extract_evidence = extract_evidence or default_evidence
        fresh: list[Mention] = []
        fresh_evidence: list[Evidence] = []
        warnings: list[str] = []
        for doc in progress(docs, total=len(docs), label="extracting", enabled=show and not prefetched, unit="documents"):
            try:
                if doc.id in prefetched:
                    pledges, evidence = prefetched[doc.id]
                    found = prepare(doc, pledges)
                else:
                    found = prepare(doc, extract(doc))
                    evidence = list(extract_evidence(doc)) if extract_evidence is not None else []
            except PolicyTrackerError:
                raise
            except Exception as exc:  # an extractor bug must not lose the run's context
                raise LedgerError(
                    f"{doc.path or doc.id}: extraction failed ({type(exc).__name__}: {exc}); nothing was written. "
                    "Please report it with this document"
                ) from exc
            seen: set[str] = set()
            for m in found:
                if m.id in seen:
                    continue
                seen.add(m.id)
                if doc.text[m.start : m.end] != m.quote:
                    warnings.append(f"{doc.path or doc.id}: mention {m.id}: quote differs from the text at its offsets; skipped")
                    continue
                fresh.append(m)
            fresh_evidence.extend(e if e.date else attrs.evolve(e, date=doc.sort_date) for e in evidence)
        batch = {d.id for d in docs}
        appending = incremental_ok and not rematch and self._appends(docs)
        for b in briefings_from(docs):
            self._briefings[b.id] = _merge_briefing(self._briefings.get(b.id), b)
        for doc in docs:
            self._documents[doc.id] = DocumentRecord.from_document(doc, hashlib.sha256(doc.text.encode()).hexdigest())
        self._drop_moved_documents()
        warnings.extend(self._relink_held(batch))
        if extract_evidence is not None:  # without an evidence extractor, keep what the ledger has
            for eid in [eid for eid, e in self._evidence.items() if e.source in batch]:
                del self._evidence[eid]
            for e in fresh_evidence:
                self._evidence[e.id] = e
            self._relink_evidence()
        kept = [m for c in self._commitments for m in c.mentions if m.source not in batch]
        # Matching is chronological: documents that come before some the ledger already holds (an earlier
        # briefing added late, or any document when undated ones are held) regroup the machine's assignments,
        # so that the grouping is the one a single ingest of every document gives, whatever the batches.
        regroup = rematch or self._out_of_order(kept, docs)
        held = list(self._commitments)
        before = {c.id: c.mentions for c in held}
        matcher = cluster or _default_matcher()
        if appending:  # the new documents come last: match them against their candidates only
            matcher = self._subset_matcher(matcher, batch)
        label = ("matching", len(fresh), "new mentions (incremental)") if appending else ("matching", len(kept) + len(fresh), "mentions")
        with step(*label, enabled=show):
            rejected, problems = self._rebuild([*kept, *fresh], matcher, regroup)
        gone, lost = curation.dropped(held, self._commitments, self._decisions, batch)  # never lose an analyst's work silently
        if lost:
            raise LedgerError("\n".join(lost))
        warnings.extend([*problems, *gone])
        after = {c.id: c.mentions for c in self._commitments}
        new = tuple(cid for cid in after if cid not in before)
        updated = tuple(cid for cid in after if cid in before and _changed(before[cid], after[cid]))
        return IngestSummary(
            documents=len(docs),
            mentions=len(fresh),
            evidence=len(fresh_evidence),
            new=new,
            updated=updated,
            unchanged=len(after) - len(new) - len(updated),
            rejected=rejected,
            warnings=tuple(warnings),
        )

    def _out_of_order(self, kept: Sequence[Mention], docs: Sequence[Document]) -> bool:
        """Whether a new document comes, in the matcher's order (date, then content hash), before a mention the ledger keeps."""
        if not kept or not docs:
            return False
        order = self._content_order()

        def key(date: dt.date | None, source: str) -> tuple[str, str]:
            return (date_key(date), order.get(source, source))

        last = max(key(m.date, m.source) for m in kept)
        return any(key(d.sort_date, d.id) < last for d in docs)

    def _appends(self, docs: Sequence[Document]) -> bool:
        """Whether every document is dated on or after the latest briefing of a non-empty ledger."""
        held = [b.held for b in self._briefings.values() if b.held is not None]
        if not self._commitments or not held:
            return False
        latest = max(held)
        return all(d.sort_date is not None and d.sort_date >= latest for d in docs)

    def _subset_matcher(self, cluster: Matcher, batch: set[str]) -> Matcher:
        """``cluster`` wrapped by :func:`policy_tracker.matching.incremental.subset_matcher`, the index from the sidecar when current."""
        from ..matching import incremental

        vocab, config, stamp = incremental.vocabulary()
        groups = [c.mentions for c in self._commitments]
        index = self._key_index(stamp, groups, vocab)
        return incremental.subset_matcher(cluster, groups, index, batch, vocab, config, self._signatures)  # type: ignore[no-any-return]

    def _previous(self) -> Previous:
        holder = {mid: c.id for mid, c in self._by_mention.items()}
        aliases = {a: c.id for c in self._commitments for a in c.aliases}
        return Previous(holder, aliases, SpanIndex(by_id=self._mention_of))  # _index() replaces, never mutates, it

    def _rebuild(self, mentions: Sequence[Mention], cluster: Matcher, rematch: bool = False) -> tuple[int, list[str]]:
        """Cluster ``mentions``, replay decisions, map clusters to ids; returns (rejected, problems)."""
        from ..matching import incremental

        problems: list[str] = []
        pool = SpanIndex(mentions)
        previous = self._previous()
        self._decisions = curation.complete(self._decisions, previous)
        out = curation.rejected(self._decisions, pool, previous)
        active = [m for m in mentions if m.id not in out] if out else list(mentions)
        must, cannot = curation.constraints(self._decisions, previous, pool)
        order = {"document_order": self._content_order()} if incremental.takes_document_order(cluster) else {}
        try:
            clusters = cluster(active, must_link=must, cannot_link=cannot, **order)
        except LedgerError as exc:  # the matcher found the hints contradictory: the replay still enforces decisions
            problems.append(f"decisions could not guide the matcher ({exc}); they are applied after matching")
            clusters = cluster(active, **order)
        groups = [Group(list(c)) for c in clusters]
        as_is: list[TrackedCommitment] = []
        if rematch:  # everything regrouped: every decision is replayed
            selected = list(range(len(self._decisions)))
        else:  # assignments kept: only decisions the ledger does not reflect yet
            selected = [i for i, d in enumerate(self._decisions) if not d.applied]
            if not selected:
                groups, as_is = self._split_unchanged(groups)
            groups = curation.keep_holders(groups, previous)
        failed: set[int] = set()
        groups = curation.replay(groups, self._decisions, previous, pool, problems, selected, failed)
        self._assign(groups, previous, as_is)
        self._record_split_ids(pool)
        self._mark_applied(set(selected) - failed)
        return len(mentions) - len(active), problems

    def _content_order(self) -> dict[str, str]:
        """Each document's sha256: the matcher orders documents of one date (and undated ones) by content, not by file name."""
        return {r.id: r.sha256 for r in self._documents.values() if r.sha256}

    def _split_unchanged(self, groups: list[Group]) -> tuple[list[Group], list[TrackedCommitment]]:
        """Set aside clusters that are exactly an existing commitment (the same mention objects).

        With assignments kept and no decision to replay, nothing can change
        such a commitment: no other cluster holds one of its mentions, so no
        new mention joins it and no other group can take its id.
        """
        by_first = {id(c.mentions[0]): c for c in self._commitments if c.mentions}
        rest: list[Group] = []
        same: list[TrackedCommitment] = []
        for g in groups:
            c = by_first.get(id(g.mentions[0])) if g.mentions else None
            if c is not None and len(c.mentions) == len(g.mentions) and all(map(operator.is_, c.mentions, g.mentions)):
                same.append(c)  # the common case: the very same mentions in the same order
                continue
            if c is None or len(c.mentions) != len(g.mentions) or {id(m) for m in c.mentions} != {id(m) for m in g.mentions}:
                c = None
                for m in g.mentions:  # clusters are chronological, but compare whatever the order
                    c = by_first.get(id(m))
                    if c is not None:
                        break
                if c is None or len(c.mentions) != len(g.mentions) or {id(m) for m in c.mentions} != {id(m) for m in g.mentions}:
                    rest.append(g)
                    continue
            same.append(c)
        return rest, same

    def _mark_applied(self, indexes: set[int]) -> None:
        for i in sorted(indexes):
            if not self._decisions[i].applied:
                self._decisions[i] = attrs.evolve(self._decisions[i], applied=True)

    def _record_split_ids(self, pool: SpanIndex) -> None:
        """A hand-written split without ``into`` records the id its commitment received, once."""
        for i, d in enumerate(self._decisions):
            if d.action == "split" and not d.into:
                found = [pool.find(mid) for mid in d.mentions]
                holder = next((self._by_mention[m.id].id for m in found if m is not None and m.id in self._by_mention), None)
                if holder is not None:
                    self._decisions[i] = attrs.evolve(d, into=holder)

    def _assign(self, groups: list[Group], previous: Previous, as_is: Sequence[TrackedCommitment] = ()) -> None:
        """Name the groups (see :func:`policy_tracker.ledger.ids.assign_ids`) and rebuild the commitments.

        ``as_is`` are commitments known to be unchanged (their mentions, id and
        aliases): only their status is brought up to date.
        """
        old = {c.id: c for c in self._commitments}
        first_seen = _FirstSeen(old)
        allocator = IdAllocator([*old, *(a for c in old.values() for a in c.aliases), *self._decision_ids(), *sorted(self._reserved)])  # _reserved: ids of a partial load (ledger folder)
        named, inherited = assign_ids(groups, previous, first_seen, allocator)
        aliases = {cid: {*(old[cid].aliases if cid in old else ()), *extra, *(a for x in extra if x in old for a in old[x].aliases)} for cid, extra in inherited.items()}
        briefings = lifecycle.Chronology(list(self._briefings.values()))  # sorted once for every commitment
        stalled_after, dormant_after = lifecycle.thresholds()  # read once, not per commitment
        # briefings only appended since the last derivation: an unchanged commitment can only turn dormant
        before = self._order if self._order is not None and lifecycle.appended(self._order, briefings) else None
        commitments = []
        for c in as_is:
            extended = lifecycle.extend(c, before, briefings) if before is not None else None
            commitments.append(
                extended
                if extended is not None
                else lifecycle.apply(c, briefings, reuse_changes=True, stalled_after=stalled_after, dormant_after=dormant_after)
            )
        for cid, g in named.items():
            unchanged = cid in old and old[cid].mentions == tuple(g.mentions)
            if unchanged and before is not None and aliases[cid] - {cid} == set(old[cid].aliases):
                extended = lifecycle.extend(old[cid], before, briefings)
                if extended is not None:
                    commitments.append(extended)
                    continue
            losers = [old[a] for a in sorted(aliases[cid]) if a in old]
            base = curation.inherit_fields(old.get(cid), losers, cid)
            first = min(g.mentions, key=Mention.sort_key, default=None)  # the commitment's first_seen
            title = {"title": curation.title_of(first)} if first is not None and "title" not in base.curated else {}
            c = attrs.evolve(base, mentions=g.mentions, aliases=aliases[cid] - {cid}, **title)  # = machine_title(c) when not curated
            commitments.append(lifecycle.apply(c, briefings, reuse_changes=unchanged, stalled_after=stalled_after, dormant_after=dormant_after))
        commitments.sort(key=_sort_key)
        self._commitments = commitments
        self._order = briefings
        self._index()

    def _decision_ids(self) -> set[str]:
        ids: set[str] = set()
        for d in self._decisions:
            ids.update(x for x in (d.commitment, d.into, *d.ids) if x)
        return ids

    def _drop_moved_documents(self) -> None:
        """A re-ingested document whose briefing changed (a corrected date) leaves its old briefing."""
        for bid, b in list(self._briefings.items()):
            kept = tuple(d for d in b.documents if d not in self._documents or self._documents[d].briefing == bid)
            if not kept:
                del self._briefings[bid]
            elif kept != b.documents:
                self._briefings[bid] = attrs.evolve(b, documents=kept)

    def _relink_evidence(self) -> None:
        """Point evidence links at the re-extracted statement that overlaps the old one most."""
        index = SpanIndex(self._evidence.values())  # type: ignore[arg-type]  # Evidence has the same span fields

        def relink(ids: Sequence[str]) -> tuple[str, ...]:
            out = []
            for eid in ids:
                found = index.find(eid) if eid not in self._evidence else None
                out.append(found.id if found is not None else eid)
            return tuple(dict.fromkeys(out))

        for i, c in enumerate(self._commitments):
            if not c.evidence and not any(h.evidence for h in c.history):
                continue
            history = tuple(attrs.evolve(h, evidence=relink(h.evidence)) if h.evidence else h for h in c.history)
            self._commitments[i] = attrs.evolve(c, evidence=relink(c.evidence), history=history)
        self._index()


class _FirstSeen(Mapping[str, tuple[Any, ...]]):
    """Sort keys of the old commitments by id, computed when asked (most are never asked)."""

    def __init__(self, old: dict[str, TrackedCommitment]) -> None:
        self._old = old

    def __getitem__(self, cid: str) -> tuple[Any, ...]:
        return _sort_key(self._old[cid])

    def __iter__(self) -> Iterator[str]:
        return iter(self._old)

    def __len__(self) -> int:
        return len(self._old)


def _changed(before: Sequence[Mention], after: Sequence[Mention]) -> bool:
    """Whether a commitment's mentions changed (by id; the same objects are the same mentions)."""
    if len(before) == len(after) and all(a is b for a, b in zip(before, after, strict=True)):
        return False
    return {m.id for m in before} != {m.id for m in after}


def _moved(m: Mention, moves: Mapping[str, tuple[str, dt.date | None, str | None]]) -> Mention:
    """A mention of a document that joined or left a briefing: its briefing and date follow."""
    move = moves.get(m.source)
    return m if move is None else attrs.evolve(m, briefing=move[0], date=move[1])


def _merge_briefing(old: Briefing | None, new: Briefing) -> Briefing:
    if old is None:
        return new
    documents = tuple(sorted({*old.documents, *new.documents}))
    speakers = tuple(dict.fromkeys((*old.speakers, *new.speakers)))
    return attrs.evolve(new, documents=documents, speakers=speakers, period=new.period or old.period, event=new.event or old.event)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk operation (load, save, ingest).

    These build or walk millions of small objects and create next to no
    reference cycles, yet every full collection triggered on the way walks
    every live object: at 10⁵ mentions one collection costs about 0.3 s and
    several happen per load or ingest, at unpredictable points.  Reference
    counting still frees everything as usual; the collector's previous state
    is restored afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
