"""A tiny synthetic corpus with a rule-based extractor and matcher, for ledger tests.

The sentences are invented (no seed text): each briefing states pledges as
``将<verb><object>。`` and progress as ``已…。``; the matcher groups mentions
whose object (the text after the two-character verb) is the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from policy_tracker.models import Document, Evidence, Mention

TOPICS = {"工厂": "factory", "标准": "standards", "试点": "pilot", "平台": "platform"}
STAGES = ("研究", "出台", "启动", "推进", "实施", "深化")

BRIEFINGS = {
    "b1_spring": (dt.date(2023, 3, 1), "下一步，将推进甲类工厂建设。将研究乙类标准。将开展丙类试点。"),
    "b2_summer": (dt.date(2023, 6, 1), "将实施甲类工厂建设。将研究乙类标准。已完成丙类试点评估。将启动丁类平台。"),
    "b3_winter": (dt.date(2024, 1, 10), "将深化甲类工厂建设。将出台乙类标准。将启动戊类计划。"),
    "b4_extra": (dt.date(2024, 4, 2), "将深化甲类工厂建设。将启动丁类平台。将研究己类标准。"),
}


def document(doc_id: str, held: dt.date | None = None, text: str | None = None, kind: str = "press_conference") -> Document:
    """A synthetic briefing document (defaults from :data:`BRIEFINGS`)."""
    if text is None:
        held, text = BRIEFINGS[doc_id]
    bid = f"{held.isoformat()}-{kind.replace('_', '-')}" if held else None
    return Document(id=doc_id, text=text, held=held, kind=kind, briefing_id=bid)


def documents(*ids: str) -> list[Document]:
    return [document(i) for i in (ids or ("b1_spring", "b2_summer", "b3_winter"))]


def extract(doc: Document) -> list[Mention]:
    """Every ``将…`` clause is a pledge mention (the quote excludes 将 and the full stop)."""
    out = []
    for m in re.finditer(r"将([^。]+)", doc.text):
        quote = m.group(1)
        verb = quote[:2]
        topics = tuple(t for k, t in TOPICS.items() if k in quote)
        out.append(
            Mention(
                source=doc.id,
                start=m.start(1),
                end=m.end(1),
                quote=quote,
                speaker="发言人",
                verbs=(verb,),
                stage=verb if verb in STAGES else None,
                topics=topics,
            )
        )
    return out


def extract_evidence(doc: Document) -> list[Evidence]:
    """Every ``已…`` clause is evidence."""
    return [Evidence(source=doc.id, start=m.start(), end=m.end(), quote=m.group(0)) for m in re.finditer(r"已[^。]+", doc.text)]


def key(m: Mention) -> str:
    return m.quote[2:]


def cluster(
    mentions: Sequence[Mention],
    *,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
) -> list[list[Mention]]:
    """Group by object; deterministic and order-independent like the real matcher."""
    groups: dict[str, list[Mention]] = {}
    for m in sorted(mentions, key=Mention.sort_key):
        groups.setdefault(key(m), []).append(m)
    return sorted(groups.values(), key=lambda g: g[0].sort_key())


KW = {"extract": extract, "extract_evidence": extract_evidence, "cluster": cluster}


def stage_rank(stage: str | None) -> int | None:
    return STAGES.index(stage) if stage in STAGES else None
