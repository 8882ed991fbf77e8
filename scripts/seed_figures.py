"""Measure the figures quoted in closing notes on the shipped seeds.

Runs exactly ``python -m policy_tracker ingest seeds --ledger L`` into a
temporary folder, then the reference scorer ``../shared/tools/score_gold.py``
(when the shared folder is beside the checkout; otherwise the built-in
``policy-tracker eval`` with the copy in ``tests/data``), and prints mention
granularity: count, median / min / max quote length, quotes over 120
characters, and the quote invariant checked against the documents.

    python scripts/seed_figures.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "tools" / "score_gold.py"
GOLD = ROOT.parent / "shared" / "gold" / "seeds-gold.yaml"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "L.yaml"
        cmd = [sys.executable, "-m", "policy_tracker", "ingest", "seeds", "--ledger", str(ledger), "--quiet"]
        subprocess.run(cmd, cwd=ROOT, check=True)
        print("$ python -m policy_tracker ingest seeds --ledger L")
        if SCORER.is_file() and GOLD.is_file():
            print("$ python ../shared/tools/score_gold.py ../shared/gold/seeds-gold.yaml seeds L")
            score = [sys.executable, str(SCORER), str(GOLD), "seeds", str(ledger)]
        else:
            print("$ policy-tracker eval tests/data/seeds-gold.yaml --docs seeds --ledger L")
            score = [sys.executable, "-m", "policy_tracker", "eval", "tests/data/seeds-gold.yaml", "--docs", "seeds", "--ledger", str(ledger)]
        sys.stdout.flush()
        subprocess.run(score, cwd=ROOT, check=True)
        data = yaml.safe_load(ledger.read_text(encoding="utf-8"))
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "seeds").iterdir() if p.suffix in (".txt", ".md")}
    mentions = [m for c in data["commitments"] for m in c["mentions"]]
    lengths = [len(m["quote"]) for m in mentions]
    broken = sum(texts[m["source"]][m["start"] : m["end"]] != m["quote"] for m in mentions)
    print("mention granularity:")
    print(f"  mentions: {len(lengths)}")
    print(f"  quote length median / min / max: {statistics.median(lengths)} / {min(lengths)} / {max(lengths)}")
    print(f"  quotes longer than 120 characters: {sum(n > 120 for n in lengths)}")
    print(f"  quotes != text[start:end]: {broken}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
