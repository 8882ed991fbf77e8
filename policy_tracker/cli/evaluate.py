"""``policy-tracker eval``: score a ledger (or a fresh ingest) against a hand-annotated gold file."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from ._shared import command
from .options import add_ledger, add_output, emit, output_format
from ..errors import PolicyTrackerError

if TYPE_CHECKING:
    from ..evaluate import DateScores


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("gold", metavar="GOLD.yaml", help="gold annotations (format: tests/data/seeds-gold.yaml)")
    p.add_argument("--docs", required=True, metavar="DIR", help="folder of the annotated documents")
    add_ledger(p, default=None, help="ledger to score (default: ingest --docs afresh, in memory)")
    p.add_argument(
        "--anchors", action="store_true", help="cluster the gold anchors themselves (measures matching alone, as if extraction were perfect)"
    )
    p.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", dest="overrides",
        help="override a threshold of data/matching.yaml for this run (repeatable), e.g. --set join=50",
    )
    p.add_argument(
        "--dates", action="store_true",
        help="score each document's date held against the gold's documents: held: (correct / wrong / unknown, and guessed where the gold says unknown) instead of commitments",
    )
    p.add_argument(
        "--no-manifest", dest="use_manifest", action="store_false",
        help="load the documents without any manifest (neither data/briefings.yaml nor one beside them): dates come from the text",
    )
    add_output(p, ("text", "json"), "text")
    p.add_argument("--verbose", action="store_true", help="also list missed gold mentions and evidence taken for pledges (with --dates: wrong, unknown and guessed dates)")


def parse_overrides(items: list[str]) -> dict[str, float]:
    """``["join=50", "agree=35"]`` → ``{"join": 50.0, "agree": 35.0}``."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise PolicyTrackerError(f"--set {item}: expected NAME=NUMBER, e.g. --set join=50")
    return out


@command("eval", "score commitments against a gold file: extraction recall, pairwise precision/recall, link recall", _configure)
def cmd_eval(args: argparse.Namespace) -> int:
    from ..evaluate import evaluate_dates, evaluate_paths

    if args.ledger and (args.anchors or args.overrides):
        raise PolicyTrackerError("--ledger scores a finished ledger; --anchors and --set apply to a fresh run only")
    if args.dates:
        if args.ledger or args.anchors or args.overrides:
            raise PolicyTrackerError("--dates scores the documents' dates; --ledger, --anchors and --set do not apply")
        return _print_dates(evaluate_dates(args.gold, args.docs, use_manifest=args.use_manifest), args)
    if args.ledger and not args.use_manifest:
        raise PolicyTrackerError("--ledger scores a finished ledger; --no-manifest applies to a fresh run only")
    scores = evaluate_paths(
        args.gold, args.docs, args.ledger, anchors=args.anchors, overrides=parse_overrides(args.overrides), use_manifest=args.use_manifest
    )
    if output_format(args) == "json":
        emit(args, json.dumps(scores.as_dict(), ensure_ascii=False) + "\n")
        return 0
    lines = []
    if args.verbose:
        lines += [f"missed {m}" for m in scores.missed]
        lines += [f"evidence extracted as pledge: {h}" for h in scores.evidence_hits]
    lines += [f"{key}: {value}" for key, value in scores.as_dict().items()]
    emit(args, "".join(line + "\n" for line in lines))
    return 0


def _print_dates(scores: DateScores, args: argparse.Namespace) -> int:
    if output_format(args) == "json":
        emit(args, json.dumps(scores.as_dict(), ensure_ascii=False) + "\n")
        return 0
    lines = []
    if args.verbose:
        lines += [f"wrong {doc}: found {found.isoformat()}, gold {want.isoformat()}" for doc, found, want in scores.wrong]
        lines += [f"unknown {doc}" for doc in scores.unknown]
        lines += [f"guessed {doc}: found {found.isoformat()}, gold unknown" for doc, found in scores.guessed]
    lines += [f"{key}: {value}" for key, value in scores.as_dict().items()]
    emit(args, "".join(line + "\n" for line in lines))
    return 0
