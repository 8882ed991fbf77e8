"""Stable, readable commitment ids: ``<topic>-<year>-<n>``, assigned once and never recomputed.

``topic`` is a slug of the first topic tag of the commitment's first mention
(``nev``, ``5g``, ``green-manufacturing``; ``pledge`` when it has none),
``year`` the year of that mention's briefing (``undated`` when unknown) and
``n`` a two-digit counter, one more than the highest number ever used with
that prefix (ids of merged commitments stay reserved as aliases, so a number
is never handed out twice).  Example: ``nev-2023-01``.

Across re-runs (:func:`assign_ids`): a cluster forced by a decision takes that
id; every other cluster takes the id that held most of its mentions (the
earliest commitment wins ties); clusters holding no old mention get new ids
in chronological order of their first mention.  An old id left without a
cluster becomes an alias of the cluster that took most of its mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .curation import Group, Previous
from ..models import Mention

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_ID = re.compile(r"^(?P<prefix>.+)-(?P<n>\d+)$")
FALLBACK_TOPIC = "pledge"


def slug(text: str) -> str:
    """ASCII slug: ``Green manufacturing`` → ``green-manufacturing``; ``''`` when nothing is left."""
    return _NON_SLUG.sub("-", text.lower()).strip("-")


def prefix_for(first: Mention) -> str:
    """``<topic>-<year>`` for a commitment first stated in ``first``."""
    topic = next((s for s in (slug(t) for t in first.topics) if s), FALLBACK_TOPIC)
    year = str(first.date.year) if first.date else "undated"
    return f"{topic}-{year}"


class IdAllocator:
    """Hands out new ids, never one that was used before (by a commitment, an alias or a decision)."""

    def __init__(self, used: Iterable[str] = ()) -> None:
        self.used: set[str] = set()
        self.highest: dict[str, int] = {}
        for name in used:
            self.reserve(name)

    def reserve(self, name: str) -> None:
        """Mark ``name`` as taken."""
        self.used.add(name)
        m = _ID.match(name)
        if m:
            prefix, n = m["prefix"], int(m["n"])
            self.highest[prefix] = max(self.highest.get(prefix, 0), n)

    def new(self, first: Mention) -> str:
        """The next free id for a commitment first stated in ``first``."""
        prefix = prefix_for(first)
        n = self.highest.get(prefix, 0) + 1
        name = f"{prefix}-{n:02d}"
        while name in self.used:  # a hand-made id that does not follow the pattern's numbering
            n += 1
            name = f"{prefix}-{n:02d}"
        self.reserve(name)
        return name


def assign_ids(
    groups: list[Group],
    previous: Previous,
    first_seen: Mapping[str, tuple[Any, ...]],
    allocator: IdAllocator,
) -> tuple[dict[str, Group], dict[str, set[str]]]:
    """Name every group; returns ``{id: group}`` and ``{id: old ids that became its aliases}``.

    ``first_seen`` orders the old commitments (earliest wins ties).  Groups are
    sorted in place (mentions chronologically, groups by first mention).
    """
    for g in groups:
        g.mentions.sort(key=Mention.sort_key)
    groups.sort(key=lambda g: g.mentions[0].sort_key())
    holders = [[previous.holder_of(m) for m in g.mentions] for g in groups]
    named: dict[str, Group] = {g.forced: g for g in groups if g.forced}
    ranked = []
    for i, g in enumerate(groups):
        if g.forced:
            continue
        counts: dict[str, int] = {}
        for holder in holders[i]:
            if holder is not None:
                counts[holder] = counts.get(holder, 0) + 1
        ranked.append((-max(counts.values(), default=0), g.mentions[0].sort_key(), i, counts))
    ranked.sort(key=lambda t: t[:3])
    unnamed = []
    for _, _, i, counts in ranked:
        choice = [cid for cid in sorted(counts, key=lambda c: (-counts[c], first_seen.get(c, ()), c)) if cid not in named]
        if choice:
            named[choice[0]] = groups[i]
        else:
            unnamed.append(groups[i])
    for g in unnamed:  # already in chronological order of first mention
        named[allocator.new(g.mentions[0])] = g
    owner = {id(g): cid for cid, g in named.items()}
    flow: dict[str, dict[str, int]] = {}  # old id -> new id -> mentions
    for i, g in enumerate(groups):
        for holder in holders[i]:
            if holder is not None and holder not in named:
                into = flow.setdefault(holder, {})
                into[owner[id(g)]] = into.get(owner[id(g)], 0) + 1
    aliases: dict[str, set[str]] = {cid: set() for cid in named}
    for old_id, into in sorted(flow.items()):
        heir = min(into, key=lambda k: (-into[k], first_seen.get(k, ()), k))
        aliases[heir].add(old_id)
    return named, aliases
