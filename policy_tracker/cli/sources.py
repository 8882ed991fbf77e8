"""``sources``: documents with their detected briefing date, kind, period and outlet."""

from __future__ import annotations

import argparse
import json

from ._shared import add_paths, command, load_from_args
from .options import add_output, emit, output_format


def _configure_sources(p: argparse.ArgumentParser) -> None:
    add_paths(p)
    add_output(p, ("text", "json"), "text")


@command("sources", "list documents with their detected briefing date, kind, period and outlet", _configure_sources)
def cmd_sources(args: argparse.Namespace) -> int:
    from ..models import iso_date
    from ..sources.load import briefings_from

    result = load_from_args(args)
    docs = {d.id: d for d in result.documents}
    briefings = briefings_from(result.documents)
    if output_format(args) == "json":
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
        emit(args, json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 1 if result.errors else 0
    lines = []
    for b in briefings:
        lines.append(f"{b.id}  held {b.held or 'unknown'}  {b.kind}  period {b.period or 'unknown'}")
        for doc_id in b.documents:
            d = docs[doc_id]
            lines.append(f"  {d.id}  published {d.published or 'unknown'}  outlet {d.outlet or 'unknown'}  date {'from ' + d.date_source if d.date_source else 'unknown'}")
            if d.title:
                lines.append(f"    {d.title}")
    emit(args, "".join(line + "\n" for line in lines))
    return 1 if result.errors else 0
