"""Report subcommands: ``show``, ``timeline``, ``diff``, ``report``.

Each reads a ledger (``--ledger``, default ``ledger.yaml``), builds one report
with :mod:`policy_tracker.reports.report` and renders it as Markdown (default), HTML,
JSON or CSV to stdout or ``--output FILE``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..reports import data as render_data
from ..reports import html as render_html
from ..reports import markdown as render_md
from ..reports import report
from ._shared import command
from ..errors import PolicyTrackerError
from ..models import COMMITMENT_HEADING

FORMATS = ("md", "html", "json", "csv")
DEFAULT_LEDGER = "ledger.yaml"


def add_report_options(p: argparse.ArgumentParser) -> None:
    """``--ledger``, ``--format`` and ``--output``, shared by every report command."""
    p.add_argument("--ledger", metavar="PATH", default=DEFAULT_LEDGER, help=f"ledger file (default: {DEFAULT_LEDGER})")
    p.add_argument("--format", choices=FORMATS, default=None, help="md (default), html, json or csv")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")


def open_ledger(path: str) -> Any:
    """Load the ledger at ``path`` with the ledger stage's loader."""
    from ..ledger.ledger import Ledger

    from ..ledger.files import folder_error

    if Path(path).is_dir():
        raise folder_error(Path(path))
    if not Path(path).is_file():
        raise PolicyTrackerError(f"{path}: no ledger there; create one with `policy-tracker ingest DOCS --ledger {path}`")
    return Ledger.load(path)


def check_output(output: str, ledger: str | None) -> None:
    """Refuse an ``--output`` that would replace a ledger or an article (a report may replace an earlier report).

    Reports are regenerated at will; a ledger holds analysts' work and an
    article is an input: a mistyped ``-o`` must not cost either.
    """
    from ..sources.load import DOCUMENT_SUFFIXES, written_by_us

    out = Path(output)
    if not out.is_file():
        return
    kind = written_by_us(out)
    if kind == "ledger" or (ledger is not None and Path(ledger).exists() and out.resolve() == Path(ledger).resolve()):
        what = "is the ledger" if kind != "ledger" else "is a policy-tracker ledger"
    elif kind is None and out.suffix.lower() in (*DOCUMENT_SUFFIXES, ".yaml", ".yml"):
        what = "exists and is not a report policy-tracker wrote (an article or a data file?)"
    else:
        return
    raise PolicyTrackerError(f"{output}: {what}; nothing was written. Choose another --output file (e.g. report.md)")


def emit(args: argparse.Namespace, text: str) -> None:
    """Write a rendered report to ``--output`` (UTF-8) or stdout."""
    if args.output:
        check_output(args.output, getattr(args, "ledger", None))
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise PolicyTrackerError(f"{args.output}: cannot write ({exc.strerror}); check the folder exists") from exc
        sys.stderr.write(f"wrote {args.output}\n")
    else:
        sys.stdout.write(text)


def render(fmt: str, value: Any, renderers: dict[str, Callable[[Any], str]]) -> str:
    return renderers[fmt](value)


DIFF_RENDERERS: dict[str, Callable[[Any], str]] = {
    "md": render_md.diff_markdown,
    "html": render_html.diff_page,
    "json": lambda d: render_data.to_json(render_data.diff_to_dict(d)) + "\n",
    "csv": render_data.diff_to_csv,
}
TIMELINE_RENDERERS: dict[str, Callable[[Any], str]] = {
    "md": render_md.timelines_markdown,
    "html": render_html.timelines_page,
    "json": lambda ts: render_data.to_json(render_data.timelines_to_dict(ts)) + "\n",
    "csv": render_data.timelines_to_csv,
}
OVERVIEW_RENDERERS: dict[str, Callable[[Any], str]] = {
    "md": render_md.overview_markdown,
    "html": render_html.overview_page,
    "json": lambda o: render_data.to_json(render_data.overview_to_dict(o)) + "\n",
    "csv": render_data.overview_to_csv,
}


def _configure_show(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID", help="commitment id (see `policy-tracker timeline`)")
    add_report_options(p)


@command("show", "one commitment's history: every restatement, change types, targets, evidence, status", _configure_show)
def cmd_show(args: argparse.Namespace) -> int:
    t = report.timeline(open_ledger(args.ledger), args.id)
    fmt = args.format or "md"
    heading = f"{COMMITMENT_HEADING}{t.commitment.id}"
    if fmt == "md":
        emit(args, render_md.timelines_markdown((t,), heading))
    elif fmt == "html":
        emit(args, render_html.timelines_page((t,), heading))
    else:
        emit(args, render(fmt, (t,), TIMELINE_RENDERERS))
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
    ledger = open_ledger(args.ledger)
    ts = report.timelines(ledger, topic=args.topic, speaker=args.speaker, min_briefings=args.min_briefings)
    if not ts and (args.topic or args.speaker):
        topics = sorted({t for c in ledger.commitments for t in c.topics})
        speakers = sorted({m.speaker for c in ledger.commitments for m in c.mentions if m.speaker})
        sys.stderr.write(f"warning: no commitment matches; topics: {', '.join(topics) or 'none'}; speakers: {', '.join(speakers) or 'none'}\n")
    emit(args, render(args.format or "md", ts, TIMELINE_RENDERERS))
    return 0


def _configure_diff(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", metavar="A", help="earlier briefing: id, date held (2023-04-20) or document file")
    p.add_argument("b", metavar="B", help="later briefing: id, date held or document file")
    add_report_options(p)


@command("diff", "what briefing B says compared with A: new, advanced, changed, reworded, unchanged, not restated", _configure_diff)
def cmd_diff(args: argparse.Namespace) -> int:
    d = report.diff_briefings(open_ledger(args.ledger), args.a, args.b)
    if d.a.id == d.b.id:
        sys.stderr.write(f"warning: A and B are the same briefing ({d.a.id}); the diff is empty\n")
    elif d.a.held and d.b.held and d.b.held < d.a.held:
        sys.stderr.write(
            f"warning: B ({d.b.id}) was held before A ({d.a.id}); diff shows what the earlier briefing says "
            f"compared with the later one; swap them (diff {args.b} {args.a}) for what changed since A\n"
        )
    emit(args, render(args.format or "md", d, DIFF_RENDERERS))
    return 0


def _configure_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("--html", metavar="FILE", help="write the HTML overview to FILE (same as --format html --output FILE)")
    add_report_options(p)


@command("report", "whole-ledger overview: counts, newest/advanced/stalled/dormant pledges, commitments × briefings grid", _configure_report)
def cmd_report(args: argparse.Namespace) -> int:
    fmt = args.format or "md"
    if args.html:
        if args.format not in (None, "html") or args.output:
            raise PolicyTrackerError("--html FILE already sets the format and output; drop --format/--output")
        fmt, args.output = "html", args.html
    o = report.overview(open_ledger(args.ledger))
    emit(args, render(fmt, o, OVERVIEW_RENDERERS))
    return 0
