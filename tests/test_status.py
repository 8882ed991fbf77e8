"""Status lifecycle: derived states from statements and briefings, verdicts, meters, formalisation."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from policy_tracker.ledger import status
from policy_tracker.models import Briefing, Evidence, Mention
from policy_tracker.ledger.records import StatusChange, TrackedCommitment

# Six quarterly press conferences and one interview between the 2nd and 3rd.
BRIEFINGS = [
    Briefing(id=f"p{i}", held=dt.date(2023, 1, 1) + dt.timedelta(days=91 * i), kind="press_conference") for i in range(6)
] + [Briefing(id="iv", held=dt.date(2023, 5, 1), kind="interview")]
HELD = {b.id: b.held for b in BRIEFINGS}


def commitment(*statements: tuple[str, str]) -> TrackedCommitment:
    """A commitment stated in the given (briefing, stage) pairs."""
    mentions = [
        Mention(source=f"doc-{bid}", start=0, end=4, quote="推进工作", text="推进工作", date=HELD[bid], briefing=bid, stage=stage)
        for bid, stage in statements
    ]
    return TrackedCommitment(id="x-2023-01", title="推进工作", mentions=mentions)


def rank(stage: str | None) -> int | None:
    return {"研究": 0, "出台": 2, "实施": 4}.get(stage or "")


@pytest.fixture(autouse=True)
def _ladder(monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_tracker.ledger import evolution

    monkeypatch.setattr(evolution, "_default_stage_rank", lambda: rank)


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        ([("p0", "实施")], [("new", "p0"), ("dormant", "p2")]),
        ([("p5", "实施")], [("new", "p5")]),
        ([("p0", "实施"), ("p1", "实施")], [("new", "p0"), ("restated", "p1"), ("dormant", "p3")]),
        ([("p0", "实施"), ("p1", "实施"), ("p2", "实施")], [("new", "p0"), ("restated", "p1"), ("stalled", "p2"), ("dormant", "p4")]),
        ([("p0", "研究"), ("p1", "出台"), ("p2", "实施"), ("p3", "实施"), ("p4", "实施"), ("p5", "实施")], [("new", "p0"), ("advanced", "p1"), ("restated", "p3"), ("stalled", "p4")]),
        ([("p0", "实施"), ("p2", "实施"), ("p3", "实施")], [("new", "p0"), ("restated", "p2"), ("dormant", "p5")]),
        ([("p0", "实施"), ("p3", "实施"), ("p4", "实施"), ("p5", "实施")], [("new", "p0"), ("dormant", "p2"), ("restated", "p3"), ("stalled", "p5")]),
        ([("iv", "实施")], [("new", "iv")]),
        ([("p0", "实施"), ("iv", "实施"), ("p2", "实施")], [("new", "p0"), ("restated", "iv"), ("dormant", "p4")]),
    ],
    ids=["once", "latest only", "twice", "stalled", "advancing", "gap", "back after dormant", "other series", "interview between"],
)
def test_derived_history(statements, expected) -> None:
    """new → restated/advanced → stalled after 3 same-stage statements → dormant after 2 missed briefings of the series; one entry per change."""
    c = status.apply(commitment(*statements), status.chronological(BRIEFINGS))
    assert [(h.status, h.briefing) for h in c.history] == expected
    assert c.status == expected[-1][0]


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        # press conferences p0 and p1 state it, p2 goes by without it, the interview after p2 restates it
        (["p0", "p1", "late"], [("new", "p0"), ("restated", "p1")]),
        # three briefings in a row, two series, none skipped
        (["p0", "p1", "iv"], [("new", "p0"), ("restated", "p1"), ("stalled", "iv")]),
    ],
    ids=["skipped conference breaks the run", "unbroken across series"],
)
def test_stalled_counts_briefings_in_a_row(statements: list[str], expected: list[tuple[str, str]]) -> None:
    """A same-stage run is broken by a skipped briefing of any series the pledge was stated in, not only the current one's."""
    briefings = [*BRIEFINGS[:3], Briefing(id="late", held=dt.date(2023, 8, 1), kind="interview")]
    if "iv" in statements:
        briefings = [*BRIEFINGS[:2], BRIEFINGS[-1]]
    held = {b.id: b.held for b in briefings}
    mentions = [
        Mention(source=f"doc-{bid}", start=0, end=4, quote="推进工作", text="推进工作", date=held[bid], briefing=bid, stage="实施")
        for bid in statements
    ]
    c = status.apply(TrackedCommitment(id="x-2023-01", title="推进工作", mentions=mentions), status.chronological(briefings))
    assert [(h.status, h.briefing) for h in c.history] == expected


def test_verdict_is_kept_and_ordered_after_machine_entries_of_its_briefing() -> None:
    """An analyst verdict survives recomputation; status stays the analyst's."""
    c = commitment(("p0", "实施"), ("p1", "实施"))
    verdict = status.verdict("fulfilled", "p1", evidence=["e@1-2"], note="done")
    c = status.apply(c, status.chronological(BRIEFINGS))
    c = attrs.evolve(c, history=(*c.history, verdict), status="fulfilled", curated=("status",))
    again = status.apply(c, status.chronological(BRIEFINGS))
    assert again.status == "fulfilled"
    assert [(h.status, h.by) for h in again.history] == [("new", "machine"), ("restated", "machine"), ("fulfilled", "analyst"), ("dormant", "machine")]


def test_unknown_verdict_is_refused() -> None:
    """Only the documented statuses are accepted."""
    with pytest.raises(ValueError, match="expected one of new, restated"):
        status.verdict("done", None)


@pytest.mark.parametrize(
    ("value", "meter"),
    [("new", "Not Yet Rated"), ("advanced", "In the Works"), ("dormant", "Stalled"), ("fulfilled", "Promise Kept"), ("broken", "Promise Broken"), (None, None)],
)
def test_meter(value, meter) -> None:
    """Statuses map to PolitiFact-style meters from data/status.yaml."""
    assert status.meter(value) == meter


@pytest.mark.parametrize(
    ("instruments", "level"),
    [((), "pledged"), (("《行动计划》",), "policy_document"), (("《中华人民共和国中小企业促进法》",), "law"), (("《条例》", "《方案》"), "law")],
)
def test_formalisation_from_linked_evidence(instruments, level) -> None:
    """Linked evidence naming an issued document or a law moves the commitment up the ladder."""
    e = Evidence(source="d", start=0, end=2, quote="印发", instruments=instruments)
    c = TrackedCommitment(id="x", title="t", evidence=(e.id,))
    assert status.formalisation(c, {e.id: e}) == level


def test_history_entries_are_status_changes() -> None:
    """Machine entries name the briefing and carry no date (the briefing has it)."""
    c = status.apply(commitment(("p0", "实施")), status.chronological(BRIEFINGS))
    assert c.history[0] == StatusChange("new", by="machine", briefing="p0")


def _random_case(seed: int) -> tuple[TrackedCommitment, list[Briefing], list[Briefing]]:
    """A commitment stated in some of ``before``; ``after`` adds briefings of two series at the end."""
    import random

    rng = random.Random(seed)
    kinds = ("press_conference", "interview")
    day = dt.date(2023, 1, 1)
    before = [Briefing(id=f"b{i:02d}", held=day + dt.timedelta(days=10 * i), kind=rng.choice(kinds)) for i in range(rng.randint(1, 12))]
    extra = [Briefing(id=f"c{i:02d}", held=day + dt.timedelta(days=1000 + i), kind=rng.choice(kinds)) for i in range(rng.randint(0, 6))]
    stated = sorted(rng.sample(range(len(before)), rng.randint(1, len(before))))
    mentions = [
        Mention(source=f"doc-{before[i].id}", start=0, end=4, quote="推进工作", text="推进工作", date=before[i].held, briefing=before[i].id, stage=rng.choice(("研究", "出台", "实施")))
        for i in stated
    ]
    return TrackedCommitment(id="x-2023-01", title="推进工作", mentions=mentions), before, before + extra


@pytest.mark.parametrize("seed", range(60))
def test_chronology_derivation_matches_a_walk_and_extend_matches_apply(seed: int) -> None:
    """Appending briefings: extend() gives what apply() over every briefing gives (the ingest shortcut)."""
    c, before, after = _random_case(seed)
    old = status.apply(c, status.Chronology(before))
    assert status.appended(status.Chronology(before), status.Chronology(after))
    full = status.apply(old, status.Chronology(after), reuse_changes=True)
    short = status.extend(old, status.Chronology(before), status.Chronology(after))
    assert short is not None
    assert (short.history, short.status) == (full.history, full.status)


def test_extend_declines_analyst_histories() -> None:
    """A commitment with an analyst verdict is derived in full (None from extend)."""
    c = status.apply(commitment(("p0", "研究")), BRIEFINGS)
    c = attrs.evolve(c, history=(*c.history, status.verdict("fulfilled", "p0")), status="fulfilled", curated={"status"})
    chron = status.Chronology(BRIEFINGS)
    assert status.extend(c, chron, chron) is None


UNDATED = [Briefing(id="undated-a", held=None, kind="press_conference"), Briefing(id="undated-b", held=None, kind="interview")]


def _with_undated(*statements: tuple[str, str]) -> TrackedCommitment:
    mentions = [
        Mention(source=f"doc-{bid}", start=0, end=4, quote="推进工作", text="推进工作", date=HELD.get(bid), briefing=bid, stage=stage)
        for bid, stage in statements
    ]
    return TrackedCommitment(id="x-2023-01", title="推进工作", mentions=mentions)


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        # an undated restatement neither restates nor revives a dated pledge: when it was made is unknown
        ([("p0", "实施"), ("undated-a", "实施")], [("new", "p0"), ("dormant", "p2")]),
        ([("p5", "实施"), ("undated-b", "实施")], [("new", "p5")]),
        # stated only in undated briefings: new, once, never dormant
        ([("undated-a", "实施"), ("undated-b", "实施")], [("new", "undated-a")]),
        ([("undated-b", "研究")], [("new", "undated-b")]),
    ],
    ids=["dated then undated", "latest then undated", "undated only", "one undated interview"],
)
def test_undated_statements_do_not_move_a_history(statements, expected) -> None:
    """Statements in undated briefings never advance, stall or revive a pledge; alone they make it new (issue 17.4)."""
    c = status.apply(_with_undated(*statements), status.Chronology([*BRIEFINGS, *UNDATED]))
    assert [(h.status, h.briefing) for h in c.history] == expected


def test_latest_briefing_is_never_an_undated_one() -> None:
    """latest() is the last dated briefing, though undated ones sort after it; None when no briefing is dated."""
    assert status.latest([*BRIEFINGS, *UNDATED]).id == "p5"  # type: ignore[union-attr]
    assert status.latest(UNDATED) is None


@pytest.mark.parametrize("seed", range(40))
def test_extend_matches_apply_with_undated_briefings(seed: int) -> None:
    """With undated briefings at the end of both lists, extend() still gives what apply() gives (or declines)."""
    c, before, after = _random_case(seed)
    undated = [Briefing(id=f"undated-{i}", held=None, kind=k) for i, k in enumerate(("press_conference", "interview"))]
    extra_mentions = [Mention(source="doc-u", start=0, end=4, quote="推进工作", text="推进工作", briefing="undated-0", stage="实施")]
    c = attrs.evolve(c, mentions=(*c.mentions, *extra_mentions) if seed % 2 else c.mentions)
    before_u, after_u = status.Chronology([*before, *undated]), status.Chronology([*after, *undated])
    old = status.apply(c, before_u)
    full = status.apply(old, after_u, reuse_changes=True)
    short = status.extend(old, before_u, after_u) if status.appended(before_u, after_u) else None
    if short is not None:
        assert (short.history, short.status) == (full.history, full.status)
