"""What a new user gets wrong, on the real seeds: each case gives a clear message and loses nothing."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from policy_tracker.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ledger(seed_file: Path, tmp_path: Path) -> Path:
    """A copy of the seed ledger (conftest's seed_file) to change."""
    path = tmp_path / "ledger.yaml"
    shutil.copy(seed_file, path)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_empty_ledger_file_is_a_new_ledger(tmp_path: Path, capsys) -> None:
    """`touch ledger.yaml; ingest` fills the empty file instead of refusing it."""
    path = tmp_path / "ledger.yaml"
    path.write_bytes(b"")
    code, _, err = run(capsys, "ingest", str(ROOT / "seeds"), "--ledger", str(path), "-q")
    assert code == 0, err
    assert path.read_text(encoding="utf-8").startswith("# policy-tracker ledger")


@pytest.mark.parametrize("argv", [["ingest", str(ROOT / "seeds"), "--ledger", "{d}"], ["report", "--ledger", "{d}"], ["show", "x", "--ledger", "{d}"]])
def test_a_folder_given_as_ledger_gets_one_message_everywhere(tmp_path: Path, capsys, argv: list[str]) -> None:
    """ingest, report and show say the same thing when --ledger names a folder."""
    code, _, err = run(capsys, *(a.format(d=tmp_path) for a in argv))
    assert code == 1 and f"{tmp_path}: is a folder, not a ledger file; name the file" in err


def test_set_with_only_evidence_runs_as_show_suggests(ledger: Path, capsys) -> None:
    """`set ID --evidence EID` (the hint show prints) is a valid command: no FIELD=VALUE needed."""
    text = ledger.read_text(encoding="utf-8")
    evidence_id = text.split("\nevidence:\n", 1)[1].split("- id: ", 1)[1].split("\n", 1)[0]
    cid = text.split("\ncommitments:\n", 1)[1].split("- id: ", 1)[1].split("\n", 1)[0]
    code, out, err = run(capsys, "set", cid, "--evidence", evidence_id, "--ledger", str(ledger))
    assert code == 0, err
    assert f"evidence {evidence_id}" in out


def test_set_with_nothing_to_set_says_what_to_give(ledger: Path, capsys) -> None:
    """`set ID` alone is refused with the forms it takes."""
    code, _, err = run(capsys, "set", "nev-2023-01", "--ledger", str(ledger))
    assert code == 1 and "FIELD=VALUE" in err and "--evidence" in err


def test_empty_title_is_refused_and_the_ledger_kept(ledger: Path, capsys) -> None:
    """`set ID title=` does not blank the title."""
    before = ledger.read_bytes()
    code, _, err = run(capsys, "set", "nev-2023-01", "title=", "--ledger", str(ledger))
    assert code == 1 and "title cannot be empty" in err
    assert ledger.read_bytes() == before


def test_show_of_a_rejected_commitment_says_it_was_rejected(ledger: Path, capsys) -> None:
    """After `reject`, `show ID` names the rejection, its reason and how to undo it."""
    assert run(capsys, "reject", "nev-2023-01", "--reason", "a headline", "--ledger", str(ledger))[0] == 0
    code, _, err = run(capsys, "show", "nev-2023-01", "--ledger", str(ledger))
    assert code == 1 and "was rejected as not a pledge" in err and "a headline" in err and "decisions:" in err


def test_pin_of_a_rejected_mention_names_the_clash(ledger: Path, capsys) -> None:
    """Pinning a mention that a reject decision removed says so, rather than 'no mention'."""
    text = ledger.read_text(encoding="utf-8")
    block = text.split("\n  - source: ", 1)[1]
    source = block.split("\n", 1)[0]
    start = block.split("start: ", 1)[1].split("\n", 1)[0]
    end = block.split("end: ", 1)[1].split("\n", 1)[0]
    mid = f"{source}@{start}-{end}"
    assert run(capsys, "reject", mid, "--reason", "noise", "--ledger", str(ledger))[0] == 0
    code, _, err = run(capsys, "pin", mid, "nev-2023-01", "--ledger", str(ledger))
    assert code == 1 and "was rejected" in err


@pytest.mark.parametrize(
    ("a", "b", "warning"),
    [("2023-07-19", "2023-04-20", "was held before A"), ("2023-04-20", "2023-04-20", "are the same briefing")],
)
def test_diff_warns_when_b_is_not_later_than_a(ledger: Path, capsys, a: str, b: str, warning: str) -> None:
    """`diff B A` with B earlier, or A = B, still runs but says what is odd."""
    code, _, err = run(capsys, "diff", a, b, "--ledger", str(ledger))
    assert code == 0 and warning in err


def test_diff_in_order_gives_no_warning(ledger: Path, capsys) -> None:
    """The usual `diff A B` with A earlier prints no warning."""
    code, _, err = run(capsys, "diff", "2023-04-20", "2023-07-19", "--ledger", str(ledger))
    assert code == 0 and "warning" not in err


def test_topic_filter_accepts_hyphens_as_in_ids(ledger: Path, capsys) -> None:
    """--topic growth-stabilisation selects what growth_stabilisation selects."""
    hyphen = run(capsys, "timeline", "--topic", "growth-stabilisation", "--ledger", str(ledger))
    underscore = run(capsys, "timeline", "--topic", "growth_stabilisation", "--ledger", str(ledger))
    assert hyphen[0] == 0 and hyphen[1] == underscore[1] and hyphen[1].count("## ") > 0
    assert "no commitment matches" not in hyphen[2]


def test_partial_document_failure_exits_3_and_writes_the_ledger(tmp_path: Path, capsys) -> None:
    """Some documents unreadable: the rest are ingested, the ledger written, exit 3 (not 1, which writes nothing)."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "seeds", docs)
    (docs / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    path = tmp_path / "ledger.yaml"
    code, _, err = run(capsys, "ingest", str(docs), "--ledger", str(path), "-q")
    assert code == 3 and "broken.txt" in err and path.exists()
    code, _, _ = run(capsys, "ingest", str(tmp_path / "nowhere"), "--ledger", str(tmp_path / "other.yaml"))
    assert code == 1 and not (tmp_path / "other.yaml").exists()


def test_a_ledger_named_as_a_document_is_refused_and_left_alone(ledger: Path, capsys) -> None:
    """`ingest S ledger.yaml` (forgot --ledger) reads nothing, writes nothing and says how to write to it."""
    before = ledger.read_bytes()
    code, _, err = run(capsys, "ingest", str(ROOT / "seeds"), str(ledger))
    assert code == 1
    assert f"{ledger}: is a policy-tracker ledger, not a document" in err and f"--ledger {ledger}" in err
    assert ledger.read_bytes() == before


def test_a_named_file_that_is_not_txt_or_md_is_refused(tmp_path: Path, capsys) -> None:
    """A .pdf named on the command line is refused by name, not read as text."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    code, _, err = run(capsys, "ingest", str(pdf), "--ledger", str(tmp_path / "ledger.yaml"))
    assert code == 1 and f"{pdf}: only .txt and .md documents are read (this is .pdf)" in err
    assert not (tmp_path / "ledger.yaml").exists()


def test_a_folder_scan_skips_readme_reports_and_ledgers(ledger: Path, tmp_path: Path, capsys) -> None:
    """`ingest .` beside a README, a diff.md it wrote and the ledger reads only the article."""
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    shutil.copy(seed, tmp_path / seed.name)
    (tmp_path / "README.md").write_text("# 说明\n下一步，将加快推进本项目的文档整理。\n", encoding="utf-8")
    assert run(capsys, "diff", "2023-04-20", "2023-07-19", "--ledger", str(ledger), "--output", str(tmp_path / "diff.md"))[0] == 0
    assert run(capsys, "report", "--ledger", str(ledger), "--output", str(tmp_path / "overview.md"))[0] == 0
    shutil.copy(ledger, tmp_path / "old-ledger.md")  # a ledger saved under a .md name
    fresh = tmp_path / "fresh.yaml"
    code, _, err = run(capsys, "ingest", str(tmp_path), "--ledger", str(fresh))
    assert code == 0, err
    for name in ("README.md", "diff.md", "overview.md", "old-ledger.md"):
        assert f"{tmp_path / name}: skipped:" in err
    text = fresh.read_text(encoding="utf-8")
    assert f"id: {seed.stem}" in text and "README" not in text and "id: diff" not in text


def test_a_folder_of_only_skipped_files_says_what_it_skipped(tmp_path: Path, capsys) -> None:
    """A folder holding only a README is an error that names the skipped file."""
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    code, _, err = run(capsys, "ingest", str(tmp_path), "--ledger", str(tmp_path / "ledger.yaml"))
    assert code == 1 and "folder holds no .txt or .md documents (skipped README.md: not articles)" in err


def test_the_same_article_under_a_new_name_is_skipped(ledger: Path, tmp_path: Path, capsys) -> None:
    """A seed copied to copy.txt adds no mentions: the ledger knows its sha256, and says so."""
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    copy = tmp_path / "copy.txt"
    shutil.copy(seed, copy)
    before = ledger.read_bytes()
    code, out, err = run(capsys, "ingest", str(copy), "--ledger", str(ledger))
    assert code == 0, err
    assert f"{copy}: same text as document {seed.stem!r}, which the ledger holds; skipped" in err + out
    assert ledger.read_bytes() == before


def test_two_copies_in_one_ingest_keep_the_smaller_id_whatever_the_order(tmp_path: Path, capsys) -> None:
    """Copies given together: the smaller id stays, the other is skipped, in either argument order."""
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    for name in ("b-copy.txt", "a-copy.txt"):
        shutil.copy(seed, tmp_path / name)
    outputs = []
    for order in ((tmp_path / "b-copy.txt", tmp_path / "a-copy.txt"), (tmp_path / "a-copy.txt", tmp_path / "b-copy.txt")):
        path = tmp_path / f"ledger-{len(outputs)}.yaml"
        code, out, err = run(capsys, "ingest", *map(str, order), "--ledger", str(path))
        assert code == 0, err
        assert "b-copy.txt: same text as document 'a-copy', which this ingest also reads; skipped" in err + out
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def _undated_article(folder: Path) -> Path:
    """A seed article without its editor's note: new text, and no date anywhere in it."""
    text = (ROOT / "seeds" / "002_7070a237dd8e7fa7.txt").read_text(encoding="utf-8")
    body = text[text.index("# 工信部解读") :]
    path = folder / "undated_reprint.txt"
    path.write_text(body, encoding="utf-8")
    return path


def test_strict_refuses_an_undated_document_and_writes_nothing(ledger: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """ingest --strict stops at an undated document, naming the file and what to add; the ledger is untouched (issue 17.4)."""
    before = ledger.read_bytes()
    doc = _undated_article(tmp_path)
    assert main(["ingest", str(doc), "--ledger", str(ledger), "--strict"]) == 1
    err = capsys.readouterr().err
    assert str(doc) in err and "date held unknown" in err and "held: YYYY-MM-DD" in err and "Traceback" not in err
    assert ledger.read_bytes() == before


def test_an_undated_document_changes_no_status_and_is_not_the_latest_briefing(ledger: Path, tmp_path: Path) -> None:
    """Without --strict an undated document is ingested, but no seed status changes and the latest briefing stays dated (issue 17.4)."""
    from policy_tracker.reports import report
    from policy_tracker.ledger import Ledger

    before = {c.id: c.status for c in Ledger.load(ledger).commitments}
    assert main(["ingest", str(_undated_article(tmp_path)), "--ledger", str(ledger), "-q"]) == 0
    after = Ledger.load(ledger)
    assert any(b.held is None for b in after.briefings)
    assert {cid: after[cid].status for cid in before} == before
    newest = report.overview(after).newest
    assert newest and all(t.stated[0] == "2024-01-19-press-conference" for t in newest)


@pytest.mark.parametrize(("text", "size"), [("40MB", 40 * 2**20), ("500KB", 500 * 2**10), ("2m", 2 * 2**20), ("0", 0), ("1.5MiB", 3 * 2**19), ("1048576", 2**20)])
def test_max_size_accepts_sizes_as_analysts_write_them(text: str, size: int) -> None:
    """--max-size reads 40MB, 500KB, 2m, 1.5MiB and plain bytes (binary units)."""
    from policy_tracker.cli._shared import parse_size

    assert parse_size(text) == size


def test_huge_document_is_refused_with_the_option_to_read_it(tmp_path: Path, capsys) -> None:
    """ingest refuses a document above --max-size naming file, size and the option; nothing is written."""
    doc = tmp_path / "big.txt"
    doc.write_text((ROOT / "seeds" / "001_d101504f9048af62.txt").read_text(encoding="utf-8") * 3, encoding="utf-8")
    code, _, err = run(capsys, "ingest", str(doc), "--ledger", str(tmp_path / "l.yaml"), "--max-size", "20KB")
    assert code == 1 and f"{doc}: 27.1 KB, larger than the 20 KB" in err and "--max-size 1MB" in err
    assert not (tmp_path / "l.yaml").exists()
    code, _, err = run(capsys, "ingest", str(doc), "--ledger", str(tmp_path / "l.yaml"), "--max-size", "1MB", "-q")
    assert code == 0, err


@pytest.mark.parametrize("target", ["ledger", "article", "notes.md"])
def test_report_output_never_replaces_a_ledger_or_an_article(ledger: Path, capsys, target: str) -> None:
    """`report -o` naming the ledger, an article or a hand-written .md is refused and the file kept; a report may replace a report."""
    out = {"ledger": ledger, "article": ledger.parent / "a.txt", "notes.md": ledger.parent / "notes.md"}[target]
    if target != "ledger":
        out.write_text("下一步，将加快推进5G网络建设。\n", encoding="utf-8")
    before = out.read_bytes()
    code, _, err = run(capsys, "report", "--ledger", str(ledger), "--output", str(out))
    assert code == 1 and f"{out}: " in err and "nothing was written" in err
    assert out.read_bytes() == before
    report = ledger.parent / "report.md"
    for _ in range(2):  # the second run replaces the first report
        code, _, err = run(capsys, "report", "--ledger", str(ledger), "--output", str(report))
        assert code == 0, err


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
@pytest.mark.parametrize("delay", [0.4, 0.8, 1.5])
def test_ctrl_c_at_any_moment_gives_no_traceback(tmp_path: Path, delay: float) -> None:
    """Ctrl-C while the command is still importing its modules (or later) ends it with 'Interrupted', never a traceback.

    (Only the interpreter's own start, before any policy_tracker code runs, is out of reach.)
    """
    import signal
    import subprocess

    # The interpreter's own start is out of reach; on a loaded machine it can
    # take longer than the shortest delay, so the delay counts from the moment
    # policy_tracker's entry point can first run (measured now, on this machine).
    began = time.monotonic()
    subprocess.run([sys.executable, "-c", "import policy_tracker.__main__"], check=True)
    startup = time.monotonic() - began
    proc = subprocess.Popen(
        [sys.executable, "-m", "policy_tracker", "ingest", str(ROOT / "seeds"), "--ledger", str(tmp_path / "l.yaml"), "--no-incremental", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(max(delay, 1.5 * startup))
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    assert proc.returncode in (130, -signal.SIGINT, 0), err  # 0: it finished first; -SIGINT: before Python started
