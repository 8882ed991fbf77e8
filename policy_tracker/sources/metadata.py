"""Detect briefing metadata from a document's text: dates, period, kind, outlet, title.

The date a briefing was held is read by :mod:`policy_tracker.sources.held` (event
phrases) and :mod:`policy_tracker.sources.dates` (year clues).

Chinese and partial dates are parsed with explicit patterns (dateutil fills
missing parts from today, which would present a guess as fact).  Each value
comes back with the phrase it was read from, so the loader can record its
provenance; a value that cannot be found stays ``None`` with a warning.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re

from dateutil import parser as date_parser

from .dates import HEAD_CHARS, Found, calendar_date, find_period, infer_period, resolve_year
from .held import dispatch_day, find_dateline, find_held
from ..resources import load_table

_ISO_DATETIME = re.compile(r"(?<!\d)(20\d\d)([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?(?!\d)")
# 10/09/2025 08:54 (a Hong Kong page: day/month/year)
_DAY_MONTH_YEAR = re.compile(r"(?<![\d/.\-])(\d{1,2})/(\d{1,2})/(20\d\d)(?![\d/])")
_CN_DATE = re.compile(r"(?<!\d)(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_URL = re.compile(r"https?://[^\s)\]*>\"'<]+")
_SOURCE = re.compile(r"(?:文章)?来源\s*[:：]\s*(?P<o>[\u4e00-\u9fffA-Za-z]{2,12})")
_OUTLET_LINE = re.compile(r"^\**\s*(?P<o>[\u4e00-\u9fff]{2,8}(?:网|社|报|日报|时报|新闻))\s*\**\s*$", re.M)
_INTERVIEW = re.compile(r"接受[^。\n]{0,20}采访|专访|答记者问时表示|访谈|——访|部长通道")
_PRESS = re.compile(r"新闻发布会|发布会|吹风会")
def parse_date(value: object) -> dt.date | None:
    """Parse a full date given as a date, ``2023-04-20``, ``2023/4/20`` or ``2023年4月20日``.

    Partial dates (no day, no year) return ``None``: they are never completed from today.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = _CN_DATE.search(text)
    if m:
        return calendar_date(int(m[1]), int(m[2]), int(m[3]))
    if not re.search(r"20\d\d\D+\d{1,2}\D+\d{1,2}", text):
        return None
    sentinel = dt.datetime(1, 1, 1)
    try:
        parsed = date_parser.parse(text, default=sentinel, yearfirst=True)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if parsed.year != 1 else None


def find_published(text: str) -> Found | None:
    """A full publication date in the article's header (``2023-10-20 13:26``, ``2023年04月21日 00:30``)."""
    head = text[:HEAD_CHARS]
    candidates = []
    for pattern in (_ISO_DATETIME, _CN_DATE):
        for m in pattern.finditer(head):
            y, mo, d = (m[1], m[3], m[4]) if pattern is _ISO_DATETIME else (m[1], m[2], m[3])
            date = calendar_date(int(y), int(mo), int(d))
            if date is not None:
                candidates.append((m.start(), date, m.group(0)))
    for m in _DAY_MONTH_YEAR.finditer(head):
        date = _day_month_year(int(m[1]), int(m[2]), int(m[3]), head)
        if date is not None:
            candidates.append((m.start(), date, m.group(0)))
    if not candidates:
        return None
    _, date, phrase = min(candidates)
    return Found(date, phrase.strip())


def _day_month_year(first: int, second: int, year: int, head: str) -> dt.date | None:
    """``10/09/2025`` (Hong Kong's day/month/year; a US page's month/day/year): the one reading that is a date.

    When both are (10/09 = 10 September or 9 October), the day of a dispatch in
    the head (``10日北京专电``) decides; without one the date is not read.
    """
    readings = {d for d in (calendar_date(year, second, first), calendar_date(year, first, second)) if d is not None}
    if len(readings) == 1:
        return readings.pop()
    dispatch = dispatch_day(head)
    fit = [d for d in readings if dispatch is not None and _dispatched_by(dispatch[0], d)]
    return fit[0] if len(fit) == 1 else None


def _dispatched_by(day: int, page: dt.date) -> bool:
    """Whether a dispatch of ``day`` (of the page's month or the one before) was sent on the page's date or the day before."""
    return day in (page.day, (page - dt.timedelta(days=1)).day)


def find_speakers(text: str) -> tuple[str, ...]:
    """The people of ``data/speakers.yaml`` the text names, in order of first mention."""
    people = (load_table("speakers.yaml") or {}).get("people", {}) or {}
    found = [(text.find(name), name) for name in people if name in text]
    return tuple(name for _, name in sorted(found))


def find_kind(text: str) -> str:
    """press_conference, interview or other, by the cue that comes first in the head of the text.

    The first cue is the article's own (its title or lede); a later one is
    usually a link to another article (相关阅读：部长接受专访…).
    """
    head = text[: HEAD_CHARS * 2]
    interview, press = _INTERVIEW.search(head), _PRESS.search(head)
    if interview and (press is None or interview.start() < press.start()):
        return "interview"
    if press:
        return "press_conference"
    return "other"


def find_title(text: str) -> str | None:
    """The first Markdown heading, else the first short line without a full stop."""
    for line in text[:HEAD_CHARS].splitlines():
        stripped = line.strip().strip("*").strip()
        if line.lstrip().startswith("#"):
            return line.lstrip("# ").strip() or None
        if stripped.startswith(("![", "图为", "图片")) or not stripped:
            continue
        if len(stripped) <= 80 and "。" not in stripped and not _ISO_DATETIME.search(stripped):
            if stripped not in ("编者按",):
                return stripped.split(">")[-1].strip()
    return None


def find_outlet(text: str) -> Found | None:
    head = text[:HEAD_CHARS]
    m = _OUTLET_LINE.search(head)
    if m:
        return Found(m["o"], m.group(0).strip())
    m = _SOURCE.search(head) or _SOURCE.search(text[-HEAD_CHARS:])
    if m:
        return Found(m["o"], m.group(0))
    line = find_dateline(text)
    if line:
        return Found(line[2], line[3])
    return None


def find_url(text: str) -> str | None:
    for m in _URL.finditer(text[:HEAD_CHARS]):
        before = text[max(0, m.start() - 2) : m.start()]
        if "](" not in before and not m.group(0).lower().endswith((".png", ".jpg", ".jpeg", ".gif")):
            return m.group(0)
    return None


def _fold(text: str) -> tuple[str, bool]:
    """Simplified characters and full-width punctuation, same length (Traditional sources), and whether it was Traditional.

    Of the head only (``HEAD_CHARS * 2``), where dates are read; kept for the
    last few thousand heads, since loading a document and dating a batch
    (:mod:`.batch`) both read it.
    """
    from ..resources import ENV_VAR

    return _fold_head(text[: HEAD_CHARS * 2], os.environ.get(ENV_VAR, ""))


@functools.lru_cache(maxsize=4096)
def _fold_head(head: str, env: str) -> tuple[str, bool]:  # env: the data files the tables come from
    from ..extraction.characters import fold_chars_detect  # the character layer only; no pipeline dependency
    from ..extraction.rewrites import clean  # mirror artefacts (全國(guó)工業(yè)) out: dates are read, not quoted

    head, traditional = fold_chars_detect(head, env=env)
    return _DATE_SPACES.sub("", clean(head, traditional, env=env)), traditional


# spaces inside a written date (9 月 6 日, 2025 年 9 月): typeset text, read as 9月6日
_DATE_SPACES = re.compile(r"(?<=\d)[ \t\u3000]+(?=[年月日])|(?<=[年月])[ \t\u3000]+(?=\d)")


def detect(text: str) -> tuple[dict[str, object], dict[str, str], list[str]]:
    """Detect metadata from the text: (values, provenance per key, warnings)."""
    head, traditional = _fold(text)
    text = head + text[HEAD_CHARS * 2 :]
    values: dict[str, object] = {}
    prov: dict[str, str] = {}
    warnings: list[str] = []

    published = find_published(text)
    period = find_period(text)
    kind = find_kind(text)
    dateline = find_dateline(text)
    if published is None and dateline is not None:
        month, day, _, phrase = dateline
        date, how, warning = resolve_year(text, month, day, None, f"dateline {phrase!r}", at=max(text.find(phrase), 0))
        if date is not None:
            published = Found(date, f"{phrase} (year from {how})")  # the dateline dates the article
        else:
            warnings.append(f"{warning}; publication date unknown")
    if published is not None:
        values["published"], prov["published"] = published.value, f"text: {published.phrase}"
    if period is not None:
        values["period"], prov["period"] = period.value, f"text: {period.phrase}"
    held, notes = find_held(text, published.value if published else None, period.value if period else None, kind)  # type: ignore[arg-type]
    warnings.extend(f"date held unknown: {n}" for n in notes)
    if held is not None and held.value is not None:
        values["held"], prov["held"] = held.value, f"text: {held.phrase}"
        values["date_source"] = f"text: {held.rule}"
        if period is None:
            period = infer_period(text, held.value)  # type: ignore[arg-type]
            if period is not None:
                values["period"], prov["period"] = period.value, f"inferred: {period.phrase}"
    elif period is None and published is not None and kind == "press_conference":
        # 一季度 in a report published in May: the Q1 conference (lets an undated report join the dated one, load.link_undated)
        period = infer_period(text, published.value, "the publication date", quarters_only=True)  # type: ignore[arg-type]
        if period is not None:
            values["period"], prov["period"] = period.value, f"inferred: {period.phrase}"
    values["kind"] = kind
    prov["kind"] = "text"
    title = find_title(text)
    if title:
        from ..extraction.rewrites import clean  # mirror artefacts out, mainland terms in (as in the normalised view)

        values["title"] = clean(title, traditional).strip() or title
    outlet = find_outlet(text)
    if outlet is not None:
        values["outlet"], prov["outlet"] = outlet.value, f"text: {outlet.phrase}"
    url = find_url(text)
    if url:
        values["url"] = url
    return values, prov, warnings
