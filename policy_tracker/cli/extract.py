"""The ``extract`` subcommand: print the pledge mentions (and optionally evidence) of documents."""

from __future__ import annotations

import argparse
import json

import yaml

from ._shared import add_paths, command, load_from_args, out
from ..extraction.extract import extract_all
from ..models import Mention
from ..ledger.yaml_io import evidence_out, mention_out


def _configure(p: argparse.ArgumentParser) -> None:
    add_paths(p)
    p.add_argument("--format", choices=("text", "yaml", "json"), default="text", help="output format (default: text)")
    p.add_argument("--evidence", action="store_true", help="also list past-tense progress statements (evidence)")
    p.add_argument("--quiet", "-q", action="store_true", help="do not print metadata warnings")


def _text_line(m: Mention) -> str:
    bits = [f"{m.source}@{m.start}-{m.end}", m.text or m.quote]
    attrs_ = []
    if m.speaker:
        attrs_.append(f"speaker={m.speaker}")
    if m.stage:
        attrs_.append(f"stage={m.stage}")
    if m.strength:
        attrs_.append(f"strength={m.strength}")
    if m.deadlines:
        attrs_.append("deadline=" + ",".join(d.period or d.raw for d in m.deadlines))
    if m.targets:
        attrs_.append("target=" + ",".join(t.raw for t in m.targets))
    if m.topics:
        attrs_.append("topics=" + ",".join(m.topics))
    return "  ".join(bits) + ("  [" + "; ".join(attrs_) + "]" if attrs_ else "")


@command("extract", "print the pledge mentions found in documents (no ledger is written)", _configure)
def cmd_extract(args: argparse.Namespace) -> int:
    result = load_from_args(args)
    data = []
    for doc in result.documents:
        mentions, evidence = extract_all(doc)
        entry = {"document": doc.id, "mentions": [mention_out(m) for m in mentions]}
        if args.evidence:
            entry["evidence"] = [evidence_out(e) for e in evidence]
        data.append((doc, mentions, evidence, entry))
    if args.format == "json":
        out(json.dumps([d[3] for d in data], ensure_ascii=False, indent=2))
    elif args.format == "yaml":
        out(yaml.safe_dump([d[3] for d in data], allow_unicode=True, sort_keys=False).rstrip())
    else:
        for doc, mentions, evidence, _ in data:
            out(f"{doc.id}: {len(mentions)} mentions" + (f", {len(evidence)} evidence" if args.evidence else ""))
            for m in mentions:
                out("  " + _text_line(m))
            if args.evidence:
                for e in evidence:
                    out(f"  evidence {e.source}@{e.start}-{e.end}  {e.text or e.quote}")
    return 1 if result.errors else 0
