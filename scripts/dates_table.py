"""The documents whose date held the text rules leave unknown (or get wrong), and why: a Markdown table.

    python scripts/dates_table.py tests/corpus4 tests/corpus5 tests/corpus6 [--gold-name gold.yaml]
    python scripts/dates_table.py seeds --gold tests/data/seeds-gold.yaml

Each folder is loaded as ``eval --dates --no-manifest`` loads it (no manifest:
front matter, the text and the batch only).  One row per document whose gold
``held:`` is a date and whose date found differs: the gold date, what was
found, the warning that names the missing clue, and the gold's ``date_clue``
(how a reader knows the date, and whether the text gives it).  The last line
counts correct / wrong / unknown against the documents whose held date the
gold knows, as ``eval --dates`` does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from policy_tracker.evaluate import _load, read_gold, score_held


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def rows(folder: Path, gold_path: Path) -> tuple[list[str], str]:
    """The table rows of one folder and its summary line."""
    text = gold_path.read_text(encoding="utf-8-sig")
    gold, raw = read_gold(text, str(gold_path)), yaml.safe_load(text) or {}
    clues = {str(k): (v or {}).get("date_clue", "") for k, v in (raw.get("documents") or {}).items() if isinstance(v, dict)}
    docs = {d.id: d for d in _load(folder, use_manifest=False)}
    out = []
    for doc_id, held in gold.held:
        d = docs.get(doc_id)
        found = d.held if d is not None else None
        if held is None or found == held:
            continue
        why = "; ".join(w.removeprefix("date held unknown: ") for w in (d.warnings if d else ()) if "date held" in w) or "—"
        what = "WRONG " + found.isoformat() if found else "unknown"
        out.append(f"| {folder.name} | {doc_id} | {held.isoformat()} | {what} | {_cell(why)} | {_cell(clues.get(doc_id, ''))} |")
    scores = score_held(gold, {k: d.held for k, d in docs.items()})
    known, right = scores.total, len(scores.correct)
    share = f" ({right / known:.0%})" if known else ""
    return out, f"{folder.name}: {right}/{known} correct{share}, {len(scores.wrong)} wrong, {len(scores.unknown)} unknown, {len(scores.guessed)} guessed"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--gold", type=Path, help="the gold file (one folder only); default: <folder>/gold.yaml")
    args = ap.parse_args(argv)
    if args.gold and len(args.folders) > 1:
        ap.error("--gold takes one folder")
    print("| corpus | document | held (gold) | found | warning (the clue missing) | gold's date_clue |")
    print("|---|---|---|---|---|---|")
    summary = []
    for folder in args.folders:
        table, line = rows(folder, args.gold or folder / "gold.yaml")
        if table:
            print("\n".join(table))
        summary.append(line)
    print()
    print("\n".join(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
