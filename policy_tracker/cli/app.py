"""Command-line interface: a thin shell over the library.

Each subcommand parses its arguments, calls one public library function and
prints the result.  Library errors (:class:`PolicyTrackerError`) become
``Error: …`` on stderr and exit status 1; never a traceback.

Subcommands register themselves in :data:`COMMANDS` through :func:`command`;
each stage's commands live in their own module of this package.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from ..errors import PolicyTrackerError
from ..sources.load import MetadataWarning, briefings_from, load_documents

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {}


def command(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None]) -> Callable[[Handler], Handler]:
    """Register a subcommand: ``configure`` adds its arguments, the decorated function runs it."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = (help, configure, handler)
        return handler

    return register


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


def add_paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="document files (.txt/.md) or folders of them")
    p.add_argument("--manifest", metavar="FILE", help="briefing manifest (default: data/briefings.yaml plus any briefings.yaml beside the documents)")
    p.add_argument("--strict", action="store_true", help="stop at the first file that cannot be loaded or whose date held is unknown (nothing is written)")


def load_from_args(args: argparse.Namespace) -> Any:
    """Load documents named on the command line, reporting unreadable files on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MetadataWarning)
        result = load_documents(args.paths, args.manifest, strict=args.strict)
    if not getattr(args, "quiet", False):
        for w in caught:
            if issubclass(w.category, MetadataWarning):
                err(f"warning: {w.message}")
    for e in result.errors:
        err(f"Error: {e}")
    if not result.documents:
        raise PolicyTrackerError("no documents could be loaded; see the errors above")
    return result


def _configure_sources(p: argparse.ArgumentParser) -> None:
    add_paths(p)
    p.add_argument("--format", choices=("text", "json"), default="text")


@command("sources", "list documents with their detected briefing date, kind, period and outlet", _configure_sources)
def cmd_sources(args: argparse.Namespace) -> int:
    result = load_from_args(args)
    docs = {d.id: d for d in result.documents}
    briefings = briefings_from(result.documents)
    if args.format == "json":
        rows = []
        for b in briefings:
            for doc_id in b.documents:
                d = docs[doc_id]
                rows.append(
                    {
                        "document": d.id,
                        "path": d.path,
                        "briefing": b.id,
                        "held": d.held.isoformat() if d.held else None,
                        "published": d.published.isoformat() if d.published else None,
                        "kind": d.kind,
                        "period": d.period,
                        "outlet": d.outlet,
                        "title": d.title,
                        "date_source": d.date_source,
                        "provenance": dict(d.provenance),
                        "warnings": list(d.warnings),
                    }
                )
        out(json.dumps(rows, ensure_ascii=False, indent=2))
        return 1 if result.errors else 0
    for b in briefings:
        out(f"{b.id}  held {b.held or 'unknown'}  {b.kind}  period {b.period or 'unknown'}")
        for doc_id in b.documents:
            d = docs[doc_id]
            out(f"  {d.id}  published {d.published or 'unknown'}  outlet {d.outlet or 'unknown'}  date {'from ' + d.date_source if d.date_source else 'unknown'}")
            if d.title:
                out(f"    {d.title}")
    return 1 if result.errors else 0


def build_parser() -> argparse.ArgumentParser:
    from . import load_all

    load_all()
    parser = argparse.ArgumentParser(
        prog="policy-tracker",
        description="Track MIIT pledges across briefings: extract, match, keep a YAML ledger, report.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, configure, handler) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        configure(p)
        p.set_defaults(handler=handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except PolicyTrackerError as exc:
        err(f"Error: {exc}")
        return 1
    except BrokenPipeError:  # e.g. `policy-tracker … | head`
        return 0
    except KeyboardInterrupt:
        err("Interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
