"""Time ``policy-tracker ingest seeds`` into a fresh ledger: best of N runs.

Each run is one new process (``python -m policy_tracker ingest seeds
--ledger L --quiet``), so the figure includes interpreter start-up, imports,
loading the data tables and the OpenCC dictionaries: what a user waits for.
Wall time depends on what else the machine runs, so the process's CPU time
(user + system) is printed too.

    python scripts/ingest_time.py            # best of 3
    python scripts/ingest_time.py --runs 5 --docs tests/corpus
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="number of runs (default 3); the best is reported")
    parser.add_argument("--docs", default="seeds", help="documents to ingest (default: seeds)")
    args = parser.parse_args(argv)
    times = []
    cpu = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "policy_tracker", "ingest", args.docs, "--ledger", str(Path(tmp) / "L.yaml"), "--quiet"]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    print(f"$ python -m policy_tracker ingest {args.docs} --ledger L --quiet")
    print("wall: " + ", ".join(f"{t:.3f}" for t in times) + " s")
    print("cpu:  " + ", ".join(f"{t:.3f}" for t in cpu) + " s (user + system of the process)")
    print(f"best of {args.runs}: wall {min(times):.3f} s, cpu {min(cpu):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
