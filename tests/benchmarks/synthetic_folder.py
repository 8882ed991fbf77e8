"""A large ledger shaped like a real one, without extraction: many briefings of 40–200 mentions, derived statuses.

    from tests.benchmarks.synthetic_folder import realistic_parts
    parts = realistic_parts(100_000)      # ~830 briefings, ~25,000 commitments

Briefings come every few days (a press conference most of the time, an
interview now and then: two series), each with one document and between 40
and 200 mentions.  A commitment is stated 1–8 times (about 4 on average), each
restatement one to three briefings after the one before, so that a briefing
holds restatements of recent pledges and new ones, as MIIT's do.  Ids follow
the ledger's pattern (``<topic>-<year>-NN``, twenty topics), and every
commitment's change types and status history are derived by the ledger's own
code (:func:`policy_tracker.ledger.status.apply`), so a new briefing added to it
changes only what it would change in a ledger built by ingesting.  No evidence.

Used by ``python -m tests.benchmarks.folder_cli --synthetic``.
"""

from __future__ import annotations

import datetime as dt
import random

from policy_tracker.ledger import status as lifecycle
from policy_tracker.ledger import yaml_io as serialize
from policy_tracker.ledger._ingesting import _sort_key
from policy_tracker.ledger.ids import IdAllocator
from policy_tracker.ledger.records import DocumentRecord, TrackedCommitment
from policy_tracker.models import Briefing, Deadline, Mention, Target

_CHARS = "推进实施开展深化研究制定出台启动工业互联网新能源汽车制造业数字化转型绿色工厂中小企业标准体系建设试点示范平台能力提升"
_VERBS = ("研究", "制定", "出台", "启动", "实施", "推进", "深化")
TOPICS = (
    "industry", "nev", "5g", "ai", "semiconductors", "green", "sme", "standards", "telecom", "software",
    "equipment", "materials", "auto", "consumption", "broadband", "computing", "robots", "safety", "data", "textiles",
)  # fmt: skip
START = dt.date(2010, 1, 5)


def _briefings(sizes: list[int], rng: random.Random) -> list[Briefing]:
    out, day = [], START
    for i, _ in enumerate(sizes):
        day += dt.timedelta(days=rng.randint(2, 6))
        kind = "interview" if rng.random() < 0.15 else "press_conference"
        bid = f"{day.isoformat()}-{kind.replace('_', '-')}-{i:05d}"
        out.append(Briefing(id=bid, held=day, kind=kind, speakers=("发言人",), documents=(f"doc{i:05d}",)))
    return out


def realistic_parts(n_mentions: int, seed: int = 7) -> serialize.LedgerParts:
    """A ledger of exactly ``n_mentions`` mentions (see the module docstring); deterministic for a seed."""
    rng = random.Random(seed)
    sizes: list[int] = []
    while sum(sizes) < n_mentions:
        sizes.append(min(rng.randint(40, 200), n_mentions - sum(sizes)))
    briefings = _briefings(sizes, rng)
    due: dict[int, list[int]] = {}  # briefing index -> commitments to restate there
    plans: list[dict] = []  # per commitment: its remaining statements, topic, body, mentions so far
    for i, b in enumerate(briefings):
        stated = [k for k in due.pop(i, []) if plans[k]["left"] > 0][: sizes[i]]
        while len(stated) < sizes[i]:
            plans.append({"left": rng.choice((1, 1, 2, 3, 4, 4, 5, 6, 7, 8)), "topic": rng.choice(TOPICS), "body": "".join(rng.choice(_CHARS) for _ in range(rng.randint(10, 40))), "mentions": []})
            stated.append(len(plans) - 1)
        offset = 0
        for k in stated:
            p = plans[k]
            j = len(p["mentions"])
            quote = rng.choice(_VERBS) + p["body"] + (f"不少于{rng.randint(1, 9) * 100}家" if j % 2 else "")
            p["mentions"].append(
                Mention(
                    source=b.documents[0], start=offset, end=offset + len(quote), quote=quote, text=quote,
                    date=b.held, briefing=b.id, speaker="发言人", verbs=(quote[:2],), stage=quote[:2], strength="推动",
                    targets=(Target(float(quote[-4:-1]), "家", quote[-7:], "不少于"),) if j % 2 else (),
                    deadlines=(Deadline("年底前", str(b.held.year), "year"),), topics=(p["topic"],),
                )
            )  # fmt: skip
            offset += len(quote) + 1
            p["left"] -= 1
            if p["left"] > 0:
                due.setdefault(i + rng.randint(1, 3), []).append(k)
    chronology = lifecycle.Chronology(briefings)
    stalled_after, dormant_after = lifecycle.thresholds()
    allocator = IdAllocator()
    commitments = []
    for p in plans:
        first = p["mentions"][0]
        c = TrackedCommitment(id=allocator.new(first), title=first.quote, mentions=tuple(p["mentions"]))
        commitments.append(lifecycle.apply(c, chronology, stalled_after=stalled_after, dormant_after=dormant_after))
    commitments.sort(key=_sort_key)
    documents = tuple(DocumentRecord(id=b.documents[0], briefing=b.id, title=f"简报 {b.id}", published=b.held) for b in briefings)
    return serialize.LedgerParts(briefings=tuple(briefings), documents=documents, commitments=tuple(commitments))
