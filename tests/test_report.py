"""Tests for policy_tracker.reports.report: briefing diffs, timelines and the overview."""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
import pytest

from policy_tracker.reports import report
from policy_tracker.errors import LookupFailed
from tests.report_samples import B_FY, B_H1, B_INT, B_Q1, FACTORIES, FLEET, IIOT, sample_ledger, stage_rank

LEDGER = sample_ledger()


def _diff(a: str, b: str) -> report.BriefingDiff:
    return report.diff_briefings(LEDGER, a, b, stage_rank=stage_rank)


def _where(d: report.BriefingDiff, commitment: str) -> report.DiffEntry:
    found = [e for _, _, entries in d.sections() for e in entries if e.commitment == commitment]
    assert len(found) == 1, f"{commitment} appears {len(found)} times"
    return found[0]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("2023-04-20", B_Q1),
        ("2023-11-04-interview", B_INT),
        ("002_7070a237dd8e7fa7", B_FY),
        ("/some/folder/003_fbae4528c08ed477.txt", B_H1),
    ],
)
def test_resolve_briefing_by_date_id_or_document(ref: str, expected: object) -> None:
    """A briefing is found by date held, by id, by document id and by document path."""
    assert report.resolve_briefing(LEDGER, ref) == expected


@pytest.mark.parametrize("ref", ["2022-01-01", "no-such-briefing", "2023-13-45"])
def test_resolve_unknown_briefing_names_the_known_ones(ref: str) -> None:
    """An unknown reference raises LookupFailed listing the ledger's briefings."""
    with pytest.raises(LookupFailed, match="known briefings: 2023-04-20-press-conference"):
        report.resolve_briefing(LEDGER, ref)


@pytest.mark.parametrize(
    ("a", "b", "commitment", "section", "changes"),
    [
        # done-when: 启动…城市试点 → 开展好…试点
        ("2023-04-20", "2024-01-19", "public-fleet-electrification", "advanced", ("reworded", "stage_advanced")),
        # done-when: 研究制定 → 出台
        ("2023-04-20", "2024-01-19", "industrial-internet-guidance", "advanced", ("reworded", "stage_advanced")),
        # done-when: 不少于3000家 dropped in the restatement
        ("2023-07-19", "2023-11-04", "5g-factories", "changed", ("reworded", "target_dropped")),
        ("2023-04-20", "2024-01-19", "6g-research", "new", ("new",)),
        ("2023-04-20", "2024-01-19", "bulk-consumption", "unchanged", ("unchanged",)),
        ("2023-04-20", "2024-01-19", "dual-credit", "not_restated", ("not_restated",)),
        ("2023-04-20", "2023-10-20", "public-fleet-electrification", "reworded", ("reworded",)),
        ("2023-07-19", "2024-01-19", "bulk-consumption", "new", ("resumed",)),
    ],
)
def test_diff_sorts_each_commitment_into_its_section(a: str, b: str, commitment: str, section: str, changes: tuple[str, ...]) -> None:
    """Each commitment lands in exactly one section, with the change types evolution reports."""
    e = _where(_diff(a, b), commitment)
    assert (e.section, e.changes) == (section, changes)


def test_diff_entry_carries_both_statements_and_the_wording_change() -> None:
    """A restated entry keeps both quotes, speakers, dates and a character diff of the wording."""
    e = _where(_diff("2023-04-20", "2024-01-19"), "public-fleet-electrification")
    assert e.before is not None and e.after is not None
    assert (e.before.quote, e.after.quote) == (FLEET.mentions[0].quote, FLEET.mentions[2].quote)
    assert (e.before.date, e.after.date) == (B_Q1.held, B_FY.held)
    assert e.before.speaker == e.after.speaker == "陶青"
    assert ("-", "启动") in e.diff and ("+", "开展好") in e.diff and ("-", "城市") in e.diff
    assert "".join(t for op, t in e.diff if op != "+") == e.before.text
    assert "".join(t for op, t in e.diff if op != "-") == e.after.text


def test_diff_target_drop_keeps_the_dropped_target_visible() -> None:
    """The 5G-factory entry shows the target in A and none in B."""
    e = _where(_diff("2023-07-19", "2023-11-04"), "5g-factories")
    assert e.before is not None and e.after is not None
    assert [t.raw for t in e.before.targets] == ["不少于3000家"] and e.after.targets == ()


def test_diff_without_stage_ladder_still_shows_rewording() -> None:
    """With no known stages the public-fleet pilot is still listed, as reworded, with its diff."""
    plain = sample_ledger([attrs.evolve(FLEET, mentions=[attrs.evolve(m, stage=None) for m in FLEET.mentions])])
    d = report.diff_briefings(plain, "2023-04-20", "2024-01-19", stage_rank=stage_rank)
    assert [e.commitment for e in d.reworded] == ["public-fleet-electrification"]


def test_diff_uses_first_mention_of_a_briefing() -> None:
    """When a briefing states a pledge twice (lede and body), the first statement is compared."""
    lede = attrs.evolve(IIOT.mentions[0], start=1, end=19)
    ledger = sample_ledger([attrs.evolve(IIOT, mentions=(*IIOT.mentions, lede))])
    e = _where(report.diff_briefings(ledger, "2023-04-20", "2024-01-19", stage_rank=stage_rank), IIOT.id)
    assert e.before == lede


def test_diff_is_deterministic_whatever_the_commitment_order() -> None:
    """Reversing the ledger's commitments gives the same diff."""
    backwards = sample_ledger(tuple(reversed(LEDGER.commitments)))
    assert report.diff_briefings(backwards, "2023-04-20", "2024-01-19", stage_rank=stage_rank) == _diff("2023-04-20", "2024-01-19")


@pytest.mark.parametrize(
    ("changes", "section"),
    [
        (("unchanged",), "unchanged"),
        (("reworded",), "reworded"),
        (("reworded", "stage_advanced", "target_raised"), "advanced"),
        (("reworded", "deadline_moved"), "changed"),
        (("stage_regressed",), "reworded"),
        (("instrument_renamed",), "reworded"),
    ],
)
def test_section_for_change_types(changes: tuple[str, ...], section: str) -> None:
    """The strongest change type decides the section: stage advance, then targets/deadlines, then wording."""
    assert report.section_for(changes) == section


def test_resolve_unknown_document_says_to_ingest_it() -> None:
    """A document file that is not in the ledger gets the ingest command to run."""
    with pytest.raises(LookupFailed, match=r"add it with `policy-tracker ingest new/005_x.txt`"):
        report.resolve_briefing(LEDGER, "new/005_x.txt")


def test_timeline_lists_restatements_gaps_and_status() -> None:
    """A timeline has one entry per briefing stating the pledge, the briefings that skipped it and a status history."""
    t = report.timeline(LEDGER, "public-fleet-electrification", stage_rank=stage_rank)
    assert [e.changes for e in t.entries] == [("first",), ("reworded",), ("reworded", "stage_advanced")]
    assert [b.id for b in t.missing] == ["2023-07-19-press-conference", "2023-11-04-interview"]
    assert [s.status for s in t.status_history] == ["new", "restated", "advanced"]
    assert t.status == "advanced"


def test_timeline_unknown_id_suggests_close_ids() -> None:
    """An unknown commitment id raises LookupFailed suggesting ids that contain it."""
    with pytest.raises(LookupFailed, match="did you mean 5g-factories"):
        report.timeline(LEDGER, "5G")


@pytest.mark.parametrize(
    ("topic", "speaker", "ids"),
    [
        ("nev", None, ["public-fleet-electrification", "dual-credit"]),
        (None, "金壮龙", ["5g-factories"]),
        ("5g", "陶青", []),
    ],
)
def test_timelines_filter_by_topic_and_speaker(topic: str | None, speaker: str | None, ids: list[str]) -> None:
    """--topic and --speaker keep only matching commitments, in order of first appearance."""
    ts = report.timelines(LEDGER, topic=topic, speaker=speaker, stage_rank=stage_rank)
    assert [t.commitment.id for t in ts] == ids


def test_timelines_min_briefings_keeps_restated_pledges() -> None:
    """--min-briefings 2 keeps only commitments stated in at least two briefings."""
    everything = report.timelines(LEDGER, stage_rank=stage_rank)
    restated = report.timelines(LEDGER, min_briefings=2, stage_rank=stage_rank)
    expected = [t.commitment.id for t in everything if len({m.briefing for m in t.commitment.mentions}) >= 2]
    assert [t.commitment.id for t in restated] == expected
    assert 0 < len(restated) < len(everything)


def test_overview_counts_and_groups() -> None:
    """The overview counts per briefing and groups pledges by the ledger's status."""
    o = report.overview(LEDGER, stage_rank=stage_rank)
    assert [(bc.mentions, bc.commitments, bc.new) for bc in o.briefings] == [(4, 4, 4), (2, 2, 2), (1, 1, 0), (1, 1, 0), (4, 4, 0)]
    assert dict(o.speakers) == {"赵志国": 3, "陶青": 3, "金壮龙": 1}
    assert [t.id for t in o.advanced] == ["public-fleet-electrification", "industrial-internet-guidance"]
    assert [t.id for t in o.dormant] == ["dual-credit", "5g-factories"]


def test_overview_grid_marks_first_statement_changes_and_gaps() -> None:
    """Grid cells: first seen, change class for restatements, gap after first seen, empty before."""
    grid = dict((t.id, cells) for t, cells in report.overview(LEDGER, stage_rank=stage_rank).grid())
    assert grid[FLEET.id] == ("new", "gap", "reworded", "gap", "advanced")
    assert grid[FACTORIES.id] == (None, "new", "gap", "changed", "gap")


_TEXT = st.text(alphabet="启动开展好城市试点研究制定出台工业互联网", min_size=1, max_size=12)


@st.composite
def _ledgers(draw: st.DrawFn) -> object:
    from policy_tracker.models import Commitment, Mention

    commitments = []
    for i in range(draw(st.integers(0, 6))):
        chosen = draw(st.lists(st.sampled_from(LEDGER.briefings), min_size=1, max_size=5, unique_by=lambda b: b.id))
        mentions = []
        for j, b in enumerate(chosen):
            text = draw(_TEXT)
            mentions.append(Mention(b.documents[0], 100 * i + 10 * j, 100 * i + 10 * j + len(text), text, text=text, date=b.held, briefing=b.id))
        commitments.append(Commitment(f"c{i}", f"c{i}", mentions))
    return sample_ledger(commitments)


@settings(max_examples=60, deadline=None)
@given(ledger=_ledgers(), a=st.sampled_from(LEDGER.briefings), b=st.sampled_from(LEDGER.briefings))
def test_diff_partitions_the_commitments_of_a_and_b(ledger: object, a: object, b: object) -> None:
    """Every commitment stated in A or B is in exactly one section, and each diff rebuilds both texts."""
    d = report.diff_briefings(ledger, a, b)  # type: ignore[arg-type]
    listed = [e.commitment for _, _, entries in d.sections() for e in entries]
    stated = [c.id for c in ledger.commitments if any(m.briefing in (a.id, b.id) for m in c.mentions)]  # type: ignore[attr-defined]
    assert sorted(listed) == sorted(stated)
    for _, _, entries in d.sections():
        for e in entries:
            if e.before and e.after:
                assert "".join(t for op, t in e.diff if op != "+") == e.before.text
                assert "".join(t for op, t in e.diff if op != "-") == e.after.text


def test_timeline_suggests_unlinked_evidence_only() -> None:
    """`timeline` lists the ledger's evidence suggestions, minus those an analyst already linked."""
    from tests.report_samples import EVIDENCE, SampleLedger

    other = attrs.evolve(EVIDENCE[0], start=6000, end=6010, quote="已建成5G工厂")

    @attrs.frozen
    class Suggesting(SampleLedger):
        def suggest_evidence(self, cid: str, limit: int = 5) -> list[tuple[object, float]]:
            return [(EVIDENCE[0], 80.0), (other, 40.0)][:limit]

    from policy_tracker.ledger.records import TrackedCommitment

    linked = TrackedCommitment(FACTORIES.id, FACTORIES.title, FACTORIES.mentions, evidence=(EVIDENCE[0].id,))
    ledger = Suggesting((linked,), LEDGER.briefings, (EVIDENCE[0], other))
    t = report.timeline(ledger, FACTORIES.id, stage_rank=stage_rank)
    assert t.evidence == (EVIDENCE[0],)
    assert t.suggested == ((other, 40.0),)
    assert report.timeline(ledger, FACTORIES.id, suggest=0).suggested == ()
