"""The matching keys of a ledger folder's mentions, kept in its index: candidates of a new briefing without loading the ledger.

An appending ingest (:mod:`policy_tracker.ledger.append`) asks which of the
ledger's mentions a new mention could be matched with
(:func:`policy_tracker.matching.incremental.related`, the rule the whole-ledger
path uses too) and loads only their commitments.  That needs the blocking
part of every mention's matching key (core, names, list items) and a token →
mentions index over them, which live here, in three tables of
``.index.sqlite`` (derived data, like the rest of the index):

- ``keys``: one row per mention id with the digest of the mention as indexed
  (``mentions.mhash``) and its signature; a row whose mention is gone or
  changed is stale and removed by :func:`sync`;
- ``postings``: (token, key row) for every blocking token of every key;
- ``tokens``: how many keys hold each token (the counts the candidate rule
  compares with its limits), kept in step with ``postings``.

:func:`sync` brings the tables in step with the mentions the index
holds (keys of new or changed mentions are computed from their files), so the
keys are never stale, whatever wrote the folder.  Writers that computed the
keys anyway (an ingest) store them with :meth:`FolderKeys.add`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from .folder_index import FolderIndex

SCHEMA = """
CREATE TABLE IF NOT EXISTS keys (kid INTEGER PRIMARY KEY, mid TEXT UNIQUE, mhash TEXT, core TEXT, strong TEXT, items TEXT);
CREATE TABLE IF NOT EXISTS postings (token TEXT, kid INTEGER, PRIMARY KEY (token, kid)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
"""

_FEW = 2000  # up to this many ids, missing() looks each one up; more, it reads the whole table once

# (core, strong names, list items): matching.incremental.Signature
Signature = tuple[str, tuple[str, ...], tuple[str, ...]]


def tokens_of(sig: Signature) -> set[str]:
    """The blocking tokens of a signature, as the whole-ledger key index files them."""
    from ..matching import incremental

    return incremental._tokens(sig)


class FolderKeys:
    """The keys of one folder's index, read as the key index ``related`` takes (``len``, ``count``, ``get``, ``cores``).

    Positions are the mentions' places in the ledger's order (``mentions.rank``:
    commitments by first mention, then as listed), as in the whole-ledger key
    index, so that ties between candidates break the same way.
    """

    def __init__(self, db: sqlite3.Connection, stamp: str) -> None:
        self.db = db
        db.executescript(SCHEMA)
        found = db.execute("SELECT value FROM meta WHERE key='keys'").fetchone()
        if found is None or found[0] != stamp:  # other matching tables: every key must be computed again
            db.executescript("DELETE FROM keys; DELETE FROM postings; DELETE FROM tokens;")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('keys', ?)", (stamp,))
        self._counts: dict[str, int] | None = None
        self._cores: dict[str, str] = {}

    # Only the postings of the tokens the candidate rule asks for are read (a few hundred for a briefing),
    # each with its keys' positions and cores: not every key of the ledger.
    _CURRENT = "FROM keys k JOIN mentions m ON m.mid = k.mid AND m.mhash = k.mhash"

    def __len__(self) -> int:
        (n,) = self.db.execute(f"SELECT COUNT(*) {self._CURRENT}").fetchone()
        return int(n)

    def __bool__(self) -> bool:  # ``related`` asks whether there is any key: the first row answers
        (found,) = self.db.execute(f"SELECT EXISTS (SELECT 1 {self._CURRENT})").fetchone()
        return bool(found)

    def count(self, token: str) -> int:
        if self._counts is None:
            self._counts = dict(self.db.execute("SELECT token, n FROM tokens"))
        return self._counts.get(token, 0)

    def get(self, token: str) -> list[str]:
        rows = self.db.execute(f"SELECT m.rank, k.core {self._CURRENT} JOIN postings p ON p.kid = k.kid WHERE p.token=?", (token,)).fetchall()
        for rank, core in rows:
            self._cores[rank] = core
        return sorted(rank for rank, _ in rows)

    @property
    def cores(self) -> FolderKeys:
        return self

    def __getitem__(self, rank: str) -> str:
        core = self._cores.get(rank)
        if core is None:
            row = self.db.execute(f"SELECT k.core {self._CURRENT} WHERE m.rank=?", (rank,)).fetchone()
            if row is None:  # no current key at that position
                row = self.db.execute("SELECT k.core FROM mentions m JOIN keys k ON k.mid = m.mid WHERE m.rank=?", (rank,)).fetchone()
            core = self._cores[rank] = row[0] if row else ""
        return core

    def mentions(self, ranks: Iterable[str]) -> list[str]:
        """Mention ids at these positions."""
        out = []
        for rank in ranks:
            row = self.db.execute("SELECT mid FROM mentions WHERE rank=?", (rank,)).fetchone()
            if row is not None:
                out.append(row[0])
        return out

    # ------------------------------------------------------------ keeping them current

    def current(self) -> dict[str, Signature]:
        """The keys of the mentions as indexed, by mention id."""
        rows = self.db.execute("SELECT k.mid, k.core, k.strong, k.items FROM keys k JOIN mentions m ON m.mid = k.mid AND m.mhash = k.mhash")
        return {mid: (core, tuple(json.loads(strong)), tuple(json.loads(items))) for mid, core, strong, items in rows}

    _MISSING = "SELECT m.mid, m.mhash FROM mentions m LEFT JOIN keys k ON k.mid = m.mid AND k.mhash = m.mhash WHERE k.kid IS NULL"

    def missing(self, among: Collection[str] | None = None) -> dict[str, str]:
        """Mentions the index holds without a current key (new, changed, never keyed): id → digest as indexed; only those ``among`` these ids if given."""
        if among is not None and len(among) <= _FEW:  # a briefing's mentions: looked up one by one, not every mention of the ledger
            out = {}
            for mid in sorted(among):
                row = self.db.execute(f"{self._MISSING} AND m.mid=?", (mid,)).fetchone()
                if row is not None:
                    out[mid] = row[1]
            return out
        found = dict(self.db.execute(f"{self._MISSING} ORDER BY m.mid"))
        return found if among is None else {mid: h for mid, h in found.items() if mid in among}

    def drop_stale(self) -> int:
        """Remove keys whose mention is gone or changed; returns how many."""
        rows = self.db.execute(
            "SELECT kid, core, strong, items FROM keys k WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.mid = k.mid AND m.mhash = k.mhash)"
        ).fetchall()
        if not rows:
            return 0
        with _transaction(self.db):
            for kid, core, strong, items in rows:
                for t in tokens_of((core, tuple(json.loads(strong)), tuple(json.loads(items)))):
                    self.db.execute("DELETE FROM postings WHERE token=? AND kid=?", (t, kid))
                    self.db.execute("UPDATE tokens SET n = n - 1 WHERE token=?", (t,))
                self.db.execute("DELETE FROM keys WHERE kid=?", (kid,))
            self.db.execute("DELETE FROM tokens WHERE n <= 0")
        self._counts = None
        self._cores = {}
        return len(rows)

    def add(self, signatures: dict[str, Signature]) -> int:
        """Store the keys of the index's mentions that have none yet (stale keys are dropped first); returns how many."""
        self.drop_stale()
        return self._store(signatures)

    def _store(self, signatures: dict[str, Signature]) -> int:
        """:meth:`add` once the stale keys are dropped."""
        missing = self.missing(signatures.keys())
        wanted = sorted(mid for mid in signatures if mid in missing)
        if not wanted:
            return 0
        (top,) = self.db.execute("SELECT COALESCE(MAX(kid), 0) FROM keys").fetchone()
        keys, postings, counts = [], [], {}
        for kid, mid in enumerate(wanted, top + 1):
            core, strong, items = signatures[mid]
            keys.append((kid, mid, missing[mid], core, json.dumps(list(strong), ensure_ascii=False), json.dumps(list(items), ensure_ascii=False)))
            for t in tokens_of(signatures[mid]):
                postings.append((t, kid))
                counts[t] = counts.get(t, 0) + 1
        postings.sort()  # the table is ordered by token: inserting in that order is several times faster
        with _transaction(self.db):
            self.db.executemany("INSERT INTO keys (kid, mid, mhash, core, strong, items) VALUES (?, ?, ?, ?, ?, ?)", keys)
            self.db.executemany("INSERT INTO postings VALUES (?, ?)", postings)
            self.db.executemany("INSERT INTO tokens VALUES (?, ?) ON CONFLICT(token) DO UPDATE SET n = n + excluded.n", sorted(counts.items()))
        self._counts = None
        self._cores = {}
        return len(wanted)


class _transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: Any, *_: Any) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def sync(keys: FolderKeys, load_mentions: Any, vocab: Any) -> int:
    """Make every mention of the index keyed: drop stale keys, compute missing ones (``load_mentions(mids)`` gives the Mention objects)."""
    from ..matching import incremental

    keys.drop_stale()
    missing = keys.missing()
    if missing:
        keys._store({m.id: incremental.signature(m, vocab) for m in load_mentions(list(missing))})  # (stale keys dropped just now)
    return len(missing)


def related_mentions(keys: FolderKeys, new: Sequence[Signature], config: Any) -> list[str]:
    """Ids of the ledger's mentions the matcher could pair with one of ``new`` (the rule of :func:`incremental.related`)."""
    from ..matching import incremental

    return keys.mentions(sorted(incremental.related(keys, new, config)))  # type: ignore[arg-type]


def stored_keys(path: Path, stamp: str) -> dict[str, Any]:
    """The matching keys the folder's index holds for its mentions as they are on disk, by mention id."""
    index = FolderIndex(path)
    try:
        return FolderKeys(index.db, stamp).current()
    finally:
        index.close()


def store_keys(path: Path, signatures: dict[str, Any]) -> None:
    """Keep the matching keys of mentions in the folder's index (those it lacks; the next append finds them there)."""
    from ..matching import incremental

    _, _, stamp = incremental.vocabulary()
    index = FolderIndex(path)
    try:
        FolderKeys(index.db, stamp).add(signatures)
    finally:
        index.close()
