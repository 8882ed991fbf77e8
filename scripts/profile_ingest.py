"""CPU-time profile of the benchmark's full ingest (and optionally the save) at SIZE mentions (issue 15).

Builds the synthetic corpus of ``tests.benchmarks.run``, extracts it on one
forked process per core (not profiled: the workers are other processes),
then runs ``cProfile`` with ``time.process_time`` around ``Ledger.ingest``
(and ``Ledger.save`` when a path is given) and prints the top functions by
cumulative and by own time.  CPU time, because the machine is shared.

    flock /tmp/pt-bench.lock python scripts/profile_ingest.py 100000 [/tmp/L.yaml]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, help="planted mentions of the synthetic corpus")
    parser.add_argument("ledger", nargs="?", help="also profile saving the ledger here")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=40, help="functions to list per ordering")
    args = parser.parse_args(argv)
    from tests.benchmarks.run import corpus_and_next, to_documents
    from policy_tracker.extraction.extract import extract_many
    from policy_tracker.ledger import Ledger

    corpus, _ = corpus_and_next(args.size, args.seed)
    docs = to_documents(corpus.documents)
    results = dict(zip((d.id for d in docs), extract_many(docs)))
    ledger = Ledger()
    for label, step in [("ingest", lambda: ledger.ingest(docs, extract=lambda d: results[d.id][0], extract_evidence=None))] + (
        [("save", lambda: ledger.save(args.ledger))] if args.ledger else []
    ):
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        step()
        profile.disable()
        print(f"==== {label}")
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
