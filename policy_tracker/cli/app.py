"""Command-line interface: a thin shell over the library.

Each subcommand parses its arguments, calls one public library function and
prints the result.  Library errors (:class:`PolicyTrackerError`) become
``Error: …`` on stderr and exit status 1; never a traceback.

Subcommands register themselves in :data:`COMMANDS` through :func:`command`;
each stage's commands live in their own module of this package.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import PolicyTrackerError
from ._shared import COMMANDS, err

# importing a command module registers its subcommands; the import order is the order of --help
from . import sources  # isort: skip
from . import evaluate, export, extract, ledger, report  # isort: skip
from . import learn  # isort: skip

COMMAND_MODULES = (sources, evaluate, export, extract, ledger, report, learn)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand; given ``command``, only that one's options are set up (the others' may import more; "": none)."""
    parser = argparse.ArgumentParser(
        prog="policy-tracker",
        description="Track MIIT pledges across briefings: extract, match, keep a YAML ledger, report.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, configure, handler) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if command is None or name == command:
            configure(p)
        p.set_defaults(handler=handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    named = next((a for a in argv if not a.startswith("-")), None)  # the subcommand (the only global options are flags)
    parser = build_parser(named if named in COMMANDS else "")  # no subcommand: none's options (they may import the library)
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
