"""Tests for policy_tracker.ledger.evolution: typed restatements of one commitment."""

from __future__ import annotations

import datetime as dt

import pytest

from policy_tracker.ledger.evolution import CHANGE_TYPES, char_diff, compare, evolve, target_changes
from policy_tracker.models import Briefing, Commitment, Deadline, Mention, Target

LADDER = {"study": 0, "draft": 1, "issue": 2, "implement": 3}


def rank(stage: str | None) -> int | None:
    return LADDER.get(stage) if stage else None


def mention(text: str, day: str, source: str = "a", start: int = 0, briefing: str | None = None, **kw: object) -> Mention:
    return Mention(
        source=source,
        start=start,
        end=start + len(text),
        quote=text,
        text=text,
        date=dt.date.fromisoformat(day),
        briefing=briefing or f"b{day}",
        **kw,  # type: ignore[arg-type]
    )


def t(value: float, unit: str = "家") -> Target:
    return Target(value=value, unit=unit, raw=f"{value}{unit}")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ((), (), ()),
        ((), (t(3000),), ("target_added",)),
        ((t(3000),), (), ("target_dropped",)),
        ((t(3000),), (t(5000),), ("target_raised",)),
        ((t(3000),), (t(1000),), ("target_lowered",)),
        ((t(3000),), (t(3000),), ()),
        ((t(3000),), (t(50, "个"),), ("target_added", "target_dropped")),
    ],
)
def test_target_changes(old: tuple[Target, ...], new: tuple[Target, ...], expected: tuple[str, ...]) -> None:
    """Targets compare by unit: raised, lowered, added, dropped."""
    assert target_changes(old, new) == expected


@pytest.mark.parametrize(
    ("kw_old", "kw_new", "text_new", "expected"),
    [
        ({}, {}, "同一句", ("unchanged",)),
        ({}, {}, "另一句", ("reworded",)),
        ({"stage": "study"}, {"stage": "issue"}, "同一句", ("stage_advanced",)),
        ({"stage": "implement"}, {"stage": "draft"}, "同一句", ("stage_regressed",)),
        ({"stage": "study"}, {"stage": None}, "同一句", ("unchanged",)),
        (
            {"deadlines": (Deadline("今年", "2023", "year"),)},
            {"deadlines": (Deadline("明年", "2024", "year"),)},
            "同一句",
            ("deadline_moved",),
        ),
        ({"instruments": ("甲办法",)}, {"instruments": ("乙意见",)}, "同一句", ("instrument_renamed",)),
        ({"instruments": ("甲办法",)}, {}, "同一句", ("unchanged",)),
    ],
)
def test_compare(kw_old: dict, kw_new: dict, text_new: str, expected: tuple[str, ...]) -> None:
    """Each attribute change maps to its change type; nothing changed is 'unchanged'."""
    old = mention("同一句", "2023-01-01", **kw_old)
    new = mention(text_new, "2023-04-01", **kw_new)
    assert compare(old, new, rank) == expected
    assert set(expected) <= set(CHANGE_TYPES)


def test_char_diff_round_trips() -> None:
    """Applying the diff's '=' and '+' parts rebuilds the new text, '=' and '-' the old."""
    ops = char_diff("启动公共领域车辆全面电动化城市试点", "开展好公共领域车辆全面电动化试点")
    assert "".join(s for op, s in ops if op != "+") == "启动公共领域车辆全面电动化城市试点"
    assert "".join(s for op, s in ops if op != "-") == "开展好公共领域车辆全面电动化试点"


def test_evolve_groups_repeats_and_lists_missing_briefings() -> None:
    """Same-briefing mentions are one restatement plus 'repeat'; skipped later briefings are listed."""
    first = mention("研究制定指导意见", "2023-04-20", source="d1", stage="study")
    lede = mention("出台指导意见", "2024-01-19", source="d2", start=5, stage="issue")
    body = mention("出台指导意见", "2024-01-19", source="d2", start=90, stage="issue")
    other_outlet = mention("出台指导意见", "2024-01-19", source="d3", start=7, briefing="b2024-01-19", stage="issue")
    c = Commitment(id="c1", title="x", mentions=(other_outlet, body, first, lede))
    briefings = [
        Briefing(id="b2023-01-01", held=dt.date(2023, 1, 1)),
        Briefing(id="b2023-04-20", held=dt.date(2023, 4, 20), documents=("d1",)),
        Briefing(id="b2023-07-19", held=dt.date(2023, 7, 19)),
        Briefing(id="b2024-01-19", held=dt.date(2024, 1, 19), documents=("d2", "d3")),
    ]
    ev = evolve(c, briefings, stage_rank=rank)
    assert ev.first_seen == first
    assert ev.last_seen == lede
    assert [r.changes for r in ev.restatements] == [
        ("first",),
        ("reworded", "stage_advanced"),
        ("repeat",),
        ("repeat",),
    ]
    assert ev.restatements[1].previous == first
    assert ev.restatements[2].previous == lede
    assert ev.missing_briefings == ("b2023-07-19",)
    assert ev.briefings == ("b2023-04-20", "b2024-01-19")


def test_evolve_is_independent_of_mention_order() -> None:
    """The evolution depends on dates and offsets, not on the order mentions were given."""
    ms = [mention("开展试点", "2023-04-20", "d1"), mention("开展好试点", "2023-10-20", "d2"), mention("开展试点", "2023-07-19", "d3")]
    a = evolve(Commitment(id="c", title="t", mentions=ms))
    b = evolve(Commitment(id="c", title="t", mentions=list(reversed(ms))))
    assert a == b
    assert [r.mention.source for r in a.restatements] == ["d1", "d3", "d2"]


def test_evolve_rejects_empty_commitment() -> None:
    """A commitment without mentions has no history: a clear ValueError."""
    with pytest.raises(ValueError, match="no mentions"):
        evolve(Commitment(id="c9", title="t"))
