"""Curation: decisions and analyst edits survive every later ingest."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
import yaml

from policy_tracker.errors import LedgerError, LookupFailed
from policy_tracker.ledger import Ledger

from . import ledger_fixtures as fx
from .ledger_fixtures import KW, documents


def fresh(*ids: str) -> Ledger:
    led = Ledger()
    led.ingest(documents(*ids), **KW)
    return led


def reingest(led: Ledger, *extra: str) -> Ledger:
    """Round-trip through YAML, then ingest everything again plus ``extra`` documents."""
    again = Ledger.loads(led.dumps())
    again.ingest(documents("b1_spring", "b2_summer", "b3_winter", *extra), **KW)
    return again


def test_merge_survives_reingest_and_alias_resolves() -> None:
    """Merged commitments stay merged; the merged id still finds the commitment."""
    led = fresh()
    led.merge("standards-2023-01", "pledge-2024-01", reason="same standardisation drive")
    assert "pledge-2024-01" not in [c.id for c in led]
    after = reingest(led, "b4_extra")
    c = after["standards-2023-01"]
    assert after["pledge-2024-01"] is c
    assert c.aliases == ("pledge-2024-01",)
    assert {m.source for m in c.mentions} == {"b1_spring", "b2_summer", "b3_winter"}
    assert after.decisions[0].action == "merge" and after.decisions[0].reason == "same standardisation drive"


def test_split_survives_reingest() -> None:
    """A mention split off stays in its own commitment, with the id given at the split."""
    led = fresh()
    moved = led["factory-2023-01"].mentions[2]
    new = led.split("factory-2023-01", [moved.id])
    assert new.id == "factory-2024-01" and [m.id for m in new.mentions] == [moved.id]
    after = reingest(led, "b4_extra")
    assert [m.id for m in after[new.id].mentions] == [moved.id]
    assert moved.id not in {m.id for m in after["factory-2023-01"].mentions}


@pytest.mark.parametrize("target", ["mention", "commitment"])
def test_reject_survives_reingest(target: str) -> None:
    """A rejected mention or commitment never comes back, and its id is never reused."""
    led = fresh()
    pilot = led["pilot-2023-01"]
    led.reject(pilot.mentions[0].id if target == "mention" else pilot.id, reason="not a pledge")
    assert "pilot-2023-01" not in led
    after = reingest(led, "b4_extra")
    assert "pilot-2023-01" not in after
    assert pilot.mentions[0].id not in {m.id for m in after.mentions}
    assert after.decisions[0].mentions == (pilot.mentions[0].id,)


def test_pin_survives_reingest() -> None:
    """A pinned mention stays with the commitment it was pinned to."""
    led = fresh()
    stray = led["pledge-2024-01"].mentions[0]
    led.pin(stray.id, "platform-2023-01")
    after = reingest(led, "b4_extra")
    assert stray.id in {m.id for m in after["platform-2023-01"].mentions}
    assert "pledge-2024-01" in after and after["pledge-2024-01"].id == "platform-2023-01"


def test_set_fields_survive_reingest() -> None:
    """Analyst title, status verdict (with evidence), notes and tags are never overwritten."""
    led = fresh()
    evidence = led.evidence[0].id
    led.set("pilot-2023-01", title="丙类试点", status="fulfilled", notes="评估已完成", tags=["watch"], evidence=[evidence], date=dt.date(2024, 2, 1))
    after = reingest(led, "b4_extra")
    c = after["pilot-2023-01"]
    assert (c.title, c.status, c.notes, c.tags) == ("丙类试点", "fulfilled", "评估已完成", ("watch",))
    assert c.curated == ("notes", "status", "tags", "title")
    assert c.verdict is not None and c.verdict.evidence == (evidence,) and c.verdict.date == dt.date(2024, 2, 1)
    assert [h.by for h in c.history] == ["machine", "machine", "analyst"]


def test_set_status_auto_returns_to_derived() -> None:
    """status=auto drops the verdict and lets the machine derive the status again."""
    led = fresh()
    led.set("pilot-2023-01", status="broken")
    c = led.set("pilot-2023-01", status="auto")
    assert c.status == "dormant" and "status" not in c.curated and c.verdict is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda led: led.set("pilot-2023-01", status="done"), "expected one of new, restated"),
        (lambda led: led.merge("pilot-2023-01", "pilot-2023-01"), "two different commitments"),
        (lambda led: led.merge("pilot-2023-01", "nope"), "nope"),
        (lambda led: led.split("pilot-2023-01", [led["pilot-2023-01"].mentions[0].id]), "left without mentions"),
        (lambda led: led.reject("pilot-2023-01", reason=""), "--reason"),
        (lambda led: led.pin("b1_spring@999-1000", "pilot-2023-01"), "no mention"),
        (lambda led: led.set("pilot-2023-01", evidence=["x@1-2"]), "no evidence"),
    ],
)
def test_bad_curation_is_refused_with_a_clear_error(call, message: str) -> None:
    """Curation mistakes raise LedgerError/LookupFailed saying what is wrong."""
    led = fresh()
    with pytest.raises((LedgerError, LookupFailed), match=message):
        call(led)


def test_hand_edited_yaml_survives_reingest_of_all_plus_new_document() -> None:
    """Edits and decisions written by hand in the YAML survive re-ingesting everything plus a new briefing."""
    led = fresh()
    data = yaml.safe_load(led.dumps())
    by_id = {c["id"]: c for c in data["commitments"]}
    by_id["factory-2023-01"]["title"] = "甲类工厂（分析员标题）"
    by_id["factory-2023-01"]["notes"] = "跟踪：每季度复核"
    by_id["standards-2023-01"]["status"] = "partially_fulfilled"
    by_id["platform-2023-01"]["tags"] = ["priority"]
    factory_last = by_id["factory-2023-01"]["mentions"][2]
    split_off = f"{factory_last['source']}@{factory_last['start']}-{factory_last['end']}"
    pilot = by_id["pilot-2023-01"]["mentions"][0]
    data["decisions"] = [
        {"action": "merge", "ids": ["platform-2023-01", "pledge-2024-01"]},
        {"action": "split", "commitment": "factory-2023-01", "mentions": [split_off], "into": "factory-2024-09"},
        {"action": "reject", "mentions": [f"{pilot['source']}@{pilot['start']}-{pilot['end']}"], "reason": "not a pledge"},
    ]
    edited = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    after = reingest(Ledger.loads(edited), "b4_extra")
    again = reingest(Ledger.loads(after.dumps()), "b4_extra")
    assert again.dumps() == after.dumps()
    factory = after["factory-2023-01"]
    assert (factory.title, factory.notes) == ("甲类工厂（分析员标题）", "跟踪：每季度复核")
    assert split_off not in {m.id for m in factory.mentions}
    assert [m.id for m in after["factory-2024-09"].mentions] == [split_off]
    assert {m.source for m in factory.mentions} == {"b1_spring", "b2_summer", "b4_extra"}
    assert after["standards-2023-01"].status == "partially_fulfilled"
    assert after["platform-2023-01"].tags == ("priority",)
    assert after["pledge-2024-01"].id == "platform-2023-01"
    assert "pilot-2023-01" not in after
    assert [d.action for d in after.decisions] == ["merge", "split", "reject"]
    assert after.decisions[0].into == "platform-2023-01"


def test_hand_title_edit_is_detected_as_curated() -> None:
    """A title changed in the YAML is marked curated on load."""
    text = fresh().dumps().replace("title: 推进甲类工厂建设", "title: 新标题", 1)
    led = Ledger.loads(text)
    assert "title" in led["factory-2023-01"].curated


def test_decision_that_finds_nothing_is_reported_not_fatal() -> None:
    """A hand-written decision naming an unknown commitment or mention is kept and reported as a warning."""
    text = fresh().dumps().replace(
        "decisions: []",
        "decisions:\n- action: merge\n  into: factory-2023-01\n  ids: [factroy-2023-02]\n- action: pin\n  mentions: [b1_spring@900-910]\n  into: factory-2023-01",
    )
    led = Ledger.loads(text)
    summary = led.ingest(documents(), **KW)
    assert summary.warnings == (
        "decisions[0] (merge): commitment factroy-2023-02 is not in the ledger; check the id",
        "decisions[1] (pin): mention b1_spring@900-910 is in no ingested document; the decision is kept but has no effect",
    )
    assert len(led.decisions) == 2


def test_evidence_links_follow_a_recut_statement() -> None:
    """When re-extraction cuts an evidence statement differently, links move to the new cut."""
    led = fresh()
    old = led.evidence[0]
    led.set("pilot-2023-01", status="fulfilled", evidence=[old.id])

    def shorter(doc):
        return [attrs.evolve(e, end=e.end - 2, quote=e.quote[:-2]) for e in fx.extract_evidence(doc)]

    led.ingest(documents(), **{**KW, "extract_evidence": shorter})
    new_id = led.evidence[0].id
    assert new_id != old.id
    c = led["pilot-2023-01"]
    assert c.evidence == (new_id,) and c.verdict.evidence == (new_id,)
    assert led.problems() == []


def test_problems_lists_dangling_links() -> None:
    """A hand-typed evidence id that does not exist is reported by problems()."""
    text = fresh().dumps().replace("  title: 推进甲类工厂建设\n", "  title: 推进甲类工厂建设\n  evidence: [b9@1-2]\n", 1)
    assert Ledger.loads(text).problems() == ["factory-2023-01: evidence b9@1-2 is not in the evidence list; re-link it with `set factory-2023-01 --evidence …`"]


def test_hand_written_split_without_into_records_the_new_id() -> None:
    """A split written by hand with only its mentions gets a new id, recorded in the decision and kept."""
    led = fresh()
    moved = led["factory-2023-01"].mentions[2].id
    text = led.dumps().replace("decisions: []", f"decisions:\n- action: split\n  mentions: [{moved}]")
    after = reingest(Ledger.loads(text))
    assert after.decisions[0].into == "factory-2024-01"
    assert [m.id for m in after["factory-2024-01"].mentions] == [moved]
    assert reingest(after, "b4_extra")["factory-2024-01"].mentions[0].id == moved


def test_merge_then_split_back_does_not_confuse_the_matcher() -> None:
    """Merging two commitments and later splitting one mention back out replays cleanly, in order."""
    from policy_tracker.matching import cluster as match

    led = Ledger()
    led.ingest(documents(), **{**KW, "cluster": match.cluster})
    a, b = led.commitments[0], led.commitments[1]
    led.merge(a.id, b.id)
    led.split(a.id, [b.mentions[0].id])
    again = Ledger.loads(led.dumps())
    summary = again.ingest(documents(), **{**KW, "cluster": match.cluster})
    assert summary.warnings == ()
    assert again.dumps() == led.dumps()


# ---------------------------------------------------------------- property: decisions replay to the same state

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_OPS = st.lists(st.tuples(st.sampled_from(["merge", "split", "reject", "pin"]), st.integers(0, 99), st.integers(0, 99)), min_size=1, max_size=5)


def _apply(led: Ledger, op: str, i: int, j: int) -> None:
    cs = led.commitments
    a, b = cs[i % len(cs)], cs[j % len(cs)]
    if op == "merge" and a.id != b.id:
        led.merge(a.id, b.id)
    elif op == "split" and len(a.mentions) > 1:
        led.split(a.id, [a.mentions[j % len(a.mentions)].id])
    elif op == "reject" and len(cs) > 2:
        target = a.id if j % 2 else a.mentions[0].id
        led.reject(target, reason="not a pledge")
    elif op == "pin" and a.id != b.id:
        led.pin(b.mentions[-1].id, a.id)


def _real_cluster(*args, **kwargs):
    from policy_tracker.matching import cluster as match

    return match.cluster(*args, **kwargs)


@settings(max_examples=25, deadline=None)
@given(ops=_OPS, real=st.booleans(), extra=st.booleans())
def test_any_curation_sequence_replays_to_the_same_ledger(ops, real: bool, extra: bool) -> None:
    """After any merges, splits, rejects and pins, re-ingesting reproduces the ledger exactly; a new briefing keeps every decision."""
    kw = {**KW, "cluster": _real_cluster} if real else KW
    led = Ledger()
    led.ingest(documents(), **kw)
    for op in ops:
        _apply(led, *op)
    before = led.dumps()
    again = Ledger.loads(before)
    again.ingest(documents(), **kw)
    assert again.dumps() == before
    if extra:
        again.ingest(documents("b4_extra"), **kw)
        assert {c.id for c in led} <= {c.id for c in again}
        for n, d in enumerate(again.decisions):
            later = {x for e in again.decisions[n + 1 :] for x in e.mentions}
            if d.action == "merge":
                assert all(again.get(i) is again.get(d.into) for i in d.ids)
            elif d.action == "reject":
                assert not set(d.mentions) & {m.id for m in again.mentions}
            elif d.action == "pin" and d.mentions[0] not in later:
                assert again.commitment_of(d.mentions[0]) is again[d.into]


def test_merge_combines_analyst_fields_by_their_metadata() -> None:
    """A merge keeps the survivor's curated title/status, else the first merged one's; notes add a line; tags are united."""
    from policy_tracker.ledger.curation import inherit_fields
    from policy_tracker.ledger.records import MERGE_POLICY, TrackedCommitment

    assert dict(MERGE_POLICY) == {"title": "first", "status": "first", "notes": "lines", "tags": "union"}
    own = TrackedCommitment(id="a", title="甲", notes="一", tags=("x",), curated=("notes", "tags"))
    losers = [
        TrackedCommitment(id="b", title="乙", status="fulfilled", notes="二", tags=("y", "x"), curated=("title", "status", "notes", "tags")),
        TrackedCommitment(id="c", title="丙", status="broken", notes="一", tags=("z",), curated=("title", "status")),
    ]
    got = inherit_fields(own, losers, "a")
    assert (got.title, got.status, got.notes, got.tags) == ("乙", "fulfilled", "一\n二", ("x", "y", "z"))
    assert got.curated == ("notes", "status", "tags", "title")


def _winter_rewritten() -> list:
    """b3_winter read again with other text: its 戊类计划 pledge is gone, the other two stay where they were."""
    return [fx.document("b3_winter", dt.date(2024, 1, 10), "将深化甲类工厂建设。将出台乙类标准。")]


def test_reread_document_that_drops_an_annotated_commitment_is_refused() -> None:
    """A document read again without a commitment's only pledge never takes the analyst's notes with it: error, ledger unchanged."""
    led = fresh()
    gone = next(c for c in led if all(m.source == "b3_winter" for m in c.mentions) and "戊类" in c.mentions[0].quote)
    led.set(gone.id, notes="跟踪戊类计划")
    text = led.dumps()
    with pytest.raises(LedgerError, match=rf"commitment {gone.id}.*its notes; nothing was written.*policy-tracker reject {gone.id}"):
        led.ingest(_winter_rewritten(), **KW)
    assert led.dumps() == text
    led.reject(gone.id, reason="撤回")
    led.ingest(_winter_rewritten(), **KW)  # recorded as a decision: the ingest goes ahead
    assert gone.id not in led and led.rejection(gone.id) is not None


def test_reread_document_that_drops_a_plain_commitment_warns() -> None:
    """A commitment without analyst work that loses every mention to a re-read document is named in a warning."""
    led = fresh()
    gone = next(c for c in led if all(m.source == "b3_winter" for m in c.mentions) and "戊类" in c.mentions[0].quote)
    summary = led.ingest(_winter_rewritten(), **KW)
    assert gone.id not in led
    assert [w for w in summary.warnings if gone.id in w] == [
        f"commitment {gone.id} is gone: document b3_winter was read again with other text, which no longer holds any of its pledges"
    ]


def test_reread_document_in_a_ledger_folder_keeps_the_notes(tmp_path) -> None:
    """The same refusal in a ledger folder: the commitment's file, with its notes, is still there."""
    led = fresh()
    led.save(tmp_path / "led/")
    gone = next(c for c in led if "戊类" in c.mentions[0].quote)
    edit = Ledger.load(tmp_path / "led", only=[gone.id])
    edit.set(gone.id, notes="跟踪")
    edit.save()
    again = Ledger.load(tmp_path / "led")
    with pytest.raises(LedgerError, match=f"commitment {gone.id}"):
        again.ingest(_winter_rewritten(), **KW)
    assert Ledger.load(tmp_path / "led")[gone.id].notes == "跟踪"
