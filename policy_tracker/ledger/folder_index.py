"""The derived SQLite index of a ledger folder (``FOLDER/.index.sqlite``): never the source of truth.

One row per file of the folder (``root.yaml``, each commitment file, each
evidence file) with the file's size, modification time (ns) and inode as
seen when it was indexed, its SHA-256, and its parsed plain data as JSON;
plus the names (ids and aliases) and mentions of every commitment (with
each mention's date and a digest of it), and what each commitment's status
history ends with, so that a command can find the few files it needs
without reading the others.  The matching keys of the mentions live here too
(:mod:`policy_tracker.ledger.folder_keys`), and ``meta`` records the statuses'
state (:meth:`FolderIndex.statuses`).

:meth:`FolderIndex.refresh` compares every file on disk with its row (one
``scandir`` of the folder) and parses only the files that are new or whose
size, time or inode changed; a file whose bytes hash to the stored SHA-256
only gets its stamp updated.  A deleted file loses its rows.  Every update
is one SQLite transaction, so a reader killed half-way leaves the index as it
was.  Delete the file at any time: the next command rebuilds it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import LedgerError
from ..models import UNDATED_KEY

NAME = ".index.sqlite"
FORMAT = "policy-tracker ledger-folder index 2"

# a file's stamp: (size, mtime_ns, inode); our writers replace files by rename, which changes the inode
Stamp = tuple[int, int, int]
# what a parser makes of one file: (kind, commitment id or None, plain data, names, mentions, summary)
# names: ids and aliases; mentions: (mention id, source, briefing) of each mention; summary: of a commitment
# (policy_tracker.ledger.summary) with the stamp it was computed under, else None
Parsed = tuple[str, str | None, Any, Sequence[str], Sequence[tuple[str, str, str | None]], "tuple[str, Any] | None"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (rel TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, ino INTEGER, sha TEXT, kind TEXT, cid TEXT, data TEXT);
CREATE TABLE IF NOT EXISTS names (name TEXT PRIMARY KEY, cid TEXT, rel TEXT);
CREATE TABLE IF NOT EXISTS mentions (mid TEXT PRIMARY KEY, cid TEXT, rel TEXT, source TEXT, briefing TEXT, date TEXT, mhash TEXT, rank TEXT);
CREATE TABLE IF NOT EXISTS statuses (rel TEXT PRIMARY KEY, machine_last TEXT, machine_only INTEGER);
CREATE TABLE IF NOT EXISTS summaries (rel TEXT PRIMARY KEY, stamp TEXT, data TEXT);
CREATE INDEX IF NOT EXISTS names_rel ON names (rel);
CREATE INDEX IF NOT EXISTS mentions_rel ON mentions (rel);
CREATE INDEX IF NOT EXISTS mentions_source ON mentions (source);
CREATE INDEX IF NOT EXISTS mentions_briefing ON mentions (briefing);
CREATE INDEX IF NOT EXISTS mentions_date ON mentions (date);
CREATE INDEX IF NOT EXISTS mentions_rank ON mentions (rank);
"""


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=_json_default, separators=(",", ":"))


def _date_and_digest(plain: Any) -> tuple[str | None, str | None]:
    """A mention's date (ISO) and a digest of what it says (its change types left out: they follow its commitment)."""
    if not isinstance(plain, dict):
        return None, None
    date = plain.get("date")
    text = to_json({k: v for k, v in plain.items() if k != "changes"})
    return (date.isoformat() if isinstance(date, dt.date) else date), hashlib.sha1(text.encode()).hexdigest()


def _order_key(plain: Any) -> str:
    """``Mention.sort_key`` (date, document, start, end) as text that sorts the same way."""
    if not isinstance(plain, dict):
        return ""
    date = plain.get("date")
    date = date.isoformat() if isinstance(date, dt.date) else date
    start, end = plain.get("start"), plain.get("end")
    start, end = (start if isinstance(start, int) else 0), (end if isinstance(end, int) else 0)
    return f"{date or UNDATED_KEY}\x00{plain.get('source')}\x00{start:012d}\x00{end:012d}"


def scan(folder: Path, subfolders: Iterable[str]) -> dict[str, Stamp]:
    """Stamps of the YAML files directly in ``folder`` and anywhere below ``subfolders`` (paths relative, with ``/``)."""
    found: dict[str, Stamp] = {}
    for entry in os.scandir(folder):
        if entry.is_file() and entry.name.endswith(".yaml") and not entry.name.startswith("."):
            found[entry.name] = stamp_of(entry.stat())
    stack = [sub for sub in subfolders if (folder / sub).is_dir()]
    while stack:
        sub = stack.pop()
        for entry in os.scandir(folder / sub):
            rel = f"{sub}/{entry.name}"
            if entry.name.startswith("."):
                continue  # temporaries of a writer
            if entry.is_dir(follow_symlinks=False):
                stack.append(rel)
            elif entry.name.endswith(".yaml"):
                found[rel] = stamp_of(entry.stat())
    return found


class FolderIndex:
    """The index of one ledger folder (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.found: dict[str, tuple[Stamp, str]] | None = None  # the rows refresh() read, when it changed none
        self._sum = 0
        path = folder / NAME
        try:
            self.db = self._open(path)
        except sqlite3.DatabaseError:  # damaged: it is only derived data, start again
            with contextlib.suppress(OSError):
                path.unlink()
            self.db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=60, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        found = db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
        if found is None or found[0] != FORMAT:
            for table in ("files", "names", "mentions", "statuses", "summaries", "keys", "postings", "tokens"):
                with contextlib.suppress(sqlite3.OperationalError):  # keys/postings/tokens: made by folder_keys
                    db.execute(f"DELETE FROM {table}")
            db.execute("DELETE FROM meta")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
        return db

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self._sum = self._folded()
            yield self.db
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('digest', ?)", (f"{self._sum:064x}",))
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # The folder's digest is kept as the XOR of one SHA-256 per file (its path and digest): updated file by
    # file as rows come and go, so no command reads every row to compute it.

    @staticmethod
    def _fold(rel: str, sha: str) -> int:
        return int(hashlib.sha256(f"{rel}\t{sha}\n".encode()).hexdigest(), 16)

    def _folded(self) -> int:
        found = self.db.execute("SELECT value FROM meta WHERE key='digest'").fetchone()
        if found is not None:
            return int(found[0], 16)
        total = 0
        for rel, sha in self.db.execute("SELECT rel, sha FROM files"):
            total ^= self._fold(rel, sha)
        return total

    # ------------------------------------------------------------ keeping it current

    def refresh(self, subfolders: Iterable[str], parse: Callable[[str, bytes], Parsed]) -> None:
        """Bring the index in step with the files on disk; ``parse`` reads a changed file (raising LedgerError on a bad one)."""
        on_disk = scan(self.folder, subfolders)
        known = {rel: ((size, mtime, ino), sha) for rel, size, mtime, ino, sha in self.db.execute("SELECT rel, size, mtime, ino, sha FROM files")}
        gone = [rel for rel in known if rel not in on_disk]
        changed = [rel for rel, st in on_disk.items() if rel not in known or known[rel][0] != st]
        self.found = known  # what stamps() would read, when nothing changed
        if not gone and not changed:
            return
        rows = []
        restamped = []
        for rel in sorted(changed):
            try:
                data = (self.folder / rel).read_bytes()
            except FileNotFoundError:  # removed meanwhile: treat as gone
                gone.append(rel)
                continue
            except OSError as exc:
                raise LedgerError(f"{self.folder / rel}: cannot read ({exc.strerror}); check the permissions") from None
            digest = sha256(data)
            st = on_disk[rel]
            if rel in known and known[rel][1] == digest:
                restamped.append((st[0], st[1], st[2], rel))
                continue
            rows.append((rel, st, digest, parse(rel, data)))
        with self.transaction() as db:
            for rel in [*gone, *(r[0] for r in rows)]:  # all first: a mention may move between two changed files
                self._forget(db, rel)
            db.executemany("UPDATE files SET size=?, mtime=?, ino=? WHERE rel=?", restamped)
            for rel, st, digest, parsed in rows:
                self._insert(db, rel, st, digest, parsed)
        self.found = None

    def record(self, written: Sequence[tuple[str, Stamp, str, Parsed]], removed: Sequence[str]) -> None:
        """After a save: the rows of the files just written (their data is known) and of those removed."""
        with self.transaction() as db:
            for rel in [*removed, *(w[0] for w in written)]:
                self._forget(db, rel)
            for rel, st, digest, parsed in written:
                self._insert(db, rel, st, digest, parsed)

    def _forget(self, db: sqlite3.Connection, rel: str) -> None:
        for (sha,) in db.execute("SELECT sha FROM files WHERE rel=?", (rel,)).fetchall():
            self._sum ^= self._fold(rel, sha)
        db.execute("DELETE FROM files WHERE rel=?", (rel,))
        db.execute("DELETE FROM names WHERE rel=?", (rel,))
        db.execute("DELETE FROM mentions WHERE rel=?", (rel,))
        db.execute("DELETE FROM statuses WHERE rel=?", (rel,))
        db.execute("DELETE FROM summaries WHERE rel=?", (rel,))

    def _insert(self, db: sqlite3.Connection, rel: str, st: Stamp, digest: str, parsed: Parsed) -> None:
        kind, cid, data, names, mentions, summary = parsed
        db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (rel, st[0], st[1], st[2], digest, kind, cid, to_json(data)))
        self._sum ^= self._fold(rel, digest)
        for name in names:
            other = db.execute("SELECT rel FROM names WHERE name=?", (name,)).fetchone()
            if other is not None:
                raise LedgerError(
                    f"{self.folder / rel}: id {name!r} is also used by {self.folder / other[0]}; ids must be unique "
                    "(merge the two commitments, or rename one)"
                )
            db.execute("INSERT INTO names VALUES (?, ?, ?)", (name, cid, rel))
        plain = data.get("mentions") if kind == "commitment" and isinstance(data, dict) else None
        plain = plain if isinstance(plain, list) and len(plain) == len(mentions) else [None] * len(mentions)
        first = _order_key(plain[0]) if plain else ""  # the first mention listed: Commitment.first_seen
        for i, ((mid, source, briefing), md) in enumerate(zip(mentions, plain, strict=True)):
            other = db.execute("SELECT rel FROM mentions WHERE mid=?", (mid,)).fetchone()
            if other is not None:
                raise LedgerError(
                    f"{self.folder / rel}: mention {mid} is also in {self.folder / other[0]}; "
                    "a mention belongs to one commitment (use a merge or pin decision)"
                )
            rank = f"{first}\x00{cid}\x00{i:06d}"  # the ledger's order of mentions: commitments by first mention and id, then as listed
            db.execute("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (mid, cid, rel, source, briefing, *_date_and_digest(md), rank))
        if kind == "commitment" and isinstance(data, dict):
            history = [h for h in data.get("history") or () if isinstance(h, dict)]
            machine = [h.get("status") for h in history if h.get("by", "machine") == "machine"]
            machine_only = len(machine) == len(history) and "status" not in (data.get("curated") or ())
            db.execute("INSERT INTO statuses VALUES (?, ?, ?)", (rel, machine[-1] if machine else None, int(machine_only)))
        if summary is not None:
            db.execute("INSERT INTO summaries VALUES (?, ?, ?)", (rel, summary[0], to_json(summary[1])))

    # ------------------------------------------------------------ queries

    def stamps(self) -> dict[str, tuple[Stamp, str]]:
        if self.found is not None:
            return dict(self.found)
        return {rel: ((size, mtime, ino), sha) for rel, size, mtime, ino, sha in self.db.execute("SELECT rel, size, mtime, ino, sha FROM files")}

    def data(self, rels: Iterable[str]) -> dict[str, Any]:
        out = {}
        for rel in rels:
            row = self.db.execute("SELECT data FROM files WHERE rel=?", (rel,)).fetchone()
            if row is not None:
                out[rel] = json.loads(row[0])
        return out

    def rows(self, kind: str) -> Iterator[tuple[str, Any]]:
        """``(rel, plain data)`` of every file of a kind, in path order."""
        for rel, data in self.db.execute("SELECT rel, data FROM files WHERE kind=? ORDER BY rel", (kind,)):
            yield rel, json.loads(data)

    def rels_of_names(self, names: Iterable[str]) -> set[str]:
        out = set()
        for name in names:
            row = self.db.execute("SELECT rel FROM names WHERE name=?", (name,)).fetchone()
            if row is not None:
                out.add(row[0])
        return out

    def rels_of_sources(self, sources: Iterable[str]) -> set[str]:
        out = set()
        for source in sources:
            out.update(r for (r,) in self.db.execute("SELECT DISTINCT rel FROM mentions WHERE source=?", (source,)))
        return out

    def rels_of_briefings(self, briefings: Iterable[str]) -> set[str]:
        out = set()
        for b in briefings:
            out.update(r for (r,) in self.db.execute("SELECT DISTINCT rel FROM mentions WHERE briefing=?", (b,)))
        return out

    def rels_of_mentions(self, mids: Iterable[str]) -> set[str]:
        out = set()
        for mid in mids:
            row = self.db.execute("SELECT rel FROM mentions WHERE mid=?", (mid,)).fetchone()
            if row is not None:
                out.add(row[0])
        return out

    def cids_of(self, rels: Iterable[str]) -> set[str]:
        out = set()
        for rel in rels:
            row = self.db.execute("SELECT cid FROM files WHERE rel=?", (rel,)).fetchone()
            if row is not None and row[0] is not None:
                out.add(row[0])
        return out

    def last_mentions(self) -> list[tuple[dt.date | None, str]]:
        """(date, document) of the ledger's last mentions by date: the undated ones when there are any."""
        rows = self.db.execute("SELECT DISTINCT source FROM mentions WHERE date IS NULL ORDER BY source").fetchall()
        if rows:
            return [(None, s) for (s,) in rows]
        rows = self.db.execute("SELECT DISTINCT date, source FROM mentions WHERE date = (SELECT MAX(date) FROM mentions) ORDER BY source").fetchall()
        return [(dt.date.fromisoformat(d), s) for d, s in rows]

    def mention_briefings(self) -> Iterator[tuple[str, str | None, str]]:
        """(commitment file, briefing, document) of every mention."""
        return self.db.execute("SELECT rel, briefing, source FROM mentions")

    def commitment_statuses(self) -> Iterator[tuple[str, str | None, bool]]:
        """(commitment file, the last status its machine history gives, whether the history is the machine's alone)."""
        for rel, last, only in self.db.execute("SELECT rel, machine_last, machine_only FROM statuses"):
            yield rel, last, bool(only)

    def summaries(self, stamp: str) -> list[tuple[str, str | None]]:
        """(commitment file, its summary as JSON) of every commitment, None where there is none computed under ``stamp``."""
        return self.db.execute(
            "SELECT f.rel, s.data FROM files f LEFT JOIN summaries s ON s.rel = f.rel AND s.stamp = ? WHERE f.kind = 'commitment'", (stamp,)
        ).fetchall()

    def store_summaries(self, stamp: str, rows: Iterable[tuple[str, Any]]) -> None:
        """Keep the summaries computed for these commitment files (derived data: the folder's digest does not change)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany(
                "INSERT OR REPLACE INTO summaries SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM files WHERE rel = ?)",
                [(rel, stamp, to_json(data), rel) for rel, data in rows],
            )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM meta WHERE key=?", (key,))
        else:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def names(self) -> list[str]:
        return [n for (n,) in self.db.execute("SELECT name FROM names")]

    def counts(self) -> tuple[int, int]:
        """(commitments, mentions) in the folder."""
        (c,) = self.db.execute("SELECT COUNT(*) FROM files WHERE kind='commitment'").fetchone()
        (m,) = self.db.execute("SELECT COUNT(*) FROM mentions").fetchone()
        return c, m

    def digest(self) -> str:
        """One 256-bit digest of the whole folder as indexed (paths and digests of every file), kept up to date by every change."""
        return f"{self._folded():064x}"
