"""Stable ids: the <topic>-<year>-<nn> scheme, the allocator, and which cluster keeps which id."""

from __future__ import annotations

import datetime as dt

import pytest

from policy_tracker.ledger.curation import Group, Previous, SpanIndex
from policy_tracker.ledger.ids import IdAllocator, assign_ids, prefix_for, slug
from policy_tracker.models import Mention


def mention(source: str, start: int, topics: tuple[str, ...] = (), date: dt.date | None = dt.date(2023, 4, 20)) -> Mention:
    return Mention(source=source, start=start, end=start + 2, quote="推进", topics=topics, date=date)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("NEV", "nev"), ("Green manufacturing", "green-manufacturing"), ("digital_transformation", "digital-transformation"), ("5G", "5g"), ("新能源汽车", "")],
)
def test_slug(text: str, expected: str) -> None:
    """Topic tags become lowercase ASCII slugs; a tag with no ASCII gives ''."""
    assert slug(text) == expected


@pytest.mark.parametrize(
    ("m", "expected"),
    [
        (mention("a", 0, ("nev", "5g")), "5g-2023"),
        (mention("a", 0, ("新能源汽车", "nev")), "nev-2023"),
        (mention("a", 0), "pledge-2023"),
        (mention("a", 0, ("ai",), date=None), "ai-undated"),
    ],
)
def test_prefix_from_first_topic_and_year(m: Mention, expected: str) -> None:
    """The prefix is the first sluggable topic and the year of the first mention."""
    assert prefix_for(m) == expected


def test_allocator_never_reuses_and_continues_after_highest() -> None:
    """New numbers follow the highest ever used with the prefix, skipping taken names."""
    alloc = IdAllocator(["nev-2023-01", "nev-2023-07", "ai-2023-01", "custom"])
    assert alloc.new(mention("a", 0, ("nev",))) == "nev-2023-08"
    assert alloc.new(mention("a", 0, ("nev",))) == "nev-2023-09"
    assert alloc.new(mention("a", 0, ("5g",))) == "5g-2023-01"
    assert alloc.new(mention("a", 0, ("ai",))) == "ai-2023-02"


def _previous(holders: dict[str, list[Mention]]) -> Previous:
    holder = {m.id: cid for cid, ms in holders.items() for m in ms}
    return Previous(holder, {}, SpanIndex(m for ms in holders.values() for m in ms))


def test_majority_keeps_the_id_and_the_rest_gets_a_new_one() -> None:
    """When the matcher splits an old commitment, the larger part keeps its id."""
    a, b, c = mention("d1", 0, ("nev",)), mention("d1", 10, ("nev",)), mention("d2", 0, ("nev",))
    prev = _previous({"nev-2023-01": [a, b, c]})
    named, aliases = assign_ids([Group([c]), Group([a, b])], prev, {"nev-2023-01": ()}, IdAllocator(["nev-2023-01"]))
    assert [m.id for m in named["nev-2023-01"].mentions] == [a.id, b.id]
    assert [m.id for m in named["nev-2023-02"].mentions] == [c.id]
    assert aliases == {"nev-2023-01": set(), "nev-2023-02": set()}


def test_merged_clusters_keep_the_earliest_id_and_alias_the_other() -> None:
    """Two old commitments joined by the matcher: the earliest keeps its id, the other becomes an alias."""
    a, b = mention("d1", 0, ("nev",)), mention("d2", 0, ("nev",))
    prev = _previous({"nev-2023-02": [b], "nev-2023-01": [a]})
    first_seen = {"nev-2023-01": (1,), "nev-2023-02": (2,)}
    named, aliases = assign_ids([Group([a, b])], prev, first_seen, IdAllocator(first_seen))
    assert list(named) == ["nev-2023-01"]
    assert aliases == {"nev-2023-01": {"nev-2023-02"}}


def test_forced_id_wins_and_new_groups_are_numbered_chronologically() -> None:
    """A decision's id is honoured; new clusters are numbered in order of their first mention."""
    early, late, pinned = mention("d1", 0, ("ai",)), mention("d9", 0, ("ai",), date=dt.date(2023, 12, 1)), mention("d5", 0, ("ai",))
    groups = [Group([late]), Group([pinned], forced="kept-id"), Group([early])]
    named, _ = assign_ids(groups, _previous({}), {}, IdAllocator())
    assert {cid: g.mentions[0].id for cid, g in named.items()} == {"kept-id": pinned.id, "ai-2023-01": early.id, "ai-2023-02": late.id}


def test_recut_mention_counts_for_the_old_mention_it_overlaps() -> None:
    """A mention re-extracted with slightly different offsets still carries its old commitment's id."""
    old = Mention(source="d1", start=10, end=20, quote="x" * 10)
    new = Mention(source="d1", start=12, end=22, quote="x" * 10)
    named, _ = assign_ids([Group([new])], _previous({"ai-2023-04": [old]}), {"ai-2023-04": ()}, IdAllocator(["ai-2023-04"]))
    assert list(named) == ["ai-2023-04"]
