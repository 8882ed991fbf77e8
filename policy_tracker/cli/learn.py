"""``policy-tracker review`` and ``train``: analysts teach the matcher (pairs it is unsure of; refit the pair scorer)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ._shared import command, err, out
from .options import add_ledger
from ..errors import PolicyTrackerError


def _configure_review(p: argparse.ArgumentParser) -> None:
    add_ledger(p)
    p.add_argument("--limit", type=int, default=20, metavar="N", help="pairs to ask about (default 20)")


def _ask(prompt: str) -> str | None:
    """One answer: from the terminal, or a line of standard input when it is not one (scripted review)."""
    if sys.stdin.isatty():
        try:
            return input(prompt).strip().lower()
        except EOFError:
            return None
    out(prompt.rstrip())
    line = sys.stdin.readline()
    return line.strip().lower() if line else None


@command("review", "show the candidate pairs the matcher is least sure of and record your answers (y/n/s/q) as decisions", _configure_review)
def cmd_review(args: argparse.Namespace) -> int:
    from ..ledger.ledger import Ledger
    from ..ledger.review import answer, review_pairs

    ledger = Ledger.load(args.ledger)
    # a mention answered about has moved: later pairs naming it are stale, so more are fetched than asked
    pairs = review_pairs(ledger, limit=args.limit * 3)
    if not pairs:
        out("nothing to review: no undecided candidate pair")
        return 0
    answered = asked = 0
    touched: set[str] = set()
    for pair in pairs:
        if asked == args.limit:
            break
        if {pair.a.id, pair.b.id} & touched:
            continue
        asked += 1
        n = asked
        where = f"both in {pair.commitment_a}" if pair.within else f"{pair.commitment_a} / {pair.commitment_b}"
        out(f"\n[{n}/{args.limit}] score {pair.score} ({where})")
        for m in (pair.a, pair.b):
            out(f"  {m.id}  {m.date or 'undated'}  {m.speaker or ''}")
            out(f"    {m.quote}")
        out("  features: " + ", ".join(f"{k} {v}" for k, v in pair.features))
        while True:
            reply = _ask("Same pledge? [y]es / [n]o / [s]kip / [q]uit: ")
            if reply is None or reply in ("q", "quit"):
                reply = "q"
                break
            if reply in ("y", "yes", "n", "no", "s", "skip"):
                break
            err("answer y, n, s or q")
        if reply == "q":
            break
        if reply[0] in "yn":
            ledger.decide(answer(pair, reply[0] == "y", date=dt.date.today()))
            touched.update((pair.a.id, pair.b.id))
            answered += 1
    if answered:
        ledger.save(args.ledger)
    out(f"\n{answered} answer(s) recorded in {args.ledger}" if answered else "\nno answer recorded")
    return 0


def _configure_train(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "gold", nargs="*", metavar="GOLD.yaml:DOCS",
        help="gold corpora as GOLD.yaml:DOCS_DIR (default: the annotated corpora shipped in tests/ of a source checkout)",
    )
    add_ledger(p, default=None, help="also learn from this ledger's review answers")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="data folder to write pair_model.yaml into (use it with POLICY_TRACKER_DATA=DIR)")
    p.add_argument("--l2", type=float, default=1.0, help="L2 penalty of the logistic fit (default 1.0)")
    p.add_argument("--no-loo", dest="loo", action="store_false", help="skip the leave-one-corpus-out figures (they refit once per corpus)")


def _corpora(specs: list[str]) -> list[tuple[str, str, str]]:
    if specs:
        out_specs = []
        for spec in specs:
            gold, sep, docs = spec.rpartition(":")
            if not sep or not gold or not docs:
                raise PolicyTrackerError(f"{spec}: expected GOLD.yaml:DOCS_DIR, e.g. tests/corpus2/gold.yaml:tests/corpus2")
            out_specs.append((gold, docs, Path(docs).name))
        return out_specs
    root = Path(__file__).resolve().parents[2]
    found = [(str(root / "tests/data/seeds-gold.yaml"), str(root / "seeds"), "seeds")] if (root / "seeds").is_dir() else []
    found += [(str(g), str(g.parent), g.parent.name) for g in sorted(root.glob("tests/corpus*/gold.yaml"))]
    if not found:
        raise PolicyTrackerError("no gold corpora found; name them as GOLD.yaml:DOCS_DIR")
    return found


@command("train", "refit the pair scorer on gold corpora (and a ledger's review answers) into a data folder", _configure_train)
def cmd_train(args: argparse.Namespace) -> int:
    import yaml

    from ..ledger.ledger import Ledger
    from ..ledger.review import decided_pairs

    from ..training import leave_one_out, load_corpus, train

    corpora = [load_corpus(g, d, name) for g, d, name in _corpora(args.gold)]
    decisions: dict[str, list[tuple[str, str, bool]]] = {}
    if args.ledger:
        pairs = decided_pairs(Ledger.load(args.ledger).decisions)
        out(f"{args.ledger}: {len(pairs)} judged pair(s)")
        for c in corpora:  # a pair counts in the corpus holding both mentions
            ids = {m.id for m in c.mentions}
            decisions[c.name] = [p for p in pairs if p[0] in ids and p[1] in ids]
    model = train(corpora, decisions=decisions, l2=args.l2)
    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "pair_model.yaml"
    header = "# The learned pair scorer, written by `policy-tracker train`; use it with POLICY_TRACKER_DATA=" + str(folder) + "\n"
    target.write_text(header + yaml.safe_dump(model.to_table(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    out(f"wrote {target} ({model.meta['trained']['pairs']} pairs, {model.meta['trained']['same']} same-pledge)")
    out("weights: " + ", ".join(f"{k} {v}" for k, v in model.to_table()["weights"].items()))
    out("thresholds: " + ", ".join(f"{k} {v}" for k, v in model.thresholds.items()))
    if args.loo and len(corpora) > 1:
        out("leave-one-corpus-out (train on the others, score the one left out): learned | rules")
        for h in leave_one_out(corpora, l2=args.l2, decisions=decisions):
            l, r = h.learned, h.rules
            out(f"  {h.corpus:10} P {l.pairwise_precision:.3f} R {l.pairwise_recall:.3f} F1 {l.pairwise_f1:.3f} | P {r.pairwise_precision:.3f} R {r.pairwise_recall:.3f} F1 {r.pairwise_f1:.3f}")
    return 0
