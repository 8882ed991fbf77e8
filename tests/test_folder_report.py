"""`report` on a ledger folder: served from the summaries in its index, the same bytes as the single file's report."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from policy_tracker.cli import main
from policy_tracker.ledger import folder
from policy_tracker.ledger.folder_index import NAME

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("md", "json", "csv", "html")


def report(capsys: pytest.CaptureFixture[str], ledger: str, fmt: str = "md") -> str:
    assert main(["report", "--ledger", ledger, "--format", fmt]) == 0
    return capsys.readouterr().out


def as_file(capsys: pytest.CaptureFixture[str], path: Path, tmp_path: Path) -> str:
    """The folder migrated to a single file (its path)."""
    target = tmp_path / "as-file.yaml"
    assert main(["migrate", f"{path}/", str(target)]) == 0
    capsys.readouterr()
    return str(target)


@pytest.mark.parametrize("fmt", FORMATS)
def test_folder_and_file_give_the_same_report(seed_file: Path, seed_folder: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    """report of the seed ledger folder is byte-identical to the report of the seed ledger file, in every format."""
    assert report(capsys, f"{seed_folder}/", fmt) == report(capsys, str(seed_file), fmt)


def test_golden_ledger_as_a_folder_reports_the_golden_overview(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The golden seed ledger migrated to a folder reports the golden overview (tests/golden/seeds-overview.md), byte for byte."""
    golden = ROOT / "tests" / "golden"
    assert main(["migrate", str(golden / "seeds-ledger.yaml"), f"{tmp_path}/g/"]) == 0
    capsys.readouterr()
    assert report(capsys, f"{tmp_path}/g/") == (golden / "seeds-overview.md").read_text(encoding="utf-8")


def test_folder_report_loads_no_commitment(lf: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """With the index's summaries current, report reads no commitment's data: every row comes from a summary."""
    expected = report(capsys, f"{lf}/")

    def refuse(*args: object) -> None:
        raise AssertionError("report loaded a commitment")

    monkeypatch.setattr(folder.serialize, "commitment_in", refuse)
    assert report(capsys, f"{lf}/") == expected


def test_report_follows_hand_edits_and_curation(lf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """After a hand edit (notes, a removed status history) and a `set`, the folder's report is the report of the same ledger as one file."""
    path = lf / folder.commitment_rel("nev-2023-02")
    text = path.read_text(encoding="utf-8")
    start = text.index("history:\n")
    end = text.index("mentions:\n")
    path.write_text(text[:start] + "notes: checked by hand\n" + text[end:], encoding="utf-8")
    assert main(["set", "5g-2023-12", "tags=watch", "--ledger", f"{lf}/"]) == 0
    capsys.readouterr()
    out = report(capsys, f"{lf}/")
    assert "checked by hand" in out and "`5g-2023-12`: watch" in out
    assert out == report(capsys, as_file(capsys, lf, tmp_path))


def test_summaries_of_another_stage_ladder_are_computed_again(lf: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Summaries stamped under another ladder (or version) are not served: report computes them again and keeps them."""
    expected = report(capsys, f"{lf}/")
    db = sqlite3.connect(lf / NAME)
    db.execute("UPDATE summaries SET stamp = 'other', data = '{}'")
    db.commit()
    assert report(capsys, f"{lf}/") == expected
    assert db.execute("SELECT COUNT(*) FROM summaries WHERE stamp = 'other'").fetchone() == (0,)
    db.close()
