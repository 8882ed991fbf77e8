"""``policy-tracker export``: the ledger as CSV, JSON lines or a SQLite database."""

from __future__ import annotations

import argparse
import sys

from ..errors import PolicyTrackerError
from ._shared import command
from .options import add_ledger, add_output, emit, excel, open_ledger, output_format

FORMATS = ("csv", "jsonl", "sqlite")


def _configure(p: argparse.ArgumentParser) -> None:
    from ..ledger.export import LEVELS

    add_ledger(p)
    add_output(p, FORMATS, "csv")
    p.add_argument(
        "--level", choices=LEVELS, default="mention",
        help="csv/jsonl: one row per mention with its commitment's fields (default) or one per commitment",
    )  # fmt: skip


@command("export", "the ledger as rows for Excel, pandas or Datasette: csv, jsonl or a sqlite database with full-text search", _configure)
def cmd_export(args: argparse.Namespace) -> int:
    from ..ledger.export import to_csv, to_jsonl

    fmt = output_format(args)
    ledger = open_ledger(args.ledger)
    if fmt == "sqlite":
        from ..ledger.export_sqlite import write_sqlite

        if not args.output:
            raise PolicyTrackerError("export --format sqlite: give the database file with -o FILE (e.g. -o ledger.db)")
        if args.level != "mention":
            raise PolicyTrackerError("export --format sqlite: --level does not apply (the database holds every table)")
        result = write_sqlite(ledger, args.output)
        for w in result.warnings:
            sys.stderr.write(f"warning: {w}\n")
        counts = ", ".join(f"{n} {table}" for table, n in result.counts)
        sys.stderr.write(f"wrote {args.output}: {counts}{'; full-text search on mentions_fts, commitments_fts' if result.fts else ''}\n")
        return 0
    emit(args, to_csv(ledger, args.level, excel=excel(args)) if fmt == "csv" else to_jsonl(ledger, args.level))
    return 0
