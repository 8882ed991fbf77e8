"""The ledger as a folder: a small root file, one YAML file per commitment, evidence per document, a derived index.

::

    ledger/                                  policy-tracker ingest DOCS --ledger ledger/
      root.yaml                              schema, briefings, documents, decisions
      commitments/nev/nev-2023-02.yaml       one commitment: analyst fields, history, mentions
      evidence/002_7070a237dd8e7fa7.yaml     the evidence statements of one document
      .gitignore                             written by the tool: the derived files below
      .index.sqlite                          derived index (ledger/folder_index.py); delete at will
      .keys                                  matching keys of the mentions (matching/incremental.py)

A commitment's file is named by its id, which never changes, under a folder
named by the id's prefix (the topic part), so a curation changes one or two
small files and ``git diff`` shows exactly those.  Every file is the same
deterministic YAML as the single-file ledger (same header mark and end line,
so a truncated file is refused); the folder holds exactly what the single
file holds, so ``policy-tracker migrate`` converts either way losslessly.

Reading goes through the index: every command stats the folder's files
(one ``scandir``), re-reads only the files that changed since they were
indexed, and loads either everything (ingest, report, timeline, validate)
or only the commitments it names (``show``, ``set``, ``merge`` … load the
commitments named on the command line, ``diff`` those stated in its two
briefings): a *partial* ledger.

Writing rewrites only the files whose text changed, each to a temporary file
(fsynced), then commits them together: a journal listing the renames is
written atomically, the renames are done, the journal is removed.  A writer
killed before the journal exists leaves only temporaries (cleaned up later);
one killed after it leaves a journal that the next reader or writer rolls
forward.  So the folder is always the old or the new ledger.  The lock
(``root.yaml.lock``) and the changed-since-load check (every file the
ledger was loaded from, with the new files it would create) are those of the
single file; a saved file keeps its permissions and a new one takes the
root file's.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs

from . import files as storage
from . import yaml_io as serialize
from . import yaml_write
from ..errors import LedgerError, LedgerLockedError
from . import journal
from .comments import carry_comments, has_comments
from .folder_index import FolderIndex, Parsed, Stamp, sha256, stamp_of, to_json
from ..models import LEDGER_MARK, Evidence
from .records import TrackedCommitment

ROOT = "root.yaml"
COMMITMENTS = "commitments"
EVIDENCE = "evidence"
KEYS = ".keys"
STATUSES = "statuses"  # index meta key: statuses_mark of the files as last saved
GITIGNORE = ".gitignore"
ROOT_SCHEMA = "policy-tracker/ledger-folder/1"
ROOT_KEYS = ("schema", "briefings", "documents", "decisions")
_PROMISE = "Its last line is '# end of ledger'."
ROOT_HEADER = (
    f"{LEDGER_MARK} folder: root (schema {ROOT_SCHEMA}); see docs/ledger.md. {_PROMISE}\n"
    "# Commitments are in commitments/, one file each; evidence in evidence/, one file per document.\n"
)
GITIGNORE_TEXT = (
    "# written by policy-tracker: derived files of the ledger folder (see docs/ledger.md)\n"
    f".index.sqlite*\n{KEYS}\n{journal.JOURNAL}\n*.lock\n*.lock.*\n.*.tmp\n"
)


def _commitment_header(cid: str) -> str:
    return f"{LEDGER_MARK} folder: commitment {cid}; see docs/ledger.md. {_PROMISE}\n"


def _evidence_header(source: str) -> str:
    return f"{LEDGER_MARK} folder: evidence of document {source}; see docs/ledger.md. {_PROMISE}\n"


# ---------------------------------------------------------------- paths

_SAFE = re.compile(r"[^\w.-]", re.UNICODE)
_PREFIX = re.compile(r"^(?P<prefix>.+)-(?:\d{4}|undated)-\d+$")


def _safe(name: str) -> str:
    """A file name for an id: letters, digits, ``_ . -`` kept, anything else %-escaped; never hidden."""
    out = _SAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), name)
    return "%2E" + out[1:] if out.startswith(".") else out


def commitment_rel(cid: str) -> str:
    """``commitments/<prefix>/<id>.yaml``: stable, since an id is never recomputed."""
    m = _PREFIX.match(cid)
    return f"{COMMITMENTS}/{_safe(m['prefix'] if m else '_other')}/{_safe(cid)}.yaml"


def evidence_rel(source: str) -> str:
    return f"{EVIDENCE}/{_safe(source)}.yaml"


def is_folder_path(path: str | os.PathLike[str]) -> bool:
    """Whether ``--ledger`` names a ledger folder: an existing folder, or a path ending with ``/``."""
    text = os.fspath(path)
    return text.endswith(("/", os.sep)) or Path(text).is_dir()


def check_folder(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` holds a ledger folder (False: a new one); refuses a folder of something else.

    An existing folder without a root file is a new ledger folder only when
    empty and named with a trailing ``/`` (``--ledger ledger/``); otherwise
    it is most likely a documents folder given by mistake.
    """
    folder = Path(path)
    if (folder / ROOT).exists():
        return True
    if not folder.exists():
        return False
    if not folder.is_dir():
        raise LedgerError(f"{folder}: is a file, not a ledger folder; drop the trailing '/' to use it as a single-file ledger")
    if os.fspath(path).endswith(("/", os.sep)) and not any(not p.name.startswith(".") for p in folder.iterdir()):
        return False
    raise LedgerError(
        f"{storage.folder_error(folder)} (a ledger folder holds {ROOT}; start one with a new or empty folder "
        f"named with a trailing '/': --ledger {folder}/)"
    )


# ---------------------------------------------------------------- text of each file


def _dump(data: Any, header: str, libyaml: bool = True) -> str:
    body = yaml_write.dump(data, serialize.dumper(libyaml), libyaml=libyaml)
    return header + body + serialize.FOOTER


def root_data(parts: serialize.LedgerParts) -> dict[str, Any]:
    data = serialize.to_data(attrs.evolve(parts, commitments=(), evidence=()))
    return {"schema": ROOT_SCHEMA, **{k: data[k] for k in ROOT_KEYS[1:]}}


# a file to write: its text and what the index records of it (the data is known: no need to parse it again)
File = tuple[str, Parsed]


def root_file(parts: serialize.LedgerParts) -> File:
    data = root_data(parts)
    return _dump(data, ROOT_HEADER), ("root", None, data, (), (), None)


def _summary(c: TrackedCommitment) -> tuple[str, Any]:
    """The commitment's summary for the index, with the stamp it is computed under (policy_tracker.ledger.summary)."""
    from . import summary

    return summary.stamp(), summary.summarize(c, hand_edits=True)  # as loading the file would see it


def commitment_file(c: TrackedCommitment) -> File:
    data = serialize.commitment_out(c)
    mentions = [(m.id, m.source, m.briefing) for m in c.mentions]
    return _dump(data, _commitment_header(c.id)), ("commitment", c.id, data, (c.id, *c.aliases), mentions, _summary(c))


def evidence_files(evidence: Iterable[Evidence]) -> dict[str, File]:
    """Evidence files by path, one per document, statements in ledger order."""
    by_source: dict[str, list[Evidence]] = {}
    for e in evidence:
        by_source.setdefault(e.source, []).append(e)
    out = {}
    for s, es in by_source.items():
        data = [serialize.evidence_out(e) for e in es]
        out[evidence_rel(s)] = (_dump(data, _evidence_header(s)), ("evidence", None, data, (), (), None))
    return out


# ---------------------------------------------------------------- parsing one file


def _parse_text(folder: Path, rel: str, data: bytes) -> tuple[str, Any]:
    name = str(folder / rel)
    text = serialize.decode(data, name)
    plain = serialize.parse(text, name)
    return text, plain


def _checked(folder: Path, rel: str, text: str, convert: Callable[[], Any]) -> Any:
    try:
        return convert()
    except serialize.FieldError as exc:
        raise serialize.field_error(str(folder / rel), text, exc) from None


def parse_file(folder: Path, rel: str, data: bytes) -> Parsed:
    """Read and check one file of the folder for the index: (kind, id, plain data, names, mentions)."""
    text, plain = _parse_text(folder, rel, data)
    if rel == ROOT:
        _checked(folder, rel, text, lambda: _root_parts(plain))
        return ("root", None, plain, (), (), None)
    if rel.startswith(COMMITMENTS + "/"):
        c = _checked(folder, rel, text, lambda: serialize.commitment_in(plain, ()))
        if commitment_rel(c.id) != rel:
            raise LedgerError(
                f"{folder / rel}:1: id {c.id!r} does not match the file name; a commitment's file is {commitment_rel(c.id)} "
                "(rename the file back, or record a merge to change ids)"
            )
        mentions = [(m.id, m.source, m.briefing) for m in c.mentions]
        return ("commitment", c.id, plain, (c.id, *c.aliases), mentions, _summary(c))
    if rel.startswith(EVIDENCE + "/"):
        _checked(folder, rel, text, lambda: _evidence_list(plain))
        return ("evidence", None, plain, (), (), None)
    raise LedgerError(f"{folder / rel}: a YAML file the ledger folder does not know; move it out of the folder")


def _root_parts(plain: Any) -> serialize.LedgerParts:
    if not isinstance(plain, dict):
        raise serialize.FieldError((), f"expected a mapping with 'schema: {ROOT_SCHEMA}' at the top; got {type(plain).__name__}")
    if plain.get("schema") != ROOT_SCHEMA:
        raise serialize.FieldError(("schema",), f"expected {ROOT_SCHEMA!r} (the root file of a ledger folder); got {plain.get('schema')!r}")
    for key in plain:
        if key not in ROOT_KEYS:
            raise serialize.FieldError((str(key),), f"unknown field of the root file; expected {', '.join(ROOT_KEYS)}")
    return serialize.from_data({**plain, "schema": serialize.SCHEMA})


def _evidence_list(plain: Any) -> list[Evidence]:
    if not isinstance(plain, list):
        raise serialize.FieldError((), "expected a list of evidence statements")
    return [serialize.evidence_in(item, (i,)) for i, item in enumerate(plain)]


# ---------------------------------------------------------------- state of a loaded folder


@attrs.define
class FolderState:
    """What a ledger loaded from a folder remembers: the files it read, for the save."""

    folder: Path
    partial: bool
    # every file the ledger was loaded from: its stamp and digest at load
    seen: dict[str, tuple[Stamp, str]]
    # commitment file -> the object loaded from it (unchanged objects are not written again)
    objects: dict[str, TrackedCommitment]
    evidence_rels: set[str]
    digest: str
    reserved: Any = frozenset()  # of a partial load: Names of the folder
    # the index's record of the statuses (statuses_mark) as found at load
    statuses: str | None = None
    # root.yaml's data as loaded (JSON): a save that leaves it so does not write it, nor even dump it
    root_json: str | None = None
    # the text of commitment objects already dumped (pending() then save() dump each changed one once)
    dumped: dict[int, tuple[TrackedCommitment, File]] = attrs.field(factory=dict)


# ---------------------------------------------------------------- loading


class Names:
    """Every id and alias in a ledger folder, read from its index when first needed (a partial ledger's new ids avoid them)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._names: frozenset[str] | None = None

    def __iter__(self) -> Iterator[str]:
        if self._names is None:
            index = FolderIndex(self.folder)
            try:
                self._names = frozenset(index.names())
            finally:
                index.close()
        return iter(self._names)


def open_index(folder: Path) -> FolderIndex:
    """The folder's index, brought up to date with the files on disk (after finishing an interrupted save)."""
    journal.recover(folder, folder / ROOT)
    index = FolderIndex(folder)
    index.refresh((COMMITMENTS, EVIDENCE), lambda rel, data: parse_file(folder, rel, data))
    return index


def _select(index: FolderIndex, parts: serialize.LedgerParts, only: Iterable[str]) -> set[str]:
    """Commitment files holding the named commitments (ids, aliases), mentions (their document) or briefings (``briefing:REF``)."""
    names, sources, briefings = [], [], []
    for name in only:
        if name.startswith("briefing:"):
            ref = name[len("briefing:") :]
            stem = Path(ref).stem
            briefings += [b.id for b in parts.briefings if ref in (b.id, b.held.isoformat() if b.held else None) or stem in b.documents]
        elif "@" in name:
            sources.append(name.split("@", 1)[0])
        else:
            names.append(name)
    by_documents = [d for b in parts.briefings if b.id in briefings for d in b.documents]  # mentions without a briefing
    return index.rels_of_names(names) | index.rels_of_sources([*sources, *by_documents]) | index.rels_of_briefings(briefings)


def load(
    folder: Path, only: Iterable[str] | None = None, evidence: bool | Iterable[str] = True, index: FolderIndex | None = None
) -> tuple[serialize.LedgerParts, FolderState]:
    """The ledger parts of ``folder`` (all, or ``only`` the named commitments) and what the save needs to know.

    ``evidence``: True loads every evidence file, False none, else the
    documents (sources) whose evidence to load.
    """
    opened = index is None  # else an index this process has just brought up to date (append.py), left open
    index = open_index(folder) if index is None else index
    try:
        stamps = index.stamps()
        if ROOT not in stamps:
            raise LedgerError(f"{folder}: no {ROOT} in the ledger folder; restore it from git (it holds the briefings and decisions)")
        root = index.data([ROOT])[ROOT]
        base = _root_parts(root)
        if only is not None and any(not d.applied for d in base.decisions):
            only = None  # a hand-written decision may need every commitment: load them all
        if only is None:
            rels = {rel for rel in stamps if rel.startswith(COMMITMENTS + "/")}
        else:
            rels = _select(index, base, only)
        objects: dict[str, TrackedCommitment] = {}
        for rel, plain in index.data(sorted(rels)).items():
            objects[rel] = serialize.commitment_in(plain, ())
        if evidence is True:
            ev_rels = {rel for rel in stamps if rel.startswith(EVIDENCE + "/")}
        elif evidence is False:
            ev_rels = set()
        else:
            ev_rels = {evidence_rel(s) for s in evidence} & set(stamps)
        found: list[Evidence] = []
        for rel, plain in index.data(sorted(ev_rels)).items():
            found.extend(_evidence_list(plain))
        from ._ingesting import _sort_key  # the ledger's one order of commitments

        commitments = tuple(sorted(objects.values(), key=_sort_key))
        parts = attrs.evolve(base, commitments=commitments, evidence=tuple(found))
        if only is None:
            try:
                serialize._check_unique(parts)
            except serialize.FieldError as exc:
                i = exc.path[1]
                raise LedgerError(f"{folder / commitment_rel(commitments[int(i)].id)}: {exc.message}") from None
        seen = {rel: stamps[rel] for rel in (ROOT, *rels, *ev_rels)}
        reserved: Any = Names(folder) if only is not None else frozenset()
        objects = {commitment_rel(c.id): c for c in commitments}
        state = FolderState(folder, only is not None, seen, objects, ev_rels, index.digest(), reserved, index.meta(STATUSES), to_json(root))
        return parts, state
    finally:
        if opened:
            index.close()


# ---------------------------------------------------------------- saving


Writes = dict[str, tuple[bytes, Parsed]]


def _writes(parts: serialize.LedgerParts, state: FolderState | None) -> tuple[Writes, list[str]]:
    """Files to write (path → bytes and index data) and to remove, against what was loaded (everything, for a new folder)."""
    folder = state.folder if state is not None else None
    writes: Writes = {}
    removes: list[str] = []

    def put(rel: str, file: File) -> None:
        text, parsed = file
        old_sha = state.seen[rel][1] if state is not None and rel in state.seen else None
        data = text.encode("utf-8")
        if old_sha is not None:
            if sha256(data) == old_sha:
                return
            assert folder is not None
            try:
                old = (folder / rel).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                old = ""
            if old and sha256(old.encode("utf-8")) == old_sha and has_comments(old, text):
                data = carry_comments(old, text).encode("utf-8")
                if sha256(data) == old_sha:
                    return
        writes[rel] = (data, parsed)

    root = root_data(parts)
    if state is None or state.root_json != to_json(root):  # dumping root.yaml costs more than comparing its data
        put(ROOT, (_dump(root, ROOT_HEADER), ("root", None, root, (), (), None)))
    current: set[str] = set()
    for c in parts.commitments:
        rel = commitment_rel(c.id)
        current.add(rel)
        if state is not None and state.objects.get(rel) is c:
            continue
        hit = state.dumped.get(id(c)) if state is not None else None
        if hit is None or hit[0] is not c:
            hit = (c, commitment_file(c))
            if state is not None:
                state.dumped[id(c)] = hit
        put(rel, hit[1])
    if state is not None:
        removes += sorted(rel for rel in state.objects if rel not in current)
    # the evidence the ledger holds: all of it, or (partial) that of the documents loaded or ingested
    files = evidence_files(parts.evidence)
    for rel, file in files.items():
        put(rel, file)
    if state is not None:
        removes += sorted(rel for rel in state.evidence_rels if rel not in files)
    return writes, removes


def pending(ledger: Any) -> bool:
    """Whether saving the ledger to the folder it was loaded from would change any file."""
    state = ledger._store
    if state is None:
        return True
    writes, removes = _writes(ledger._parts(), state)
    return bool(writes or removes)


def _check_unchanged(state: FolderState, writes: Writes) -> None:
    """Refuse when a file the ledger was loaded from, or one it would create, changed on disk since the load."""
    folder = state.folder
    changed: list[str] = []
    for rel, (st, sha) in state.seen.items():
        try:
            now = stamp_of((folder / rel).stat())
        except FileNotFoundError:
            changed.append(rel)
            continue
        if now != st:
            try:
                if sha256((folder / rel).read_bytes()) != sha:
                    changed.append(rel)
            except OSError:
                changed.append(rel)
    changed += [rel for rel in writes if rel not in state.seen and (folder / rel).exists()]
    if not state.partial:  # a full load saw every commitment: a file added since was written by someone else
        on_disk = {p.relative_to(folder).as_posix() for p in (folder / COMMITMENTS).glob("*/*.yaml")} if (folder / COMMITMENTS).is_dir() else set()
        changed += sorted(on_disk - set(state.seen) - set(writes))
    if changed:
        raise LedgerLockedError(
            f"{folder}: the ledger was changed by another process since it was loaded ({folder / changed[0]}); "
            "nothing was written. Re-run the command to work on the current files"
        )


def statuses_mark(digest: str) -> str:
    """What the index records after a save whose every status is derived with today's thresholds from the briefings it holds."""
    from .status import stamp

    return json.dumps([digest, stamp()])


def save(ledger: Any, target: Path, force: bool = False) -> FolderState:
    """Write ``ledger`` to the folder ``target``: only the files that changed, committed together (see the module docstring).

    When the ledger's statuses are known to be derived (``ledger._order``), the
    index records it for the new files (:func:`statuses_mark`): a partial
    ledger, or the next appending ingest, can rely on every file's statuses
    without loading them.
    """
    state: FolderState | None = ledger._store
    if state is not None and state.folder.resolve() != target.resolve():
        state = None  # saving elsewhere: a new folder
    if state is not None and state.partial and force:
        pass
    parts = ledger._parts()
    if state is None:
        if (target / ROOT).exists():
            raise LedgerError(f"{target}: already holds a ledger; load it to change it, or give an empty or new folder")
        write_new(parts, target)
        return _state_of_new(target, parts, ledger._order is not None)
    writes, removes = _writes(parts, state)
    target.mkdir(parents=True, exist_ok=True)
    if not (target / GITIGNORE).exists():
        (target / GITIGNORE).write_text(GITIGNORE_TEXT, encoding="utf-8")
    root_mode = storage._existing_mode(target / ROOT)
    with storage.locked(target / ROOT):
        journal.roll_forward(target)
        if state is not None and not force:
            _check_unchanged(state, writes)
        files = {rel: (data, storage._existing_mode(target / rel) if (target / rel).exists() else root_mode) for rel, (data, _) in writes.items()}
        try:
            journal.commit(target, files, removes)
        except OSError as exc:
            raise LedgerError(f"{target}: cannot write ({exc.strerror}); check free space and permissions; nothing was changed") from None
    return _after_save(ledger, target, parts, writes, removes, state)


def _after_save(ledger: Any, target: Path, parts: serialize.LedgerParts, writes: Writes, removes: list[str], state: FolderState | None) -> FolderState:
    """Record the written files in the index (their data is known) and remember them for the next save."""
    index = FolderIndex(target)
    try:
        written = []
        seen = dict(state.seen) if state is not None else {}
        for rel in removes:
            seen.pop(rel, None)
        for rel, (data, parsed) in writes.items():
            st = stamp_of((target / rel).stat())
            digest = sha256(data)
            written.append((rel, st, digest, parsed))
            seen[rel] = (st, digest)
        index.record(written, removes)
        digest = index.digest()
        mark = statuses_mark(digest) if ledger._order is not None else None
        index.set_meta(STATUSES, mark)
    finally:
        index.close()
    objects = {commitment_rel(c.id): c for c in parts.commitments}
    if state is not None and state.partial:
        objects = {rel: c for rel, c in objects.items() if rel in seen}
    evidence_rels = {rel for rel in seen if rel.startswith(EVIDENCE + "/")}
    partial = state.partial if state is not None else False
    reserved = state.reserved if state is not None else frozenset()
    root_json = to_json(writes[ROOT][1][2]) if ROOT in writes else state.root_json if state is not None else None
    return FolderState(target, partial, seen, objects, evidence_rels, digest, reserved, mark, root_json)


def _state_of_new(target: Path, parts: serialize.LedgerParts, statuses: bool) -> FolderState:
    index = FolderIndex(target)
    try:
        seen = index.stamps()
        digest = index.digest()
        mark = statuses_mark(digest) if statuses else None
        index.set_meta(STATUSES, mark)
    finally:
        index.close()
    objects = {commitment_rel(c.id): c for c in parts.commitments}
    return FolderState(target, False, seen, objects, {rel for rel in seen if rel.startswith(EVIDENCE + "/")}, digest, frozenset(), mark)


def write_new(parts: serialize.LedgerParts, target: Path) -> None:
    """Write a complete ledger into a new folder at once (``migrate``): built beside it, then renamed into place."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise LedgerError(f"{target}: exists and is not empty; give a new or empty folder")
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    staging.mkdir(parents=True)
    try:
        files = {ROOT: root_file(parts)}
        files.update((commitment_rel(c.id), commitment_file(c)) for c in parts.commitments)
        files.update(evidence_files(parts.evidence))
        (staging / GITIGNORE).write_text(GITIGNORE_TEXT, encoding="utf-8")
        for rel, (text, _) in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        os.sync()
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise
    index = FolderIndex(target)
    try:
        rows = [(rel, stamp_of((target / rel).stat()), sha256(text.encode("utf-8")), parsed) for rel, (text, parsed) in files.items()]
        index.record(rows, ())
    finally:
        index.close()


