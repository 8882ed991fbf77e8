"""The ledger as a SQLite database (stdlib ``sqlite3``): for Datasette, sqlite-utils or any SQL client.

Tables (every id a primary key, every link a declared foreign key that holds):

``briefings``      id, held, kind, period, event, speakers, documents
``documents``      id, briefing → briefings, title, outlet, url, published, sha256
``commitments``    the commitment fields of :func:`policy_tracker.ledger.export.commitment_fields`,
                   plus mentions (count), evidence, aliases
``mentions``       id, commitment → commitments, source → documents, briefing → briefings,
                   and the mention fields of :func:`policy_tracker.ledger.export.mention_fields`, changes
``evidence``       id, source → documents, start, end, quote, text, date, speaker, instruments, topics
``commitment_evidence``  commitment → commitments, evidence → evidence (the analyst's links)
``status_history`` commitment → commitments, n, status, by, briefing, date, evidence, note
``targets``        mention → mentions, commitment → commitments, n, value, unit, comparator, counted, raw
``deadlines``      mention → mentions, commitment → commitments, n, period, precision, due, raw

and a view ``mention_rows`` (one row per mention with its commitment's fields,
like the CSV export).  Lists are JSON arrays in TEXT columns; dates are
``YYYY-MM-DD`` text.  A source or briefing the ledger does not list gets a
row with only its id, so that every foreign key holds.

Full-text search: ``mentions_fts`` (quote, text) and ``commitments_fts``
(title, notes) are FTS5 tables with the ``trigram`` tokenizer, which finds any
run of three or more characters, so Chinese needs no word segmentation;
they are external-content tables (``content="mentions"``), the layout
Datasette detects (``?_search=新能源汽车``).  The trigram tokenizer needs SQLite
3.34 or later; with an older library (or one without FTS5) the database is
written without them and :func:`write_sqlite` says so in its warnings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import PolicyTrackerError
from ..models import iso_date
from . import export

if TYPE_CHECKING:  # pragma: no cover
    from .ledger import Ledger

SQLITE_MAGIC = b"SQLite format 3\x00"
TRIGRAM_SINCE = (3, 34, 0)

SCHEMA = """
CREATE TABLE briefings (id TEXT PRIMARY KEY, held TEXT, kind TEXT, period TEXT, event TEXT, speakers TEXT, documents TEXT);
CREATE TABLE documents (id TEXT PRIMARY KEY, briefing TEXT REFERENCES briefings(id), title TEXT, outlet TEXT, url TEXT,
  published TEXT, sha256 TEXT);
CREATE TABLE commitments (id TEXT PRIMARY KEY, title TEXT, status TEXT, meter TEXT, formalisation TEXT, topics TEXT, tags TEXT,
  notes TEXT, verdict_note TEXT, verdict_date TEXT, first_seen TEXT, last_seen TEXT, mentions INTEGER, evidence TEXT, aliases TEXT);
CREATE TABLE mentions (id TEXT PRIMARY KEY, commitment TEXT NOT NULL REFERENCES commitments(id),
  source TEXT NOT NULL REFERENCES documents(id), briefing TEXT REFERENCES briefings(id), start INTEGER, "end" INTEGER,
  quote TEXT, text TEXT, date TEXT, speaker TEXT, role TEXT, section TEXT, stage TEXT, strength TEXT, verbs TEXT, targets TEXT,
  deadlines TEXT, instruments TEXT, mention_topics TEXT, changes TEXT);
CREATE TABLE evidence (id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES documents(id), start INTEGER, "end" INTEGER,
  quote TEXT, text TEXT, date TEXT, speaker TEXT, instruments TEXT, topics TEXT);
CREATE TABLE commitment_evidence (commitment TEXT NOT NULL REFERENCES commitments(id),
  evidence TEXT NOT NULL REFERENCES evidence(id), PRIMARY KEY (commitment, evidence));
CREATE TABLE status_history (commitment TEXT NOT NULL REFERENCES commitments(id), n INTEGER, status TEXT, "by" TEXT,
  briefing TEXT, date TEXT, evidence TEXT, note TEXT, PRIMARY KEY (commitment, n));
CREATE TABLE targets (mention TEXT NOT NULL REFERENCES mentions(id), commitment TEXT NOT NULL REFERENCES commitments(id),
  date TEXT, n INTEGER, value REAL, unit TEXT, comparator TEXT, counted TEXT, raw TEXT, PRIMARY KEY (mention, n));
CREATE TABLE deadlines (mention TEXT NOT NULL REFERENCES mentions(id), commitment TEXT NOT NULL REFERENCES commitments(id),
  date TEXT, n INTEGER, period TEXT, precision TEXT, due TEXT, raw TEXT, PRIMARY KEY (mention, n));
CREATE INDEX mentions_commitment ON mentions(commitment);
CREATE INDEX mentions_briefing ON mentions(briefing);
CREATE INDEX mentions_source ON mentions(source);
CREATE INDEX targets_commitment ON targets(commitment);
CREATE INDEX deadlines_commitment ON deadlines(commitment);
CREATE VIEW mention_rows AS SELECT c.id AS commitment, c.title, c.status, c.meter, c.formalisation, c.topics, c.tags, c.notes,
  c.verdict_note, c.verdict_date, c.first_seen, c.last_seen, m.id AS mention, m.source, m.start, m."end", m.quote, m.date,
  m.briefing, m.speaker, m.role, m.section, m.stage, m.strength, m.verbs, m.targets, m.deadlines, m.instruments,
  m.mention_topics, m.changes FROM mentions m JOIN commitments c ON c.id = m.commitment;
"""

FTS = """
CREATE VIRTUAL TABLE mentions_fts USING fts5(quote, text, content="mentions", tokenize="trigram");
INSERT INTO mentions_fts(rowid, quote, text) SELECT rowid, quote, text FROM mentions;
CREATE VIRTUAL TABLE commitments_fts USING fts5(title, notes, content="commitments", tokenize="trigram");
INSERT INTO commitments_fts(rowid, title, notes) SELECT rowid, title, notes FROM commitments;
"""


@attrs.frozen
class SqliteExport:
    """What :func:`write_sqlite` wrote: rows per table, whether full-text search is there, warnings."""

    path: Path
    counts: tuple[tuple[str, int], ...]
    fts: bool
    warnings: tuple[str, ...] = ()


def _value(v: Any) -> Any:
    if isinstance(v, dt.date):
        return iso_date(v)
    if isinstance(v, (list, tuple)):
        return json.dumps([_value(x) for x in v], ensure_ascii=False)
    if isinstance(v, dict):
        return json.dumps({k: _value(x) for k, x in v.items()}, ensure_ascii=False)
    return v


def _insert(db: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    cols = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    db.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", ([_value(v) for v in r] for r in rows))


def trigram_available() -> tuple[bool, str]:
    """Whether this SQLite has FTS5 with the trigram tokenizer, and why not."""
    if sqlite3.sqlite_version_info < TRIGRAM_SINCE:
        return False, f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer (needs 3.34 or later)"
    try:
        with sqlite3.connect(":memory:") as db:
            db.execute('CREATE VIRTUAL TABLE t USING fts5(x, tokenize="trigram")')
    except sqlite3.OperationalError as exc:
        return False, f"SQLite {sqlite3.sqlite_version} cannot make an FTS5 trigram index ({exc})"
    return True, ""


def fill(db: sqlite3.Connection, ledger: Ledger, *, fts: bool | None = None) -> SqliteExport:
    """Create the tables in an empty database and fill them from ``ledger``."""
    warnings: list[str] = []
    if fts is None or fts:
        ok, why = trigram_available()
        if not ok:
            warnings.append(f"{why}; written without full-text search (search with LIKE '%…%' instead)")
        fts = ok
    db.executescript(SCHEMA)
    briefings = {b.id: b for b in ledger.briefings}
    documents = {d.id: d for d in ledger.documents}
    sources = {m.source for m in ledger.mentions} | {e.source for e in ledger.evidence}
    wanted_briefings = {m.briefing for m in ledger.mentions if m.briefing} | {d.briefing for d in documents.values() if d.briefing}
    _insert(db, "briefings", ("id", "held", "kind", "period", "event", "speakers", "documents"),
            [(b.id, b.held, b.kind, b.period, b.event, list(b.speakers), list(b.documents)) for b in briefings.values()]
            + [(bid, None, None, None, None, [], []) for bid in sorted(wanted_briefings - set(briefings))])  # fmt: skip
    _insert(db, "documents", ("id", "briefing", "title", "outlet", "url", "published", "sha256"),
            [(d.id, d.briefing, d.title, d.outlet, d.url, d.published, d.sha256) for d in documents.values()]
            + [(s, None, None, None, None, None, None) for s in sorted(sources - set(documents))])  # fmt: skip
    commitments = export.rows(ledger, "commitment")
    ccols = [c if c != "commitment" else "id" for c in commitments[0]] if commitments else []
    if commitments:
        _insert(db, "commitments", ccols, [list(r.values()) for r in commitments])
    mention_cols = ("id", "commitment", "source", "briefing", "start", "end", "quote", "text", "date", "speaker", "role", "section",
                    "stage", "strength", "verbs", "targets", "deadlines", "instruments", "mention_topics", "changes")  # fmt: skip
    mrows = []
    for c in ledger:
        for m in c.mentions:
            f = export.mention_fields(m)
            mrows.append((m.id, c.id, m.source, m.briefing, m.start, m.end, m.quote, m.text or m.quote, m.date, m.speaker, m.role,
                          m.section, m.stage, m.strength, f["verbs"], f["targets"], f["deadlines"], f["instruments"],
                          f["mention_topics"], list(c.changes_of(m))))  # fmt: skip
    _insert(db, "mentions", mention_cols, mrows)
    _insert(db, "evidence", ("id", "source", "start", "end", "quote", "text", "date", "speaker", "instruments", "topics"),
            [(e.id, e.source, e.start, e.end, e.quote, e.text or e.quote, e.date, e.speaker, list(e.instruments), list(e.topics))
             for e in ledger.evidence])  # fmt: skip
    known_evidence = {e.id for e in ledger.evidence}
    links = sorted({(c.id, eid) for c in ledger for eid in (*c.evidence, *(i for h in c.history for i in h.evidence)) if eid in known_evidence})
    _insert(db, "commitment_evidence", ("commitment", "evidence"), links)
    _insert(db, "status_history", ("commitment", "n", "status", "by", "briefing", "date", "evidence", "note"),
            [(c.id, n, h.status, h.by, h.briefing, h.date, list(h.evidence), h.note) for c in ledger for n, h in enumerate(c.history)])  # fmt: skip
    _insert(db, "targets", export.TARGET_COLUMNS, [list(r.values()) for r in export.target_rows(ledger)])
    _insert(db, "deadlines", export.DEADLINE_COLUMNS, [list(r.values()) for r in export.deadline_rows(ledger)])
    if fts:
        db.executescript(FTS)
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:  # pragma: no cover - placeholders above make every key hold
        raise PolicyTrackerError(f"sqlite export: {len(broken)} foreign keys do not hold, e.g. {broken[0]}; please report this")
    tables = ("briefings", "documents", "commitments", "mentions", "evidence", "commitment_evidence", "status_history", "targets",
              "deadlines")  # fmt: skip
    counts = tuple((t, int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])) for t in tables)
    return SqliteExport(Path(db.execute("PRAGMA database_list").fetchone()[2] or ":memory:"), counts, bool(fts), tuple(warnings))


def write_sqlite(ledger: Ledger, path: str | os.PathLike[str], *, fts: bool | None = None) -> SqliteExport:
    """Write ``ledger`` to a new SQLite file at ``path`` (replacing an earlier export; any other file is refused)."""
    target = Path(path)
    if target.is_dir():
        raise PolicyTrackerError(f"{target}: is a folder; give a file name such as ledger.db")
    if target.exists():
        with target.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
        if head and head != SQLITE_MAGIC:
            raise PolicyTrackerError(f"{target}: exists and is not a SQLite database; refusing to overwrite it (choose another name)")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise PolicyTrackerError(f"{target}: cannot write (folder {folder} does not exist)")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    mask = os.umask(0)
    os.umask(mask)  # mkstemp makes the file private; give the export the permissions a new file would have
    os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~mask)
    try:
        db = sqlite3.connect(tmp)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            with db:
                result = fill(db, ledger, fts=fts)
        finally:
            db.close()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return attrs.evolve(result, path=target)
