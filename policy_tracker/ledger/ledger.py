"""The commitment ledger: load, ingest, curate, save.

::

    ledger = Ledger.open("ledger.yaml")        # empty when the file does not exist yet
    summary = ledger.ingest(documents)         # extract, match, keep ids, replay decisions
    ledger.save("ledger.yaml")                 # atomic; refuses if someone else wrote it meanwhile
    for commitment in ledger: ...
    ledger["nev-2023-01"].title

Ingestion runs the matcher over every mention the ledger holds plus the new
ones (mentions of a re-ingested document are replaced by its fresh
extraction), with the analyst's decisions as hints.  Mentions the ledger
already held stay where they are; a new mention joins the commitment holding
most of its cluster, or a new one.  Decisions not yet applied are replayed
(rejects always), each group keeps the id that held most of its mentions
(earliest wins ties) and new groups get new ids in chronological order of
their first mention.  Titles, statuses, notes and tags set by an analyst are
never overwritten.  See docs/ledger.md.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any


from . import cache
from . import folder
from . import yaml_io
from . import yaml_write
from . import files
from . import status as lifecycle
from .curation import SpanIndex
from ..errors import LedgerError, LookupFailed
from ..models import Briefing, Evidence, Mention, date_key
from .records import Decision, DocumentRecord, TrackedCommitment
from ._deciding import _Deciding
from ._ingesting import IngestSummary, _Ingesting, gc_paused, prepare
from ._keys import _Keys

if TYPE_CHECKING:
    from ..matching import incremental

__all__ = ["LIST_IDS_HINT", "IngestSummary", "Ledger", "gc_paused", "prepare"]

# The one hint every "no such commitment" error gives.
LIST_IDS_HINT = "list ids with `policy-tracker timeline`"


class Ledger(_Ingesting, _Deciding, _Keys):
    """A YAML commitment ledger in memory.  See the module docstring."""

    def __init__(self, parts: yaml_io.LedgerParts | None = None) -> None:
        parts = parts or yaml_io.LedgerParts()
        self._briefings: dict[str, Briefing] = {b.id: b for b in parts.briefings}
        self._documents: dict[str, DocumentRecord] = {d.id: d for d in parts.documents}
        self._decisions: list[Decision] = list(parts.decisions)
        self._commitments: list[TrackedCommitment] = list(parts.commitments)
        self._evidence: dict[str, Evidence] = {e.id: e for e in parts.evidence}
        self.path: Path | None = None
        self._loaded_digest: str | None | bool = False  # False: not tied to a file
        # matching-key signatures computed this session, by mention id (see incremental.py), and the
        # commitments as loaded or saved: while they are unchanged, the file's sidecar describes them
        self._signatures: dict[str, incremental.Signature] = {}
        self._clean: list[TrackedCommitment] | None = self._commitments
        # the briefings the statuses were last derived against, when known to be derived with today's
        # thresholds (by this process, or per the file's sidecar): appending briefings then only extends them
        self._order: lifecycle.Chronology | None = None
        # a ledger folder (policy_tracker.ledger.folder): the files it was loaded from, and every id of a partial load
        self._store: Any = None
        self._reserved: frozenset[str] = frozenset()
        self._index()
        self._detect_hand_edits()

    # ------------------------------------------------------------ reading

    @classmethod
    def loads(cls, text: str, name: str = "<ledger>", *, libyaml: bool = True) -> Ledger:
        """Parse ledger text; errors name ``name``, line and field."""
        return cls(yaml_io.loads(text, name, libyaml=libyaml))

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], *, libyaml: bool = True, only: Iterable[str] | None = None, evidence: bool | Iterable[str] = True
    ) -> Ledger:
        """Read a ledger file or folder (and remember what was read, to detect concurrent writers).

        For a ledger folder, ``only`` loads just the commitments named (ids,
        aliases, mention ids, ``briefing:REF``) and ``evidence`` the evidence
        of every document (True), none (False) or the named documents: a
        partial ledger, whose save writes only what it changed
        (:mod:`policy_tracker.ledger.folder`).  A single file is always read whole.
        """
        with gc_paused():
            if folder.is_folder_path(path):
                return cls._load_folder(path, only, evidence)
            return cls._load(path, libyaml=libyaml)

    @classmethod
    def _load_folder(cls, name: str | os.PathLike[str], only: Iterable[str] | None, evidence: bool | Iterable[str], index: Any = None) -> Ledger:
        path = Path(name)
        if not folder.check_folder(name):
            raise LedgerError(f"{path}: no such ledger; run `policy-tracker ingest DOCS --ledger {path}/` to create it")
        parts, state = folder.load(path, only, evidence, index)
        ledger = cls(parts)
        ledger.path, ledger._store, ledger._loaded_digest, ledger._reserved = path, state, state.digest, state.reserved
        if state.statuses == folder.statuses_mark(state.digest):  # every file's statuses derived, as the index records
            ledger._order = lifecycle.Chronology(parts.briefings)
        return ledger

    @classmethod
    def _load(cls, path: str | os.PathLike[str], *, libyaml: bool = True) -> Ledger:
        p = Path(path)
        data = files.read_bytes(p)
        files.remove_leftovers(p)  # of a command killed mid-save
        digest = files.digest(data)
        parts = None
        cached = cache.get(digest)
        if cached is not None:
            try:
                parts = yaml_io.from_data(cached)
            except yaml_io.FieldError:
                parts = None  # parse the YAML below: its error names the line
        if parts is None:
            text = yaml_io.decode(data, str(p))
            plain = yaml_io.parse(text, str(p), libyaml=libyaml)
            parts = yaml_io.check(plain, text, str(p))
            cache.put(digest, plain)
        from ..matching import incremental

        ledger = cls(parts)
        ledger.path, ledger._loaded_digest = p, digest
        if incremental.statuses_current(incremental.sidecar_path(p), digest, lifecycle.stamp()):
            ledger._order = lifecycle.Chronology(parts.briefings)
        return ledger

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Ledger:
        """Load ``path``, or start an empty ledger bound to it when it does not exist yet."""
        p = Path(path)
        if folder.is_folder_path(path):
            if folder.check_folder(path):
                return cls.load(p)
            ledger = cls()
            ledger.path, ledger._loaded_digest = p, None
            return ledger
        if p.exists():
            data = files.read_bytes(p)
            if data is not None and not data.strip():  # `touch ledger.yaml`: an empty file is a new ledger
                ledger = cls()
                ledger.path, ledger._loaded_digest = p, files.digest(data)
                return ledger
            return cls.load(p)
        if p.parent.is_dir():
            files.remove_leftovers(p)  # of a first ingest killed mid-save
        ledger = cls()
        ledger.path, ledger._loaded_digest = p, None
        return ledger

    # ------------------------------------------------------------ writing

    def dumps(self, *, libyaml: bool = True) -> str:
        """The ledger as YAML text: deterministic, so an unchanged ledger dumps byte-identically."""
        return yaml_io.dumps(self._parts(), libyaml=libyaml)

    def save(self, path: str | os.PathLike[str] | None = None, *, force: bool = False, libyaml: bool = True) -> Path:
        """Write atomically to ``path`` (default: where it was loaded from).

        Refuses (:class:`~policy_tracker.errors.LedgerLockedError`) when another
        process holds the lock or changed the file since it was loaded, unless
        ``force``.
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise LedgerError("save: no path given and the ledger was not loaded from a file")
        with gc_paused():
            if folder.is_folder_path(path if path is not None else target) or (path is None and self._store is not None):
                return self._save_folder(target, force)
            return self._save(target, force, libyaml)

    def _save_folder(self, target: Path, force: bool) -> Path:
        old_digest = self._loaded_digest if self.path is not None and self._store is not None and target.resolve() == self.path.resolve() else False
        self._store = folder.save(self, target, force)
        self.path, self._loaded_digest = target, self._store.digest
        keys = dict(self._signatures)  # of a partial ledger: those of the mentions it added
        if not self._store.partial:
            keys = self._save_keys(target, old_digest)
            self._clean = self._commitments
        if keys:  # the index keeps them per mention, for the next appending ingest (append.py)
            from .folder_keys import store_keys

            store_keys(target, keys)
            self._signatures = {}
        return target

    def _save(self, target: Path, force: bool, libyaml: bool) -> Path:
        parts = self._parts()
        same_file = self.path is not None and target.resolve() == self.path.resolve()
        expected = self._loaded_digest if same_file and not force else False
        plain = yaml_io.to_data(parts) if cache.folder() is not None else None
        try:  # written as it is made (streamed), unless the cache wants the plain data too
            data = yaml_io.dump_chunks(parts, libyaml=libyaml) if plain is None else yaml_io.dump_data(plain, libyaml=libyaml).encode()
            digest = files.write_atomic(target, data, expected)
        except yaml_write.Unsupported:  # to_data makes nothing the writer leaves to PyYAML; kept exact anyway
            digest = files.write_atomic(target, yaml_io.dumps(parts, libyaml=libyaml).encode(), expected)
        old_digest = self._loaded_digest if same_file else False
        self.path, self._loaded_digest = target, digest
        if plain is not None:
            cache.put(digest, plain)
        self._save_keys(target, old_digest)
        self._clean = self._commitments
        return target

    # ------------------------------------------------------------ access

    @property
    def commitments(self) -> tuple[TrackedCommitment, ...]:
        return tuple(self._commitments)

    @property
    def briefings(self) -> tuple[Briefing, ...]:
        return tuple(lifecycle.chronological(list(self._briefings.values())))

    @property
    def documents(self) -> tuple[DocumentRecord, ...]:
        return tuple(self._documents[k] for k in sorted(self._documents))

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return tuple(sorted(self._evidence.values(), key=lambda e: (date_key(e.date), e.source, e.start, e.end)))

    @property
    def decisions(self) -> tuple[Decision, ...]:
        return tuple(self._decisions)

    @property
    def mentions(self) -> tuple[Mention, ...]:
        """Every mention of every commitment, in chronological order."""
        return tuple(sorted((m for c in self._commitments for m in c.mentions), key=Mention.sort_key))

    def __repr__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"<Ledger{where}: {len(self._commitments)} commitments, {len(self._by_mention)} mentions, {len(self._decisions)} decisions>"

    def __iter__(self) -> Iterator[TrackedCommitment]:
        return iter(tuple(self._commitments))

    def __len__(self) -> int:
        return len(self._commitments)

    def __contains__(self, cid: object) -> bool:
        return isinstance(cid, str) and self._resolve_id(cid) is not None

    def __getitem__(self, cid: str) -> TrackedCommitment:
        found = self._resolve_id(cid)
        if found is None:
            raise LookupFailed(self.missing_message(cid, "commitment"))
        return found

    def rejection(self, name: str) -> Decision | None:
        """The reject decision that took commitment or mention ``name`` out of the ledger, if any."""
        for d in reversed(self._decisions):
            if d.action == "reject" and (d.commitment == name or name in d.mentions):
                return d
        return None

    def missing_message(self, name: str, what: str) -> str:
        """Why ``name`` (a commitment or mention id) is not in the ledger: rejected, or unknown, with what to do."""
        d = self.rejection(name)
        if d is not None:
            why = f" ({d.reason})" if d.reason else ""
            when = f" on {d.date.isoformat()}" if d.date else ""
            return (
                f"{what} {name!r} was rejected as not a pledge{when}{why}; "
                "to bring it back, delete that reject decision under decisions: in the ledger and re-run ingest "
                "(it returns as a new commitment)"
            )
        if what == "mention":
            return f"no mention {name!r} in the ledger; mention ids look like SOURCE@START-END (see `policy-tracker show ID`)"
        return f"no commitment {name!r} in the ledger; {LIST_IDS_HINT}"

    def get(self, cid: str) -> TrackedCommitment | None:
        return self._resolve_id(cid)

    def commitment_of(self, mention_id: str) -> TrackedCommitment:
        """The commitment holding a mention (by id, or by overlapping span)."""
        m = SpanIndex(self.mentions).find(mention_id)
        if m is None:
            raise LookupFailed(self.missing_message(mention_id, "mention"))
        return self._by_mention[m.id]

    def suggest_evidence(self, cid: str, limit: int = 5) -> list[tuple[Evidence, float]]:
        """Evidence statements that may show progress on commitment ``cid``, best first (see :mod:`.suggest`)."""
        if not self._evidence:
            self[cid]  # an unknown id is still an error
            return []
        from ..matching.suggest import evidence_candidates

        return evidence_candidates(self[cid], self._evidence.values(), limit=limit)

    def summaries(self, order: lifecycle.Chronology) -> list[dict[str, Any]] | None:
        """Every commitment's summary (:mod:`.summary`) from a ledger folder's index, when this ledger is the folder as loaded; else None.

        ``order`` is the ledger's briefings (for a commitment whose file has no
        status history).  A partial ledger (``Ledger.load(folder, only=[])``)
        serves the whole folder's summaries this way without loading them.
        """
        if self._store is None or folder.pending(self):
            return None
        from . import folder_summaries

        return folder_summaries.summaries(self._store, order)

    def to_records(self, level: str = "mention") -> list[dict[str, Any]]:
        """Plain dicts for pandas/CSV: one per mention (default) or per commitment (``level="commitment"``)."""
        from .export import records

        return records(self, level)

    # ------------------------------------------------------------ checks

    def problems(self) -> list[str]:
        """Things worth a warning that do not make the ledger invalid: dangling links, idle decisions."""
        out = []
        for c in self._commitments:
            for eid in (*c.evidence, *(e for h in c.history for e in h.evidence)):
                if eid not in self._evidence:
                    out.append(f"{c.id}: evidence {eid} is not in the evidence list; re-link it with `set {c.id} --evidence …`")
        for n, d in enumerate(self._decisions):
            for cid in (d.into, *d.ids) if d.action == "merge" else (d.into,) if d.action == "pin" else ():
                if cid and cid not in self:
                    out.append(f"decisions[{n}] ({d.action}): commitment {cid} is not in the ledger; check the id")
        return list(dict.fromkeys(out))

    def changed_documents(self, texts: dict[str, str]) -> list[str]:
        """Ids of documents whose text differs from what was ingested (by SHA-256)."""
        out = []
        for doc_id, text in sorted(texts.items()):
            record = self._documents.get(doc_id)
            if record is not None and record.sha256 and record.sha256 != hashlib.sha256(text.encode()).hexdigest():
                out.append(doc_id)
        return out

    # ------------------------------------------------------------ internals

    def _parts(self) -> yaml_io.LedgerParts:
        return yaml_io.LedgerParts(
            briefings=self.briefings,
            documents=self.documents,
            decisions=tuple(self._decisions),
            commitments=tuple(self._commitments),
            evidence=self.evidence,
        )

    def _index(self) -> None:
        self._by_id = {c.id: c for c in self._commitments}
        self._aliases = {a: c.id for c in self._commitments for a in c.aliases}
        self._mention_of: dict[str, Mention] = {}
        self._by_mention: dict[str, TrackedCommitment] = {}
        for c in self._commitments:
            for m in c.mentions:
                mid = m.id
                self._mention_of[mid] = m
                self._by_mention[mid] = c

    def _resolve_id(self, cid: str) -> TrackedCommitment | None:
        if cid in self._by_id:
            return self._by_id[cid]
        if cid in self._aliases:
            return self._by_id[self._aliases[cid]]
        return None

    def _mention_in(self, c: TrackedCommitment, mid: str) -> Mention:
        m = SpanIndex(c.mentions).find(mid)
        if m is None:
            raise LookupFailed(f"{c.id} has no mention {mid!r}; its mentions are {', '.join(x.id for x in c.mentions)}")
        return m

    def _latest_briefing(self) -> str | None:
        b = lifecycle.latest(self.briefings)
        return b.id if b is not None else None
