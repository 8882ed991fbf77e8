"""Local vs ``--dask local``: wall time, peak RSS and whether the two ledgers are byte-identical.

    python -m tests.benchmarks.dask_compare --mentions 10000 --workers 2

Generates the synthetic corpus (tests/benchmarks/generate.py), then ingests it
into a fresh ledger twice, each in its own process: once as a local run
(forked pool), once with extraction and pair scoring on a LocalCluster of
``--workers`` worker processes.  Peak RSS: the client process itself, its
forked children (local run), and the largest Dask worker (from the workers'
own ``getrusage``).  Prints one line per run and ``identical: True|False``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _worker_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(docs: str, ledger: str, dask_workers: int) -> dict[str, object]:
    """Ingest ``docs`` into ``ledger`` in this process; ``dask_workers`` > 0 runs on a LocalCluster of that many workers."""
    from policy_tracker import parallel
    from policy_tracker.ledger.ingest import ingest_paths

    out: dict[str, object] = {"mode": f"dask local ({dask_workers} workers)" if dask_workers else "local"}
    if dask_workers:
        from policy_tracker.dask_executor import connect

        t0 = time.perf_counter()
        with connect("local", workers=dask_workers) as executor:
            started = time.perf_counter()
            with parallel.using(executor):
                ingest_paths([docs], ledger, show_progress=False)
            out["ingest_s"] = round(time.perf_counter() - started, 1)
            out["worker_peak_mb"] = round(max(executor.client.run(_worker_peak_mb).values()), 0)
        out["wall_s"] = round(time.perf_counter() - t0, 1)
    else:
        t0 = time.perf_counter()
        ingest_paths([docs], ledger, show_progress=False)
        out["wall_s"] = out["ingest_s"] = round(time.perf_counter() - t0, 1)
        out["children_peak_mb"] = round(_peak_mb(resource.RUSAGE_CHILDREN), 0)
    out["client_peak_mb"] = round(_peak_mb(), 0)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.dask_compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes (default 2)")
    parser.add_argument("--one", nargs=3, metavar=("DOCS", "LEDGER", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one[0], args.one[1], int(args.one[2]))))
        return 0
    from tests.benchmarks.generate import generate, write

    with tempfile.TemporaryDirectory() as tmp:
        docs = write(generate(args.mentions, seed=args.seed), Path(tmp) / "corpus")
        print(f"{args.mentions} planted mentions, {len(list(docs.glob('*.txt')))} documents; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        ledgers = []
        for workers in (0, args.workers):
            ledger = Path(tmp) / f"ledger-{workers}.yaml"
            cmd = [sys.executable, "-m", "tests.benchmarks.dask_compare", "--one", str(docs), str(ledger), str(workers)]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            print(done.stdout.strip().splitlines()[-1], f"load average {os.getloadavg()[0]:.1f}")
            ledgers.append(ledger.read_bytes())
        print(f"identical: {ledgers[0] == ledgers[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
