"""The ledger on the real seed briefings with the real extractor and matcher."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
import yaml

from policy_tracker.ledger import Ledger
from policy_tracker.sources.load import load_documents

pytest.importorskip("policy_tracker.extraction.extract")

# An invented later briefing (front matter gives its date), restating some seed themes in new words.
NEW_BRIEFING = """---
held: 2024-04-18
kind: press_conference
period: 2024Q1
---
国新办举行新闻发布会，介绍2024年一季度工业和信息化发展情况。

下一步，工业和信息化部将继续组织新能源汽车下乡和智能家电以旧换新活动，加快推进公共领域车辆全面电动化先行区试点。
我们将制定出台中小企业数字化转型城市试点实施方案，力争年底前培育5000家专精特新企业。
"""


def _load(paths: list[Path]):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_documents(paths).documents


@pytest.fixture(scope="module")
def seed_docs(tmp_path_factory: pytest.TempPathFactory, seeds_dir_module: Path):
    folder = tmp_path_factory.mktemp("seeds")
    for f in seeds_dir_module.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    new = tmp_path_factory.mktemp("new") / "005_new_briefing.txt"
    new.write_text(NEW_BRIEFING, encoding="utf-8")
    return _load([folder]), _load([new])


@pytest.fixture(scope="module")
def seeds_dir_module() -> Path:
    return Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def one_batch(seed_docs) -> str:
    led = Ledger()
    led.ingest(seed_docs[0])
    return led.dumps()


def test_seeds_twice_identical(seed_docs, one_batch: str) -> None:
    """Re-ingesting the seeds leaves the ledger byte-identical."""
    led = Ledger.loads(one_batch)
    led.ingest(seed_docs[0])
    assert led.dumps() == one_batch


def test_seeds_2023_then_2024_equals_one_batch(seed_docs, one_batch: str) -> None:
    """2023 briefings first, then the 2024 one: same commitments and ids as one batch."""
    docs = seed_docs[0]
    led = Ledger()
    led.ingest([d for d in docs if d.held and d.held.year == 2023])
    led = Ledger.loads(led.dumps())
    led.ingest([d for d in docs if not (d.held and d.held.year == 2023)])
    assert {c.id: [m.id for m in c.mentions] for c in led} == {c.id: [m.id for m in c.mentions] for c in Ledger.loads(one_batch)}
    assert led.dumps() == one_batch


def test_curation_in_yaml_survives_reingest_of_seeds_plus_new_document(seed_docs, one_batch: str) -> None:
    """Titles, status, notes, a merge, a split and a reject edited in the YAML all survive."""
    docs, new = seed_docs
    data = yaml.safe_load(one_batch)
    commitments = data["commitments"]
    multi = next(c for c in commitments if len({m["source"] for m in c["mentions"]}) >= 3)
    singles = [c for c in commitments if len(c["mentions"]) == 1 and c is not multi]
    a, b, rejected, edited = singles[0], singles[1], singles[2], singles[3]

    def mid(m: dict) -> str:
        return f"{m['source']}@{m['start']}-{m['end']}"

    split_off = mid(multi["mentions"][-1])
    edited["title"] = "分析员标题"
    edited["notes"] = "需要核实"
    edited["status"] = "fulfilled"
    multi["title"] = "多次重申的承诺"
    data["decisions"] = [
        {"action": "merge", "into": a["id"], "ids": [b["id"]], "reason": "same programme"},
        {"action": "split", "commitment": multi["id"], "mentions": [split_off], "into": "split-2099-01"},
        {"action": "reject", "commitment": rejected["id"], "reason": "not a pledge"},
    ]
    led = Ledger.loads(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    summary = led.ingest([*docs, *new])
    assert summary.new, "the new briefing should add commitments"
    text = led.dumps()
    again = Ledger.loads(text)
    again.ingest([*docs, *new])
    assert again.dumps() == text
    assert (again[edited["id"]].title, again[edited["id"]].notes, again[edited["id"]].status) == ("分析员标题", "需要核实", "fulfilled")
    assert again[multi["id"]].title == "多次重申的承诺"
    assert split_off not in {m.id for m in again[multi["id"]].mentions}
    assert [m.id for m in again["split-2099-01"].mentions] == [split_off]
    merged = again[a["id"]]
    assert again[b["id"]] is merged and {mid(a["mentions"][0]), mid(b["mentions"][0])} <= {m.id for m in merged.mentions}
    assert rejected["id"] not in again
    assert mid(rejected["mentions"][0]) not in {m.id for m in again.mentions}
    assert [d.action for d in again.decisions] == ["merge", "split", "reject"]
    old_ids = {c["id"] for c in commitments} - {b["id"], rejected["id"]}
    assert old_ids <= {c.id for c in again}
