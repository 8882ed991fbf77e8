"""Analyst outputs from the command line: notes everywhere, export, JSON from ingest/validate, one option convention."""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from policy_tracker import cli
from policy_tracker.cli import main
from policy_tracker.ledger import Ledger
from tests.report_samples import GOLDEN

SNAPSHOT = Ledger.load(GOLDEN / "seeds-ledger.yaml")
N_MENTIONS, N_COMMITMENTS = len(SNAPSHOT.mentions), len(SNAPSHOT)

NOTE = "pilot cities announced"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A copy of the seed ledger snapshot."""
    path = tmp_path / "ledger.yaml"
    shutil.copy(GOLDEN / "seeds-ledger.yaml", path)
    return path


@pytest.fixture
def annotated(ledger: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The seed ledger after `set nev-2023-02 status=fulfilled note=…` and tags/notes on it."""
    code, out, err = run(capsys, "set", "nev-2023-02", "status=fulfilled", f"note={NOTE}", "tags=pilot,nev", "--ledger", str(ledger))
    assert code == 0, err
    code, _, err = run(capsys, "set", "nev-2023-02", "notes=ask MIIT for the city list", "--ledger", str(ledger))
    assert code == 0, err
    return ledger


def test_set_note_with_status_fills_status_history_note(annotated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's check: after set status=… note=…, show --format json has the note in status_history."""
    code, out, _ = run(capsys, "show", "nev-2023-02", "--format", "json", "--ledger", str(annotated))
    data = json.loads(out)["timelines"][0]
    assert code == 0 and out.count("pilot cities") >= 1
    verdicts = [h for h in data["status_history"] if h["by"] == "analyst"]
    assert verdicts[-1]["note"] == NOTE and data["tags"] == ["pilot", "nev"] and data["notes"] == "ask MIIT for the city list"


REPORTS = [
    ("show", ["nev-2023-02"]),
    ("timeline", ["--topic", "nev"]),
    ("diff", ["2023-04-20", "2023-10-20"]),
    ("report", []),
]


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
@pytest.mark.parametrize(("command", "args"), REPORTS, ids=[r[0] for r in REPORTS])
def test_notes_tags_and_verdict_notes_in_every_format(
    annotated: Path, capsys: pytest.CaptureFixture[str], command: str, args: list[str], fmt: str
) -> None:
    """show, timeline, diff and report carry the verdict note, the tags and the notes in md, html, json and csv."""
    code, out, err = run(capsys, command, *args, "--format", fmt, "--ledger", str(annotated))
    assert code == 0, err
    assert NOTE in out, f"{command} {fmt}: verdict note missing"
    assert "ask MIIT for the city list" in out, f"{command} {fmt}: notes missing"
    assert "pilot" in out.replace(NOTE, "") and "nev" in out, f"{command} {fmt}: tags missing"


def test_export_csv_one_row_per_mention(ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """export -o FILE writes Excel-ready CSV (BOM) with one row per mention."""
    out_file = tmp_path / "m.csv"
    code, _, err = run(capsys, "export", "--ledger", str(ledger), "-o", str(out_file))
    assert code == 0 and f"wrote {out_file}" in err
    raw = out_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == N_MENTIONS and rows[0]["commitment"] and rows[0]["mention"]


def test_export_plain_csv_and_jsonl_to_stdout(ledger: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--plain-csv drops the BOM; --format jsonl prints one object per commitment with --level commitment."""
    code, out, _ = run(capsys, "export", "--plain-csv", "--ledger", str(ledger))
    assert code == 0 and out.startswith("commitment,title,")
    code, out, _ = run(capsys, "export", "--format", "jsonl", "--level", "commitment", "--ledger", str(ledger))
    lines = out.splitlines()
    assert code == 0 and all(json.loads(line)["commitment"] for line in lines) and len(lines) == N_COMMITMENTS


def test_export_sqlite_reports_table_counts(ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """export --format sqlite -o DB says how many rows each table holds, and the file opens."""
    db = tmp_path / "ledger.db"
    code, _, err = run(capsys, "export", "--format", "sqlite", "-o", str(db), "--ledger", str(ledger))
    assert code == 0 and f"{N_COMMITMENTS} commitments, {N_MENTIONS} mentions" in err
    assert sqlite3.connect(db).execute("SELECT count(*) FROM mentions").fetchone() == (N_MENTIONS,)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--format", "sqlite"], "give the database file with -o FILE"),
        (["export", "--format", "sqlite", "-o", "{ledger}"], "not a SQLite database"),
        (["export", "-o", "{ledger}"], "ledger; nothing was written"),
        (["report", "-o", "{ledger}"], "ledger; nothing was written"),
        (["report", "--grid-rows", "-1"], "expected a number >= 0"),
    ],
)
def test_export_mistakes_are_one_line_errors(ledger: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    """Writing over the ledger or a sqlite export without -o is refused with one line, and the ledger is kept."""
    before = ledger.read_bytes()
    code, _, err = run(capsys, *[a.format(ledger=ledger) for a in argv], "--ledger", str(ledger))
    assert code == 1 and message in err and "Traceback" not in err
    assert ledger.read_bytes() == before


def test_ingest_json_counts(tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """ingest --format json prints the counts as one JSON object (and nothing else)."""
    path = tmp_path / "L.yaml"
    code, out, err = run(capsys, "ingest", str(seeds_dir), "--ledger", str(path), "--format", "json")
    data = json.loads(out)
    written = Ledger.load(path)
    assert code == 0
    assert (data["outcome"], data["documents"], data["mentions"]) == ("created", 5, len(written.mentions))
    assert len(data["commitments"]["new"]) == len(written) and data["commitments"]["unchanged"] == 0 and data["errors"] == []


def test_validate_json_lists_every_error(ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """validate --format json: valid with counts, or invalid with every error and exit 1."""
    code, out, _ = run(capsys, "validate", str(ledger), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["valid"] and data["commitments"] == N_COMMITMENTS and data["errors"] == []
    bad = tmp_path / "bad.yaml"
    bad.write_text(ledger.read_text(encoding="utf-8").replace("start: ", "start: x", 2), encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--ledger", str(bad), "--format", "json")
    data = json.loads(out)
    assert code == 1 and not data["valid"] and len(data["errors"]) >= 1 and all("bad.yaml:" in e for e in data["errors"])


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "yaml"])
def test_extract_writes_every_format_to_o(seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    """extract takes -o like every command; csv is one row per mention."""
    out_file = tmp_path / f"x.{fmt}"
    code, out, _ = run(capsys, "extract", str(seeds_dir / "003_fbae4528c08ed477.txt"), "--format", fmt, "-o", str(out_file))
    assert code == 0 and out == "" and out_file.stat().st_size > 100
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8-sig"))))
        assert rows and all(r["kind"] == "mention" and "@" in r["id"] for r in rows)


def _options(name: str) -> dict[str, argparse.Action]:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    return {opt: a for a in sub.choices[name]._actions for opt in a.option_strings}  # noqa: SLF001


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_shared_options_mean_the_same_everywhere(name: str) -> None:
    """--ledger, --format and -o/--output are the shared definitions wherever a command has them."""
    opts = _options(name)
    if "--ledger" in opts:
        assert opts["--ledger"].metavar == "PATH"
    if "--format" in opts:
        assert opts["--output"] is opts["-o"], f"{name}: --format without -o/--output"
        assert set(opts["--format"].choices) <= {"text", "md", "html", "json", "jsonl", "csv", "yaml", "sqlite"}
        assert ("--plain-csv" in opts) == ("csv" in opts["--format"].choices)


def test_commands_that_print_take_format_and_o() -> None:
    """Every command that prints a result (not the curation commands) has --format and -o."""
    printing = {"sources", "extract", "ingest", "validate", "show", "timeline", "diff", "report", "export", "eval"}
    assert printing <= set(cli.COMMANDS)
    for name in printing:
        assert {"--format", "-o"} <= set(_options(name)), name
