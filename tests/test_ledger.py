"""The Ledger API: round trips, idempotent ingestion, stable ids, lookup and records."""

from __future__ import annotations

import re

import pytest
import yaml

from policy_tracker.errors import LookupFailed
from policy_tracker.ledger import Ledger
from policy_tracker.ledger.yaml_io import SCHEMA

from .ledger_fixtures import KW, documents


@pytest.fixture
def ledger() -> Ledger:
    led = Ledger()
    led.ingest(documents(), **KW)
    return led


def test_dumps_loads_dumps_is_byte_identical(ledger: Ledger) -> None:
    """load → dump reproduces the text exactly."""
    text = ledger.dumps()
    assert Ledger.loads(text).dumps() == text


def test_save_load_save_is_byte_identical_on_disk(ledger: Ledger, tmp_path) -> None:
    """A saved ledger loaded and saved again is the same file, byte for byte."""
    path = tmp_path / "ledger.yaml"
    ledger.save(path)
    first = path.read_bytes()
    Ledger.load(path).save(path)
    assert path.read_bytes() == first


def test_ingest_twice_gives_identical_file(ledger: Ledger) -> None:
    """Re-ingesting the same documents changes nothing."""
    text = ledger.dumps()
    again = Ledger.loads(text)
    summary = again.ingest(documents(), **KW)
    assert again.dumps() == text
    assert summary.new == () and summary.updated == ()


@pytest.mark.parametrize(
    "batches",
    [
        [("b1_spring", "b2_summer"), ("b3_winter",)],
        [("b1_spring",), ("b2_summer",), ("b3_winter",)],
        [("b1_spring",), ("b2_summer", "b3_winter")],
    ],
)
def test_batches_give_same_commitments_and_ids_as_one_batch(ledger: Ledger, batches) -> None:
    """Ingesting in chronological batches equals ingesting everything at once."""
    led = Ledger()
    for batch in batches:
        led = Ledger.loads(led.dumps())
        led.ingest(documents(*batch), **KW)
    assert led.dumps() == ledger.dumps()


def test_new_briefing_appends_and_keeps_existing_ids(ledger: Ledger) -> None:
    """A later briefing adds mentions and commitments; existing ids and their order stay."""
    before = {c.id: {m.id for m in c.mentions} for c in ledger}
    summary = ledger.ingest(documents("b4_extra"), **KW)
    after = {c.id: {m.id for m in c.mentions} for c in ledger}
    assert set(before) <= set(after)
    for cid, mids in before.items():
        assert mids <= after[cid]
    assert list(after)[: len(before)] == list(before)
    assert summary.new == ("standards-2024-01",)
    assert set(summary.updated) == {"factory-2023-01", "platform-2023-01"}


def test_ids_are_topic_year_counter_in_chronological_order(ledger: Ledger) -> None:
    """Ids follow <topic>-<year>-<nn>, numbered in order of first appearance."""
    assert [c.id for c in ledger] == [
        "factory-2023-01",
        "standards-2023-01",
        "pilot-2023-01",
        "platform-2023-01",
        "pledge-2024-01",
    ]
    assert all(re.fullmatch(r"[a-z0-9-]+-(\d{4}|undated)-\d{2,}", c.id) for c in ledger)


def test_lookup_iteration_and_membership(ledger: Ledger) -> None:
    """ledger[id], `in`, len and iteration agree; an unknown id raises LookupFailed naming it."""
    assert len(ledger) == len(list(ledger)) == len(ledger.commitments)
    c = ledger["factory-2023-01"]
    assert c.title == "推进甲类工厂建设"
    assert [m.source for m in c.mentions] == ["b1_spring", "b2_summer", "b3_winter"]
    assert "factory-2023-01" in ledger and "nope" not in ledger
    with pytest.raises(LookupFailed, match="nope"):
        ledger["nope"]
    assert ledger.commitment_of(c.mentions[1].id) is c


def test_contract_fields_for_other_tools(ledger: Ledger) -> None:
    """The YAML has the contract other tools read: schema, briefings, commitments with mentions."""
    data = yaml.safe_load(ledger.dumps())
    assert data["schema"] == SCHEMA
    assert set(data) >= {"briefings", "commitments", "decisions", "evidence"}
    docs = {d.id: d.text for d in documents()}
    for c in data["commitments"]:
        assert c["id"] and c["mentions"]
        for m in c["mentions"]:
            assert {"source", "start", "end", "quote", "date", "speaker"} <= set(m)
            assert docs[m["source"]][m["start"] : m["end"]] == m["quote"]
    assert [e["quote"] for e in data["evidence"]] == ["已完成丙类试点评估"]


def test_accessors_return_tuples_in_order(ledger: Ledger) -> None:
    """briefings chronological, documents by id, evidence and decisions as tuples."""
    assert [b.held.isoformat() for b in ledger.briefings] == ["2023-03-01", "2023-06-01", "2024-01-10"]
    assert [d.id for d in ledger.documents] == ["b1_spring", "b2_summer", "b3_winter"]
    assert len(ledger.evidence) == 1 and ledger.decisions == ()


def test_to_records_are_flat(ledger: Ledger) -> None:
    """to_records gives one flat dict per mention (or per commitment) with scalar values."""
    rows = ledger.to_records()
    assert len(rows) == len(ledger.mentions)
    assert all(isinstance(v, (str, int, float, type(None))) for row in rows for v in row.values())
    assert rows[0]["commitment"] == "factory-2023-01" and rows[0]["meter"]
    per_commitment = ledger.to_records("commitment")
    assert [r["commitment"] for r in per_commitment] == [c.id for c in ledger]


def test_derived_status_history_is_kept(ledger: Ledger) -> None:
    """Status and its history are stored in the ledger."""
    c = ledger["pilot-2023-01"]
    assert c.status == "dormant"
    assert [(h.status, h.briefing) for h in c.history] == [
        ("new", "2023-03-01-press-conference"),
        ("dormant", "2024-01-10-press-conference"),
    ]
    assert ledger["factory-2023-01"].changes_of(ledger["factory-2023-01"].mentions[0]) == ("first",)


def test_open_missing_file_gives_empty_ledger(tmp_path) -> None:
    """Ledger.open on a missing file starts empty and creates it on save."""
    path = tmp_path / "new.yaml"
    led = Ledger.open(path)
    assert len(led) == 0
    led.ingest(documents("b1_spring"), **KW)
    led.save()
    assert Ledger.load(path).dumps() == led.dumps()


def test_redated_document_moves_to_its_new_briefing(ledger: Ledger) -> None:
    """Re-ingesting a document with a corrected date moves it, its mentions and statuses to the new briefing."""
    import datetime as dt

    from .ledger_fixtures import document

    fixed = document("b2_summer", dt.date(2023, 6, 8), documents("b2_summer")[0].text)
    ledger.ingest([fixed], **KW)
    assert [b.id for b in ledger.briefings] == ["2023-03-01-press-conference", "2023-06-08-press-conference", "2024-01-10-press-conference"]
    assert {m.briefing for m in ledger.mentions if m.source == "b2_summer"} == {"2023-06-08-press-conference"}
    assert all(h.briefing != "2023-06-01-press-conference" for c in ledger for h in c.history)


def _singletons(mentions, *, must_link=(), cannot_link=()):
    return [[m] for m in sorted(mentions, key=lambda m: m.sort_key())]


def test_existing_assignments_stay_unless_rematch() -> None:
    """A re-run keeps what the ledger holds; --rematch lets an upgraded matcher regroup, ids kept as aliases."""
    old = Ledger()
    old.ingest(documents(), **{**KW, "cluster": _singletons})
    ids_before = [c.id for c in old]
    kept = Ledger.loads(old.dumps())
    kept.ingest(documents(), **KW)
    assert [c.id for c in kept] == ids_before
    regrouped = Ledger.loads(old.dumps())
    regrouped.ingest(documents(), **KW, rematch=True)
    factory = regrouped["factory-2023-01"]
    assert len(factory.mentions) == 3 and factory.aliases == ("factory-2023-02", "factory-2024-01")
    assert regrouped["factory-2024-01"] is factory


def test_extractor_crash_is_a_clear_error_and_changes_nothing(ledger: Ledger) -> None:
    """An exception inside extraction becomes a LedgerError naming the document; the ledger is untouched."""
    from policy_tracker.errors import LedgerError

    def broken(doc):
        raise ZeroDivisionError("boom")

    before = ledger.dumps()
    with pytest.raises(LedgerError, match=r"b1_spring: extraction failed \(ZeroDivisionError: boom\)"):
        ledger.ingest(documents("b1_spring"), **{**KW, "extract": broken})
    assert ledger.dumps() == before


def test_ingest_without_evidence_extractor_keeps_evidence(ledger: Ledger) -> None:
    """Re-ingesting with extract_evidence=None leaves the recorded evidence alone."""
    before = ledger.evidence
    ledger.ingest(documents(), **{**KW, "extract_evidence": None})
    assert ledger.evidence == before


def test_failed_ingest_leaves_the_ledger_unchanged(ledger: Ledger) -> None:
    """A matcher that fails mid-ingest leaves briefings, documents, evidence and commitments as they were."""
    import datetime as dt

    from .ledger_fixtures import document

    def failing(*args, **kwargs):
        raise RuntimeError("matcher down")

    before = ledger.dumps()
    with pytest.raises(RuntimeError):
        ledger.ingest([document("b9_new", dt.date(2024, 5, 1), "将推进庚类工厂建设。已完成辛类评估。")], **{**KW, "cluster": failing})
    assert ledger.dumps() == before


def test_duplicate_document_ids_are_refused(ledger: Ledger) -> None:
    """Two documents with one id in a batch is an error, not a silent double count."""
    from policy_tracker.errors import LedgerError

    with pytest.raises(LedgerError, match="'b1_spring' given twice"):
        ledger.ingest(documents("b1_spring", "b1_spring"), **KW)


def test_gc_paused_restores_the_collector_state() -> None:
    """Bulk operations pause the cyclic GC and give it back as they found it, also after an error."""
    import gc

    from policy_tracker.ledger.ledger import gc_paused

    was = gc.isenabled()
    try:
        gc.enable()
        with gc_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        with pytest.raises(ValueError), gc_paused():
            raise ValueError("boom")
        assert gc.isenabled()
        gc.disable()
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
