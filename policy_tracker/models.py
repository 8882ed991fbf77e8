"""The data model: documents, briefings, mentions, commitments.

Every class is a frozen attrs value with tuple collections; nothing here reads
or writes files.  Serialisation lives in :mod:`policy_tracker.ledger.yaml_io`.

Provenance is the invariant that matters most: a :class:`Mention` always
carries ``source``, ``start`` and ``end`` indexing the *original* document text
and ``quote == original_text[start:end]``.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

BRIEFING_KINDS = ("press_conference", "interview", "other")

# First lines of the files policy-tracker writes, so that a folder scan never
# reads its own output back as an article: a ledger starts with LEDGER_MARK, a
# Markdown report with one of the REPORT_HEADINGS (render_md writes them).
LEDGER_MARK = "# policy-tracker ledger"
DIFF_HEADING = "# Briefing diff: "
OVERVIEW_HEADING = "# Ledger overview"
TIMELINES_HEADING = "Commitment timelines"
COMMITMENT_HEADING = "Commitment "
REPORT_HEADINGS = (DIFF_HEADING, OVERVIEW_HEADING, "# " + TIMELINES_HEADING, "# " + COMMITMENT_HEADING)


# Field metadata of the analyst fields: an analyst may set the field, the machine never overwrites it once set
# (ledger.records.CURATED_FIELDS), and "merge" says what a merge does with the field of a commitment merged in:
# "first" keeps the survivor's value if it set one, else the first curated one; "lines" adds the other's text as a
# line of its own; "union" adds the other's items (ledger.curation.inherit_fields).
def curated(merge: str) -> dict[str, Any]:
    """The metadata of an analyst field (see above)."""
    return {"curated": True, "merge": merge}

# how an undated briefing or mention reads in reports; undated ones sort after every date
UNDATED = "undated"
UNDATED_KEY = "9999-99-99"


def iso_date(d: _dt.date | None, undated: str | None = None) -> str | None:
    """The one date formatter: ``2023-10-20``, or ``undated`` (default ``None``) when there is no date."""
    return d.isoformat() if d is not None else undated


def date_key(d: _dt.date | None) -> str:
    """A date as a sort key: ISO text, undated after every date."""
    return d.isoformat() if d is not None else UNDATED_KEY


def _tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    return tuple(value) if value is not None else ()


def _sorted_tuple(value: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(sorted(set(value))) if value is not None else ()


def _frozen_mapping(value: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        return tuple(sorted(value.items()))
    return tuple(sorted(tuple(v) for v in value))


@attrs.frozen(repr=False)
class one_of:  # noqa: N801 - used like attrs.validators.in_
    """An attrs validator like ``attrs.validators.in_``, with the house message: ``kind: expected one of a, b; got 'x'``."""

    options: tuple[str, ...]

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
        if value not in self.options:
            raise ValueError(f"{attribute.name}: expected one of {', '.join(self.options)}; got {value!r}")


@attrs.frozen
class Document:
    """One article or transcript as loaded from disk, with what it says about its briefing.

    ``held`` is the date the briefing took place, ``published`` the date the
    article appeared; they differ (an article the next morning) and either may
    be unknown (``None``).  ``provenance`` records where each metadata value
    came from (``manifest``, ``front matter`` or the text phrase it was read
    from) so that a guess is never presented as fact.
    """

    id: str
    text: str
    path: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: _dt.date | None = None
    held: _dt.date | None = None
    kind: str = attrs.field(default="other", validator=one_of(BRIEFING_KINDS))
    period: str | None = None
    event: str | None = None
    speakers: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    briefing_id: str | None = None
    provenance: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_frozen_mapping)
    warnings: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    # How ``held`` was found: manifest, front matter, "text: <rule>", "linked: …" or file name (None: unknown)
    date_source: str | None = None

    @property
    def sort_date(self) -> _dt.date | None:
        """The best date for chronological ordering: held, else published."""
        return self.held or self.published


@attrs.frozen
class Briefing:
    """The event one or more documents report: a press conference, an interview …"""

    id: str
    held: _dt.date | None
    kind: str = attrs.field(default="other", validator=one_of(BRIEFING_KINDS))
    period: str | None = None
    event: str | None = None
    speakers: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    documents: tuple[str, ...] = attrs.field(default=(), converter=_tuple)


@attrs.frozen
class Target:
    """A quantitative target inside a pledge: ``不少于3000家企业建设5G工厂``."""

    value: float
    unit: str
    raw: str
    comparator: str | None = None
    counted: str | None = None


@attrs.frozen
class Deadline:
    """A deadline resolved against the briefing date.

    ``period`` is ``2023``, ``2023H2``, ``2023Q4``, ``2023-12``, ``2021-2025``
    or ``None`` when the phrase is vague (近期) or the briefing date unknown;
    ``precision`` is one of year, half, quarter, month, day, range, vague.
    """

    raw: str
    period: str | None
    precision: str


@attrs.frozen
class Mention:
    """One verbatim place where a pledge is stated.

    ``start``/``end`` index the original text of document ``source``;
    ``quote`` is that slice.  ``text`` is the normalised form (Simplified,
    full-width punctuation, layout breaks removed) used for matching.
    """

    source: str
    start: int = attrs.field(validator=attrs.validators.ge(0))
    end: int = attrs.field(validator=attrs.validators.ge(0))
    quote: str
    text: str = ""
    date: _dt.date | None = None
    briefing: str | None = None
    speaker: str | None = None
    role: str | None = None
    section: str | None = None
    verbs: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    stage: str | None = None
    strength: str | None = None
    targets: tuple[Target, ...] = attrs.field(default=(), converter=_tuple)
    deadlines: tuple[Deadline, ...] = attrs.field(default=(), converter=_tuple)
    instruments: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    topics: tuple[str, ...] = attrs.field(default=(), converter=_sorted_tuple)

    @end.validator
    def _end_after_start(self, attribute: attrs.Attribute[int], value: int) -> None:
        if value < self.start:
            raise ValueError(f"end: expected >= start ({self.start}); got {value}")

    @functools.cached_property
    def id(self) -> str:
        """Stable mention id used by curation decisions: ``source@start-end`` (computed once: ids key every ledger index)."""
        return mention_id(self.source, self.start, self.end)

    def sort_key(self) -> tuple[str, str, int, int]:
        """Chronological order: date (unknown last), then document, then offset."""
        return self._order

    @functools.cached_property
    def _order(self) -> tuple[str, str, int, int]:  # computed once: ingest sorts mentions many times over
        return (date_key(self.date), self.source, self.start, self.end)


def mention_id(source: str, start: int, end: int) -> str:
    """The id of the mention at ``source[start:end]``."""
    return f"{source}@{start}-{end}"


@attrs.frozen
class Evidence:
    """A past-tense progress statement (已…, 累计…, 出台了…): never a pledge."""

    source: str
    start: int
    end: int
    quote: str
    text: str = ""
    date: _dt.date | None = None
    speaker: str | None = None
    instruments: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    topics: tuple[str, ...] = attrs.field(default=(), converter=_sorted_tuple)

    @property
    def id(self) -> str:
        return mention_id(self.source, self.start, self.end)


@attrs.frozen
class Commitment:
    """A pledge tracked across briefings: every mention of it, in chronological order.

    ``title``, ``status``, ``notes`` and ``tags`` may be set by an analyst and
    are then never overwritten by the machine.
    """

    id: str
    title: str = attrs.field(metadata=curated("first"))
    mentions: tuple[Mention, ...] = attrs.field(
        default=(), converter=lambda ms: tuple(sorted(ms, key=Mention.sort_key))
    )
    status: str | None = attrs.field(default=None, metadata=curated("first"))
    notes: str | None = attrs.field(default=None, metadata=curated("lines"))
    tags: tuple[str, ...] = attrs.field(default=(), converter=_tuple, metadata=curated("union"))

    @property
    def first_seen(self) -> Mention | None:
        """The earliest mention (by briefing date, then document and offset)."""
        return self.mentions[0] if self.mentions else None

    @property
    def last_seen(self) -> Mention | None:
        """The latest mention."""
        return self.mentions[-1] if self.mentions else None

    @property
    def topics(self) -> tuple[str, ...]:
        """Union of the topic tags of all mentions."""
        return tuple(sorted({t for m in self.mentions for t in m.topics}))

