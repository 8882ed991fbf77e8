"""The ``extract`` subcommand: print the pledge mentions (and optionally evidence) of documents."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from ._shared import add_paths, command, load_from_args
from .options import add_output, emit, excel, output_format

if TYPE_CHECKING:
    from ..models import Mention

CSV_COLUMNS = ("document", "kind", "id", "source", "start", "end", "quote", "speaker", "role", "section", "stage", "strength",
               "verbs", "targets", "deadlines", "instruments", "topics")  # fmt: skip


def _configure(p: argparse.ArgumentParser) -> None:
    add_paths(p)
    add_output(p, ("text", "yaml", "json", "csv"), "text")
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
    import yaml

    from ..extraction.extract import extract_all
    from ..ledger.export import csv_text, flat
    from ..ledger.yaml_io import evidence_out, mention_out

    result = load_from_args(args)
    data = []
    for doc in result.documents:
        mentions, evidence = extract_all(doc)
        entry = {"document": doc.id, "mentions": [mention_out(m) for m in mentions]}
        if args.evidence:
            entry["evidence"] = [evidence_out(e) for e in evidence]
        data.append((doc, mentions, evidence, entry))
    fmt = output_format(args)
    if fmt == "json":
        emit(args, json.dumps([d[3] for d in data], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "yaml":
        emit(args, yaml.safe_dump([d[3] for d in data], allow_unicode=True, sort_keys=False))
    elif fmt == "csv":  # one row per mention (and evidence statement with --evidence)
        rows = []
        for doc, mentions, evidence, _ in data:
            items = [("mention", m) for m in mentions] + ([("evidence", e) for e in evidence] if args.evidence else [])
            for kind, item in items:
                record = flat(mention_out(item) if kind == "mention" else evidence_out(item))
                record.update(document=doc.id, kind=kind, id=f"{item.source}@{item.start}-{item.end}")
                rows.append([record.get(k) for k in CSV_COLUMNS])
        emit(args, csv_text(CSV_COLUMNS, rows, excel=excel(args)))
    else:
        lines = []
        for doc, mentions, evidence, _ in data:
            lines.append(f"{doc.id}: {len(mentions)} mentions" + (f", {len(evidence)} evidence" if args.evidence else ""))
            lines += ["  " + _text_line(m) for m in mentions]
            if args.evidence:
                lines += [f"  evidence {e.source}@{e.start}-{e.end}  {e.text or e.quote}" for e in evidence]
        emit(args, "".join(line + "\n" for line in lines))
    return 1 if result.errors else 0
