"""Ledger subcommands: ingest, validate, merge, split, reject, pin, set (thin shells over Ledger)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policy_tracker.ledger import _ingesting as ledger_module  # where ingest finds its default extractor and matcher
from policy_tracker.cli import main
from policy_tracker.ledger import Ledger

from . import ledger_fixtures as fx


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The synthetic briefings as files with a manifest; extraction and matching from the fixtures."""
    docs = tmp_path / "docs"
    docs.mkdir()
    manifest = {"documents": {}}
    for doc_id, (held, text) in fx.BRIEFINGS.items():
        (docs / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        manifest["documents"][doc_id] = {"held": held.isoformat(), "kind": "press_conference", "period": f"{held.year}Q1", "published": held.isoformat()}
    (docs / "briefings.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    monkeypatch.setattr(ledger_module, "_default_extract", lambda: (fx.extract, fx.extract_evidence))
    monkeypatch.setattr(ledger_module, "_default_matcher", lambda: fx.cluster)
    return docs


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _docs(corpus: Path, *ids: str) -> list[str]:
    return [str(corpus / f"{i}.txt") for i in ids]


def test_ingest_prints_summary_and_writes_ledger(corpus: Path, tmp_path: Path, capsys) -> None:
    """ingest reports documents, mentions and new/updated commitments, and writes the file."""
    path = tmp_path / "L.yaml"
    code, out, err = run(capsys, "ingest", *_docs(corpus, "b1_spring", "b2_summer", "b3_winter"), "--ledger", str(path))
    assert code == 0, err
    assert out.splitlines() == [
        "3 documents, 9 mentions, 1 evidence statements",
        "commitments: 5 new, 0 updated, 0 unchanged",
        f"created {path}",
    ]
    code, out, _ = run(capsys, "ingest", *_docs(corpus, "b4_extra"), "--ledger", str(path))
    assert "commitments: 1 new, 2 updated, 3 unchanged" in out and f"updated {path}" in out
    before = path.read_bytes()
    code, out, _ = run(capsys, "ingest", *_docs(corpus, "b4_extra"), "--ledger", str(path))
    assert f"unchanged {path}" in out and path.read_bytes() == before


def test_ingest_quiet_and_dry_run(corpus: Path, tmp_path: Path, capsys) -> None:
    """--quiet prints nothing; --dry-run writes nothing."""
    path = tmp_path / "L.yaml"
    assert run(capsys, "ingest", str(corpus), "--ledger", str(path), "--quiet") == (0, "", "")
    before = path.read_bytes()
    code, out, _ = run(capsys, "ingest", str(corpus), "--ledger", str(path), "--dry-run")
    assert code == 0 and "would leave unchanged" in out and path.read_bytes() == before
    code, out, _ = run(capsys, "ingest", str(corpus), "--ledger", str(tmp_path / "new.yaml"), "--dry-run")
    assert code == 0 and "would create" in out and not (tmp_path / "new.yaml").exists()


def test_ingest_folder_twice_is_byte_identical(corpus: Path, tmp_path: Path, capsys) -> None:
    """Running ingest again on the same folder leaves the file unchanged."""
    path = tmp_path / "L.yaml"
    run(capsys, "ingest", str(corpus), "--ledger", str(path))
    first = path.read_bytes()
    run(capsys, "ingest", str(corpus), "--ledger", str(path))
    assert path.read_bytes() == first


def test_validate_ok_and_with_docs(corpus: Path, tmp_path: Path, capsys) -> None:
    """validate reports counts, and checks quotes against the documents with --docs."""
    path = tmp_path / "L.yaml"
    run(capsys, "ingest", str(corpus), "--ledger", str(path))
    code, out, _ = run(capsys, "validate", str(path), "--docs", str(corpus))
    assert code == 0
    assert out.strip() == f"{path}: valid (6 commitments, 12 mentions, 0 decisions, 12 quotes checked against the documents)"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("start: 5\n", "start: [5\n", "invalid YAML"),
        ("schema: policy-tracker/ledger/1", "schema: policy-tracker/ledger/2", "unknown schema version"),
        ("start: 5\n", "start: five\n", "start: expected an integer"),
        ("quote: 推进甲类工厂建设", "quote: 推进乙类工厂建设", "commitment factory-2023-01: mention b1_spring@5-13: quote is not the document text at 5:13"),
    ],
)
def test_validate_errors_are_one_line_with_file_and_line(corpus: Path, tmp_path: Path, capsys, old: str, new: str, message: str) -> None:
    """A broken ledger gives 'Error: FILE:LINE: …' on one line, exit 1, no traceback."""
    path = tmp_path / "L.yaml"
    run(capsys, "ingest", str(corpus), "--ledger", str(path))
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    code, out, err = run(capsys, "validate", str(path), "--docs", str(corpus))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"Error: {path}:") and message in err
    line = int(err.split(":")[2])
    assert 1 <= line <= len(path.read_text(encoding="utf-8").splitlines())


def test_curation_commands_record_decisions(corpus: Path, tmp_path: Path, capsys) -> None:
    """merge, split, pin, reject and set change the ledger and survive a re-ingest."""
    path = tmp_path / "L.yaml"
    run(capsys, "ingest", *_docs(corpus, "b1_spring", "b2_summer", "b3_winter"), "--ledger", str(path))
    led = Ledger.load(path)
    factory_last = led["factory-2023-01"].mentions[-1].id
    pilot = led["pilot-2023-01"].mentions[0].id
    stray = led["pledge-2024-01"].mentions[0].id
    steps = [
        (["merge", "standards-2023-01", "platform-2023-01"], "merged platform-2023-01 into standards-2023-01 (4 mentions)"),
        (["split", "factory-2023-01", "--mention", factory_last, "--reason", "different programme"], "split 1 mention(s) out of factory-2023-01 into new commitment factory-2024-01"),
        (["pin", stray, "standards-2023-01"], f"pinned {stray} to standards-2023-01"),
        (["reject", pilot, "--reason", "not a pledge"], f"rejected {pilot}: not a pledge"),
        (["set", "factory-2023-01", "title=甲类工厂", "note=复核", "status=partially_fulfilled", "tags=a,b"], "factory-2023-01: title=甲类工厂, note=复核, status=partially_fulfilled, tags=a,b"),
    ]
    for argv, expected in steps:
        code, out, err = run(capsys, *argv, "--ledger", str(path))
        assert (code, out.strip()) == (0, expected), err
    run(capsys, "ingest", str(corpus), "--ledger", str(path))
    led = Ledger.load(path)
    assert [d.action for d in led.decisions] == ["merge", "split", "pin", "reject"]
    assert led["platform-2023-01"].id == "standards-2023-01"
    assert stray in {m.id for m in led["standards-2023-01"].mentions}
    assert [m.id for m in led["factory-2024-01"].mentions] == [factory_last]
    assert "pilot-2023-01" not in led
    c = led["factory-2023-01"]
    assert (c.title, c.notes, c.status, c.tags) == ("甲类工厂", None, "partially_fulfilled", ("a", "b"))
    assert c.verdict is not None and c.verdict.note == "复核"  # note= with status= explains the verdict


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["merge", "factory-2023-01", "nope"], "no commitment 'nope'"),
        (["set", "factory-2023-01", "colour=red"], "expected FIELD=VALUE"),
        (["set", "factory-2023-01", "status=done"], "expected one of new"),
        (["reject", "b1_spring@900-901", "--reason", "x"], "no mention"),
    ],
)
def test_curation_mistakes_are_one_line_errors(corpus: Path, tmp_path: Path, capsys, argv: list[str], message: str) -> None:
    """Unknown ids and bad fields give 'Error: …' and exit 1."""
    path = tmp_path / "L.yaml"
    run(capsys, "ingest", str(corpus), "--ledger", str(path))
    code, _, err = run(capsys, *argv, "--ledger", str(path))
    assert code == 1 and err.startswith("Error: ") and message in err and len(err.strip().splitlines()) == 1


def test_missing_ledger_says_how_to_create_it(tmp_path: Path, capsys) -> None:
    """Commands on a ledger that does not exist say how to create one."""
    code, _, err = run(capsys, "validate", str(tmp_path / "none.yaml"))
    assert code == 1 and "run `policy-tracker ingest DOCS --ledger" in err


def test_validate_docs_points_at_the_broken_quote_line(corpus: Path, tmp_path: Path, capsys) -> None:
    """A quote edited to another text of the same length is found with --docs, at its own line."""
    path = tmp_path / "L.yaml"
    run(capsys, "ingest", str(corpus), "--ledger", str(path))
    text = path.read_text(encoding="utf-8").replace("quote: 研究乙类标准", "quote: 研究丙类标准", 2)
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path), "--docs", str(corpus))
    assert code == 1 and err.strip().endswith("invalid (2 errors above)")
    errors = [ln for ln in err.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 2
    for e in errors:
        line = int(e.split(":")[2])
        assert text.splitlines()[line - 1].strip() == "quote: 研究丙类标准"


def test_ingest_no_incremental_shows_the_matcher_every_mention(corpus: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """--no-incremental matches a new briefing against the whole ledger; by default the matcher sees fewer mentions."""
    sizes: list[int] = []

    def recording(mentions, **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(len(mentions))
        return fx.cluster(mentions, **kwargs)

    monkeypatch.setattr(ledger_module, "_default_matcher", lambda: recording)
    for flags, name in (((), "inc.yaml"), (("--no-incremental",), "full.yaml")):
        path = tmp_path / name
        run(capsys, "ingest", *_docs(corpus, "b1_spring", "b2_summer", "b3_winter"), "--ledger", str(path))
        code, _, err = run(capsys, "ingest", *_docs(corpus, "b4_extra"), "--ledger", str(path), *flags)
        assert code == 0, err
    total = len(Ledger.load(tmp_path / "full.yaml").mentions)
    incremental, full = sizes[1], sizes[3]
    assert full == total and incremental < full


def test_validate_reports_every_structure_error_with_its_line(corpus: Path, tmp_path: Path, capsys) -> None:
    """Two independent field errors in one ledger are both reported, each as file:line, with a count."""
    path = tmp_path / "L.yaml"
    run(capsys, "ingest", str(corpus), "--ledger", str(path))
    text = path.read_text(encoding="utf-8").replace("\n    start: ", "\n    start: x", 1)
    i = text.rindex("\n    end: ") + 1
    text = text[:i] + "    end: y" + text[i + len("    end: "):]
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    errors = [ln for ln in err.splitlines() if ln.startswith("error: ")]
    assert code == 1 and len(errors) == 2 and "invalid (2 errors above)" in err
    assert "expected an integer; got 'x" in errors[0] and "expected an integer; got 'y" in errors[1]


def test_ledger_cut_at_a_commitment_boundary_is_called_truncated(corpus: Path, tmp_path: Path, capsys) -> None:
    """A ledger that lost its tail at a clean YAML boundary is refused as truncated, not called valid."""
    path = tmp_path / "L.yaml"
    run(capsys, "ingest", str(corpus), "--ledger", str(path))
    text = path.read_text(encoding="utf-8")
    assert text.endswith("# end of ledger\n")
    cut = text.index("\n- id: ", text.index("\ncommitments:\n") + 20)
    path.write_text(text[: cut + 1], encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1 and "truncated" in err and "restore it from git" in err


def test_ledger_cut_inside_a_character_is_called_truncated(corpus: Path, tmp_path: Path, capsys) -> None:
    """Bytes cut in the middle of a UTF-8 character are reported as a truncated file, with the byte offset."""
    path = tmp_path / "L.yaml"
    run(capsys, "ingest", str(corpus), "--ledger", str(path))
    data = path.read_bytes()
    i = data.index("研".encode()) + 1
    path.write_bytes(data[:i])
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1 and "truncated in the middle of a character at byte" in err


def test_ledger_without_end_line_from_an_older_version_still_loads(corpus: Path, tmp_path: Path, capsys) -> None:
    """A ledger written before the end line existed (old header, no footer) keeps loading."""
    path = tmp_path / "L.yaml"
    run(capsys, "ingest", str(corpus), "--ledger", str(path))
    text = path.read_text(encoding="utf-8")
    old = text.replace(" Its last line is '# end of ledger'.", "", 1).replace("# end of ledger\n", "")
    path.write_text(old, encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and "valid" in out
