"""Kill -9 the writer at random moments of ingests and `set`s on a ledger folder; count corrupt ledgers, lost edits, stale index reads.

    .venv/bin/python scripts/kill_test_folder.py [--mentions 10000] [--ingests 30] [--sets 30] [--seed 1] [--work DIR]

Builds (or reuses, in ``--work``) a ledger folder of the synthetic corpus
(tests/benchmarks/generate.py) and the briefings that follow it.  Then, in
turn, an ``ingest`` of the next briefing or a ``set ID notes=edit-K``
through the CLI, each sent SIGKILL after a random delay between 0 and the
time the same kind of command took when it was left to finish (so most are
killed mid-way, some finish).  After every run it checks:

- *corrupt*: the folder no longer loads in full (``Ledger.load``), or a file
  is left half-written;
- *lost edit*: a ``set`` that exited 0 is not in the commitment's file, or the
  file holds a note no ``set`` wrote; every edit that exited 0 earlier is
  still there;
- *lost commitment*: an id the ledger held at the start neither names a
  commitment nor is an alias of one (counted with the lost edits);
- *stale index*: a load of the commitment through the index (as ``show``
  and ``set`` do) does not give the note its file holds, or an index row would be served for a
  file that changed (its stamp matches the file on disk, its SHA-256 does
  not), after the load above brought the index up to date.

A work folder is reused only with the parameters it was made with
(``params.json``): the briefings that follow the corpus are generated from
them, and another ``--mentions`` or ``--seed`` gives other text under the
same document ids, so an ingest would read documents again with other
text, a different test (last session's "disappeared commitment" came from
that; the ledger now refuses or warns, see docs/ledger.md).

Prints one line per run and the totals.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policy_tracker.ledger import folder  # noqa: E402
from policy_tracker.ledger.ledger import Ledger  # noqa: E402
from tests.benchmarks.generate import Corpus, Generator, write  # noqa: E402


def cli() -> list[str]:
    exe = Path(sys.executable).with_name("policy-tracker")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "policy_tracker"]


def run(argv: list[str], kill_after: float | None) -> tuple[int | None, float]:
    """Run; SIGKILL after ``kill_after`` seconds unless it finished. (exit code or None when killed, seconds)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the command and its forked workers
        proc.wait()
        return None, time.perf_counter() - start
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}\n{err}")
    return proc.returncode, time.perf_counter() - start


def note_in_file(ledger: Path, cid: str) -> str | None:
    """The notes in the file of the commitment that holds ``cid`` now (an ingest may have merged it into another)."""
    import sqlite3

    import yaml

    db = sqlite3.connect(ledger / ".index.sqlite")
    row = db.execute("SELECT rel FROM names WHERE name=?", (cid,)).fetchone()
    db.close()
    path = ledger / (row[0] if row else folder.commitment_rel(cid))
    if not path.exists():
        return None  # gone: check() counts it as a lost commitment
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data.get("notes")


def stale_rows(ledger: Path) -> list[str]:
    """Index rows that would be served although the file changed: stamp as on disk, digest not (the index's own rule)."""
    import sqlite3

    from policy_tracker.ledger.folder_index import sha256, stamp_of

    db = sqlite3.connect(ledger / ".index.sqlite")
    rows = db.execute("SELECT rel, size, mtime, ino, sha FROM files").fetchall()
    db.close()
    out = []
    for rel, size, mtime, ino, sha in rows:
        path = ledger / rel
        if path.exists() and stamp_of(path.stat()) == (size, mtime, ino) and sha256(path.read_bytes()) != sha:
            out.append(f"stale index: {rel} changed on disk but its row's stamp still matches")
    return out


def check(ledger: Path, cid: str, done: dict[str, str], written: set[str], ids: list[str]) -> list[str]:
    """Problems with the folder after a run (see the module docstring)."""
    problems = []
    try:
        full = Ledger.load(ledger)  # a full load: every file parses and checks, ids and mentions unique
    except Exception as exc:  # noqa: BLE001 - any failure to load is corruption
        return [f"corrupt: {exc}"]
    problems += stale_rows(ledger)
    problems += [f"lost commitment: {name} is neither a commitment nor an alias any more" for name in ids if name not in full]
    for other, note in done.items():  # a merge joins the notes of both commitments, one per line
        if note not in (note_in_file(ledger, other) or "").splitlines():
            problems.append(f"lost edit: {other} should have notes={note!r}, has {note_in_file(ledger, other)!r}")
    if cid not in full:
        return problems  # counted above
    note = note_in_file(ledger, cid)
    if note is not None and not set(note.splitlines()) <= written:
        problems.append(f"corrupt: {cid} holds notes={note!r}, which no set wrote")
    try:  # what a command that loads only this commitment is served, through the index
        served = Ledger.load(ledger, only=[cid], evidence=False)[cid].notes  # aliases resolve
    except Exception as exc:  # noqa: BLE001 - any failure to load is corruption
        return [*problems, f"corrupt: partial load failed: {exc}"]
    if served != note:
        problems.append(f"stale index: a load of {cid} through the index gives notes={served!r}, its file holds {note!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mentions", type=int, default=10_000)
    ap.add_argument("--ingests", type=int, default=30)
    ap.add_argument("--sets", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", help="folder for the corpus and ledger (kept; reused when it holds them)")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="kill-test-"))
    pt = cli()
    gen = Generator(args.seed)
    corpus = Corpus(tuple(gen.documents(args.mentions)))
    nexts = [gen.document(40) for _ in range(args.ingests)]
    ledger = work / "ledger"
    params = {"mentions": args.mentions, "seed": args.seed, "ingests": args.ingests}
    stamp = work / "params.json"
    if (ledger / folder.ROOT).exists() and (not stamp.exists() or json.loads(stamp.read_text()) != params):
        raise SystemExit(
            f"{work}: made with other parameters ({stamp.read_text().strip() if stamp.exists() else 'unknown'}); "
            "give a new --work folder (the documents to ingest would differ from those the ledger holds)"
        )
    work.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps(params) + "\n")
    if not (ledger / folder.ROOT).exists():
        write(corpus, work / "docs")
        run([*pt, "ingest", str(work / "docs"), "--ledger", f"{ledger}/", "-q"], None)
    for i, d in enumerate(nexts):
        write(Corpus((d,)), work / f"next{i:02d}")
    import sqlite3

    db = sqlite3.connect(ledger / ".index.sqlite")
    ids = [cid for (cid,) in db.execute("SELECT DISTINCT cid FROM names ORDER BY cid")]
    db.close()
    done: dict[str, str] = {}  # commitment -> the note its last completed set wrote
    written: set[str] = set()
    # how long each kind takes when left to finish: the range of the random kill delays
    _, t_set = run([*pt, "set", ids[0], "notes=edit-warmup", "--ledger", f"{ledger}/"], None)
    done[ids[0]] = "edit-warmup"
    written.add("edit-warmup")
    t_ingest = None
    plan = ["ingest"] * args.ingests + ["set"] * args.sets
    rng.shuffle(plan)
    counts = {"runs": 0, "killed": 0, "finished": 0, "corrupt": 0, "lost": 0, "stale": 0}
    k_ingest = 0
    started = time.perf_counter()
    for n, kind in enumerate(plan, 1):
        cid = rng.choice(ids)
        if kind == "ingest":
            argv = [*pt, "ingest", str(work / f"next{k_ingest:02d}"), "--ledger", f"{ledger}/", "-q"]
            k_ingest += 1
            limit = t_ingest * rng.random() if t_ingest else None  # the first ingest runs to the end, to time it
        else:
            note = f"edit-{n}"
            written.add(note)
            argv = [*pt, "set", cid, f"notes={note}", "--ledger", f"{ledger}/"]
            limit = t_set * rng.random()
        code, seconds = run(argv, limit)
        if kind == "ingest" and t_ingest is None:
            t_ingest = seconds
        counts["runs"] += 1
        counts["killed" if code is None else "finished"] += 1
        if kind == "set":
            if code == 0:
                done[cid] = note
            elif note in (note_in_file(ledger, cid) or "").splitlines():
                done[cid] = note  # killed after its commit: the edit is in, and must stay
        problems = check(ledger, cid, done, written, ids)
        for p in problems:
            counts["lost" if p.startswith("lost") else p.split(":")[0].split()[0]] += 1
        state = "killed" if code is None else "finished"
        print(f"{n:3d} {kind:6s} {state:8s} after {seconds:5.2f} s  {'; '.join(problems) or 'ok'}", flush=True)
    print(
        f"\n{counts['runs']} runs ({counts['killed']} killed, {counts['finished']} finished) in {time.perf_counter() - started:.0f} s: "
        f"{counts['corrupt']} corrupt, {counts['lost']} lost edits, {counts['stale']} stale index reads"
    )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    return 1 if counts["corrupt"] or counts["lost"] or counts["stale"] else 0


if __name__ == "__main__":
    sys.exit(main())
