"""Tests for policy_tracker.ledger.export and export_sqlite: flat rows, CSV for Excel, JSON lines, SQLite with full-text search."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import attrs
import pytest

from policy_tracker.ledger import export, export_sqlite
from policy_tracker.errors import PolicyTrackerError
from policy_tracker.ledger import Ledger
from tests.report_samples import GOLDEN

SEED_LEDGER = GOLDEN / "seeds-ledger.yaml"


@pytest.fixture
def seeds() -> Ledger:
    return Ledger.load(SEED_LEDGER)


def annotated(ledger: Ledger) -> Ledger:
    """The seed ledger with an analyst's verdict (and its note), tags, notes and a formula-like title."""
    cid = next(c.id for c in ledger if any("新能源汽车" in m.quote for m in c.mentions))
    ledger.set(cid, status="fulfilled", note="pilot cities announced", tags=["nev", "watch"], notes="=HYPERLINK(\"x\")",
               title="=1+1 新能源汽车", date=dt.date(2024, 2, 1))  # fmt: skip
    return ledger


def test_rows_are_one_per_mention_with_the_commitment_fields(seeds: Ledger) -> None:
    """export.rows: one row per mention, carrying its commitment's id, status and analyst fields."""
    rows = export.rows(seeds)
    assert len(rows) == len(seeds.mentions)
    by_id = {c.id: c for c in seeds}
    assert all(r["status"] == by_id[r["commitment"]].status for r in rows)
    assert {"notes", "tags", "verdict_note", "first_seen", "mention", "quote", "stage"} <= set(rows[0])


def test_verdict_note_and_tags_reach_the_rows(seeds: Ledger) -> None:
    """A verdict note set with set(status=…, note=…) appears in the mention rows and the commitment row."""
    ledger = annotated(seeds)
    rows = [r for r in export.rows(ledger, "commitment") if r["status"] == "fulfilled"]
    assert rows and rows[0]["verdict_note"] == "pilot cities announced" and rows[0]["tags"] == ["nev", "watch"]
    assert rows[0]["verdict_date"] == dt.date(2024, 2, 1)


@pytest.mark.parametrize(
    ("value", "guarded"),
    [("=1+1", "'=1+1"), ("+86", "'+86"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"),
     ("新能源汽车", "新能源汽车"), ("a=b", "a=b"), (-5, -5), (3.5, 3.5), (None, None)],
)  # fmt: skip
def test_excel_cell_neutralises_formulas_only_in_text(value: object, guarded: object) -> None:
    """Text cells that Excel would run as a formula get a leading apostrophe; numbers and other text do not."""
    assert export.excel_cell(value) == guarded


def test_csv_is_written_for_excel_by_default(seeds: Ledger) -> None:
    """Export CSV starts with a UTF-8 BOM, and a title starting with '=' is not a live formula."""
    text = export.to_csv(annotated(seeds))
    assert text.startswith("\ufeffcommitment,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(seeds.mentions)
    mine = [r for r in rows if r["status"] == "fulfilled"]
    assert mine and all(r["title"] == "'=1+1 新能源汽车" and r["notes"].startswith("'=") for r in mine)
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_plain_csv_has_no_bom_and_cells_as_they_are(seeds: Ledger) -> None:
    """excel=False: plain UTF-8, no apostrophes added."""
    text = export.to_csv(annotated(seeds), excel=False)
    assert text.startswith("commitment,") and "=1+1 新能源汽车" in text and "'=1+1" not in text


def test_jsonl_is_one_object_per_mention_with_lists(seeds: Ledger) -> None:
    """JSON lines: one parseable object per mention; lists stay arrays, dates are YYYY-MM-DD."""
    lines = export.to_jsonl(seeds).splitlines()
    assert len(lines) == len(seeds.mentions)
    first = json.loads(lines[0])
    assert isinstance(first["topics"], list) and isinstance(first["targets"], list)
    assert dt.date.fromisoformat(first["date"])


@pytest.mark.parametrize(
    ("period", "due"),
    [("2023", dt.date(2023, 12, 31)), ("2023H1", dt.date(2023, 6, 30)), ("2023H2", dt.date(2023, 12, 31)),
     ("2023Q1", dt.date(2023, 3, 31)), ("2024Q1", dt.date(2024, 3, 31)), ("2024-02", dt.date(2024, 2, 29)),
     ("2023-12", dt.date(2023, 12, 31)), ("2023-05-04", dt.date(2023, 5, 4)), ("2021-2025", dt.date(2025, 12, 31)),
     (None, None), ("soon", None), ("2023-13", None)],
)  # fmt: skip
def test_period_end(period: str | None, due: dt.date | None) -> None:
    """A deadline period's due date is its last day; vague or unknown periods have none."""
    assert export.period_end(period) == due


def _db(tmp_path: Path, ledger: Ledger, **kw: object) -> tuple[export_sqlite.SqliteExport, sqlite3.Connection]:
    result = export_sqlite.write_sqlite(ledger, tmp_path / "ledger.db", **kw)  # type: ignore[arg-type]
    return result, sqlite3.connect(tmp_path / "ledger.db")


def test_sqlite_tables_hold_the_ledger(seeds: Ledger, tmp_path: Path) -> None:
    """Every table has the ledger's rows, and every declared foreign key holds."""
    result, db = _db(tmp_path, seeds)
    counts = dict(result.counts)
    assert counts["commitments"] == len(seeds) and counts["mentions"] == len(seeds.mentions)
    assert counts["briefings"] == len(seeds.briefings) and counts["evidence"] == len(seeds.evidence)
    assert counts["status_history"] == sum(len(c.history) for c in seeds)
    assert counts["targets"] == sum(len(m.targets) for m in seeds.mentions)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = {r[2] for t in ("mentions", "documents", "targets") for r in db.execute(f"PRAGMA foreign_key_list({t})")}
    assert {"commitments", "documents", "briefings", "mentions"} <= fks
    assert db.execute("SELECT count(*) FROM mention_rows").fetchone()[0] == len(seeds.mentions)


def test_sqlite_full_text_search_finds_chinese(seeds: Ledger, tmp_path: Path) -> None:
    """The trigram FTS index finds 新能源汽车 in exactly the mentions whose quote contains it."""
    ok, _ = export_sqlite.trigram_available()
    if not ok:
        pytest.skip("this SQLite has no trigram tokenizer")
    result, db = _db(tmp_path, seeds)
    assert result.fts and not result.warnings
    found = {r[0] for r in db.execute(
        "SELECT m.id FROM mentions_fts f JOIN mentions m ON m.rowid = f.rowid WHERE mentions_fts MATCH '\"新能源汽车\"'")}  # fmt: skip
    expected = {m.id for m in seeds.mentions if "新能源汽车" in m.quote or "新能源汽车" in (m.text or "")}
    assert found == expected and len(found) > 3


def test_sqlite_keeps_verdict_notes_and_evidence_links(seeds: Ledger, tmp_path: Path) -> None:
    """status_history.note and commitment_evidence come through."""
    ledger = annotated(seeds)
    ev = ledger.evidence[0].id
    cid = next(c.id for c in ledger if c.status == "fulfilled")
    ledger.set(cid, evidence=[ev])
    _, db = _db(tmp_path, ledger)
    assert db.execute("SELECT note FROM status_history WHERE commitment = ? AND by = 'analyst'", (cid,)).fetchone() == (
        "pilot cities announced",
    )
    assert db.execute("SELECT evidence FROM commitment_evidence WHERE commitment = ?", (cid,)).fetchall() == [(ev,)]
    assert json.loads(db.execute("SELECT tags FROM commitments WHERE id = ?", (cid,)).fetchone()[0]) == ["nev", "watch"]


def test_sqlite_without_trigram_says_so_and_still_writes(seeds: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An SQLite without the trigram tokenizer gives a database without FTS and a warning saying why."""
    monkeypatch.setattr(export_sqlite, "trigram_available", lambda: (False, "SQLite 3.31 has no trigram tokenizer"))
    result, db = _db(tmp_path, seeds)
    assert not result.fts and "without full-text search" in result.warnings[0]
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert "mentions" in names and "mentions_fts" not in names


def test_sqlite_placeholders_keep_foreign_keys_for_unlisted_sources(seeds: Ledger, tmp_path: Path) -> None:
    """A mention whose document or briefing the ledger does not list still satisfies its foreign keys."""
    c = seeds.commitments[0]
    odd = attrs.evolve(c.mentions[0], source="not_listed", briefing="nowhere")
    ledger = Ledger(attrs.evolve(seeds._parts(), commitments=(attrs.evolve(c, mentions=(odd,)),)))  # noqa: SLF001
    _, db = _db(tmp_path, ledger)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT id FROM documents WHERE id = 'not_listed'").fetchone() == ("not_listed",)


def test_sqlite_refuses_to_overwrite_another_kind_of_file(seeds: Ledger, tmp_path: Path) -> None:
    """-o pointing at a YAML file (say, the ledger) is refused; an earlier export is replaced."""
    other = tmp_path / "ledger.yaml"
    other.write_text("# policy-tracker ledger\n", encoding="utf-8")
    with pytest.raises(PolicyTrackerError, match="not a SQLite database"):
        export_sqlite.write_sqlite(seeds, other)
    assert other.read_text(encoding="utf-8") == "# policy-tracker ledger\n"
    export_sqlite.write_sqlite(seeds, tmp_path / "x.db")
    export_sqlite.write_sqlite(seeds, tmp_path / "x.db")  # replacing an export is fine
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.yaml", "x.db"]
