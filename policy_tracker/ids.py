"""Stable, readable commitment ids: ``<topic>-<year>-<n>``, assigned once and never recomputed.

``topic`` is a slug of the first topic tag of the commitment's first mention
(``nev``, ``5g``, ``green-manufacturing``; ``pledge`` when it has none),
``year`` the year of that mention's briefing (``undated`` when unknown) and
``n`` a two-digit counter, one more than the highest number ever used with
that prefix (ids of merged commitments stay reserved as aliases, so a number
is never handed out twice).  Example: ``nev-2023-01``.

Ids are only *allocated* here; which cluster keeps which id across re-runs is
decided in :mod:`policy_tracker.ledger`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .models import Mention

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
