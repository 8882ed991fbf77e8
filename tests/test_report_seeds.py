"""Reports on the seed briefings: golden Markdown and JSON from a ledger ingested from seeds/.

``tests/golden/seeds-ledger.yaml`` is a snapshot of ``policy-tracker ingest
seeds``, so these goldens check the report layer on real data without
churning each time extraction or matching improves.  To refresh after such an
improvement::

    .venv/bin/policy-tracker ingest seeds --ledger tests/golden/seeds-ledger.yaml
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_report_seeds.py

and review the diff of tests/golden/seeds-*.
"""

from __future__ import annotations

import pytest

from policy_tracker.reports import data as render_data
from policy_tracker.reports import markdown as render_md
from policy_tracker.reports import report
from policy_tracker.ledger import Ledger
from tests.report_samples import GOLDEN, assert_golden

LEDGER = Ledger.load(GOLDEN / "seeds-ledger.yaml")


@pytest.mark.parametrize(("a", "b"), [("2023-04-20", "2024-01-19"), ("2023-07-19", "2023-11-04"), ("2023-04-20", "2023-10-20")])
def test_seed_diffs_match_golden(a: str, b: str) -> None:
    """Markdown diffs of the seeds are byte-identical to tests/golden/seeds-diff-*.md."""
    assert_golden(f"seeds-diff-{a}-{b}.md", render_md.diff_markdown(report.diff_briefings(LEDGER, a, b)))


def test_seed_diff_json_matches_golden() -> None:
    """The JSON diff Q1 2023 → full year 2023 is byte-identical to its golden file."""
    d = report.diff_briefings(LEDGER, "2023-04-20", "2024-01-19")
    assert_golden("seeds-diff-2023-04-20-2024-01-19.json", render_data.to_json(render_data.diff_to_dict(d)) + "\n")


def test_seed_overview_matches_golden() -> None:
    """The Markdown overview of the seeds is byte-identical to tests/golden/seeds-overview.md."""
    assert_golden("seeds-overview.md", render_md.overview_markdown(report.overview(LEDGER)))


def _entry(a: str, b: str, quote_part: str) -> report.DiffEntry:
    d = report.diff_briefings(LEDGER, a, b)
    found = [e for _, _, es in d.sections() for e in es if e.before and quote_part in e.before.quote]
    assert found, f"no entry whose A statement contains {quote_part}"
    return found[0]


@pytest.mark.parametrize(
    ("a", "b", "quote_part", "sections", "marks"),
    [
        ("2023-04-20", "2024-01-19", "公共领域车辆全面电动化城市试点", ("advanced", "reworded"), ("[-启动-]{+开展好+}", "[-城市-]")),
        ("2023-04-20", "2024-01-19", "研究制定工业互联网高质量发展指导意见", ("advanced",), ("[-研究制定-]",)),
        ("2023-07-19", "2023-11-04", "不少于3000家企业建设5G工厂", ("changed",), ("[-今年推动不少于3000家企业建设-]",)),
    ],
)
def test_done_when_cases_on_the_seeds(a: str, b: str, quote_part: str, sections: tuple[str, ...], marks: tuple[str, ...]) -> None:
    """The issue's done-when cases, on the seed ledger: right section and the wording change shown."""
    e = _entry(a, b, quote_part)
    assert e.section in sections
    md = render_md.diff_markdown(report.diff_briefings(LEDGER, a, b))
    assert all(m in md for m in marks)
