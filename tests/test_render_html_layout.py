"""The HTML overview at scale and in notebooks: limits, links, diff order, fragments, and a DOM check in headless Chromium."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from policy_tracker.reports import html as render_html
from policy_tracker.reports import notebook
from policy_tracker.reports import report
from policy_tracker.ledger import Ledger
from policy_tracker.reports.report import SECTION_KEYS
from tests.benchmarks import html_check
from tests.benchmarks.ledger_io import synthetic_parts
from tests.report_samples import COMMITMENTS, sample_ledger, stage_rank

needs_chromium = pytest.mark.skipif(html_check.CHROMIUM is None, reason="chromium is not installed")


@pytest.fixture(scope="module")
def forty() -> Ledger:
    """A synthetic ledger over 40 briefings with analyst verdicts, tags and notes."""
    return html_check.synthetic_ledger(40)


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for k, v in attrs:
            if k == "id" and v:
                self.ids.add(v)
            if k == "href" and v:
                self.hrefs.append(v)


def test_large_grid_is_limited_and_says_so(forty: Ledger) -> None:
    """With limits, the page shows that many rows and columns and states both counts."""
    o = report.overview(forty)
    page = render_html.overview_page(o, rows=50, columns=10)
    assert page.count('<td class="name">') == 50
    assert f"Showing the 50 most recently stated of {len(forty):,} commitments and the latest 10 of 40 briefings" in page
    assert page.count('<th class="c"') == 10


def test_unlimited_grid_shows_everything(forty: Ledger) -> None:
    """rows=0, columns=0: every commitment and briefing, and no limit note."""
    page = render_html.overview_page(report.overview(forty), rows=0, columns=0)
    assert page.count('<td class="name">') == len(forty) and 'class="limit"' not in page


def test_every_row_links_to_a_card_on_the_page(forty: Ledger) -> None:
    """Each grid row (and each linked id in the lists) points at a commitment card that exists."""
    ids = _Ids()
    ids.feed(render_html.overview_page(report.overview(forty)))
    links = [h[1:] for h in ids.hrefs if h.startswith("#c-")]
    assert len(links) >= len(forty) and set(links) <= ids.ids


@pytest.mark.parametrize("cid", ["nev-2023-02", "a b/c?<x>", "新能源-1"])
def test_anchor_is_a_safe_fragment(cid: str) -> None:
    """Card anchors use only [0-9A-Za-z_.-] and differ for different ids."""
    assert re.fullmatch(r"c-[0-9A-Za-z_.-]+", render_html.anchor(cid))
    assert render_html.anchor(cid) != render_html.anchor(cid + "x")


def test_ten_thousand_mention_overview_stays_small() -> None:
    """The overview of a 10⁴-mention synthetic ledger is at most 5 MB (limited grid)."""
    ledger = Ledger(synthetic_parts(10_000))
    page = render_html.overview_page(report.overview(ledger))
    assert len(page.encode("utf-8")) <= 5_000_000 and page.count('<td class="name">') == render_html.GRID_ROWS


def test_diff_leads_with_what_changed() -> None:
    """Sections come advanced, target/deadline changed, reworded, not restated, then new, then unchanged."""
    assert SECTION_KEYS == ("advanced", "changed", "reworded", "not_restated", "new", "unchanged")
    page = render_html.diff_page(report.diff_briefings(sample_ledger(), "2023-04-20", "2024-01-19", stage_rank=stage_rank))
    order = re.findall(r'<h2 id="([a-z_]+)"', page)
    assert order == list(SECTION_KEYS)


def test_page_names_cjk_fonts_with_a_fallback() -> None:
    """The CSS font stack names CJK fonts and ends with a generic family."""
    stack = render_html.CSS.split("body{", 1)[1].split("}", 1)[0]
    assert all(f in stack for f in ('"Noto Sans CJK SC"', '"PingFang SC"', '"Microsoft YaHei"'))
    assert stack.rstrip().endswith("sans-serif")


def _fragment_ok(html: str) -> None:
    assert html.startswith(f'<div class="{notebook.FRAGMENT_CLASS}">') and html.endswith("</div>")
    assert "<html" not in html and "<body" not in html and "<script" not in html
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    for rule in re.findall(r"(?:^|})\s*([^{}@]+)\{", style):
        for sel in rule.split(","):
            assert sel.strip().startswith(f".{notebook.FRAGMENT_CLASS}"), sel


def test_repr_html_of_ledger_timeline_diff_commitment_overview() -> None:
    """Ledger (summary), Timeline, BriefingDiff, Commitment and Overview render as scoped HTML fragments for notebooks."""
    ledger = html_check.synthetic_ledger(5)
    c = ledger.commitments[0]
    b = report._ordered_briefings(ledger)  # noqa: SLF001
    values = [ledger, report.timeline(ledger, c.id), report.diff_briefings(ledger, b[0].id, b[-1].id), c, COMMITMENTS[0],
              report.overview(ledger)]  # fmt: skip
    for v in values:
        _fragment_ok(v._repr_html_())
    summary = ledger._repr_html_()
    assert f"<td>{len(ledger)}</td>" in summary and "annotated by an analyst" in summary


def test_notes_are_escaped_in_html(forty: Ledger) -> None:
    """Analyst notes with markup show as text."""
    page = render_html.overview_page(report.overview(forty))
    assert "&lt;b&gt;not bold&lt;/b&gt;" in page and "<b>not bold</b>" not in page


@needs_chromium
@pytest.mark.parametrize("briefings", [12, 40])
def test_overview_layout_in_headless_chromium(briefings: int) -> None:
    """At 1400 px: nothing outside the viewport, the grid header and first column stay put, ids do not wrap, rows link."""
    ledger = html_check.synthetic_ledger(briefings)
    result = html_check.dom_check(html_check.pages(ledger)["overview"], width=1400)
    assert result["outside"] == 0, result["outside_examples"]
    assert result["scroll_width"] <= result["viewport"]
    assert result["header_sticky"] and result["first_column_sticky"]
    assert result["wrapped_ids"] == 0 and result["unlinked_rows"] == 0 and result["grid_rows"] > 0
    assert result["grid_box_px"] > 0.9 * result["viewport"] - 80  # the grid uses the window's width


@needs_chromium
def test_dom_check_catches_an_overflowing_element() -> None:
    """Control: a 3000 px wide element outside the grid box is reported."""
    result = html_check.dom_check('<html><body><div style="width:3000px">x</div></body></html>', width=1000)
    assert result["outside"] >= 1
