"""Time and size of the HTML overview (``policy-tracker report --format html``) of a synthetic ledger.

Run from the repository root (not part of the test suite)::

    .venv/bin/python -m tests.benchmarks.overview                       # 10,000 planted mentions, seed 1
    .venv/bin/python -m tests.benchmarks.overview --ledger L.yaml       # an existing ledger

Without ``--ledger`` it generates the synthetic corpus of
``tests/benchmarks/generate.py`` (``--mentions``, ``--seed``), ingests it
into a temporary ledger file (not timed) and loads that.  Then it times, best
of ``--repeat`` runs, CPU and wall clock: ``Ledger.load``; ``report.overview``
(the report: timelines, counts, time to fulfilment); ``render_html.overview_page``
(with the default grid limits); and prints the page size, the grid it shows and
the peak memory of the build (tracemalloc).  *build* = overview + render, what
``report`` adds to loading the ledger.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policy_tracker.reports import html as render_html
from policy_tracker.reports import report
from policy_tracker.ledger import Ledger


def _time(fn: Callable[[], Any], repeat: int) -> tuple[Any, float, float]:
    """(result, best wall s, best CPU s)."""
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        best_wall, best_cpu = min(best_wall, time.perf_counter() - w0), min(best_cpu, time.process_time() - c0)
    return result, best_wall, best_cpu


def synthetic_ledger_file(folder: Path, mentions: int, seed: int) -> Path:
    """Generate the planted corpus and ingest it (the ledger file is returned)."""
    from policy_tracker.ledger.ingest import ingest_paths
    from tests.benchmarks.generate import generate, write

    docs = folder / "docs"
    write(generate(mentions, seed), docs)
    path = folder / "ledger.yaml"
    ingest_paths([docs], path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.overview", description=__doc__.split("\n\n")[0])
    parser.add_argument("--ledger", help="measure this ledger instead of a generated one")
    parser.add_argument("--mentions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", help="also write the page here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.ledger) if args.ledger else synthetic_ledger_file(Path(tmp), args.mentions, args.seed)
        ledger, load_wall, load_cpu = _time(lambda: Ledger.load(path), 1)
        o, ov_wall, ov_cpu = _time(lambda: report.overview(ledger), args.repeat)
        page, r_wall, r_cpu = _time(lambda: render_html.overview_page(o), args.repeat)
        tracemalloc.start()
        render_html.overview_page(report.overview(ledger))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if args.out:
        Path(args.out).write_text(page, encoding="utf-8")
    size = len(page.encode("utf-8"))
    rows = page.count('<td class="name">')
    print(f"ledger: {len(ledger.mentions):,} mentions, {len(ledger):,} commitments, {len(ledger.briefings):,} briefings"
          f" ({'given' if args.ledger else f'generated: --mentions {args.mentions} --seed {args.seed}'}); load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")  # fmt: skip
    print("| step | CPU s | wall s |\n|---|---:|---:|")
    print(f"| Ledger.load | {load_cpu:.2f} | {load_wall:.2f} |")
    print(f"| report.overview | {ov_cpu:.2f} | {ov_wall:.2f} |")
    print(f"| render_html.overview_page | {r_cpu:.2f} | {r_wall:.2f} |")
    print(f"| **build** (overview + render) | **{ov_cpu + r_cpu:.2f}** | **{ov_wall + r_wall:.2f}** |")
    print(f"page: {size / 1e6:.2f} MB, grid {rows:,} rows × {min(len(ledger.briefings), render_html.GRID_COLUMNS)} briefings "
          f"(limits {render_html.GRID_ROWS} × {render_html.GRID_COLUMNS}); build peak memory {peak / 1e6:.0f} MB (tracemalloc)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
