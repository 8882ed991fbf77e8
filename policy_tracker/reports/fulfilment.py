"""Time to fulfilment: how long pledges take, and how long they keep being restated.

Pledge trackers publish how many pledges were kept, broken or stalled
(PolitiFact, the Comparative Party Pledges Group) and how long fulfilment
took (Duval & Pétry).  From a ledger this module computes

- per current status, the number of commitments and the median days from
  the first statement to the analyst's verdict (for verdicts: fulfilled,
  broken …) or to the last restatement (for derived states: restated,
  stalled, dormant …);
- a survival table: of the pledges first stated at least *k* briefings
  before the ledger's last one, the share still restated *k* or more
  briefings after their first appearance, for *k* in :data:`HORIZONS`, for
  all pledges and by topic.  Briefings are counted in the ledger's
  chronological order, all series together; a pledge too recent to be
  observed *k* briefings on is left out of that column (``at_risk``).

Computed from :class:`~policy_tracker.reports.report.Timeline` values or the
overview's :class:`~policy_tracker.reports.overview.Row` values, so every
renderer (Markdown, HTML, JSON) shows the same numbers.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from ..ledger.status import STATUSES, VERDICTS
from ..models import Briefing

if TYPE_CHECKING:  # pragma: no cover
    from .overview import Row
    from .report import Timeline

#: Briefings after the first appearance at which the survival table looks.
HORIZONS = (1, 2, 4, 8)
ALL_TOPICS = "all"


@attrs.frozen
class StatusTime:
    """Commitments whose current status is ``status``, and how long they took to get there."""

    status: str
    count: int
    measured: int  # how many had both dates
    median_days: float | None
    to: str  # "verdict" or "last restatement"


@attrs.frozen
class Survival:
    """For one topic (or ``all``): per horizon *k*, pledges observable that far and those still restated."""

    topic: str
    at_risk: tuple[int, ...]
    restated: tuple[int, ...]

    @property
    def shares(self) -> tuple[float | None, ...]:
        """``restated / at_risk`` per horizon (None where nothing was observable)."""
        return tuple(r / n if n else None for r, n in zip(self.restated, self.at_risk, strict=True))


@attrs.frozen
class Fulfilment:
    """The time-to-fulfilment section of the overview."""

    statuses: tuple[StatusTime, ...]
    survival: tuple[Survival, ...]
    horizons: tuple[int, ...] = HORIZONS


def _verdict_date(t: Timeline | Row, held: dict[str, dt.date | None]) -> dt.date | None:
    v = t.verdict
    if v is None:
        return None
    return v.date or (held.get(v.briefing) if v.briefing else None)


def fulfilment(
    timelines: Sequence[Timeline | Row],
    briefings: Sequence[Briefing],
    *,
    horizons: tuple[int, ...] = HORIZONS,
    spans: Sequence[tuple[int, int] | None] | None = None,
) -> Fulfilment:
    """Status times and the survival table of these timelines or overview rows (``briefings`` in chronological order).

    ``spans``: per timeline, the positions in ``briefings`` of the first and last briefing that stated it (None when
    none did), when the caller knows them (the overview does): else they are looked up from each one's briefing ids.
    """
    held = {b.id: b.held for b in briefings}
    days: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    for t in timelines:
        s = t.status or "new"
        counts[s] = counts.get(s, 0) + 1
        first = t.first_seen
        end = _verdict_date(t, held) if s in VERDICTS else t.last_seen
        if first is not None and end is not None:
            days.setdefault(s, []).append((end - first).days)
    order = [s for s in STATUSES if s in counts] + sorted(s for s in counts if s not in STATUSES)
    statuses = tuple(
        StatusTime(
            s, counts[s], len(days.get(s, ())), float(statistics.median(days[s])) if days.get(s) else None,
            "verdict" if s in VERDICTS else "last restatement",
        )
        for s in order
    )  # fmt: skip
    if spans is None:
        position = {b.id: i for i, b in enumerate(briefings)}
        spans = [(min(ps), max(ps)) if ps else None for ps in ([position[bid] for bid in t.stated if bid in position] for t in timelines)]
    last = len(briefings) - 1
    pledges: Counter[tuple[str, int, int]] = Counter()  # (topic, first and last position stated): pledges
    for t, span in zip(timelines, spans, strict=True):
        if span is None:
            continue
        first_p, last_p = span
        for topic in (ALL_TOPICS, *t.topics):
            pledges[(topic, first_p, last_p)] += 1
    tallies: dict[str, tuple[list[int], list[int]]] = {}
    for (topic, first_p, last_p), n in pledges.items():
        at_risk, restated = tallies.setdefault(topic, ([0] * len(horizons), [0] * len(horizons)))
        for i, k in enumerate(horizons):
            if first_p + k <= last:
                at_risk[i] += n
                restated[i] += n * (last_p >= first_p + k)
    topics = sorted((t for t in tallies if t != ALL_TOPICS), key=lambda t: (-tallies[t][0][0], t))
    survival = tuple(
        Survival(topic, tuple(tallies[topic][0]), tuple(tallies[topic][1])) for topic in ((ALL_TOPICS, *topics) if tallies else ())
    )
    return Fulfilment(statuses, survival, horizons)


def days_text(x: float | None) -> str:
    """Median days as shown: ``54``, ``54.5``, ``–`` when none."""
    return "–" if x is None else f"{x:.0f}" if x == int(x) else f"{x:.1f}"


def share_text(x: float | None) -> str:
    """A share as a percentage: ``83%``, ``–`` when nothing was observable."""
    return "–" if x is None else f"{100 * x:.0f}%"
