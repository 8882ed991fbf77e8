"""The ledger folder (policy_tracker/ledger/folder.py, folder_index.py): layout, lossless migration, partial loads and safe saves."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from policy_tracker.ledger import folder
from policy_tracker.ledger.comments import carry_comments
from policy_tracker.cli import main
from policy_tracker.errors import LedgerLockedError
from policy_tracker.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def snapshot(path: Path) -> dict[str, bytes]:
    """Every source file of a ledger folder (the derived ones left out) by relative path."""
    return {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def commitment_file(path: Path, cid: str) -> Path:
    return path / folder.commitment_rel(cid)


def test_file_to_folder_to_file_is_byte_identical(seed_file: Path, tmp_path: Path, capsys) -> None:
    """migrate file → folder → file gives back the very bytes of the seed ledger."""
    assert run(capsys, "migrate", str(seed_file), f"{tmp_path}/f/")[0] == 0
    assert run(capsys, "migrate", f"{tmp_path}/f/", str(tmp_path / "back.yaml"))[0] == 0
    assert (tmp_path / "back.yaml").read_bytes() == seed_file.read_bytes()


def test_ingest_into_a_folder_equals_migrating_the_file(seed_file: Path, seed_folder: Path, tmp_path: Path, capsys) -> None:
    """ingest --ledger DIR/ writes the same files as migrating the single-file ledger."""
    assert run(capsys, "migrate", str(seed_file), f"{tmp_path}/m/")[0] == 0
    assert snapshot(tmp_path / "m") == snapshot(seed_folder)


def test_layout(seed_folder: Path) -> None:
    """root.yaml, one file per commitment under its id's prefix, evidence per document, a .gitignore for the derived files."""
    assert (seed_folder / "root.yaml").read_text(encoding="utf-8").startswith("# policy-tracker ledger folder: root")
    ledger = Ledger.load(seed_folder)
    for c in ledger.commitments:
        assert commitment_file(seed_folder, c.id).is_file()
    assert commitment_file(seed_folder, "nev-2023-02") == seed_folder / "commitments" / "nev" / "nev-2023-02.yaml"
    assert {p.stem for p in (seed_folder / "evidence").iterdir()} == {e.source for e in ledger.evidence}
    ignored = (seed_folder / ".gitignore").read_text(encoding="utf-8").split()
    assert ".index.sqlite*" in ignored and ".keys" in ignored and "*.lock" in ignored


def test_reingest_leaves_every_file_alone(lf: Path, capsys) -> None:
    """Ingesting the same documents again says unchanged and rewrites no file."""
    before = {p: p.stat().st_mtime_ns for p in lf.rglob("*.yaml")}
    code, out, _ = run(capsys, "ingest", str(ROOT / "seeds"), "--ledger", f"{lf}/")
    assert code == 0 and "unchanged" in out.splitlines()[-1]
    assert {p: p.stat().st_mtime_ns for p in lf.rglob("*.yaml")} == before


def test_curation_matches_the_single_file(seed_file: Path, lf: Path, tmp_path: Path, capsys) -> None:
    """merge, set, split, pin and reject on a folder leave the ledger the single file gets from the same commands."""
    single = tmp_path / "single.yaml"
    shutil.copy(seed_file, single)
    ledger = Ledger.load(single)
    several = next(c for c in ledger.commitments if len(c.mentions) >= 3)
    lonely = [c for c in ledger.commitments if len(c.mentions) == 1]
    commands = [
        ["merge", "consumer-goods-2023-01", "consumption-2023-06", "--reason", "same"],
        ["set", "5g-2023-12", "status=partially_fulfilled", "notes=首批", "tags=a,b"],
        ["split", several.id, "--mention", several.mentions[-1].id, "--reason", "other"],
        ["pin", several.mentions[0].id, several.id, "--reason", "checked"],
        ["reject", lonely[-1].mentions[0].id, "--reason", "not a pledge"],
        ["reject", lonely[-2].id, "--reason", "not a pledge"],
    ]
    for argv in commands:
        for target in (str(single), f"{lf}/"):
            code, _, err = run(capsys, *argv, "--ledger", target)
            assert code == 0, err
    assert run(capsys, "migrate", f"{lf}/", str(tmp_path / "back.yaml"))[0] == 0
    assert (tmp_path / "back.yaml").read_bytes() == single.read_bytes()


def test_merge_rewrites_only_the_files_involved(lf: Path, capsys) -> None:
    """A merge changes root.yaml (the decision) and the two commitments' files, nothing else."""
    before = snapshot(lf)
    assert run(capsys, "merge", "consumer-goods-2023-01", "consumption-2023-06", "--ledger", f"{lf}/")[0] == 0
    after = snapshot(lf)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {"root.yaml", folder.commitment_rel("consumer-goods-2023-01"), folder.commitment_rel("consumption-2023-06")}
    assert folder.commitment_rel("consumption-2023-06") not in after


def test_reports_match_the_single_file(seed_file: Path, seed_folder: Path, capsys) -> None:
    """show, diff, timeline and report print the same from the folder as from the file."""
    for argv in (["show", "nev-2023-02"], ["diff", "2023-04-20", "2024-01-19"], ["timeline"], ["report"], ["show", "5g-2023-12", "--format", "json"]):
        outputs = [run(capsys, *argv, "--ledger", target)[1] for target in (str(seed_file), f"{seed_folder}/")]
        assert outputs[0] == outputs[1], argv


def test_hand_edit_is_seen_at_once(lf: Path, capsys) -> None:
    """An analyst's edit of a commitment file shows in the next show (the index is refreshed, never stale)."""
    path = commitment_file(lf, "nev-2023-02")
    text = path.read_text(encoding="utf-8")
    title = text.split("\ntitle: ", 1)[1].split("\n", 1)[0]
    assert run(capsys, "show", "nev-2023-02", "--ledger", f"{lf}/")[1].count("手改的标题") == 0
    path.write_text(text.replace(f"\ntitle: {title}\n", "\ntitle: 手改的标题\n"), encoding="utf-8")
    assert "手改的标题" in run(capsys, "show", "nev-2023-02", "--ledger", f"{lf}/")[1]
    assert "title" in Ledger.load(lf)["nev-2023-02"].curated  # a hand edit becomes curated, as in the file


def test_comments_survive_a_rewrite(lf: Path, capsys) -> None:
    """A '#' comment in a commitment file is still there after set rewrites that file, and untouched files keep theirs."""
    path = commitment_file(lf, "5g-2023-12")
    other = commitment_file(lf, "nev-2023-02")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nstatus: ", "\n# 分析师：核对过工信部公告\nstatus: ", 1).replace("\nmentions:\n", "\nmentions:  # 按时间排列\n", 1), encoding="utf-8")
    other.write_text(other.read_text(encoding="utf-8").replace("\nmentions:\n", "\n# 另一条备注\nmentions:\n", 1), encoding="utf-8")
    assert run(capsys, "set", "5g-2023-12", "status=fulfilled", "notes=done", "--ledger", f"{lf}/")[0] == 0
    new = path.read_text(encoding="utf-8")
    assert "notes: done" in new and "status: fulfilled" in new
    assert "# 分析师：核对过工信部公告\nstatus: fulfilled" in new
    assert "\nmentions:  # 按时间排列\n" in new
    assert "\n# 另一条备注\nmentions:\n" in other.read_text(encoding="utf-8")
    assert Ledger.load(lf)["5g-2023-12"].status == "fulfilled"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("H\na: 1\n# why\nb: 2\n# end of ledger\n", "H\na: 1\nb: 3\n# end of ledger\n", "H\na: 1\n# why\nb: 3\n# end of ledger\n"),
        ("H\na: 1  # keep\nb: 2\n# end of ledger\n", "H\na: 1\nb: 3\n# end of ledger\n", "H\na: 1  # keep\nb: 3\n# end of ledger\n"),
        ("H\na: 1\n# gone\nz: 2\n# end of ledger\n", "H\na: 1\n# end of ledger\n", "H\na: 1\n# gone\n# end of ledger\n"),
        ("H\na: 1\nb: 2\n# end of ledger\n", "H\na: 1\nb: 3\n# end of ledger\n", "H\na: 1\nb: 3\n# end of ledger\n"),
        ("H\nq: 'a #b'\n# end of ledger\n", "H\nq: 'a #c'\n# end of ledger\n", "H\nq: 'a #c'\n# end of ledger\n"),
    ],
)
def test_carry_comments(old: str, new: str, expected: str) -> None:
    """Comment lines stay before their line (or its key), end-of-line comments on an unchanged line, lost lines' comments before the end."""
    assert carry_comments(old, new) == expected


def test_root_header_is_written_once_and_root_comments_survive(lf: Path, capsys) -> None:
    """Curations that rewrite root.yaml keep its two-line header once (not carried over as a comment) and an analyst's comment in it."""
    root = lf / folder.ROOT
    text = root.read_text(encoding="utf-8")
    header = folder.ROOT_HEADER
    assert text.startswith(header)
    # a root.yaml an earlier version wrote: its second header line carried over once more
    root.write_text(header + header.splitlines(keepends=True)[1] + text[len(header) :].replace("\ndecisions:", "\n# 决定见周报\ndecisions:", 1), encoding="utf-8")
    assert run(capsys, "merge", "nev-2023-02", "nev-2023-01", "--ledger", f"{lf}/")[0] == 0
    assert run(capsys, "reject", "5g-2023-12", "--reason", "not a pledge", "--ledger", f"{lf}/")[0] == 0
    new = root.read_text(encoding="utf-8")
    assert new.startswith(header) and new.count(header.splitlines()[1]) == 1
    assert "\n# 决定见周报\ndecisions:" in new


def test_changed_since_load_is_refused(lf: Path) -> None:
    """A file changed on disk after the load is never overwritten: nothing is written."""
    ledger = Ledger.load(lf, only=["nev-2023-02"], evidence=False)
    ledger.set("nev-2023-02", notes="mine")
    path = commitment_file(lf, "nev-2023-02")
    path.write_text(path.read_text(encoding="utf-8").replace("\nstatus:", "\nnotes: theirs\nstatus:", 1), encoding="utf-8")
    before = snapshot(lf)
    with pytest.raises(LedgerLockedError, match="changed by another process"):
        ledger.save()
    assert snapshot(lf) == before


def test_locked_folder_is_refused(lf: Path) -> None:
    """A live writer's lock keeps a second writer out."""
    ledger = Ledger.load(lf, only=["nev-2023-02"], evidence=False)
    ledger.set("nev-2023-02", notes="mine")
    (lf / "root.yaml.lock").write_text("1\n")  # pid 1 is alive
    with pytest.raises(LedgerLockedError, match="is writing this ledger"):
        ledger.save()


def test_split_on_a_partial_load_never_reuses_an_id(lf: Path) -> None:
    """A split that loaded one commitment still picks an id no other file (or alias) holds."""
    full = Ledger.load(lf)
    several = next(c for c in full.commitments if len(c.mentions) >= 2)
    partial = Ledger.load(lf, only=[several.id], evidence=False)
    new = partial.split(several.id, [several.mentions[-1].id])
    partial.save()
    assert new.id not in {c.id for c in full.commitments} | {a for c in full.commitments for a in c.aliases}
    assert Ledger.load(lf)[new.id].mentions == (several.mentions[-1],)


def test_permissions_are_kept(lf: Path, capsys) -> None:
    """A private (0600) commitment file stays private after a rewrite; new files take the root file's mode."""
    for p in lf.rglob("*.yaml"):
        p.chmod(0o600)
    assert run(capsys, "set", "nev-2023-02", "notes=x", "--ledger", f"{lf}/")[0] == 0
    assert stat.S_IMODE(commitment_file(lf, "nev-2023-02").stat().st_mode) == 0o600
    several = next(c for c in Ledger.load(lf).commitments if len(c.mentions) >= 2)
    code, out, _ = run(capsys, "split", several.id, "--mention", several.mentions[-1].id, "--ledger", f"{lf}/")
    assert code == 0
    new_id = out.split("new commitment ")[1].strip()
    assert stat.S_IMODE(commitment_file(lf, new_id).stat().st_mode) == 0o600


def test_journal_left_by_a_killed_writer_is_rolled_forward(lf: Path) -> None:
    """A save killed after writing its journal is finished by the next reader: the new ledger, whole."""
    path = commitment_file(lf, "nev-2023-02")
    tmp = path.with_name(".nev-2023-02.yaml.999999.tmp")
    tmp.write_text(path.read_text(encoding="utf-8").replace("\nstatus:", "\nnotes: from the journal\nstatus:", 1), encoding="utf-8")
    gone = commitment_file(lf, "consumption-2023-06")
    journal = {"pid": 999999, "renames": [[tmp.relative_to(lf).as_posix(), path.relative_to(lf).as_posix()]], "removes": []}
    (lf / ".journal").write_text(json.dumps(journal), encoding="utf-8")
    assert Ledger.load(lf)["nev-2023-02"].notes == "from the journal"
    assert not (lf / ".journal").exists() and not tmp.exists() and gone.exists()


def test_temporaries_without_a_journal_are_ignored(lf: Path) -> None:
    """A writer killed before its journal leaves the old ledger; its temporaries are not read and are cleaned up."""
    path = commitment_file(lf, "nev-2023-02")
    tmp = path.with_name(".nev-2023-02.yaml.999999.tmp")
    tmp.write_text("garbage", encoding="utf-8")
    ledger = Ledger.load(lf)
    assert ledger["nev-2023-02"].notes is None
    ledger.set("nev-2023-02", notes="x")
    ledger.save()
    assert not tmp.exists()


def test_broken_commitment_file_names_file_and_line(lf: Path, capsys) -> None:
    """A bad field in one commitment file is reported with that file's path and line."""
    path = commitment_file(lf, "nev-2023-02")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n  start: ", "\n  start: eight #", 1), encoding="utf-8")
    code, _, err = run(capsys, "show", "nev-2023-01", "--ledger", f"{lf}/")
    line = text[: text.index("\n  start: ") + 1].count("\n") + 1
    assert code == 1 and f"{path}:{line}: mentions[0].start: expected an integer" in err


def test_truncated_commitment_file_is_refused(lf: Path, capsys) -> None:
    """A commitment file cut short (no end line) is refused like a truncated ledger."""
    path = commitment_file(lf, "nev-2023-02")
    path.write_text(path.read_text(encoding="utf-8").rsplit("\n  quote:", 1)[0] + "\n", encoding="utf-8")
    code, _, err = run(capsys, "report", "--ledger", f"{lf}/")
    assert code == 1 and str(path) in err and "truncated" in err


def test_mention_in_two_files_is_refused(lf: Path, capsys) -> None:
    """A mention copied into a second commitment file is an error naming both files."""
    a, b = commitment_file(lf, "nev-2023-02"), commitment_file(lf, "nev-2023-01")
    mentions_a = a.read_text(encoding="utf-8").split("\nmentions:\n", 1)[1].rsplit("# end of ledger", 1)[0]
    text_b = b.read_text(encoding="utf-8")
    b.write_text(text_b.replace("# end of ledger\n", mentions_a.split("\n- source", 2)[0].rstrip("\n") + "\n# end of ledger\n"), encoding="utf-8")
    code, _, err = run(capsys, "show", "nev-2023-02", "--ledger", f"{lf}/")
    assert code == 1 and "is also in" in err and "nev-2023-0" in err


def test_a_file_renamed_by_hand_is_refused(lf: Path, capsys) -> None:
    """A commitment file whose name does not match its id says how to fix it."""
    path = commitment_file(lf, "nev-2023-02")
    path.rename(path.with_name("renamed.yaml"))
    code, _, err = run(capsys, "show", "nev-2023-01", "--ledger", f"{lf}/")
    assert code == 1 and "does not match the file name" in err


def test_folder_without_root_gets_the_folder_message(tmp_path: Path, capsys) -> None:
    """A documents folder given as --ledger is still refused with the one message; an empty one with '/' is a new ledger."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "show", "x", "--ledger", f"{tmp_path}/docs/")
    assert code == 1 and "is a folder, not a ledger file" in err
    (tmp_path / "new").mkdir()
    code, _, err = run(capsys, "ingest", str(ROOT / "seeds"), "--ledger", f"{tmp_path}/new/", "-q")
    assert code == 0 and (tmp_path / "new" / "root.yaml").exists(), err


def test_index_is_derived(lf: Path, capsys) -> None:
    """Deleting or damaging the index changes nothing: it is rebuilt from the files."""
    expected = run(capsys, "show", "nev-2023-02", "--ledger", f"{lf}/")[1]
    for p in lf.glob(".index.sqlite*"):
        p.unlink()
    assert run(capsys, "show", "nev-2023-02", "--ledger", f"{lf}/")[1] == expected
    (lf / ".index.sqlite").write_bytes(b"not a database" * 100)
    for p in lf.glob(".index.sqlite-*"):
        p.unlink()
    assert run(capsys, "show", "nev-2023-02", "--ledger", f"{lf}/")[1] == expected


def test_validate_a_folder(lf: Path, capsys) -> None:
    """validate accepts a ledger folder and checks its quotes against the documents, naming the commitment file."""
    code, out, _ = run(capsys, "validate", f"{lf}/", "--docs", str(ROOT / "seeds"))
    assert code == 0 and "valid (" in out
    path = commitment_file(lf, "nev-2023-02")
    text = path.read_text(encoding="utf-8")
    quote = text.split("\n  quote: ", 1)[1].split("\n", 1)[0]
    path.write_text(text.replace(f"\n  quote: {quote}\n", f"\n  quote: {quote[::-1]}\n", 1), encoding="utf-8")
    code, _, err = run(capsys, "validate", f"{lf}/", "--docs", str(ROOT / "seeds"))
    assert code == 1 and f"{path}: commitment nev-2023-02" in err


def test_migrate_refuses_to_overwrite(seed_file: Path, seed_folder: Path, tmp_path: Path, capsys) -> None:
    """migrate never writes over an existing ledger."""
    code, _, err = run(capsys, "migrate", str(seed_file), f"{seed_folder}/")
    assert code == 1 and "not empty" in err
    code, _, err = run(capsys, "migrate", f"{seed_folder}/", str(seed_file))
    assert code == 1 and "exists" in err


def test_id_with_unsafe_characters_gets_a_safe_file_name() -> None:
    """Ids a hand edit made odd still give one file name inside the folder, never a hidden or nested one."""
    assert folder.commitment_rel("a/b-2023-01") == "commitments/a%2Fb/a%2Fb-2023-01.yaml"
    assert folder.commitment_rel(".x") == "commitments/_other/%2Ex.yaml"
    assert os.sep not in folder.commitment_rel("../../etc-2023-01").split("/", 2)[2]
