"""``policy-tracker eval``: score a ledger (or a fresh ingest) against a hand-annotated gold file."""

from __future__ import annotations

import argparse
import json

from ..cli import command, out
from ..evaluate import evaluate_paths


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("gold", metavar="GOLD.yaml", help="gold annotations (format: tests/data/seeds-gold.yaml)")
    p.add_argument("--docs", required=True, metavar="DIR", help="folder of the annotated documents")
    p.add_argument("--ledger", metavar="FILE", help="ledger to score (default: ingest --docs afresh, in memory)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--verbose", action="store_true", help="also list missed gold mentions and evidence taken for pledges")


@command("eval", "score commitments against a gold file: extraction recall, pairwise precision/recall, link recall", _configure)
def cmd_eval(args: argparse.Namespace) -> int:
    scores = evaluate_paths(args.gold, args.docs, args.ledger)
    if args.format == "json":
        out(json.dumps(scores.as_dict(), ensure_ascii=False))
        return 0
    if args.verbose:
        for m in scores.missed:
            out(f"missed {m}")
        for h in scores.evidence_hits:
            out(f"evidence extracted as pledge: {h}")
    for key, value in scores.as_dict().items():
        out(f"{key}: {value}")
    return 0
