"""Candidate recall of the planted restatements, and what it costs, for several signature settings (issue 19).

    .venv/bin/python scripts/candidate_recall.py 100000 [--own 0,3,6] [--window 20] [--seed 1] [--cache DIR]

Takes the benchmark's synthetic corpus (tests/benchmarks/generate.py; with
``--cache``, the planted mentions kept by scripts/planted_quality.py), computes
the matching key of every planted mention as the matcher does, and for each
pair of mentions of one planted commitment checks whether the candidate rule
of ``matching.candidates.CandidateIndex`` (with data/matching.yaml's
``max_postings``, ``min_shared``, ``rare_postings``; ``own_rarest`` and
``signature_window`` as given) proposes it, before the ratio prefilter and
``top_k``.  The rule is applied pair by pair from the bigram counts and the
signature tokens' lists of holders (``rule.signature_tokens``), so that
10⁵–10⁶ keys need no candidate enumeration; it is the rule
``tests/test_blocking.py`` checks both backends against.  Prints the recall
(also counting keys of the same core, which ``candidates.verbatim_pairs``
always pairs) and the pairs the posting lists and the signature windows would
score.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import sys
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policy_tracker.matching.cluster import order_mentions  # noqa: E402
from policy_tracker.matching.config import MatchConfig  # noqa: E402
from policy_tracker.matching.keys import bigrams as grams  # noqa: E402
from policy_tracker.matching.keys import load_vocabulary, mention_keys  # noqa: E402
from policy_tracker.matching.rule import in_window, signature_tokens  # noqa: E402


def planted(size: int, seed: int, cache: str | None) -> tuple[list, dict[str, str]]:
    """The planted mentions and their commitments: from planted_quality.py's cache when it holds them, else generated."""
    path = Path(cache) / f"planted-{size}-{seed}.pickle" if cache else None
    if path is not None and path.exists():
        with path.open("rb") as fh:
            return pickle.load(fh)
    from tests.benchmarks.generate import Generator
    from tests.benchmarks.run import planted_mentions

    docs = list(Generator(seed).documents(size))
    mentions = planted_mentions(docs)
    return mentions, {m.id: p.cluster for m, p in zip(mentions, (p for d in docs for p in d.mentions), strict=True)}


def window_pairs(k: int, window: int) -> int:
    """How many pairs a list of ``k`` holders scores within ``window`` of each other."""
    return sum(k - d for d in range(1, min(window, k - 1) + 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mentions", type=int)
    parser.add_argument("--own", default="0,3,6", help="own_rarest values to compare (0: no signature)")
    parser.add_argument("--window", default=None, help="signature_window values to compare (default: data/matching.yaml's)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", help="folder of scripts/planted_quality.py's generated mentions")
    args = parser.parse_args(argv)
    vocab = load_vocabulary()
    config = MatchConfig.from_vocabulary(vocab)
    cap, need_shared, rare = config.max_postings, config.min_shared, config.rare_postings
    windows = [int(x) for x in args.window.split(",")] if args.window else [config.signature_window]
    t = time.perf_counter()
    mentions, gold = planted(args.mentions, args.seed, args.cache)
    ordered = order_mentions(mentions)
    keys = [k.core for k in mention_keys(ordered, vocab)]
    print(f"{len(keys):,} planted mentions, {len(set(keys)):,} distinct keys ({time.perf_counter() - t:.0f} s); "
          f"max_postings {cap}, min_shared {need_shared}, rare_postings {rare}")
    memo: dict[str, frozenset[str]] = {}
    gs = [memo[k] if k in memo else memo.setdefault(k, grams(k)) for k in keys]
    df = Counter(g for x in gs for g in x)
    members: defaultdict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(ordered):
        members[gold[m.id]].append(i)
    pairs = [p for ids in members.values() for p in itertools.combinations(ids, 2)]
    listed = sum(n * (n - 1) // 2 for n in df.values() if 2 <= n <= cap)
    base = []
    for i, j in pairs:
        shared = gs[i] & gs[j]
        base.append(sum(df[g] <= cap for g in shared) >= min(need_shared, len(gs[i]), len(gs[j])) or any(df[g] <= rare for g in shared))
    same = [keys[i] == keys[j] for i, j in pairs]
    print(f"{len(pairs):,} planted pairs; posting lists score {listed:,} pairs")
    print("own_rarest  signature_window  candidate recall  with same core  signature-window pairs")
    for own in (int(x) for x in args.own.split(",")):
        tokens: list[list[str]] = []
        cached: dict[str, list[str]] = {}
        for k, x in zip(keys, gs, strict=True):
            if k not in cached:
                cached[k] = signature_tokens([(df[g], g) for g in x], own, rare) if own else []
            tokens.append(cached[k])
        holders: defaultdict[str, list[int]] = defaultdict(list)
        for i, ts in enumerate(tokens):
            for tok in ts:
                holders[tok].append(i)
        for window in windows if own else windows[:1]:
            found = found_same = 0
            for (i, j), ok, copy in zip(pairs, base, same, strict=True):
                if not ok:
                    for tok in set(tokens[i]).intersection(tokens[j]):
                        p = holders[tok]
                        if in_window(bisect_left(p, i), bisect_left(p, j), window):
                            ok = True
                            break
                found += ok
                found_same += ok or copy
            extra = sum(window_pairs(len(p), window) for p in holders.values())
            print(f"{own:>10}  {window:>16}  {found / len(pairs):>16.4f}  {found_same / len(pairs):>14.4f}  {extra:>22,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
