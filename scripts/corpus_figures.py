"""First-contact figures of a gold corpus: extraction, linking and briefing dates, as an analyst would ingest it.

    python scripts/corpus_figures.py tests/corpus4 [--gold GOLD] [--with-manifest] [--python PY]

The corpus documents (*.txt, *.md) are copied to a scratch folder WITHOUT the
corpus's ``briefings.yaml`` (unless ``--with-manifest``), ingested with
``policy-tracker ingest`` (the shipped manifest still applies: it names the seed
files only), scored with ``policy-tracker eval --ledger`` and the held date of
each gold document compared with the ledger's briefing dates:
correct / wrong / unknown, and guessed (a gold ``held: unknown`` given a date),
by the one date scorer, :func:`policy_tracker.evaluate.score_held` (as ``eval --dates``).
``--python`` runs another checkout's interpreter (to measure an older commit
the same way).  Several corpus folders may be given: they are ingested together
into one ledger and each is scored against its own gold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from policy_tracker.evaluate import read_gold, score_held
from policy_tracker.sources.metadata import parse_date


def ledger_dates(ledger: dict) -> dict[str, dt.date | None]:
    """Document stem → the held date of its briefing in a loaded ledger (None when undated)."""
    dates: dict[str, dt.date | None] = {}
    for b in ledger.get("briefings") or []:
        for d in b.get("documents") or []:
            dates[Path(str(d)).stem] = parse_date(b.get("held"))
    return dates


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+", type=Path, help="corpus folders, each with gold.yaml (or --gold for one)")
    ap.add_argument("--gold", type=Path, help="gold file when a single folder has it elsewhere")
    ap.add_argument("--with-manifest", action="store_true", help="keep the corpus's briefings.yaml")
    ap.add_argument("--python", default=sys.executable, help="interpreter of the checkout to measure")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        docs.mkdir()
        for corpus in args.corpora:
            for f in sorted(corpus.iterdir()):
                if f.suffix in (".txt", ".md") and f.name not in ("SOURCES.md", "README.md"):
                    shutil.copy(f, docs / f.name)
            if args.with_manifest and (corpus / "briefings.yaml").exists():
                shutil.copy(corpus / "briefings.yaml", Path(tmp) / f"{corpus.name}-briefings.yaml")
        ledger_path = Path(tmp) / "ledger.yaml"
        cmd = [args.python, "-m", "policy_tracker", "ingest", str(docs), "--ledger", str(ledger_path)]
        for m in sorted(Path(tmp).glob("*-briefings.yaml")):
            cmd += ["--manifest", str(m)]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode not in (0, 3):
            print(run.stdout, run.stderr, file=sys.stderr)
            return 1
        with open(ledger_path, encoding="utf-8") as fh:
            dates = ledger_dates(yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
        for corpus in args.corpora:
            gold_path = args.gold if args.gold and len(args.corpora) == 1 else corpus / "gold.yaml"
            # Score this corpus's documents only: eval reads the documents named by the gold.
            ev = subprocess.run(
                [args.python, "-m", "policy_tracker", "eval", str(gold_path), "--docs", str(docs), "--ledger", str(ledger_path), "--format", "json"],
                capture_output=True, text=True,
            )
            if ev.returncode != 0:
                print(ev.stdout, ev.stderr, file=sys.stderr)
                return 1
            scores = json.loads(ev.stdout)
            gold = read_gold(gold_path.read_text(encoding="utf-8-sig"), str(gold_path))
            dated = score_held(gold, {doc: dates.get(doc) for doc, _ in gold.held})  # a document no briefing lists is undated
            tally = {"correct": len(dated.correct), "wrong": len(dated.wrong), "unknown": len(dated.unknown), "guessed": len(dated.guessed)}
            wrong = [f"{doc}: {got} (gold {want})" for doc, got, want in dated.wrong]
            wrong += [f"{doc}: {got} (gold unknown: a guess)" for doc, got in dated.guessed]
            scores["dates"] = tally
            scores["dates_wrong"] = wrong
            results[corpus.name] = scores
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    keys = ["extraction_recall", "evidence_false_positives", "pairwise_precision", "pairwise_recall", "pairwise_f1", "cross_briefing_link_recall"]
    for name, s in results.items():
        d = s["dates"]
        print(f"{name}: " + ", ".join(f"{k} {s.get(k)}" for k in keys) + f", dates correct {d['correct']} / wrong {d['wrong']} / unknown {d['unknown']} / guessed {d['guessed']}")
        for w in s["dates_wrong"]:
            print(f"  wrong date {w}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
