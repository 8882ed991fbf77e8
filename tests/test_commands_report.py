"""Tests for the report subcommands: show, timeline, diff, report (through cli.main)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from policy_tracker import cli
from policy_tracker.ledger import yaml_io as serialize
from policy_tracker.ledger import Ledger
from policy_tracker.ledger.records import TrackedCommitment
from tests.report_samples import BRIEFINGS, COMMITMENTS, EVIDENCE


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    """The sample ledger saved as a real ledger file."""
    proof = {"5g-factories": (EVIDENCE[0].id,)}  # as `set 5g-factories --evidence …` records it
    tracked = tuple(TrackedCommitment(id=c.id, title=c.title, mentions=c.mentions, evidence=proof.get(c.id, ())) for c in COMMITMENTS)
    path = tmp_path / "ledger.yaml"
    path.write_text(Ledger(serialize.LedgerParts(briefings=BRIEFINGS, commitments=tracked, evidence=EVIDENCE)).dumps(), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_diff_markdown_on_stdout(ledger_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`diff DATE DATE` prints the Markdown diff with the public-fleet wording change marked."""
    code, out, _ = run(capsys, "diff", "2023-04-20", "2024-01-19", "--ledger", str(ledger_path))
    assert code == 0
    assert out.startswith("# Briefing diff: 2023-04-20 press conference (2023Q1) → 2024-01-19")
    assert "[-启动-]{+开展好+}公共领域车辆全面电动化[-城市-]试点" in out
    assert "## Not restated in B (1)" in out and "`dual-credit`" in out


@pytest.mark.parametrize(
    ("argv", "check"),
    [
        (["diff", "2023-07-19", "2023-11-04", "--format", "json"], lambda t: json.loads(t)["counts"]["changed"] == 1),
        (["diff", "2023-04-20", "2024-01-19", "--format", "csv"], lambda t: len(list(csv.DictReader(io.StringIO(t)))) == 5),
        (["diff", "2023-04-20", "2024-01-19", "--format", "html"], lambda t: t.startswith("<!DOCTYPE html>") and "<ins>开展好</ins>" in t),
        (["show", "5g-factories"], lambda t: t.startswith("# Commitment 5g-factories") and "不少于3000家" in t and "target dropped" in t),
        (["show", "5g-factories"], lambda t: "Evidence of progress:" in t and "发布了首批300个5G工厂名录" in t),
        (["show", "5g-factories", "--format", "html"], lambda t: "<h3>Evidence of progress</h3>" in t and "首批300个5G工厂名录" in t),
        (["show", "5g-factories", "--format", "json"], lambda t: json.loads(t)["timelines"][0]["commitment"] == "5g-factories"),
        (["timeline", "--topic", "nev"], lambda t: "`public-fleet-electrification`" in t and "`5g-factories`" not in t),
        (["timeline", "--speaker", "金壮龙", "--format", "csv"], lambda t: t.count("5g-factories") == 2),
        (["report"], lambda t: t.startswith("# Ledger overview") and "| `public-fleet-electrification` |" in t),
        (["report", "--format", "json"], lambda t: json.loads(t)["schema"] == "policy-tracker/overview/1"),
    ],
)
def test_formats(ledger_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], check: object) -> None:
    """Each command renders each format to stdout."""
    code, out, err = run(capsys, *argv, "--ledger", str(ledger_path))
    assert code == 0, err
    assert check(out)  # type: ignore[operator]


@pytest.mark.parametrize(
    "argv",
    [["report", "--html", "{out}"], ["diff", "2023-04-20", "2024-01-19", "--format", "html", "--output", "{out}"]],
)
def test_html_written_to_file(ledger_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """`report --html FILE` and `--output FILE` write a UTF-8 HTML file and print nothing on stdout."""
    target = tmp_path / "out.html"
    code, out, err = run(capsys, *[a.replace("{out}", str(target)) for a in argv], "--ledger", str(ledger_path))
    assert code == 0 and out == "" and f"wrote {target}" in err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["diff", "2023-04-20", "2030-01-01"], "2030-01-01: no briefing with that id, date or document"),
        (["show", "no-such-id"], "no-such-id: no commitment with that id"),
        (["report", "--html", "x.html", "--format", "md"], "--html FILE already sets the format"),
    ],
)
def test_errors_are_one_line(ledger_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    """Bad references are reported as `Error: …` with exit status 1, never a traceback."""
    code, _, err = run(capsys, *argv, "--ledger", str(ledger_path))
    assert code == 1 and err.startswith("Error: ") and message in err


def test_missing_ledger_says_how_to_create_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without a ledger file the error names the path and the ingest command."""
    code, _, err = run(capsys, "report", "--ledger", str(tmp_path / "none.yaml"))
    assert code == 1 and "policy-tracker ingest" in err


def test_timeline_without_match_lists_known_topics(ledger_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A topic that matches nothing prints the known topics and speakers on stderr."""
    code, out, err = run(capsys, "timeline", "--topic", "nosuch", "--ledger", str(ledger_path))
    assert code == 0 and "_No commitment matches._" in out
    assert "topics: 5g, 6g, consumption, industrial-internet, nev" in err and "金壮龙" in err


@pytest.mark.parametrize("encoding", ["utf-8", "UTF_8", "utf-8-sig", "gb18030", None])
def test_markdown_report_is_the_same_text_on_any_stdout(ledger_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], encoding: str | None) -> None:
    """`report` (written as UTF-8 bytes) prints the text of `report -o FILE` on a UTF-8 stdout, another encoding's, and a plain text stream."""
    target = tmp_path / "o.md"
    assert run(capsys, "report", "--ledger", str(ledger_path), "-o", str(target))[0] == 0
    raw = io.BytesIO()
    stream = io.StringIO() if encoding is None else io.TextIOWrapper(raw, encoding=encoding, newline="")
    monkeypatch.setattr("sys.stdout", stream)
    assert cli.main(["report", "--ledger", str(ledger_path)]) == 0
    stream.flush()
    printed = stream.getvalue() if encoding is None else raw.getvalue().decode(encoding)  # utf-8-sig: the BOM is the stream's, not the report's
    assert printed == target.read_text(encoding="utf-8")
