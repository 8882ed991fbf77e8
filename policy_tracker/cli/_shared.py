"""What every subcommand module shares: the command registry, output helpers and the document-path options."""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from collections.abc import Callable
from typing import Any

from ..errors import PolicyTrackerError


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
    from ..sources.text import MAX_DOCUMENT_BYTES, describe_size

    p.add_argument("paths", nargs="+", metavar="PATH", help="document files (.txt/.md) or folders of them")
    p.add_argument("--manifest", metavar="FILE", help="briefing manifest added over data/briefings.yaml and any briefings.yaml beside the documents (its fields win; an entry naming no document read is warned)")
    p.add_argument("--strict", action="store_true", help="stop at the first file that cannot be loaded or whose date held is unknown (nothing is written)")
    p.add_argument(
        "--max-size",
        type=parse_size,
        default=MAX_DOCUMENT_BYTES,
        metavar="SIZE",
        help=f"refuse documents larger than this (default {describe_size(MAX_DOCUMENT_BYTES).replace(' ', '')}; e.g. 40MB, 500KB; 0 for no limit)",
    )


def parse_size(text: str) -> int:
    """``40MB``, ``500KB``, ``2m``, ``1048576``: a size in bytes (binary units)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*", text, re.I)
    if not m:
        raise argparse.ArgumentTypeError(f"expected a size such as 40MB, 500KB or 0; got {text!r}")
    return int(float(m.group(1)) * 1024 ** " kmg".index(m.group(2).lower() or " "))


def load_from_args(args: argparse.Namespace) -> Any:
    """Load documents named on the command line, reporting unreadable files on stderr."""
    from ..sources.load import MetadataWarning, load_documents

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MetadataWarning)
        result = load_documents(args.paths, args.manifest, strict=args.strict, max_bytes=args.max_size)
    if not getattr(args, "quiet", False):
        for w in caught:
            if issubclass(w.category, MetadataWarning):
                err(f"warning: {w.message}")
    for e in result.errors:
        err(f"Error: {e}")
    if not result.documents:
        raise PolicyTrackerError("no documents could be loaded; see the errors above")
    return result
