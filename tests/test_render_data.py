"""Tests for policy_tracker.reports.data: the JSON schema (golden files) and CSV exports."""

from __future__ import annotations

import csv
import io
import json

import pytest

from policy_tracker.reports import data as render_data
from policy_tracker.reports import report
from tests.report_samples import assert_golden, sample_ledger, stage_rank

LEDGER = sample_ledger()
DIFF = report.diff_briefings(LEDGER, "2023-04-20", "2024-01-19", stage_rank=stage_rank)


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("sample-diff-2023-04-20-2024-01-19.json", lambda: render_data.to_json(render_data.diff_to_dict(DIFF))),
        ("sample-timeline.json", lambda: render_data.to_json(render_data.timelines_to_dict(report.timelines(LEDGER, stage_rank=stage_rank)))),
        ("sample-overview.json", lambda: render_data.to_json(render_data.overview_to_dict(report.overview(LEDGER, stage_rank=stage_rank)))),
    ],
)
def test_json_matches_golden(name: str, render: object) -> None:
    """JSON reports on the sample ledger are byte-identical to tests/golden."""
    assert_golden(name, render())  # type: ignore[operator]


def test_diff_json_schema_keys_are_stable() -> None:
    """The documented diff schema: top-level keys, all six sections, entry and mention keys."""
    data = json.loads(render_data.to_json(render_data.diff_to_dict(DIFF)))
    assert list(data) == ["schema", "a", "b", "counts", "sections"]
    assert data["schema"] == "policy-tracker/diff/1"
    assert list(data["sections"]) == list(report.SECTION_KEYS)
    entry = data["sections"]["advanced"][0]
    assert list(entry) == [
        "commitment", "title", "section", "changes", "first_seen", "last_seen", "a", "b", "diff", "status", "tags", "notes", "verdict",
    ]  # fmt: skip
    assert list(entry["a"]) == [
        "id", "source", "start", "end", "briefing", "date", "speaker", "role", "quote", "text",
        "stage", "strength", "targets", "deadlines", "instruments", "topics",
    ]  # fmt: skip


def test_diff_csv_has_one_row_per_entry_with_marked_diff() -> None:
    """The CSV export parses back with one row per commitment and the word-diff marks."""
    rows = list(csv.DictReader(io.StringIO(render_data.diff_to_csv(DIFF, excel=False))))
    assert len(rows) == sum(len(entries) for _, _, entries in DIFF.sections())
    fleet = next(r for r in rows if r["commitment"] == "public-fleet-electrification")
    assert fleet["section"] == "advanced"
    assert fleet["diff"] == "[-启动-]{+开展好+}公共领域车辆全面电动化[-城市-]试点"
    assert fleet["a_speaker"] == fleet["b_speaker"] == "陶青"


def test_overview_csv_has_a_column_per_briefing() -> None:
    """The overview CSV is the grid: one row per commitment, one cell class per briefing."""
    rows = list(csv.reader(io.StringIO(render_data.overview_to_csv(report.overview(LEDGER, stage_rank=stage_rank), excel=False))))
    assert rows[0][-5:] == [b.id for b in LEDGER.briefings]
    assert rows[1][0] == "public-fleet-electrification" and rows[1][-5:] == ["new", "gap", "reworded", "gap", "advanced"]


@pytest.mark.parametrize(
    ("ops", "text"),
    [
        ((("=", "a"), ("-", "b"), ("+", "c")), "a[-b-]{+c+}"),
        ((), ""),
    ],
)
def test_marked_diff(ops: tuple[tuple[str, str], ...], text: str) -> None:
    """Plain-text diff marks follow git's word-diff convention."""
    assert render_data.marked_diff(ops) == text
