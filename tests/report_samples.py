"""A hand-built ledger for report tests: five seed briefings and the pledges the issue names.

Independent of extraction and matching quality: stages, targets and deadlines
are set by hand so the reports can be checked on exactly the done-when cases
(public-fleet pilot reworded and advanced, industrial-internet guidance
advanced, 5G-factory target dropped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from policy_tracker.models import Briefing, Commitment, Deadline, Evidence, Mention, Target

# Rank of each rung of the action ladder (data/stages.yaml order).
LADDER = ("研究", "制定", "出台", "启动", "实施", "深化")


def stage_rank(stage: str | None) -> int | None:
    """The ladder rank used by the samples, independent of the attributes stage."""
    return LADDER.index(stage) if stage in LADDER else None


B_Q1 = Briefing("2023-04-20-press-conference", dt.date(2023, 4, 20), "press_conference", "2023Q1",
                speakers=("赵志国", "陶青"), documents=("001_d101504f9048af62",))  # fmt: skip
B_H1 = Briefing("2023-07-19-press-conference", dt.date(2023, 7, 19), "press_conference", "2023H1",
                speakers=("赵志国", "陶青"), documents=("003_fbae4528c08ed477",))  # fmt: skip
B_Q3 = Briefing("2023-10-20-press-conference", dt.date(2023, 10, 20), "press_conference", "2023Q1-Q3",
                speakers=("赵志国", "陶青"), documents=("000_4397a9c2868d6e81",))  # fmt: skip
B_INT = Briefing("2023-11-04-interview", dt.date(2023, 11, 4), "interview", "2023Q1-Q3",
                 speakers=("金壮龙",), documents=("004_56263bf06908ad58",))  # fmt: skip
B_FY = Briefing("2024-01-19-press-conference", dt.date(2024, 1, 19), "press_conference", "2023",
                speakers=("赵志国", "陶青"), documents=("002_7070a237dd8e7fa7",))  # fmt: skip
BRIEFINGS = (B_Q1, B_H1, B_Q3, B_INT, B_FY)

_offsets: dict[str, int] = {}


def mention(b: Briefing, quote: str, speaker: str, stage: str | None = None, **kw: object) -> Mention:
    """A mention in briefing ``b``'s document at a fresh offset (quote is also the normalised text)."""
    doc = b.documents[0]
    start = _offsets.get(doc, 100)
    _offsets[doc] = start + len(quote) + 50
    return Mention(doc, start, start + len(quote), quote, text=quote, date=b.held, briefing=b.id,
                   speaker=speaker, stage=stage, **kw)  # type: ignore[arg-type]  # fmt: skip


FLEET = Commitment("public-fleet-electrification", "公共领域车辆全面电动化试点", (
    mention(B_Q1, "启动公共领域车辆全面电动化城市试点", "陶青", "启动", topics=("nev",)),
    mention(B_Q3, "启动公共领域车辆全面电动化先行区试点", "陶青", "启动", topics=("nev",)),
    mention(B_FY, "开展好公共领域车辆全面电动化试点", "陶青", "实施", topics=("nev",)),
))  # fmt: skip
IIOT = Commitment("industrial-internet-guidance", "工业互联网高质量发展指导意见", (
    mention(B_Q1, "研究制定工业互联网高质量发展指导意见", "赵志国", "研究", topics=("industrial-internet",)),
    mention(B_FY, "出台推动工业互联网高质量发展指导意见", "赵志国", "出台", topics=("industrial-internet",)),
))  # fmt: skip
FACTORIES = Commitment("5g-factories", "5G工厂", (
    mention(B_H1, "今年推动不少于3000家企业建设5G工厂", "赵志国", "实施", topics=("5g",),
            targets=(Target(3000, "家", "不少于3000家", comparator=">=", counted="企业"),),
            deadlines=(Deadline("今年", "2023", "year"),)),
    mention(B_INT, "打造一批5G工厂和数字化转型企业标杆", "金壮龙", "实施", topics=("5g",)),
))  # fmt: skip
DUAL_CREDIT = Commitment("dual-credit", "“双积分”管理办法", (
    mention(B_Q1, "完善“双积分”管理办法", "陶青", "深化", topics=("nev",)),
))  # fmt: skip
BULK = Commitment("bulk-consumption", "稳住大宗消费", (
    mention(B_Q1, "着力稳住大宗消费", "陶青", "实施", topics=("consumption",)),
    mention(B_FY, "着力稳住大宗消费", "陶青", "实施", topics=("consumption",)),
))  # fmt: skip
SIXG = Commitment("6g-research", "6G技术研究", (
    mention(B_H1, "大力推动6G技术研究，开展技术试验", "赵志国", "实施", topics=("6g",)),
    mention(B_FY, "加快6G技术研究，开展技术试验", "赵志国", "实施", topics=("6g",)),
))  # fmt: skip
COMMITMENTS = (FLEET, IIOT, FACTORIES, DUAL_CREDIT, BULK, SIXG)

EVIDENCE = (
    Evidence("002_7070a237dd8e7fa7", 5000, 5015, "发布了首批300个5G工厂名录", date=B_FY.held, speaker="赵志国"),
)


@attrs.frozen
class SampleLedger:
    """The smallest ledger the reports accept: commitments, briefings, evidence."""

    commitments: tuple[Commitment, ...]
    briefings: tuple[Briefing, ...] = BRIEFINGS
    evidence: tuple[Evidence, ...] = ()


def sample_ledger(commitments: Sequence[Commitment] = COMMITMENTS) -> SampleLedger:
    """The sample ledger (optionally with other commitments)."""
    return SampleLedger(tuple(commitments), BRIEFINGS, EVIDENCE)


GOLDEN = __import__("pathlib").Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """Compare ``text`` with ``tests/golden/<name>``; ``UPDATE_GOLDEN=1 pytest`` rewrites the file."""
    import os

    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing; create it with UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{path} differs; inspect and rerun with UPDATE_GOLDEN=1 if intended"
