#!/usr/bin/env python3
"""Kill `ingest` and `set` with SIGKILL at random moments and check what is left on disk.

usage: python scripts/kill_test.py [--ingest N] [--set N] [--seed S] [--policy-tracker PATH]

A scratch folder holds a copy of the seeds and a ledger built from four of
them, curated by an analyst (a title, notes, tags, a status verdict and a
merge decision).  Each trial restores that ledger, starts the command, kills
it with SIGKILL after a random delay and then checks:

* corrupt: the ledger no longer validates, or is neither the file from before
  the command nor the one an uninterrupted run writes;
* lost edits: an analyst edit of the starting ledger is gone;
* temp files: files a writer left beside the ledger (``.ledger.yaml.*.tmp``,
  ``ledger.yaml.lock*``), counted right after the kill (visible until the next
  command) and again after the next command (``validate``) ran: that count
  must be 0.

Every other kill comes at a moment drawn uniformly over the command's
uninterrupted run time; the others come during the save: within 20 ms of the
writer's lock or temporary file appearing.  Runs that finish before their
kill moment do not count towards the number of SIGKILLs asked for.  Exit
status 0 when there is no corrupt ledger, no lost edit and no temp file after
the next command.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LATEST = "002_7070a237dd8e7fa7.txt"  # the 2024-01-19 briefing: ingested by the killed runs
EDITS = {"title": "分析员的标题", "notes": "分析员的笔记：核对过", "tags": "checked,kill-test", "status": "partially_fulfilled"}
NEW_NOTES = "第二次核对"  # what the killed `set` writes: the notes are either the old or this


def sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def leftovers(folder: Path) -> list[str]:
    return sorted(f.name for f in folder.iterdir() if f.name.endswith(".tmp") or ".lock" in f.name)


class Bench:
    def __init__(self, exe: list[str], folder: Path) -> None:
        self.exe, self.dir = exe, folder
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_TRACKER")} | {"PYTHONUTF8": "1"}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.exe, *args], cwd=self.dir, env=self.env, capture_output=True, text=True, timeout=600)

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([*self.exe, *args], cwd=self.dir, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def prepare(bench: Bench) -> tuple[bytes, str, str]:
    """The curated starting ledger (four briefings), the commitment carrying the edits, and the merged-away id."""
    early = bench.dir / "early"
    early.mkdir()
    for f in (bench.dir / "S").iterdir():
        if f.name != LATEST:
            shutil.copy(f, early / f.name)
    p = bench.run("ingest", "early", "--ledger", "ledger.yaml", "-q")
    if p.returncode != 0:
        raise SystemExit(f"could not build the starting ledger: {p.stderr}")
    import yaml

    ids = [c["id"] for c in yaml.safe_load((bench.dir / "ledger.yaml").read_text(encoding="utf-8"))["commitments"]]
    edited, merged_from, merged_into = ids[0], ids[2], ids[1]
    for argv in (
        ["set", edited, *(f"{k}={v}" for k, v in EDITS.items())],
        ["merge", merged_into, merged_from, "--reason", "kill test"],
    ):
        p = bench.run(*argv)
        if p.returncode != 0:
            raise SystemExit(f"could not curate the starting ledger ({' '.join(argv)}): {p.stderr}")
    return (bench.dir / "ledger.yaml").read_bytes(), edited, merged_from


def edits_kept(text: str, edited: str, merged_from: str) -> list[str]:
    """The analyst edits missing from ``text`` (empty when all are there)."""
    import yaml

    data = yaml.safe_load(text)
    c = next((c for c in data["commitments"] if c["id"] == edited), None)
    if c is None:
        return [f"commitment {edited}"]
    lost = ["title"] if c.get("title") != EDITS["title"] else []
    lost += ["notes"] if c.get("notes") not in (EDITS["notes"], NEW_NOTES) else []
    lost += ["tags"] if c.get("tags") != EDITS["tags"].split(",") else []
    lost += ["status"] if c.get("status") != EDITS["status"] else []
    if not any(d.get("action") == "merge" and merged_from in (d.get("ids") or []) for d in data.get("decisions") or []):
        lost.append("merge decision")
    return lost


def trial_outcomes(bench: Bench, argv: list[str], n: int, rng: random.Random, start: bytes, edited: str, merged_from: str) -> dict[str, int]:
    ledger = bench.dir / "ledger.yaml"
    ledger.write_bytes(start)
    t0 = time.monotonic()
    ref = bench.run(*argv)
    span = time.monotonic() - t0
    if ref.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed uninterrupted: {ref.stderr}")
    after = ledger.read_bytes()
    if after == start:
        raise SystemExit(f"{' '.join(argv)} did not change the ledger: nothing to interrupt")
    if edits_kept(after.decode("utf-8"), edited, merged_from):
        raise SystemExit(f"{' '.join(argv)} loses analyst edits even uninterrupted")
    counts = {"kills": 0, "mid_save": 0, "old": 0, "new": 0, "corrupt": 0, "lost_edits": 0, "temp_after_kill": 0, "temp_after_next": 0, "finished_first": 0}
    i = 0
    while counts["kills"] < n and i < 3 * n:  # n SIGKILLs; a run that finished before its kill moment does not count
        i += 1
        ledger.write_bytes(start)
        for f in leftovers(bench.dir):
            (bench.dir / f).unlink()
        proc = bench.start(*argv)
        if i % 2:  # any moment of the run
            time.sleep(rng.uniform(0, span))
        else:  # during the save: once the writer's lock or temporary file appears, within the next 20 ms
            deadline = time.monotonic() + 3 * span
            while proc.poll() is None and time.monotonic() < deadline and not leftovers(bench.dir):
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.02))
        if proc.poll() is None:
            counts["mid_save"] += bool(leftovers(bench.dir))
            proc.send_signal(signal.SIGKILL)
            counts["kills"] += 1
        else:
            counts["finished_first"] += 1
        proc.wait()
        counts["temp_after_kill"] += bool(leftovers(bench.dir))
        now = ledger.read_bytes()
        state = "old" if now == start else "new" if now == after else "corrupt"
        v = bench.run("validate", "ledger.yaml")  # the next command
        if v.returncode != 0:
            state = "corrupt"
        counts[state] += 1
        if state != "corrupt" and edits_kept(now.decode("utf-8"), edited, merged_from):
            counts["lost_edits"] += 1
        left = leftovers(bench.dir)
        if left:
            counts["temp_after_next"] += 1
            print(f"  trial {i}: left behind after the next command: {left}", file=sys.stderr)
    counts["run_seconds"] = round(span, 2)  # type: ignore[assignment]
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ingest", type=int, default=30, help="SIGKILLs during ingest (default 30)")
    ap.add_argument("--set", dest="sets", type=int, default=30, help="SIGKILLs during set (default 30)")
    ap.add_argument("--seed", type=int, default=17, help="random seed for the kill moments")
    ap.add_argument("--policy-tracker", default=None, help="the command to test (default: this interpreter's -m policy_tracker)")
    args = ap.parse_args()
    exe = [args.policy_tracker] if args.policy_tracker else [sys.executable, "-m", "policy_tracker"]
    rng = random.Random(args.seed)
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(exe, Path(tmp))
        shutil.copytree(ROOT / "seeds", bench.dir / "S")
        start, edited, merged_from = prepare(bench)
        for label, argv, n in (
            ("ingest", ["ingest", "S", "--ledger", "ledger.yaml", "-q"], args.ingest),
            ("set", ["set", edited, f"notes={NEW_NOTES}", "--ledger", "ledger.yaml"], args.sets),
        ):
            if n <= 0:
                continue
            c = trial_outcomes(bench, argv, n, rng, start, edited, merged_from)
            print(
                f"{label}: {c['kills'] + c['finished_first']} runs ({c['kills']} SIGKILLs, {c['mid_save']} of them while the save's lock or "
                f"temporary file existed; {c['finished_first']} runs finished before their kill moment; "
                f"uninterrupted run {c['run_seconds']} s): ledger afterwards old {c['old']}, new {c['new']}, "
                f"corrupt {c['corrupt']}; lost analyst edits {c['lost_edits']}; "
                f"temp files visible right after the kill {c['temp_after_kill']}, after the next command {c['temp_after_next']}"
            )
            bad += c["corrupt"] + c["lost_edits"] + c["temp_after_next"] + (c["kills"] < n)
    print("OK: no corrupt ledger, no lost edit, no temp file left" if not bad else "FAILED")
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
