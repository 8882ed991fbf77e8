"""Tests for policy_tracker.reports.markdown: Markdown reports (golden files) and escaping."""

from __future__ import annotations

import attrs
import pytest

from policy_tracker.reports import markdown as render_md
from policy_tracker.reports import report
from tests.report_samples import BULK, assert_golden, sample_ledger, stage_rank

LEDGER = sample_ledger()


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("sample-diff-2023-04-20-2024-01-19.md", lambda: render_md.diff_markdown(report.diff_briefings(LEDGER, "2023-04-20", "2024-01-19", stage_rank=stage_rank))),
        ("sample-diff-2023-07-19-2023-11-04.md", lambda: render_md.diff_markdown(report.diff_briefings(LEDGER, "2023-07-19", "2023-11-04", stage_rank=stage_rank))),
        ("sample-timeline.md", lambda: render_md.timelines_markdown(report.timelines(LEDGER, stage_rank=stage_rank))),
        ("sample-overview.md", lambda: render_md.overview_markdown(report.overview(LEDGER, stage_rank=stage_rank))),
    ],
)
def test_markdown_matches_golden(name: str, render: object) -> None:
    """Markdown reports on the sample ledger are byte-identical to tests/golden."""
    assert_golden(name, render())  # type: ignore[operator]


def test_done_when_wording_changes_are_marked() -> None:
    """The diff shows 启动…城市 → 开展好 and 研究制定 → 出台 with deletion/insertion marks."""
    md = render_md.diff_markdown(report.diff_briefings(LEDGER, "2023-04-20", "2024-01-19", stage_rank=stage_rank))
    assert "[-启动-]{+开展好+}公共领域车辆全面电动化[-城市-]试点" in md
    assert "[-研究制定-]{+出台推动+}工业互联网高质量发展指导意见" in md


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
        ("a|b", r"a\|b"),
        ("**加快**", r"\*\*加快\*\*"),
        ("[链接](http://x)", r"\[链接\](http://x)"),
        ("两行\n文字", "两行 文字"),
        (None, ""),
    ],
)
def test_esc_neutralises_markdown(raw: str | None, escaped: str) -> None:
    """Ledger text cannot become Markdown markup, a table break or a line break."""
    assert render_md.esc(raw) == escaped


def test_hostile_quote_is_escaped_in_the_diff() -> None:
    """A quote with HTML and pipes appears escaped in the Markdown diff."""
    evil = attrs.evolve(BULK, mentions=[attrs.evolve(m, quote="<script>x</script>|") for m in BULK.mentions])
    md = render_md.diff_markdown(report.diff_briefings(sample_ledger([evil]), "2023-04-20", "2024-01-19"))
    assert "<script>" not in md and r"\<script\>x\</script\>\|" in md


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ["", " "],
        ["# a", "", "b", "", ""],
        ["", "", "a", "  ", "b  ", "\u3000"],
        ["## Grid", "", b"| `x` | \xc2\xb7 |\n", b"| `y` |   |\n", "", ""],
        ["h", " ", b"| `x` |  |\n", "", "tail  ", " "],
        [b"| `x` |  |\n"],
    ],
)
def test_finished_is_join_rstrip_newline(lines: list[str | bytes]) -> None:
    """The overview's streamed pieces (grid rows as bytes) join to "\\n".join(lines).rstrip() + "\\n", UTF-8 encoded."""
    as_text = [line.decode().removesuffix("\n") if isinstance(line, bytes) else line for line in lines]
    assert b"".join(render_md._finished(lines)) == ("\n".join(as_text).rstrip() + "\n").encode()


def _grid_cells(md: str) -> dict[str, list[str]]:
    """The Markdown grid's rows: commitment id → its cells."""
    grid = md[md.index("## Grid") :]
    return {line.split("`")[1]: [c.strip() for c in line.split(" | ")[1:]] for line in grid.splitlines() if line.startswith("| `")}


@pytest.mark.parametrize(("rows", "columns"), [(0, 0), (1, 0), (2, 2), (0, 3), (6, 5), (100, 100)])
def test_markdown_grid_limits_show_the_latest_cells_of_the_most_recently_stated(rows: int, columns: int) -> None:
    """--grid-rows/--grid-columns in Markdown: the rows shown are the most recently stated (ties in grid order), with the full grid's last cells."""
    o = report.overview(LEDGER, stage_rank=stage_rank)
    full = _grid_cells(render_md.overview_markdown(o))
    md = render_md.overview_markdown(o, rows=rows, columns=columns)
    shown = _grid_cells(md)
    width = min(columns or len(o.briefings), len(o.briefings))
    assert all(cells == full[cid][len(full[cid]) - width :] for cid, cells in shown.items())
    latest = {cid: max((i for i, c in enumerate(cells) if c not in ("·", "")), default=-1) for cid, cells in full.items()}
    order = [r.id for r in o.rows]  # grid order, which breaks ties
    expected = sorted(order, key=lambda cid: (-latest[cid], order.index(cid)))[: rows or len(order)]
    assert set(shown) == set(expected) and len(shown) == len(expected)
    assert ("Showing the" in md) == (len(expected) < len(order) or width < len(o.briefings))
    if not rows and not columns:
        assert md == render_md.overview_markdown(o)
