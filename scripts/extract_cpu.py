"""CPU seconds of extraction alone, in one process, on the benchmark's synthetic corpus (issue 15).

Builds the corpus of ``tests.benchmarks.run`` (SIZE planted mentions), then
extracts every document ``--repeat`` times in this process (no fork pool, no
matching), clearing the per-clause facet cache before each pass so that every
pass does the same work, and prints the CPU seconds (``time.process_time``) of
each pass, their minimum and the mentions found.  On a shared machine compare
two versions by running both, alternately, under ``flock /tmp/pt-bench.lock``:

    python scripts/extract_cpu.py 10000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, help="planted mentions of the synthetic corpus")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the corpus")
    args = parser.parse_args(argv)
    from tests.benchmarks.run import corpus_and_next, to_documents
    from policy_tracker.extraction import extract as extract_module

    corpus, _ = corpus_and_next(args.size, args.seed)
    docs = to_documents(corpus.documents)
    passes, found = [], 0
    for _ in range(args.repeat):
        extract_module._facets.cache_clear()
        t = time.process_time()
        found = sum(len(extract_module._extract(d)[0]) for d in docs)
        passes.append(round(time.process_time() - t, 3))
    print(json.dumps({"documents": len(docs), "mentions": found, "cpu_s": passes, "min_cpu_s": min(passes)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
