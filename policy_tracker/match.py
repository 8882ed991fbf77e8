"""Cross-briefing matching (placeholder: exact normalised-text grouping until the matching stage lands)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .models import Mention


def cluster(
    mentions: Sequence[Mention],
    *,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
) -> list[list[Mention]]:
    """Group mentions into commitments; deterministic and independent of input order."""
    groups: dict[str, list[Mention]] = {}
    for m in sorted(mentions, key=Mention.sort_key):
        groups.setdefault(m.text or m.quote, []).append(m)
    return sorted(groups.values(), key=lambda g: g[0].sort_key())
