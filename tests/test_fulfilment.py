"""Tests for policy_tracker.reports.fulfilment: median days per status and the survival table."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from policy_tracker.ledger.records import StatusChange, TrackedCommitment
from policy_tracker.reports import report
from policy_tracker.reports.fulfilment import ALL_TOPICS, fulfilment
from tests.report_samples import BRIEFINGS, COMMITMENTS, sample_ledger, stage_rank


def _overview(commitments=COMMITMENTS):  # type: ignore[no-untyped-def]
    return report.overview(sample_ledger(commitments), stage_rank=stage_rank)


def test_survival_counts_follow_the_definition() -> None:
    """Of the 6 sample pledges, 5 are restated ≥1 briefing on; at +4 only the 4 first stated in Q1 are observable, 3 restated."""
    f = _overview().fulfilment
    assert f is not None
    all_ = next(v for v in f.survival if v.topic == ALL_TOPICS)
    assert all_.at_risk == (6, 6, 4, 0) and all_.restated == (5, 5, 3, 0)
    assert all_.shares[:3] == pytest.approx((5 / 6, 5 / 6, 0.75)) and all_.shares[3] is None


def test_survival_by_topic() -> None:
    """Per topic: nev has the fleet pilot (restated) and dual-credit (never restated)."""
    f = _overview().fulfilment
    nev = next(v for v in f.survival if v.topic == "nev")  # type: ignore[union-attr]
    assert nev.at_risk[0] == 2 and nev.restated[0] == 1


def test_median_days_to_last_restatement_per_status() -> None:
    """Derived statuses measure first statement → last restatement (dormant: dual-credit 0 days, 5G factories 108)."""
    f = _overview().fulfilment
    by = {s.status: s for s in f.statuses}  # type: ignore[union-attr]
    assert by["dormant"].count == 2 and by["dormant"].median_days == 54.0 and by["dormant"].to == "last restatement"


def test_verdicts_measure_to_the_verdict_date() -> None:
    """A fulfilled verdict dated 2024-04-19 on a pledge first stated 2023-04-20 took 365 days."""
    fleet = COMMITMENTS[0]
    verdict = StatusChange("fulfilled", by="analyst", briefing=BRIEFINGS[-1].id, date=dt.date(2024, 4, 19), note="done")
    tracked = TrackedCommitment(fleet.id, fleet.title, fleet.mentions, status="fulfilled", history=(verdict,))
    o = _overview((tracked, *COMMITMENTS[1:]))
    by = {s.status: s for s in o.fulfilment.statuses}  # type: ignore[union-attr]
    assert by["fulfilled"].count == 1 and by["fulfilled"].median_days == 365.0 and by["fulfilled"].to == "verdict"


def test_verdict_without_date_uses_its_briefing() -> None:
    """A hand-written verdict without a date is measured to the day its briefing was held."""
    fleet = COMMITMENTS[0]
    verdict = StatusChange("broken", by="analyst", briefing=BRIEFINGS[-1].id)
    tracked = TrackedCommitment(fleet.id, fleet.title, fleet.mentions, status="broken", history=(verdict,))
    t = report.build_timeline(sample_ledger((tracked,)), tracked, stage_rank=stage_rank)
    f = fulfilment((t,), BRIEFINGS)
    assert f.statuses[0].median_days == (BRIEFINGS[-1].held - fleet.mentions[0].date).days


def test_empty_ledger_has_an_empty_section() -> None:
    """No commitments: no statuses, no survival rows."""
    f = fulfilment((), BRIEFINGS)
    assert f.statuses == () and f.survival == ()


def test_section_in_markdown_html_and_json() -> None:
    """The report shows the section in md, html (with an inline SVG chart, no script) and json."""
    from policy_tracker.reports import data as render_data
    from policy_tracker.reports import html as render_html
    from policy_tracker.reports import markdown as render_md

    o = _overview()
    assert "## Time to fulfilment" in render_md.overview_markdown(o)
    page = render_html.overview_page(o)
    assert 'id="fulfilment"' in page and "<svg" in page and "<script" not in page
    data = render_data.overview_to_dict(o)["fulfilment"]
    assert data["horizons"] == [1, 2, 4, 8] and data["survival"][0]["topic"] == "all"


def test_topic_names_in_the_chart_and_table_are_escaped() -> None:
    """A hostile topic name shows as text in the survival table."""
    from policy_tracker.reports import html as render_html

    evil = "<script>x</script>"
    fleet = COMMITMENTS[0]
    odd = attrs.evolve(fleet, mentions=[attrs.evolve(m, topics=(evil,)) for m in fleet.mentions])
    page = render_html.overview_page(_overview((odd, *COMMITMENTS[1:])))
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
