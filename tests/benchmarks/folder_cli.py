"""The ledger folder through the CLI, as an analyst runs it: wall time and peak RSS of each command.

Run from the repository root (not part of the test suite; minutes at 10⁵)::

    .venv/bin/python -m tests.benchmarks.folder_cli --sizes 10000,100000 [--work DIR] [--seed 1] [--keep]

For each size it writes the synthetic corpus of ``tests/benchmarks/generate.py``
and the 40-mention briefing that follows it, then times, each as its own
``policy-tracker`` process (process start to exit, so imports and the index
check are included; peak RSS of that process and its forked workers):

- ``ingest DOCS --ledger L/`` (the full ingest, writing the ledger folder);
- ``show ID``, ``diff A B`` (two consecutive briefings in the middle), ``report``
  (Markdown to a file): *cold* is the first run after the index was deleted
  (every file parsed again), *first* the first run after a write, *warm*
  a repeat;
- ``set ID notes=…``, ``merge A B`` (two commitments of one document), and
  ``ingest NEXT --ledger L/`` (adding the next briefing, end to end; its
  counts and, when it loaded the whole ledger, the ``note:`` saying why are
  printed), then ``show ID`` and ``report`` again;
- ``git diff --stat`` after the merge (the folder is committed first).

The first line, the last line and every command's line print the load
average (``os.getloadavg``): figures taken while other jobs share the machine
are slower than it can do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs
import yaml

from .generate import Corpus, Generator, write

ROOT = Path(__file__).resolve().parents[2]


def cli() -> list[str]:
    exe = Path(sys.executable).with_name("policy-tracker")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "policy_tracker"]


# Runs the command from a small fresh process: Linux carries a process's peak RSS across fork and exec, so a
# command started straight from this (large) process would report this process's peak, not its own.
_LAUNCH = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
cpu = usage.ru_utime + usage.ru_stime
sys.stderr.write(f"\\n@@bench {time.perf_counter() - start} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu}\\n")
"""


def timed(argv: list[str], cwd: Path | None = None) -> tuple[float, float, str, float]:
    """Run one command: (seconds, peak RSS in MB of it and its workers, output, CPU seconds of it and its workers)."""
    exe = shutil.which(argv[0]) or argv[0]
    proc = subprocess.run([sys.executable, "-c", _LAUNCH, exe, *argv[1:]], cwd=cwd, capture_output=True, text=True, check=False)
    out, _, tail = (proc.stdout + proc.stderr).rpartition("\n@@bench ")
    seconds, rss, code, cpu = tail.split()
    if int(code) != 0:
        raise SystemExit(f"failed ({code}): {' '.join(argv)}\n{out}")
    return float(seconds), int(rss) / 1024, out, float(cpu)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def pick(ledger: Path) -> dict[str, str]:
    """Ids for the commands, from the ledger folder's index: a commitment, two of one document, two briefings."""
    db = sqlite3.connect(ledger / ".index.sqlite")
    rows = db.execute("SELECT cid, COUNT(*) FROM mentions GROUP BY cid HAVING COUNT(*) >= 2 ORDER BY cid").fetchall()
    show = rows[len(rows) // 2][0]
    (source,) = db.execute("SELECT source FROM mentions WHERE cid=? LIMIT 1", (show,)).fetchone()
    pair = [c for (c,) in db.execute("SELECT DISTINCT cid FROM mentions WHERE source=? ORDER BY cid", (source,))]
    others = [c for c in pair if c != show]
    db.close()
    briefings = yaml.safe_load((ledger / "root.yaml").read_text(encoding="utf-8"))["briefings"]
    held = sorted(b["held"] for b in briefings if b.get("held"))
    a, b = held[len(held) // 2], held[len(held) // 2 + 1]
    return {"show": show, "set": rows[len(rows) // 3][0], "merge_into": show, "merge": others[0], "a": a, "b": b}


def synthetic_folder(size: int, ledger: Path, say: Any) -> dt.date:
    """The ledger of ``synthetic_folder.realistic_parts`` saved as a ledger folder, as an ingest leaves it; returns its last briefing's date."""
    from policy_tracker.ledger import Ledger
    from policy_tracker.ledger import status as lifecycle

    from .synthetic_folder import realistic_parts

    start = time.perf_counter()
    parts = realistic_parts(size)
    built = time.perf_counter() - start
    ledger_ = Ledger(parts)
    ledger_._order = lifecycle.Chronology(parts.briefings)  # its statuses are derived (realistic_parts): as after an ingest
    start = time.perf_counter()
    ledger_.save(f"{ledger}/")  # the files, the index, the matching keys (sidecar and index), as an ingest's save
    say(
        f"  synthetic ledger: {len(parts.briefings)} briefings of 40–200 mentions, {len(parts.commitments):,} commitments; "
        f"built in {built:.1f} s, saved (files, index, matching keys) in {time.perf_counter() - start:.1f} s (not CLI figures)"
    )
    return max(b.held for b in parts.briefings if b.held)


def measure(size: int, seed: int, work: Path, say: Any, skip: set[str] = frozenset(), synthetic: bool = False) -> list[tuple[str, float, float, float]]:  # type: ignore[assignment]
    folder = work / str(size)
    ledger = folder / "ledger"
    reuse = "reuse" in skip and (ledger / "root.yaml").exists()  # the ledger of an earlier run (--skip reuse)
    if folder.exists() and not reuse:
        shutil.rmtree(folder)
    gen = Generator(seed)
    corpus = Corpus(tuple(gen.documents(size if not synthetic else 40)))
    nxt = gen.document(40)
    docs = write(corpus, folder / "docs")
    pt = cli()
    rows: list[tuple[str, float, float, float]] = []

    def run(label: str, *args: str) -> str:
        seconds, rss, out, cpu = timed([*pt, *args])
        rows.append((label, seconds, cpu, rss))
        say(f"  {label}: {seconds:.2f} s ({cpu:.2f} s CPU), {rss:.0f} MB ({load()})")
        return out

    run("CLI start alone (policy-tracker --help)", "--help")

    if reuse:
        say("  reusing the ledger folder of an earlier run")
        if "validate" not in skip:
            run("validate L/ (loads everything; rebuilds the index if missing)", "validate", f"{ledger}/")
    elif synthetic:
        last = synthetic_folder(size, ledger, say)
        held = last + dt.timedelta(days=3)  # the next briefing: the usual append
        nxt = attrs.evolve(nxt, held=held, briefing=f"{held.isoformat()}-press-conference")
    else:
        run("full ingest (CLI, writes the folder)", "ingest", str(docs), "--ledger", f"{ledger}/", "-q")
    if reuse and synthetic:
        root = yaml.safe_load((ledger / "root.yaml").read_text(encoding="utf-8"))
        held = max(b["held"] for b in root["briefings"] if b.get("held"))
        held = dt.date.fromisoformat(str(held)) + dt.timedelta(days=3)
        # an earlier run appended this document already: ingesting it again is no append (it is read again),
        # nor is its text under another id (a copy): the generator's next document instead
        known = {d["id"] for d in root["documents"]}
        while nxt.id in known:
            nxt = gen.document(40)
        nxt = attrs.evolve(nxt, held=held, briefing=f"{held.isoformat()}-press-conference")
    if (folder / "next").exists():
        shutil.rmtree(folder / "next")
    write(Corpus((nxt,)), folder / "next")
    (folder / "next" / "gold.yaml").unlink()
    files = sum(1 for _ in ledger.rglob("*.yaml"))
    say(f"  {files} files, {sum(p.stat().st_size for p in ledger.rglob('*.yaml')) / 1e6:.1f} MB of YAML")
    ids = pick(ledger)
    lf = f"{ledger}/"
    report_out = str(folder / "report.md")
    for cmd, args in (
        ("show ID", ["show", ids["show"], "--ledger", lf]),
        ("diff A B", ["diff", ids["a"], ids["b"], "--ledger", lf]),
        ("report", ["report", "--ledger", lf, "-o", report_out]),
    ):
        if cmd in skip:
            continue
        run(f"{cmd} (first after a write)", *args)
        run(f"{cmd} (warm)", *args)
        if "cold" in skip:
            continue
        for p in ledger.glob(".index.sqlite*"):
            p.unlink()
        run(f"{cmd} (cold: index rebuilt)", *args)
    shutil.rmtree(ledger / ".git", ignore_errors=True)
    subprocess.run(["git", "-C", str(ledger), "init", "-q"], check=True)
    subprocess.run(["git", "-C", str(ledger), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(ledger), "-c", "user.email=b@example.org", "-c", "user.name=bench", "commit", "-qm", "ingest"], check=True)
    run("set ID notes=…", "set", ids["set"], "notes=benchmark note", "--ledger", lf)
    run("merge A B", "merge", ids["merge_into"], ids["merge"], "--reason", "benchmark", "--ledger", lf)
    stat = subprocess.run(["git", "-C", str(ledger), "diff", "--stat=120"], check=True, capture_output=True, text=True).stdout
    say("  git diff --stat after set and merge:\n" + "".join(f"    {line}\n" for line in stat.splitlines()))
    out = run("add a 40-mention briefing (ingest NEXT)", "ingest", str(folder / "next"), "--ledger", lf)
    for line in out.splitlines():  # the counts, and why the appending path was declined if it was (note: …)
        if line.startswith(("note: ", "commitments: ")):
            say(f"    {line}")
    run("show ID (after the new briefing)", "show", ids["show"], "--ledger", lf)
    if "report" not in skip:  # the summaries of the files the append wrote are in the index already
        run("report (after the new briefing)", "report", "--ledger", lf, "-o", report_out)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.benchmarks.folder_cli", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", help="folder for corpora and ledgers (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--synthetic", action="store_true", help="build the ledger with tests/benchmarks/synthetic_folder.realistic_parts instead of a full ingest (minutes faster; no evidence)")
    ap.add_argument("--skip", default="", help="commands to leave out, comma-separated (e.g. 'report' at 10⁶; 'reuse' keeps a ledger of an earlier run in --work, 'validate' then leaves out its check, 'cold' leaves out the runs that rebuild the index)")
    args = ap.parse_args(argv)

    def say(line: str = "") -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="folder-bench-"))
    say(f"{platform.node()} Python {platform.python_version()}, {load()}" + (" (synthetic ledgers)" if args.synthetic else ""))
    results = {}
    started = time.perf_counter()
    for size in (int(s) for s in args.sizes.split(",")):
        say(f"{size:,} mentions:")
        results[size] = measure(size, args.seed, work, say, set(filter(None, args.skip.split(","))), args.synthetic)
    say("")
    sizes = list(results)
    say("| command | " + " | ".join(f"{s:,}: wall s | CPU s | MB" for s in sizes) + " |")
    say("|---|" + "---:|---:|---:|" * len(sizes))
    labels = list(dict.fromkeys(row[0] for s in sizes for row in results[s]))
    for label in labels:
        found = [{row[0]: row[1:] for row in results[s]}.get(label) for s in sizes]
        cells = " | ".join(f"{f[0]:.2f} | {f[1]:.2f} | {f[2]:.0f}" if f else "– | – | –" for f in found)
        say(f"| {label} | {cells} |")
    say(f"\n{load()}; {time.perf_counter() - started:.0f} s in all")
    if not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
