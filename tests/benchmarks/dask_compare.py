"""Local vs ``--dask local``: wall time, peak RSS, where Dask's overhead goes, and whether the two ledgers are byte-identical.

    python -m tests.benchmarks.dask_compare --mentions 100000 --workers 2

Generates the synthetic corpus (tests/benchmarks/generate.py), then ingests it
into a fresh ledger file twice, each in its own process, as the CLI does
(``ingest_paths``: load the documents, extract, match, write the YAML): once
as a local run (forked pool), once with extraction and pair scoring on a
LocalCluster of ``--workers`` worker processes (one thread each).

Printed per run: the wall time of the process's work (cluster start apart),
of the two parallel steps (extraction: ``extract_iter`` until its last
document; scoring: ``score.score_pairs``) and of the rest (the same code in
both runs: reading the documents, matching keys, clustering, ids, the YAML
write); peak RSS of the client, of the forked children (local; the largest)
and of each Dask worker (its own ``getrusage``).  For the Dask run, each step
is split into scatter (the step's shared state to every worker, the items a
partition each), run (until every task is done) and gather (results back to
the client), with the workers' own compute time from Dask's task stream and
the pickled size of what was sent and received.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _worker_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Sizes:
    """Forwards to the Dask executor, recording the pickled size of each step's shared state, items and results."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.workers, self.steps, self.sizing_s = inner, inner.workers, [], 0.0

    def map(self, fn: Any, shared: Any, items: Any) -> list[Any]:
        t = time.perf_counter()
        sent = (len(pickle.dumps(shared, protocol=5)), len(pickle.dumps(list(items), protocol=5)))
        sizing = time.perf_counter() - t
        out = self.inner.map(fn, shared, items)
        t = time.perf_counter()
        received = len(pickle.dumps(out, protocol=5))
        sizing += time.perf_counter() - t
        self.sizing_s += sizing
        self.steps.append({"shared_mb": sent[0] / 1e6, "items_mb": sent[1] / 1e6, "results_mb": received / 1e6, "sizing_s": sizing})
        return out


def _timed_steps(walls: dict[str, float]) -> None:
    """Time the two parallel steps wherever they run: extraction until its last document, and pair scoring."""
    from policy_tracker.extraction import extract
    from policy_tracker.matching import cluster

    extract_iter, score_pairs = extract.extract_iter, cluster.score_pairs

    def timed_extract_iter(*args: Any, **kwargs: Any) -> Iterator[Any]:
        t = time.perf_counter()
        yield from extract_iter(*args, **kwargs)
        walls["extraction"] = walls.get("extraction", 0.0) + time.perf_counter() - t

    def timed_score_pairs(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return score_pairs(*args, **kwargs)
        finally:
            walls["scoring"] = walls.get("scoring", 0.0) + time.perf_counter() - t

    extract.extract_iter = timed_extract_iter  # type: ignore[assignment]
    cluster.score_pairs = timed_score_pairs  # type: ignore[assignment]


def _worker_seconds(records: list[dict[str, Any]], start: float, end: float) -> dict[str, float]:
    """Seconds the workers spent per action (compute, deserialize, transfer …) on tasks that ran between start and end."""
    out: dict[str, float] = {}
    for rec in records:
        for ss in rec.get("startstops", ()):
            if start <= ss["start"] <= end:
                out[ss["action"]] = out.get(ss["action"], 0.0) + ss["stop"] - ss["start"]
    return out


def run_one(docs: str, ledger: str, dask_workers: int) -> dict[str, Any]:
    """Ingest ``docs`` into ``ledger`` in this process; ``dask_workers`` > 0 runs the parallel steps on a LocalCluster of that many workers."""
    from policy_tracker import parallel
    from policy_tracker.ledger.ingest import ingest_paths

    walls: dict[str, float] = {}
    _timed_steps(walls)
    out: dict[str, Any] = {"mode": f"dask local ({dask_workers} workers)" if dask_workers else "local (forked pool)"}
    if not dask_workers:
        t0 = time.perf_counter()
        ingest_paths([docs], ledger, show_progress=False)
        out["work_s"] = time.perf_counter() - t0
        out["children_peak_mb"] = _peak_mb(resource.RUSAGE_CHILDREN)
    else:
        from distributed import get_task_stream

        from policy_tracker.dask_executor import connect

        t0 = time.perf_counter()
        with connect("local", workers=dask_workers) as executor:
            out["cluster_start_s"] = time.perf_counter() - t0
            executor.stats = []
            sizes = _Sizes(executor)
            started = time.perf_counter()
            with get_task_stream(executor.client) as stream, parallel.using(sizes):
                ingest_paths([docs], ledger, show_progress=False)
            out["work_s"] = time.perf_counter() - started - sizes.sizing_s
            out["worker_peak_mb"] = sorted(executor.client.run(_worker_peak_mb).values())
            records = stream.data
            out["steps"] = [
                {**st, **sz, **{f"workers_{k}_s": v for k, v in _worker_seconds(records, st["start"], st["end"]).items()}}
                for st, sz in zip(executor.stats, sizes.steps, strict=True)
            ]
            for st in out["steps"]:  # the sizing pickles ran inside the step walls: take them out again
                walls["extraction" if st["step"] == "extraction" else "scoring"] -= st.pop("sizing_s")
                del st["start"], st["end"]
        out["close_s"] = time.perf_counter() - started - out["work_s"] - sizes.sizing_s
    out["extraction_s"] = walls.get("extraction", 0.0)
    out["scoring_s"] = walls.get("scoring", 0.0)
    out["client_peak_mb"] = _peak_mb()
    return out


def _fmt(run: dict[str, Any]) -> str:
    parts = [f"{run['mode']}: work {run['work_s']:.1f} s"]
    rest = run["work_s"] - run["extraction_s"] - run["scoring_s"]
    parts.append(f"(extraction {run['extraction_s']:.1f} s, scoring {run['scoring_s']:.1f} s, the rest {rest:.1f} s)")
    if "cluster_start_s" in run:
        parts.append(f"+ cluster start {run['cluster_start_s']:.1f} s, close {run['close_s']:.1f} s")
    parts.append(f"; peak RSS client {run['client_peak_mb']:.0f} MB")
    if "children_peak_mb" in run:
        parts.append(f", largest forked child {run['children_peak_mb']:.0f} MB")
    if "worker_peak_mb" in run:
        parts.append(", workers " + " / ".join(f"{w:.0f}" for w in run["worker_peak_mb"]) + " MB")
    lines = [" ".join(parts).replace(" ;", ";").replace(" ,", ",")]
    for st in run.get("steps", ()):
        lines.append(
            f"  {st['step']}: {st['items']} items in {st['tasks']} tasks; scatter {st['scatter_s']:.1f} s "
            f"(shared state {st['shared_mb']:.1f} MB to each worker, items {st['items_mb']:.1f} MB), run {st['run_s']:.1f} s, "
            f"gather {st['gather_s']:.1f} s (results {st['results_mb']:.1f} MB); on the workers: "
            + ", ".join(f"{k[8:-2]} {v:.1f} s" for k, v in sorted(st.items()) if k.startswith("workers_"))
        )
    return "\n".join(lines)


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

    load: Callable[[], str] = lambda: " ".join(f"{x:.1f}" for x in os.getloadavg())  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        docs = write(generate(args.mentions, seed=args.seed), Path(tmp) / "corpus")
        print(f"{args.mentions} planted mentions, {len(list(docs.glob('*.txt')))} documents, {os.cpu_count()} cores; load average {load()}")
        ledgers = []
        for workers in (0, args.workers):
            ledger = Path(tmp) / f"ledger-{workers}.yaml"
            cmd = [sys.executable, "-m", "tests.benchmarks.dask_compare", "--one", str(docs), str(ledger), str(workers)]
            t0 = time.perf_counter()
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            process_s = time.perf_counter() - t0
            run = json.loads(done.stdout.strip().splitlines()[-1])
            print(_fmt(run))
            print(f"  process wall {process_s:.1f} s (interpreter start and imports included); load average {load()}")
            ledgers.append(ledger.read_bytes())
        print(f"identical: {ledgers[0] == ledgers[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
