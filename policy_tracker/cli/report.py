"""Report subcommands: ``show``, ``timeline``, ``diff``, ``report``.

Each reads a ledger (``--ledger``, default ``ledger.yaml``), builds one report
with :mod:`policy_tracker.reports.report` and renders it as Markdown (default), HTML,
JSON or CSV to stdout or ``-o FILE`` (options shared through
:mod:`policy_tracker.cli.options`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from ..errors import PolicyTrackerError
from ._shared import command
from .options import add_ledger, add_output, emit, excel, open_ledger, output_format

# The reports are imported by each command when it runs: the HTML renderer is not needed to print Markdown.

FORMATS = ("md", "html", "json", "csv")


def add_report_options(p: argparse.ArgumentParser) -> None:
    """``--ledger``, ``--format`` and ``-o/--output``, shared by every report command."""
    add_ledger(p)
    add_output(p, FORMATS, "md")


Renderer = Callable[[Any, argparse.Namespace], str]


def render(args: argparse.Namespace, value: Any, renderers: dict[str, Renderer]) -> str:
    return renderers[output_format(args)](value, args)


def _md() -> Any:
    from ..reports import markdown

    return markdown


def _html() -> Any:
    from ..reports import html

    return html


def _data() -> Any:
    from ..reports import data

    return data


def _labels() -> Any:
    from ..reports import labels

    return labels


def _limit(given: int | None, default: int) -> int:
    """A grid limit: as given, else the format's default (the HTML page's is a few hundred rows, Markdown's the whole grid)."""
    return default if given is None else given


DIFF_RENDERERS: dict[str, Renderer] = {
    "md": lambda d, a: _md().diff_markdown(d),
    "html": lambda d, a: _html().diff_page(d),
    "json": lambda d, a: _data().to_json(_data().diff_to_dict(d)) + "\n",
    "csv": lambda d, a: _data().diff_to_csv(d, excel=excel(a)),
}
TIMELINE_RENDERERS: dict[str, Renderer] = {
    "md": lambda ts, a: _md().timelines_markdown(ts),
    "html": lambda ts, a: _html().timelines_page(ts),
    "json": lambda ts, a: _data().to_json(_data().timelines_to_dict(ts)) + "\n",
    "csv": lambda ts, a: _data().timelines_to_csv(ts, excel=excel(a)),
}
OVERVIEW_RENDERERS: dict[str, Renderer] = {
    # written as it is rendered: 125 MB at 10⁵ mentions unless --grid-rows/--grid-columns limit the grid
    "md": lambda o, a: _md().overview_bytes(o, rows=_limit(a.grid_rows, 0), columns=_limit(a.grid_columns, 0)),
    "html": lambda o, a: _html().overview_page(o, rows=_limit(a.grid_rows, _labels().GRID_ROWS), columns=_limit(a.grid_columns, _labels().GRID_COLUMNS)),
    "json": lambda o, a: _data().to_json(_data().overview_to_dict(o)) + "\n",
    "csv": lambda o, a: _data().overview_to_csv(o, excel=excel(a)),
}


def _configure_show(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID", help="commitment id (see `policy-tracker timeline`)")
    add_report_options(p)


@command("show", "one commitment's history: every restatement, change types, targets, evidence, status", _configure_show)
def cmd_show(args: argparse.Namespace) -> int:
    from ..models import COMMITMENT_HEADING
    from ..reports import report

    t = report.timeline(open_ledger(args.ledger, only=[args.id]), args.id)
    fmt = output_format(args)
    heading = f"{COMMITMENT_HEADING}{t.commitment.id}"
    if fmt == "md":
        emit(args, _md().timelines_markdown((t,), heading))
    elif fmt == "html":
        emit(args, _html().timelines_page((t,), heading))
    else:
        emit(args, render(args, (t,), TIMELINE_RENDERERS))
    return 0


def _configure_timeline(p: argparse.ArgumentParser) -> None:
    p.add_argument("--topic", metavar="T", help="only commitments tagged with this topic")
    p.add_argument("--speaker", metavar="S", help="only commitments stated (at least once) by this speaker")
    p.add_argument(
        "--min-briefings", type=int, default=1, metavar="N",
        help="only commitments stated in at least N briefings (2 = restated at least once)",
    )
    add_report_options(p)


@command("timeline", "histories of all commitments (or those of one topic or speaker) from first appearance", _configure_timeline)
def cmd_timeline(args: argparse.Namespace) -> int:
    from ..reports import report

    ledger = open_ledger(args.ledger)
    ts = report.timelines(ledger, topic=args.topic, speaker=args.speaker, min_briefings=args.min_briefings)
    if not ts and (args.topic or args.speaker):
        topics = sorted({t for c in ledger.commitments for t in c.topics})
        speakers = sorted({m.speaker for c in ledger.commitments for m in c.mentions if m.speaker})
        sys.stderr.write(f"warning: no commitment matches; topics: {', '.join(topics) or 'none'}; speakers: {', '.join(speakers) or 'none'}\n")
    emit(args, render(args, ts, TIMELINE_RENDERERS))
    return 0


def _configure_diff(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", metavar="A", help="earlier briefing: id, date held (2023-04-20) or document file")
    p.add_argument("b", metavar="B", help="later briefing: id, date held or document file")
    add_report_options(p)


@command("diff", "what briefing B says compared with A: new, advanced, changed, reworded, unchanged, not restated", _configure_diff)
def cmd_diff(args: argparse.Namespace) -> int:
    from ..reports import report

    ledger = open_ledger(args.ledger, only=[f"briefing:{args.a}", f"briefing:{args.b}"], evidence=False)
    d = report.diff_briefings(ledger, args.a, args.b)
    if d.a.id == d.b.id:
        sys.stderr.write(f"warning: A and B are the same briefing ({d.a.id}); the diff is empty\n")
    elif d.a.held and d.b.held and d.b.held < d.a.held:
        sys.stderr.write(
            f"warning: B ({d.b.id}) was held before A ({d.a.id}); diff shows what the earlier briefing says "
            f"compared with the later one; swap them (diff {args.b} {args.a}) for what changed since A\n"
        )
    emit(args, render(args, d, DIFF_RENDERERS))
    return 0


def _configure_report(p: argparse.ArgumentParser) -> None:
    from ..reports import labels  # the grid limits, without importing the HTML renderer

    p.add_argument("--html", metavar="FILE", help="write the HTML overview to FILE (same as --format html --output FILE)")
    p.add_argument(
        "--grid-rows", type=int, metavar="N",
        help=f"md, html: show at most N commitments in the grid, the most recently stated (default: html {labels.GRID_ROWS}, md all; 0 = all)",
    )
    p.add_argument(
        "--grid-columns", type=int, metavar="N",
        help=f"md, html: show at most the latest N briefings in the grid (default: html {labels.GRID_COLUMNS}, md all; 0 = all)",
    )
    add_report_options(p)


@command(
    "report",
    "whole-ledger overview: counts, newest/advanced/stalled/dormant pledges, analyst notes, time to fulfilment, commitments × briefings grid",
    _configure_report,
)
def cmd_report(args: argparse.Namespace) -> int:
    if args.html:
        if args.format not in (None, "html") or args.output:
            raise PolicyTrackerError("--html FILE already sets the format and output; drop --format/--output")
        args.format, args.output = "html", args.html
    if (args.grid_rows or 0) < 0 or (args.grid_columns or 0) < 0:
        raise PolicyTrackerError("--grid-rows/--grid-columns: expected a number >= 0 (0 = no limit)")
    from ..ledger.ledger import gc_paused
    from ..reports import overview

    with gc_paused():  # 10⁵ summaries and rows, next to no reference cycles
        # a ledger folder serves every commitment's summary from its index: no commitment is loaded
        o = overview.overview(open_ledger(args.ledger, only=[], evidence=False))
        emit(args, render(args, o, OVERVIEW_RENDERERS))
        del o  # freed by reference counting while the collector is paused: after, one full collection would walk it all (0.2 s)
    return 0
