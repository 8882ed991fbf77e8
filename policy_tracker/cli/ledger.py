"""Ledger subcommands: ingest, validate and the curation commands (merge, split, reject, pin, set)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Iterator

from typing import TYPE_CHECKING

from ..errors import ClusterError, LedgerError
from ._shared import add_paths, command, err, out
from .options import DEFAULT_LEDGER, add_ledger, add_output, emit, output_format

if TYPE_CHECKING:
    from ..ledger.ledger import Ledger

# The library is imported by each command when it runs, not here: `show` or `set` need not import extraction
# and matching (about half a second of every command's start).


def _load(path: str, only: list[str], evidence: bool | list[str] = False) -> Ledger:
    from ..ledger.ledger import Ledger

    return Ledger.load(path, only=only, evidence=evidence)


def _configure_ingest(p: argparse.ArgumentParser) -> None:
    add_paths(p)
    add_ledger(p)
    add_output(p, ("text", "json"), "text")
    p.add_argument("--dry-run", action="store_true", help="report what would change without writing the ledger")
    p.add_argument("--rematch", action="store_true", help="let the matcher regroup mentions the ledger already holds (after a matcher upgrade); decisions still apply")
    p.add_argument(
        "--no-incremental",
        dest="incremental",
        action="store_false",
        help="match new briefings against every mention of the ledger, not only the commitments that are candidates of them (slower on large ledgers)",
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run extraction and pair scoring on a Dask cluster: a scheduler address (tcp://HOST:8786) or 'local' "
        "(a LocalCluster, one worker process per core); needs pip install 'policy-tracker[dask]'",
    )
    p.add_argument(
        "--dask-partitions",
        metavar="N",
        type=int,
        default=None,
        help="with --dask: tasks per step (default: 4 per worker thread)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")


# Exit status when the ledger was written but some documents could not be loaded
# (1 is kept for errors that write nothing, 2 for usage errors).
PARTIAL_FAILURE = 3


@contextlib.contextmanager
def _quiet_loggers(prefix: str) -> Iterator[None]:
    """Only critical records from the loggers named ``prefix`` or ``prefix.*`` (their levels restored after)."""
    names = [n for n in list(logging.root.manager.loggerDict) if n == prefix or n.startswith(prefix + ".")]
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


@command("ingest", "extract pledges from documents and add them to the ledger (created if missing)", _configure_ingest)
def cmd_ingest(args: argparse.Namespace) -> int:
    from .. import parallel
    from ..ledger.ingest import ingest_paths
    from ..progress import should_show

    try:
        with contextlib.ExitStack() as stack:
            if args.dask:
                from ..dask_executor import connect

                executor = connect(args.dask, partitions=args.dask_partitions)
                # dask's own log lines (reconnect attempts, tracebacks of cancelled tasks) would bury the one Error line
                stack.enter_context(_quiet_loggers("distributed"))
                stack.callback(executor.close)  # closed while still quiet
                stack.enter_context(parallel.using(executor))
            result = ingest_paths(
                args.paths,
                args.ledger,
                manifest=args.manifest,
                strict=args.strict,
                max_bytes=args.max_size,
                dry_run=args.dry_run,
                rematch=args.rematch,
                incremental=args.incremental,
                show_progress=should_show(quiet=args.quiet),
            )
    except ClusterError as exc:  # the ingest stopped before saving: the ledger is as it was
        raise ClusterError(f"{exc}; nothing was written to {args.ledger}") from None
    s = result.summary
    if output_format(args) == "json":  # the counts, warnings and errors as one object (nothing else printed)
        data = {
            "ledger": str(result.ledger_path),
            "outcome": result.outcome,
            "dry_run": args.dry_run,
            "documents": s.documents,
            "mentions": s.mentions,
            "evidence": s.evidence,
            "rejected": s.rejected,
            "commitments": {"new": list(s.new), "updated": list(s.updated), "unchanged": s.unchanged},
            "warnings": [*result.load_warnings, *s.warnings],
            "errors": list(result.load_errors),
        }
        emit(args, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return PARTIAL_FAILURE if result.load_errors else 0
    if not args.quiet:
        for w in (*result.load_warnings, *s.warnings):
            err(f"warning: {w}")
        for n in result.notes:
            err(f"note: {n}")
    for e in result.load_errors:
        err(f"Error: {e}")
    if not args.quiet:
        verb = {"created": "would create", "updated": "would update", "unchanged": "would leave unchanged"}[result.outcome] if args.dry_run else result.outcome
        emit(
            args,
            f"{s.documents} documents, {s.mentions} mentions, {s.evidence} evidence statements"
            + (f", {s.rejected} rejected by decisions" if s.rejected else "")
            + f"\ncommitments: {len(s.new)} new, {len(s.updated)} updated, {s.unchanged} unchanged\n{verb} {result.ledger_path}\n",
        )
    return PARTIAL_FAILURE if result.load_errors else 0


def _configure_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", metavar="LEDGER", help="ledger file to check (or --ledger PATH)")
    add_ledger(p)
    p.add_argument("--docs", metavar="DIR", action="append", default=[], help="documents folder: also check every quote against the text")
    add_output(p, ("text", "json"), "text")


@command("validate", "check a ledger: YAML, schema version, field types, ids and the quote invariant", _configure_validate)
def cmd_validate(args: argparse.Namespace) -> int:
    if args.path and args.ledger not in (args.path, DEFAULT_LEDGER):
        raise LedgerError(f"validate: two ledgers given ({args.path} and --ledger {args.ledger}); give one")
    from ..ledger.validate import validate

    args.ledger = args.path or args.ledger
    report = validate(args.ledger, args.docs)
    if output_format(args) == "json":  # every error and warning, and the counts; exit 1 when invalid
        data = {
            "ledger": args.ledger,
            "valid": not report.errors,
            "errors": list(report.errors),
            "warnings": list(report.warnings),
            "commitments": report.commitments,
            "mentions": report.mentions,
            "decisions": report.decisions,
            "quotes_checked": report.checked,
        }
        emit(args, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 1 if report.errors else 0
    for w in report.warnings:
        err(f"warning: {w}")
    if report.errors:
        if len(report.errors) == 1:
            raise LedgerError(report.errors[0])
        for e in report.errors:
            err(f"error: {e}")
        raise LedgerError(f"{args.ledger}: invalid ({len(report.errors)} errors above)")
    extra = f", {report.checked} quotes checked against the documents" if args.docs else ""
    emit(args, f"{args.ledger}: valid ({report.commitments} commitments, {report.mentions} mentions, {report.decisions} decisions{extra})\n")
    return 0



def _save(ledger: Ledger, args: argparse.Namespace, message: str) -> int:
    ledger.save(args.ledger)
    out(message)
    return 0


def _curation_options(p: argparse.ArgumentParser) -> None:
    add_ledger(p)
    p.add_argument("--reason", help="why (kept in the decision record)")


def _configure_merge(p: argparse.ArgumentParser) -> None:
    p.add_argument("into", metavar="A", help="commitment that stays")
    p.add_argument("others", nargs="+", metavar="B", help="commitment(s) merged into A (their ids become aliases)")
    _curation_options(p)


@command("merge", "merge commitments B… into A; recorded as a decision replayed by every ingest", _configure_merge)
def cmd_merge(args: argparse.Namespace) -> int:
    ledger = _load(args.ledger, [args.into, *args.others])
    c = ledger.merge(args.into, *args.others, reason=args.reason, date=dt.date.today())
    return _save(ledger, args, f"merged {', '.join(args.others)} into {c.id} ({len(c.mentions)} mentions)")


def _configure_split(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID", help="commitment to split")
    p.add_argument("--mention", "-m", dest="mentions", action="append", required=True, metavar="M", help="mention id SOURCE@START-END to move out (repeatable)")
    _curation_options(p)


@command("split", "move mentions out of a commitment into a new one", _configure_split)
def cmd_split(args: argparse.Namespace) -> int:
    ledger = _load(args.ledger, [args.id])
    c = ledger.split(args.id, args.mentions, reason=args.reason, date=dt.date.today())
    return _save(ledger, args, f"split {len(c.mentions)} mention(s) out of {args.id} into new commitment {c.id}")


def _configure_reject(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", metavar="ID|MENTION", help="commitment id, or mention id SOURCE@START-END")
    add_ledger(p)
    p.add_argument("--reason", required=True, help="why it is not a pledge (kept in the decision record)")


@command("reject", "mark a commitment or a mention as not a pledge; later ingests keep it out", _configure_reject)
def cmd_reject(args: argparse.Namespace) -> int:
    ledger = _load(args.ledger, [args.target])
    ledger.reject(args.target, reason=args.reason, date=dt.date.today())
    return _save(ledger, args, f"rejected {args.target}: {args.reason}")


def _configure_pin(p: argparse.ArgumentParser) -> None:
    p.add_argument("mention", metavar="MENTION", help="mention id SOURCE@START-END")
    p.add_argument("id", metavar="ID", help="commitment it belongs to")
    _curation_options(p)


@command("pin", "pin a mention to a commitment for good", _configure_pin)
def cmd_pin(args: argparse.Namespace) -> int:
    ledger = _load(args.ledger, [args.mention, args.id])
    c = ledger.pin(args.mention, args.id, reason=args.reason, date=dt.date.today())
    return _save(ledger, args, f"pinned {args.mention} to {c.id}")


SET_FIELDS = ("title", "status", "note", "notes", "tags")


def _configure_set(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID", help="commitment id")
    p.add_argument(
        "assignments", nargs="*", metavar="FIELD=VALUE",
        help="title=…, status=fulfilled|…|auto, note=… (with status: the verdict's note; alone: same as notes=), notes=…, tags=a,b "
        "(optional with --evidence)",
    )  # fmt: skip
    p.add_argument("--evidence", action="append", default=[], metavar="EVIDENCE", help="evidence id supporting a status verdict (repeatable)")
    add_ledger(p)


@command("set", "set analyst fields (title, status verdict and its note, notes, tags); the machine never overwrites them", _configure_set)
def cmd_set(args: argparse.Namespace) -> int:
    if not args.assignments and not args.evidence:
        raise LedgerError("set: nothing to set; give FIELD=VALUE (title=…, status=…, note=…, notes=…, tags=…) or --evidence ID")
    values: dict[str, str] = {}
    for item in args.assignments:
        field, sep, value = item.partition("=")
        if not sep or field not in SET_FIELDS:
            raise LedgerError(f"set: expected FIELD=VALUE with FIELD one of title, status, note, notes, tags; got {item!r}")
        values[field] = value
    # note= explains a verdict (status_history[].note); without a status it is the commitment's notes, as before
    verdict_note = None
    if "note" in values:
        if "status" in values and values["status"] != "auto":
            verdict_note = values["note"] or None
        elif "notes" in values:
            raise LedgerError("set: note= without status= is the same as notes=; give one of them")
        else:
            values["notes"] = values.pop("note")
    # a ledger folder loads only this commitment and the evidence of the documents cited
    ledger = _load(args.ledger, [args.id], evidence=[e.split("@", 1)[0] for e in args.evidence])
    c = ledger.set(
        args.id,
        title=values.get("title"),
        status=values.get("status"),
        notes=values.get("notes"),
        tags=[t.strip() for t in values["tags"].split(",") if t.strip()] if "tags" in values else None,
        evidence=args.evidence,
        note=verdict_note,
        date=dt.date.today(),
    )
    said = [f"{k}={v}" for k, v in values.items()] or [f"evidence {e}" for e in args.evidence]
    return _save(ledger, args, f"{c.id}: " + ", ".join(said))


def _configure_migrate(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", metavar="SRC", help="ledger to read: a file (ledger.yaml) or a ledger folder (ledger/)")
    p.add_argument("target", metavar="DST", help="new ledger to write: a folder when it ends with '/' or is an empty folder, else a file")


@command("migrate", "convert a ledger between the single file and the ledger folder, losslessly", _configure_migrate)
def cmd_migrate(args: argparse.Namespace) -> int:
    from ..ledger.migrate import migrate

    migrated = migrate(args.source, args.target)
    out(f"wrote {args.target} ({migrated.commitments} commitments, {migrated.mentions} mentions)")
    return 0
