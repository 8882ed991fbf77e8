"""The whole-ledger overview (``policy-tracker report``), built from commitment summaries.

Every commitment is one :class:`Row` (status, dates, analyst fields, the
briefings that stated it and the grid cell of each), made from its summary
(:mod:`policy_tracker.ledger.summary`): a ledger folder serves the summaries
from its index, a single file's are computed from its commitments; both go
through :func:`overview`, so the two layouts give the same report.  The grid
(commitments × briefings) is kept per row as where its gaps start and the cells that differ, and
counted per column while it is built, as runs: a report of 10⁵ mentions
(30 million cells) does not walk the cells one by one in Python.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any, AnyStr, NamedTuple

import attrs

from ..ledger import status
from ..ledger.records import StatusChange
from ..ledger.summary import summarize, with_history
from ..models import Briefing, date_key
from .fulfilment import Fulfilment, fulfilment
from .labels import CELL_CLASSES, cell_class, ordered_briefings

Cells = tuple[int, tuple[tuple[int, "str | None"], ...]]  # a grid row: gaps from this column on, then (column, class) where it differs


@attrs.frozen
class BriefingCount:
    """Per briefing: mentions extracted, commitments stated, commitments first stated there."""

    briefing: Briefing
    mentions: int
    commitments: int
    new: int


@attrs.frozen
class Row:
    """One commitment as the overview shows it.

    ``statements`` has one ``(briefing, cell class)`` per briefing that stated
    the commitment, in order (the briefing is None when the ledger does not
    know it); ``verdict`` is the latest analyst verdict (dated);
    ``latest_quote`` the quote of the latest statement.
    """

    id: str
    title: str
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    notes: str | None
    first_seen: dt.date | None
    last_seen: dt.date | None
    status: str | None
    verdict: StatusChange | None
    statements: tuple[tuple[Briefing | None, str], ...]
    latest_quote: str | None = None

    @property
    def latest_change(self) -> str:
        """Cell class of the latest statement (``new`` when never restated)."""
        return self.statements[-1][1] if self.statements else "new"

    @property
    def stated(self) -> tuple[str, ...]:
        """Ids of the known briefings that stated it, in order."""
        return tuple(b.id for b, _ in self.statements if b is not None)


@attrs.frozen
class Overview:
    """The whole ledger at a glance."""

    briefings: tuple[BriefingCount, ...]
    topics: tuple[tuple[str, int], ...]
    speakers: tuple[tuple[str, int], ...]
    rows: tuple[Row, ...]
    newest: tuple[Row, ...]
    advanced: tuple[Row, ...]
    stalled: tuple[Row, ...]
    dormant: tuple[Row, ...]
    fulfilment: Fulfilment | None = None
    cells: tuple[Cells, ...] = ()  # the grid, one entry per row: see Cells
    counts: tuple[dict[str, int], ...] = ()

    def column_counts(self) -> tuple[dict[str, int], ...]:
        """Per briefing (grid column): how many cells of each class, in CELL_CLASSES order."""
        return tuple(dict(c) for c in self.counts)

    def grid(self) -> tuple[tuple[Row, tuple[str | None, ...]], ...]:
        """Commitments × briefings: the cell class of each statement, ``gap`` after first seen, else None."""
        n = len(self.briefings)
        out = []
        for row, (start, special) in zip(self.rows, self.cells, strict=True):
            cells: list[str | None] = [None] * start + ["gap"] * (n - start)
            for p, cls in special:
                cells[p] = cls
            out.append((row, tuple(cells)))
        return tuple(out)

    def marks(
        self,
        symbols: dict[str | None, AnyStr],
        sep: AnyStr,
        keep: Callable[[Row], bool] | None = None,
        *,
        rows: Sequence[int] | None = None,
        first_column: int = 0,
    ) -> Iterator[tuple[Row, AnyStr]]:
        """Each row (or those ``keep`` keeps) with its cells as text: the symbol of each cell's class (or of None), joined by ``sep``.

        ``rows``: only the rows at these indexes (in this order); ``first_column``: only the columns from this one on.
        Built from runs of equal cells (a row is mostly one run of gaps), not cell by cell; as ``str`` or,
        given symbols and ``sep`` as ``bytes``, as bytes (the Markdown grid at 10⁵ mentions is 120 MB: encoding it would cost more than making it).
        """
        n, lo = len(self.briefings), first_column
        blank, gap = symbols[None] + sep, symbols["gap"] + sep
        marked = {cls: symbols[cls] + sep for cls in symbols}
        empty = sep[:0]
        chosen = zip(self.rows, self.cells, strict=True) if rows is None else ((self.rows[i], self.cells[i]) for i in rows)
        for row, (start, special) in chosen:
            if keep is not None and not keep(row):
                continue
            parts = []
            at = lo
            for p, cls in (*special, (n, None)):
                if p < lo:
                    continue
                if at < start:
                    parts.append(blank * (min(p, start) - at))
                if p > start:
                    parts.append(gap * (p - max(at, start)))
                if p < n:
                    parts.append(marked[cls])
                at = p + 1
            text = empty.join(parts)
            yield row, text[: len(text) - len(sep)] if n > lo else text

    def window(self, rows: int = 0, columns: int = 0) -> tuple[list[int], int]:
        """The part of the grid a report shows: the ``rows`` most recently stated commitments (their indexes, in grid
        order) and the first of the latest ``columns`` briefings; 0 = all."""
        total = len(self.rows)
        first_column = max(0, len(self.briefings) - columns) if columns else 0
        if not rows or total <= rows:
            return list(range(total)), first_column
        # the latest column a row's statements are in (-1: none): its special cells that are not gaps
        latest = [max((p for p, cls in special if cls is not None), default=-1) for _, special in self.cells]
        return sorted(sorted(range(total), key=lambda i: (-latest[i], i))[:rows]), first_column

    @property
    def notes(self) -> tuple[Row, ...]:
        """Commitments an analyst annotated: notes, tags or a status verdict."""
        return tuple(r for r in self.rows if r.notes or r.tags or r.verdict)


def _counted(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def summaries(ledger: Any, order: status.Chronology, stage_rank: Any = None) -> list[dict[str, Any]]:
    """Every commitment's summary: served by a ledger folder's index, else computed from the commitments."""
    served = getattr(ledger, "summaries", None)
    if stage_rank is None and callable(served):
        found = served(order)
        if found is not None:
            return found  # type: ignore[no-any-return]
    return [with_history(summarize(c, stage_rank), c, order, stage_rank) for c in ledger.commitments]


class _Grid:
    """The briefings as grid columns: where a briefing id or a document goes, and the per-column counts."""

    def __init__(self, order: Sequence[Briefing]) -> None:
        self.order = order
        self.n = len(order)
        self.position = {b.id: i for i, b in enumerate(order)}
        self.keys = [(date_key(b.held), b.id) for b in order]
        self.by_document: dict[str, list[int]] = {}
        for i, b in enumerate(order):
            for d in b.documents:
                self.by_document.setdefault(d, []).append(i)
        self.counts = [dict.fromkeys((key for key, _ in CELL_CLASSES), 0) for _ in order]
        self.gaps = [0] * (self.n + 1)  # running sum: gap cells opened per column
        # where each statement goes, by its briefing (or, without one, its document): worked out once per key
        self.of_briefing: dict[str, _Place] = {}
        self.of_document: dict[str, _Place] = {}

    def place(self, briefing: str | None, source: str) -> _Place:
        """Where a statement of ``briefing`` (else of document ``source``) goes: see :class:`_Place`."""
        memo, key = (self.of_briefing, briefing) if briefing else (self.of_document, source)
        found = memo.get(key)
        if found is None:
            position, by_document = self.position, self.by_document
            if briefing:
                p = position.get(briefing)
                counted: tuple[int, ...] = (p,) if p is not None else ()
            else:
                counted = tuple(by_document.get(source, ()))
                p = counted[0] if counted else None
            # the briefings that stated it under this id or a document of this name: no gap there
            opened = (*((position[key],) if key in position else ()), *by_document.get(key, ()))
            found = memo[key] = _Place(p, counted, opened)
        return found

    def row(self, start: int, places: Sequence[_Place], cells: Sequence[tuple[int | None, str]]) -> Cells:
        """One commitment's grid row (and its cells counted): gaps from column ``start`` on, then its statements."""
        special: dict[int, str | None] = {}
        for place in places:
            for p in place.opened:
                if p >= start:
                    special[p] = None
        for p, cell in cells:
            if p is not None:
                special[p] = cell
        self.gaps[start] += 1
        self.gaps[self.n] -= 1
        counts = self.counts
        for p, cls in special.items():
            if p >= start:
                counts[p]["gap"] -= 1
            if cls is not None:
                counts[p][cls] += 1
        return start, tuple(sorted(special.items()))

    def column_counts(self) -> tuple[dict[str, int], ...]:
        running = 0
        for i in range(self.n):
            running += self.gaps[i]
            self.counts[i]["gap"] += running
        return tuple(self.counts)


class _Place(NamedTuple):
    """Where a statement goes in the grid: its column (None when no briefing holds it), the columns its mentions count in, and those where its commitment has no gap."""

    column: int | None
    counted: tuple[int, ...]
    opened: tuple[int, ...]


def overview(ledger: Any, *, stage_rank: Any = None) -> Overview:
    """Counts per briefing, topic and speaker; newest, advanced, stalled and dormant pledges; the grid."""
    briefings = ordered_briefings(ledger.briefings)
    order = status.Chronology(briefings)
    found = summaries(ledger, order, stage_rank)
    found.sort(key=lambda s: (tuple(s["key"]) if s["key"] else ("9999",), s["id"]))
    grid = _Grid(briefings)
    place_of, keys, n = grid.place, grid.keys, len(briefings)
    n_mentions, n_stated, n_new = [0] * n, [0] * n, [0] * n
    classes: dict[tuple[str, ...], str] = {}
    rows, cells_of, spans = [], [], []
    all_topics: list[str] = []
    all_speakers: list[str] = []
    dates: dict[str | None, dt.date | None] = {None: None}
    latest = status.latest(briefings)
    dated_latest = [latest.id] if latest else None
    latest_p = grid.position.get(latest.id) if latest else None
    newest, advanced, stalled, dormant = [], [], [], []
    for s in found:
        groups = s["groups"]
        places = [place_of(g[0], g[1]) for g in groups]
        cells: list[tuple[int | None, str]] = []
        for place, g in zip(places, groups):
            key = tuple(g[2])
            cell = classes.get(key)
            if cell is None:
                cell = classes[key] = "new" if "first" in key else cell_class(key)
            cells.append((place.column, cell))
        stated = {place.column for place in places}
        stated.discard(None)
        for p in stated:
            n_stated[p] += 1
        if places and places[0].column is not None:
            n_new[places[0].column] += 1
        for place, g in zip(places, groups):
            for p in place.counted:
                if p in stated:
                    n_mentions[p] += g[3]
        all_topics += s["topics"]
        all_speakers += s["speakers"]
        verdict = _verdict(s["verdict"], briefings, grid.position, latest if s["hand"] else None) if s["verdict"] else None
        first, last = s["first"], s["last"]
        if first not in dates:
            dates[first] = _date(first)
        if last not in dates:
            dates[last] = _date(last)
        row = Row(
            s["id"], s["title"], tuple(s["topics"]), tuple(s["tags"]), s["notes"], dates[first], dates[last],
            s["status"] or s["latest"], verdict, tuple((briefings[p] if p is not None else None, cell) for p, cell in cells),
            s["quote"],
        )  # fmt: skip
        rows.append(row)
        since = s["since"]
        cells_of.append(grid.row(n if since is None else bisect_right(keys, tuple(since)), places, cells))
        spans.append((min(stated), max(stated)) if stated else None)
        if dated_latest and latest_p in stated and [briefings[p].id for p, _ in cells if p is not None and briefings[p].held is not None] == dated_latest:
            newest.append(row)
        if row.status == "advanced":  # advanced / stalled / dormant are the ledger's statuses (ledger/status.py, data/status.yaml)
            advanced.append(row)
        elif row.status == "stalled":
            stalled.append(row)
        elif row.status == "dormant":
            dormant.append(row)
    counts = tuple(BriefingCount(b, n_mentions[i], n_stated[i], n_new[i]) for i, b in enumerate(briefings))
    return Overview(
        counts, _counted(Counter(all_topics)), _counted(Counter(all_speakers)), tuple(rows), tuple(newest), tuple(advanced), tuple(stalled), tuple(dormant),
        fulfilment(rows, briefings, spans=spans), tuple(cells_of), grid.column_counts(),
    )  # fmt: skip


def _verdict(
    plain: dict[str, Any] | None, briefings: Sequence[Briefing], position: dict[str, int], hand: Briefing | None
) -> StatusChange | None:
    """The latest analyst verdict; one that names only its briefing is dated by it, as a timeline dates it.

    ``hand``: the verdict is a status set by hand in the file, which holds as of this briefing (the latest).
    """
    if plain is None:
        return None
    briefing = hand.id if hand is not None else plain["briefing"]
    date = _date(plain["date"])
    if date is None and briefing in position:
        date = briefings[position[briefing]].held
    return StatusChange(plain["status"], plain["by"], briefing, date, tuple(plain["evidence"]), plain["note"])
