"""The vocabulary every report shares: diff sections, grid cell classes, the order of briefings.

Defined once here and imported by the report builders (:mod:`.report`,
:mod:`.overview`) and the renderers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from ..models import Briefing

# Diff sections, in reading order: (key, heading).  What changed leads (advanced, target or
# deadline changed, reworded, dropped), then what is new, then what was restated as it was.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("advanced", "Advanced"),
    ("changed", "Target or deadline changed"),
    ("reworded", "Reworded"),
    ("not_restated", "Not restated in B"),
    ("new", "New in B"),
    ("unchanged", "Restated unchanged"),
)
SECTION_KEYS = tuple(key for key, _ in SECTIONS)

# Change types (from evolution.CHANGE_TYPES) that put a restatement under "Target or deadline changed".
_TARGET_CHANGES = ("target_raised", "target_lowered", "target_added", "target_dropped", "deadline_moved")

#: The HTML overview grid shows at most this many commitments (those stated most recently) …
GRID_ROWS = 500
#: … and this many briefings (the latest); 0 = no limit.  ``report --grid-rows/--grid-columns`` change them.
GRID_COLUMNS = 60

# Grid cell classes, in legend order: (key, label).
CELL_CLASSES: tuple[tuple[str, str], ...] = (
    ("new", "first seen"),
    ("advanced", "stage advanced"),
    ("changed", "target / deadline changed"),
    ("reworded", "reworded"),
    ("regressed", "stage regressed"),
    ("unchanged", "restated unchanged"),
    ("gap", "not restated"),
)


def section_for(changes: Iterable[str]) -> str:
    """The diff section a restatement belongs to, from its change types."""
    found = set(changes)
    if "stage_advanced" in found:
        return "advanced"
    if found & set(_TARGET_CHANGES):
        return "changed"
    if found - {"unchanged", "repeat"}:
        return "reworded"
    return "unchanged"


def cell_class(changes: Iterable[str]) -> str:
    """The grid colour of a restatement."""
    found = set(changes)
    if "stage_regressed" in found:
        return "regressed"
    return section_for(found)


def ordered_briefings(briefings: Sequence[Briefing]) -> tuple[Briefing, ...]:
    """Briefings by date held (undated last), then id: the columns of the grid."""
    return tuple(sorted(briefings, key=lambda b: (b.held is None, b.held or dt.date.max, b.id)))
