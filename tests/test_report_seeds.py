"""Reports on the real pipeline: ingest the five seed briefings, then golden Markdown/JSON diffs.

Skipped until the extraction stage is importable.  The golden files record what
the pipeline produces today; when extraction or matching improves, inspect the
change and rerun with ``UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from policy_tracker import render_data, render_md, report
from tests.report_samples import assert_golden

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(importlib.util.find_spec("policy_tracker.extract") is None, reason="extraction stage not available")


@pytest.fixture(scope="module")
def seeds_ledger(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The seeds ingested into a fresh ledger file."""
    from policy_tracker.ledger import Ledger
    from policy_tracker.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("seeds") / "ledger.yaml"
    ingest_paths([ROOT / "seeds"], path)
    return Ledger.load(path)


@pytest.mark.parametrize(("a", "b"), [("2023-04-20", "2024-01-19"), ("2023-07-19", "2023-11-04"), ("2023-04-20", "2023-10-20")])
def test_seed_diffs_match_golden(seeds_ledger: object, a: str, b: str) -> None:
    """Markdown and JSON diffs of the seeds are byte-identical to tests/golden/seeds-*."""
    d = report.diff_briefings(seeds_ledger, a, b)  # type: ignore[arg-type]
    assert_golden(f"seeds-diff-{a}-{b}.md", render_md.diff_markdown(d))
    assert_golden(f"seeds-diff-{a}-{b}.json", render_data.to_json(render_data.diff_to_dict(d)))


def test_seed_overview_matches_golden(seeds_ledger: object) -> None:
    """The Markdown overview of the seeds is byte-identical to tests/golden/seeds-overview.md."""
    assert_golden("seeds-overview.md", render_md.overview_markdown(report.overview(seeds_ledger)))  # type: ignore[arg-type]
