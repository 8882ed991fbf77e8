"""Appending ingest of a ledger folder (policy_tracker/ledger/append.py): a partial ledger that writes what the whole ledger would."""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest

from policy_tracker.ledger import Ledger, append
from policy_tracker.ledger.ingest import ingest_paths
from tests.benchmarks.generate import Corpus, Generator, write


def files_of(path: Path) -> dict[str, bytes]:
    """Every source file of a ledger folder (derived ones left out) by relative path."""
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*.yaml")) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A ledger folder of 1,500 synthetic mentions and four briefings that follow it (one restating many pledges)."""
    work = tmp_path_factory.mktemp("append")
    gen = Generator(5)
    write(Corpus(tuple(gen.documents(1500))), work / "docs")
    nexts = []
    for i in range(4):
        nexts.append(write(Corpus((gen.document(60 if i == 1 else 40),)), work / f"next{i}"))
        (nexts[-1] / "gold.yaml").unlink()
    assert ingest_paths([work / "docs"], f"{work / 'ledger'}/").outcome == "created"
    return work / "ledger", nexts


def test_appending_ingest_writes_what_the_whole_ledger_would(grown, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Briefing after briefing (and a set between them), the partial ledger leaves the folder byte-identical to the whole-ledger ingest, with the same summary."""
    ledger, nexts = grown
    fast, whole = tmp_path / "fast", tmp_path / "whole"
    shutil.copytree(ledger, fast)
    shutil.copytree(ledger, whole)
    taken = []
    real = append.prepare

    def spy(*args, **kwargs):
        found = real(*args, **kwargs)
        taken.append(not isinstance(found, str))
        if not isinstance(found, str):
            assert len(found[0]) < 0.5 * len(Ledger.load(fast))  # only what the briefing can change is loaded
        return found

    for i, nxt in enumerate(nexts):
        monkeypatch.setattr(append, "prepare", spy)
        a = ingest_paths([nxt], f"{fast}/")
        monkeypatch.setattr(append, "prepare", lambda *args, **kwargs: None)
        b = ingest_paths([nxt], f"{whole}/")
        assert taken[-1], f"briefing {i}: the appending path was not taken"
        assert a.notes == () and b.notes == ()
        assert (a.summary, a.outcome) == (b.summary, b.outcome)
        assert files_of(fast) == files_of(whole), f"briefing {i}"
        if i == 1:  # a curation between two appends keeps the index's record of the statuses
            cid = Ledger.load(fast).commitments[3].id
            for folder in (fast, whole):
                one = Ledger.load(folder, only=[cid])
                one.set(cid, notes="跟踪")
                one.save()
    assert any(s != "dormant" for s in {c.status for c in Ledger.load(fast)})


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_appending_ingest_declines_what_it_cannot_do(grown, tmp_path: Path) -> None:
    """A document the ledger holds, or one dated before its latest briefing, goes to the whole ledger, and the ingest says why."""
    ledger, nexts = grown
    copy = tmp_path / "l"
    shutil.copytree(ledger, copy)
    docs = sorted((ledger.parent / "docs").glob("*.txt"))
    from policy_tracker.sources.load import load_documents

    held = load_documents([docs[-1]], None).documents
    assert append.prepare(copy, held) == f"document {held[0].id} is in the ledger already (read again)"
    early = [attrs.evolve(d, id="syn999999") for d in load_documents([docs[0]], None).documents]
    assert append.prepare(copy, early) == "no new document (copies of documents the ledger holds)"  # a held text under a new id
    assert not isinstance(append.prepare(copy, load_documents([nexts[0]], None).documents), str)
    result = ingest_paths([docs[-1]], f"{copy}/")
    assert result.notes == (f"the whole ledger was loaded, not only what the new documents can change: document {held[0].id} is in the ledger already (read again)",)
