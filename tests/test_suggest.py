"""Evidence suggestions: ranked candidates for a commitment, measured against the seed gold links."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest
import yaml

from policy_tracker.ledger import Ledger
from policy_tracker.sources.load import load_documents
from policy_tracker.models import Evidence, Mention
from policy_tracker.ledger.records import TrackedCommitment
from policy_tracker.matching.suggest import evidence_candidates

ROOT = Path(__file__).resolve().parent.parent


def _ev(quote: str, date: dt.date, topics: tuple[str, ...] = ()) -> Evidence:
    return Evidence(source="d", start=0, end=len(quote), quote=quote, text=quote, date=date, topics=topics)


def test_candidates_rank_related_progress_first_and_skip_earlier_statements() -> None:
    """Related later evidence ranks first; unrelated or earlier statements are left out."""
    pledge = Mention(source="p", start=0, end=12, quote="推进甲类工厂建设试点工作", text="推进甲类工厂建设试点工作", date=dt.date(2023, 3, 1))
    c = TrackedCommitment(id="x-2023-01", title="t", mentions=[pledge])
    related = _ev("已建成甲类工厂试点120个", dt.date(2023, 9, 1))
    unrelated = _ev("乙类标准已发布实施", dt.date(2023, 9, 1))
    earlier = _ev("已建成甲类工厂试点20个", dt.date(2022, 9, 1))
    found = evidence_candidates(c, [unrelated, earlier, related])
    assert [e for e, _ in found] == [related]
    assert 0 < found[0][1] <= 100


def test_seed_gold_evidence_links_are_suggested() -> None:
    """For the gold evidence→commitment links the extractor finds, the right evidence is in the top 5."""
    pytest.importorskip("policy_tracker.extraction.extract")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = load_documents([ROOT / "seeds"]).documents
    texts = {d.id: d.text for d in docs}
    ledger = Ledger()
    ledger.ingest(docs)
    gold = yaml.safe_load((ROOT / "tests" / "data" / "seeds-gold.yaml").read_text(encoding="utf-8"))

    def holder(items, doc: str, anchor: str):
        at = texts[doc].find(anchor)
        return next((x for x in items if x.source == doc and x.start <= at < x.end), None)

    hits = tried = 0
    for doc, anchor, commitment in gold["evidence"]:
        if not commitment:
            continue
        evidence = holder(ledger.evidence, doc, anchor)
        pledge = holder(ledger.mentions, *gold["commitments"][commitment]["mentions"][0])
        if evidence is None or pledge is None:
            continue
        tried += 1
        cid = ledger.commitment_of(pledge.id).id
        hits += evidence.id in {e.id for e, _ in ledger.suggest_evidence(cid, limit=5)}
    assert tried >= 3
    assert hits / tried >= 0.75, f"{hits}/{tried} gold evidence links suggested in the top 5"
