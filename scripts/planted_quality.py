"""Matching quality at scale on planted mentions (issue 19): match.cluster on the synthetic corpus's planted clauses.

    .venv/bin/python scripts/planted_quality.py 1000000 [--seed 1] [--cache DIR]

The figures of the issue's table: the benchmark's generator (seed 1) plants
commitments; their clauses, as Mention objects (extraction skipped), go
through ``match.cluster`` with data/matching.yaml as shipped, each with the facets extraction would
give its clause (targets, stage, instruments, topics: the unit and scope rules need them); pairwise and B³
precision/recall/F1 against the planted commitments, the largest
commitment, the matching time, peak RSS and the load average.  ``--cache``
keeps the generated mentions (a pickle per size and seed) so that the
matching can be timed again without generating the corpus again.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.benchmarks.generate import Generator  # noqa: E402
from tests.benchmarks.run import pairwise_and_b3, peak_rss_mb, planted_mentions  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mentions", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", help="folder for the generated mentions")
    parser.add_argument("--generate-only", action="store_true", help="write the cache and stop")
    args = parser.parse_args(argv)
    # "-facets": the mentions carry extraction's facets (tests/benchmarks/run.planted_mentions); a cache written
    # before they did is not read
    cache = Path(args.cache) / f"planted-{args.mentions}-{args.seed}-facets.pickle" if args.cache else None
    t = time.perf_counter()
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            mentions, gold = pickle.load(fh)
    else:
        docs = list(Generator(args.seed).documents(args.mentions))
        mentions = planted_mentions(docs)
        gold = {m.id: p.cluster for m, p in zip(mentions, (p for d in docs for p in d.mentions), strict=True)}
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            with cache.open("wb") as fh:
                pickle.dump((mentions, gold), fh, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"{len(mentions):,} planted mentions, {len(set(gold.values())):,} planted commitments ({time.perf_counter() - t:.0f} s)", flush=True)
    if args.generate_only:
        return 0
    from policy_tracker.matching.cluster import cluster

    load_before = os.getloadavg()
    t = time.perf_counter()
    clusters = cluster(mentions)
    seconds = time.perf_counter() - t
    scores = pairwise_and_b3(clusters, gold)
    print(json.dumps({"mentions": len(mentions), "commitments_found": len(clusters), "cluster_s": round(seconds, 1),
                      "peak_rss_mb": round(peak_rss_mb()), "load_before": load_before, "load_after": os.getloadavg(),
                      **{k: round(v, 4) if isinstance(v, float) else v for k, v in scores.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
