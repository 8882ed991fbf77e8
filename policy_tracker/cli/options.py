"""Options every subcommand shares, defined once (sqlite-utils' ``output_options`` is the model).

``--ledger PATH``
    the ledger file; ``ledger.yaml`` unless the command says otherwise.
``--format F``
    the output format.  Each command offers the formats that make sense for
    it, but a name means the same everywhere: ``text`` is for people (the
    default of every command that is not a report), ``md`` Markdown (the
    reports' text form and default), ``html`` a self-contained page, ``json``
    one JSON document, ``jsonl`` one JSON object per line, ``csv``
    spreadsheet rows, ``yaml`` YAML, ``sqlite`` a SQLite database.
``-o FILE`` / ``--output FILE``
    write there (UTF-8) instead of stdout.
``--plain-csv``
    with ``--format csv``: plain UTF-8, cells as they are.  By default CSV is
    written for Excel: a UTF-8 byte-order mark (without it Excel shows
    Chinese as mojibake) and cells that Excel would run as a formula
    (starting with ``= + - @``, tab or CR) prefixed with ``'``
    (:data:`policy_tracker.ledger.export.EXCEL_CSV`).
"""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from ..errors import PolicyTrackerError

DEFAULT_LEDGER = "ledger.yaml"

FORMAT_NAMES = {
    "text": "text",
    "md": "Markdown",
    "html": "HTML",
    "json": "JSON",
    "jsonl": "JSON lines",
    "csv": "CSV (for Excel unless --plain-csv)",
    "yaml": "YAML",
    "sqlite": "a SQLite database (needs -o FILE)",
}


def add_ledger(p: argparse.ArgumentParser, *, default: str | None = DEFAULT_LEDGER, help: str | None = None) -> None:
    """``--ledger PATH``."""
    text = help or (f"ledger file (default: {default})" if default else "ledger file")
    p.add_argument("--ledger", metavar="PATH", default=default, help=text)


def add_output(p: argparse.ArgumentParser, formats: tuple[str, ...], default: str) -> None:
    """``--format`` (one of ``formats``, ``default`` when not given), ``-o/--output`` and, with csv, ``--plain-csv``."""
    unknown = [f for f in formats if f not in FORMAT_NAMES]
    if unknown or default not in formats:  # pragma: no cover - a programming error
        raise ValueError(f"formats {unknown} / default {default!r}")
    names = ", ".join(f"{f} ({FORMAT_NAMES[f]})" for f in formats)
    p.add_argument("--format", choices=formats, default=None, help=f"output format: {names}; default {default}")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    if "csv" in formats:
        p.add_argument("--plain-csv", action="store_true", help="csv: plain UTF-8 without byte-order mark, cells not guarded against formulas")
    p.set_defaults(default_format=default)


def output_format(args: argparse.Namespace) -> str:
    """The format asked for, else the command's default."""
    return str(args.format or args.default_format)


def excel(args: argparse.Namespace) -> bool:
    """Whether CSV is written for Excel (the default; ``--plain-csv`` turns it off)."""
    return not getattr(args, "plain_csv", False)


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


def emit(args: argparse.Namespace, text: str | Iterable[bytes]) -> None:
    """Write output to ``-o FILE`` (UTF-8; says so on stderr) or stdout: a text, or UTF-8 pieces of it written as they come.

    Pieces are bytes so that a large report (125 MB of Markdown at 10⁵ mentions) is never encoded as a whole: made as
    bytes, written as bytes (stdout through its text layer, decoded, when its encoding is not UTF-8).
    """
    if getattr(args, "output", None):
        check_output(args.output, getattr(args, "ledger", None))
        try:
            if isinstance(text, str):
                with open(args.output, "w", encoding="utf-8") as fh:
                    fh.write(text)
            else:
                with open(args.output, "wb", buffering=_BUFFER) as out:
                    out.writelines(text)
        except OSError as exc:
            raise PolicyTrackerError(f"{args.output}: cannot write ({exc.strerror}); check the folder exists") from exc
        sys.stderr.write(f"wrote {args.output}\n")
    elif isinstance(text, str):
        sys.stdout.write(text)
    else:
        stream = sys.stdout
        raw = getattr(stream, "buffer", None)
        if raw is not None and _is_utf8(getattr(stream, "encoding", None)):
            stream.flush()
            raw.writelines(text)
            raw.flush()
        else:
            stream.writelines(piece.decode("utf-8") for piece in text)


_BUFFER = 1 << 20  # bytes per write of a large report


def _is_utf8(encoding: str | None) -> bool:
    """Whether a stream's encoding is plain UTF-8 under any of its names (``UTF-8``, ``utf8``, ``utf_8``; not ``utf-8-sig``)."""
    try:
        return encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def open_ledger(path: str, only: list[str] | None = None, evidence: bool = True) -> Any:
    """Load the ledger at ``path`` with a message (not a traceback) when there is none; of a ledger folder, ``only`` the commitments named."""
    from ..ledger.folder import is_folder_path
    from ..ledger.ledger import Ledger

    if not is_folder_path(path) and not Path(path).is_file():
        raise PolicyTrackerError(f"{path}: no ledger there; create one with `policy-tracker ingest DOCS --ledger {path}`")
    return Ledger.load(path, only=only, evidence=evidence)
