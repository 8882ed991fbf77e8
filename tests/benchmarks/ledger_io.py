"""Load and save timings for synthetic ledgers, with and without libyaml.

Run from the repository root (not part of the test suite)::

    .venv/bin/python -m tests.benchmarks.ledger_io            # 10,000 and 100,000 mentions
    .venv/bin/python -m tests.benchmarks.ledger_io 2000       # other sizes

For each size it builds a ledger of that many mentions (four per commitment,
spread over twelve briefings, with targets, deadlines, change types and
status history like real ones), saves it to a temporary folder, and times
``Ledger.load`` and ``Ledger.save`` with the C loader/dumper and with the
pure-Python ones, then with the optional parsed-ledger cache
(``POLICY_TRACKER_CACHE``, see :mod:`policy_tracker.ledger.cache`).  Prints a
Markdown table with CPU time (robust when other work shares the machine) and
wall-clock time.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from policy_tracker.ledger import cache
from policy_tracker.ledger import yaml_io as serialize
from policy_tracker.ledger import Ledger
from policy_tracker.models import Briefing, Deadline, Mention, Target
from policy_tracker.ledger.records import StatusChange, TrackedCommitment

_CHARS = "推进实施开展深化研究制定出台启动工业互联网新能源汽车制造业数字化转型绿色工厂中小企业标准体系建设试点示范平台能力提升"
_VERBS = ("研究", "制定", "出台", "启动", "实施", "推进", "深化")
MENTIONS_PER_COMMITMENT = 4
BRIEFINGS = 12


def _briefings(n: int = BRIEFINGS) -> list[Briefing]:
    start = dt.date(2022, 1, 20)
    return [
        Briefing(id=f"{(start + dt.timedelta(days=91 * i)).isoformat()}-press-conference", held=start + dt.timedelta(days=91 * i), kind="press_conference", period=f"{2022 + i // 4}Q{i % 4 + 1}", speakers=("发言人",), documents=(f"doc{i:03d}",))
        for i in range(n)
    ]


def synthetic_parts(n_mentions: int, seed: int = 7, briefings: int = BRIEFINGS) -> serialize.LedgerParts:
    """A plausible ledger with ``n_mentions`` mentions over ``briefings`` briefings (deterministic for a seed)."""
    rng = random.Random(seed)
    n_briefings = briefings
    briefings_ = _briefings(n_briefings)
    offsets = [0] * n_briefings
    commitments = []
    for k in range((n_mentions + MENTIONS_PER_COMMITMENT - 1) // MENTIONS_PER_COMMITMENT):
        count = min(MENTIONS_PER_COMMITMENT, n_mentions - k * MENTIONS_PER_COMMITMENT, n_briefings)
        first = rng.randrange(n_briefings - count + 1)
        body = "".join(rng.choice(_CHARS) for _ in range(rng.randint(10, 40)))
        mentions = []
        for j in range(count):
            b = briefings_[first + j]
            quote = rng.choice(_VERBS) + body + (f"不少于{rng.randint(1, 9) * 100}家" if j % 2 else "")
            start = offsets[first + j]
            offsets[first + j] += len(quote) + 1
            mentions.append(
                Mention(
                    source=b.documents[0], start=start, end=start + len(quote), quote=quote, text=quote,
                    date=b.held, briefing=b.id, speaker="发言人", verbs=(quote[:2],), stage=quote[:2], strength="推动",
                    targets=(Target(float(quote[-4:-1]), "家", quote[-7:], "不少于"),) if j % 2 else (),
                    deadlines=(Deadline("年底前", str(b.held.year), "year"),), topics=("industry",),
                )
            )  # fmt: skip
        changes = {m.id: ("first",) if i == 0 else ("reworded",) for i, m in enumerate(mentions)}
        history = [StatusChange("new", briefing=mentions[0].briefing)]
        if count > 1:
            history.append(StatusChange("restated", briefing=mentions[1].briefing))
        commitments.append(
            TrackedCommitment(id=f"industry-{mentions[0].date.year}-{k + 1:02d}", title=mentions[0].quote, mentions=mentions, status=history[-1].status, history=history, changes=changes)
        )
    return serialize.LedgerParts(briefings=tuple(briefings_), commitments=tuple(commitments))


def _time(fn, repeat: int) -> tuple[float, float]:
    """Best (wall, CPU) seconds of ``repeat`` runs; CPU time is robust to other load on the machine."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        best = min(best, (time.perf_counter() - w0, time.process_time() - c0))
    return best


def measure(n_mentions: int, repeat: int = 1) -> list[tuple[str, tuple[float, float], tuple[float, float], int]]:
    """(backend, load (wall, CPU) s, save (wall, CPU) s, file bytes) for a ledger of ``n_mentions``."""
    ledger = Ledger(synthetic_parts(n_mentions))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.yaml"
        ledger.save(path)
        size = path.stat().st_size
        backends = [("libyaml", True)] if serialize.HAVE_LIBYAML else []
        backends.append(("pure Python", False))
        for name, fast in backends:
            load = _time(lambda fast=fast: Ledger.load(path, libyaml=fast), repeat)
            save = _time(lambda fast=fast: ledger.save(path, libyaml=fast, force=True), repeat)
            rows.append((name, load, save, size))
        # With the optional parsed-ledger cache (policy_tracker.ledger.cache): save also writes the JSON copy.
        previous = os.environ.get(cache.ENV_VAR)
        os.environ[cache.ENV_VAR] = str(Path(tmp) / "cache")
        try:
            save = _time(lambda: ledger.save(path, force=True), repeat)
            load = _time(lambda: Ledger.load(path), repeat)
            rows.append(("libyaml + cache" if serialize.HAVE_LIBYAML else "pure Python + cache", load, save, size))
        finally:
            if previous is None:
                del os.environ[cache.ENV_VAR]
            else:
                os.environ[cache.ENV_VAR] = previous
    return rows


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [10_000, 100_000]
    print("| mentions | YAML backend | load s (CPU) | save s (CPU) | load s (wall) | save s (wall) | file MB |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for n in sizes:
        for name, load, save, size in measure(n):
            print(f"| {n:,} | {name} | {load[1]:.2f} | {save[1]:.2f} | {load[0]:.2f} | {save[0]:.2f} | {size / 1e6:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
