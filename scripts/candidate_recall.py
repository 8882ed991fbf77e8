"""Candidate recall of the planted restatements, and what it costs, for several ``own_rarest`` (issue 19).

    .venv/bin/python scripts/candidate_recall.py 100000 [--own 0,2,3,4] [--seed 1]

Generates the benchmark's synthetic corpus (tests/benchmarks/generate.py),
computes the matching key of every planted mention, and for each pair of
mentions of one planted commitment checks whether the candidate rule of
``matching.candidates.CandidateIndex`` (with data/matching.yaml's
``max_postings``, ``min_shared``, ``rare_postings``) proposes it, before the
ratio prefilter and ``top_k``.  The rule is applied pair by pair from the
bigram counts, so that 10⁵–10⁶ keys need no candidate enumeration; it is
the rule ``tests/test_blocks.py`` checks both backends against.  Prints the
recall and the pairs the posting lists and the signature lists would score.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policy_tracker.matching.keys import bigrams as grams  # noqa: E402
from policy_tracker.matching.keys import key_of_text, load_vocabulary  # noqa: E402
from policy_tracker.matching.config import MatchConfig  # noqa: E402
from tests.benchmarks.generate import Generator  # noqa: E402
from tests.benchmarks.run import fold  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mentions", type=int)
    parser.add_argument("--own", default="0,2,3,4", help="own_rarest values to compare")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    vocab = load_vocabulary()
    config = MatchConfig.from_vocabulary(vocab)
    cap, need_shared, rare = config.max_postings, config.min_shared, config.rare_postings
    t = time.perf_counter()
    planted = [m for d in Generator(args.seed).documents(args.mentions) for m in d.mentions]
    memo: dict[str, str] = {}
    keys = [memo.setdefault(m.text, key_of_text(fold(m.text), vocab=vocab).core) for m in planted]
    print(f"{len(keys):,} planted mentions, {len(set(keys)):,} distinct keys ({time.perf_counter() - t:.0f} s); "
          f"max_postings {cap}, min_shared {need_shared}, rare_postings {rare}")
    gs = [frozenset(grams(k)) for k in keys]
    df = Counter(g for x in gs for g in x)
    members: defaultdict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(planted):
        members[m.cluster].append(i)
    pairs = [p for ids in members.values() for p in itertools.combinations(ids, 2)]
    listed = sum(n * (n - 1) // 2 for n in df.values() if 2 <= n <= cap)
    print(f"{len(pairs):,} planted pairs; posting lists score {listed:,} pairs")
    print("own_rarest  candidate recall  signature-list pairs")
    for r in (int(x) for x in args.own.split(",")):
        sig = [set(sorted((g for g in x if df[g] > 1), key=lambda g: (df[g], g))[:r]) for x in gs]
        found = 0
        for i, j in pairs:
            shared = gs[i] & gs[j]
            ok = sum(df[g] <= cap for g in shared) >= min(need_shared, len(gs[i]), len(gs[j])) or any(df[g] <= rare for g in shared)
            found += ok or bool(sig[i] & sig[j] & shared)
        blocks = Counter(g for s in sig for g in s if df[g] > rare)
        extra = sum(n * (n - 1) // 2 for n in blocks.values())
        print(f"{r:>10}  {found / len(pairs):>16.4f}  {extra:>20,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
