"""``sources``: documents with their detected briefing date, kind, period and outlet."""

from __future__ import annotations

import argparse
import json

from ..sources.load import briefings_from

from ._shared import add_paths, command, load_from_args, out
from ..models import iso_date


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
                        "held": iso_date(d.held),
                        "published": iso_date(d.published),
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
