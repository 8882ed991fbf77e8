"""Detect briefing metadata from a document's text: dates, period, kind, outlet, title.

Chinese and partial dates are parsed with explicit patterns (dateutil fills
missing parts from today, which would present a guess as fact).  Each value
comes back with the phrase it was read from, so the loader can record its
provenance; a value that cannot be found stays ``None`` with a warning.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs
from dateutil import parser as date_parser

# How far into the document headers and datelines are looked for.
HEAD_CHARS = 800

_ISO_DATETIME = re.compile(r"(?<!\d)(20\d\d)([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?(?!\d)")
_CN_DATE = re.compile(r"(?<!\d)(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# 财联社7月19日讯 / 中新网1月18日电 / 新华社北京1月18日电
_DATELINE = re.compile(
    r"(?P<outlet>[\u4e00-\u9fffA-Za-z]{2,8}?)(?:记者)?\s*(?:北京|上海|深圳)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日\s*(?:讯|电)"
)
# 4月20日，国新办举行新闻发布会 / 1月19日上午，国务院新闻办公室举行…
_HELD = re.compile(
    r"(?<!\d)(?:(?P<y>20\d\d)年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日[上下]?午?[，,、\s]*"
    r"(?:国新办|国务院新闻办公室?|国务院新闻办|工业和信息化部|工信部)[^。\n]{0,12}?(?:举行|召开)"
)
# 国务院新闻办公室7月19日举行… / 国新办19日举行… / 王江平17日在国新办新闻发布会上表示
_ORG = r"(?:国新办|国务院新闻办公室|国务院新闻办|工业和信息化部|工信部)"
_HELD_ORG_FIRST = re.compile(
    _ORG + r"(?:于|在)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日[上下]?午?[^。\n]{0,6}?(?:举行|召开)[^。\n]{0,40}?发布会"
)
_HELD_DAY_SPEAKER = re.compile(r"(?<![\d月])(?P<d>\d{1,2})日[上下]?午?在" + _ORG + r"?[^。\n]{0,20}?发布会")
# The header of an event transcript: 时间：2024年9月20日 10:00 … 地点：… / 发布人：… / 主持人：…
_HEADER_TIME = re.compile(
    r"(?m)^\s*(?:时间|日期|召开时间)\s*[:：]\s*(?:(?P<y>20\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"|(?P<iy>20\d\d)[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2}))"
)
_HEADER_EVENT = re.compile(r"(?m)^\s*(?:地点|发布人|主持人|出席人)\s*[:：]")
# A transcript of a press conference published by the organiser on the day
_TRANSCRIPT = re.compile(r"(?:^|\n)\s*[【\[]?\s*主持人")
_TITLE_CONFERENCE = re.compile(_ORG + r"[^。\n]{0,10}举行[^。\n]{0,40}发布会")
_TODAY_HELD = re.compile(r"(?:今日|今天|当日|当天)[^。\n]{0,20}?(?:举行|召开)[^。\n]{0,40}?发布会")
_PERIOD = re.compile(
    r"(?P<y>20\d\d)\s*年\s*(?:全年)?\s*(?P<p>第?一季度|上半年|前三季度|第?三季度|第?二季度|第?四季度|全年|1[-—–至]9月)?"
    r"\s*(?:工业和信息化|工业通信业|工业经济|信息通信业)?[^。\n]{0,6}?(?:发展|运行)情况"
)
_PERIOD_CODES = {
    "一季度": "Q1",
    "第一季度": "Q1",
    "二季度": "Q2",
    "第二季度": "Q2",
    "上半年": "H1",
    "三季度": "Q3",
    "第三季度": "Q3",
    "前三季度": "Q1-Q3",
    "1-9月": "Q1-Q3",
    "1—9月": "Q1-Q3",
    "1–9月": "Q1-Q3",
    "1至9月": "Q1-Q3",
    "四季度": "Q4",
    "第四季度": "Q4",
    "全年": "",
}
# Months after the end of each period in which its briefing is normally held
_PERIOD_ENDS = {"Q1": 3, "H1": 6, "Q2": 6, "Q1-Q3": 9, "Q3": 9, "Q4": 12, "": 12}
_YEAR_HINT = re.compile(r"(20\d\d)\s*年\s*(?:一季度|第一季度|上半年|前三季度|三季度|全年|以来)")
_URL = re.compile(r"https?://[^\s)\]*>\"'<]+")
_SOURCE = re.compile(r"(?:文章)?来源\s*[:：]\s*(?P<o>[\u4e00-\u9fffA-Za-z]{2,12})")
_OUTLET_LINE = re.compile(r"^\**\s*(?P<o>[\u4e00-\u9fff]{2,8}(?:网|社|报|日报|时报|新闻))\s*\**\s*$", re.M)
_INTERVIEW = re.compile(r"接受[^。\n]{0,20}采访|专访|答记者问时表示|访谈|——访|部长通道")
_PRESS = re.compile(r"新闻发布会|发布会|吹风会")


@attrs.frozen
class Found:
    """A detected value and the phrase it was read from."""

    value: object
    phrase: str


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


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
        return _date(int(m[1]), int(m[2]), int(m[3]))
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
            date = _date(int(y), int(mo), int(d))
            if date is not None:
                candidates.append((m.start(), date, m.group(0)))
    if not candidates:
        return None
    _, date, phrase = min(candidates)
    return Found(date, phrase.strip())


def find_year_hint(text: str) -> Found | None:
    """A year mentioned as a reporting period (``2023年上半年``), used to complete month-day dates."""
    m = _YEAR_HINT.search(text[: HEAD_CHARS * 2])
    return Found(int(m[1]), m.group(0)) if m else None


def find_dateline(text: str) -> tuple[int, int, str, str] | None:
    """``财联社7月19日讯`` → (month, day, outlet, phrase)."""
    m = _DATELINE.search(text[:HEAD_CHARS])
    if not m or m["m"] is None:
        return None
    return int(m["m"]), int(m["d"]), m["outlet"], m.group(0)


def find_period(text: str) -> Found | None:
    """The reporting period a briefing covers: ``2023Q1``, ``2023H1``, ``2023Q1-Q3``, ``2023``."""
    m = _PERIOD.search(text[: HEAD_CHARS * 2])
    if not m:
        return None
    code = _PERIOD_CODES.get(m["p"] or "", "")
    return Found(f"{m['y']}{code}", m.group(0))


def year_from_period(month: int, period: str) -> int:
    """The year of a briefing held in ``month`` that reports on ``period`` (held after the period ends)."""
    pyear = int(period[:4])
    end_month = _PERIOD_ENDS.get(period[4:], 12)
    return pyear + 1 if month <= end_month and end_month == 12 else pyear


def _year_for(month: int, day: int, anchor: dt.date) -> int:
    """The year that puts month-day closest before (or on) ``anchor``'s date."""
    year = anchor.year
    if (month, day) > (anchor.month, anchor.day) and month - anchor.month > 6:
        year -= 1
    return year


def _day_only(day: int, published: dt.date) -> dt.date | None:
    """The date with this day of month on or before ``published`` (same or previous month)."""
    if day <= published.day:
        return _date(published.year, published.month, day)
    first = published.replace(day=1) - dt.timedelta(days=1)
    return _date(first.year, first.month, day)


def find_held(text: str, published: dt.date | None, period: str | None) -> tuple[Found | None, list[str]]:
    """The date the briefing was held, with warnings describing any inference made."""
    notes: list[str] = []
    head = text[: HEAD_CHARS * 2]
    header = _HEADER_TIME.search(head)
    if header and _HEADER_EVENT.search(head):  # a transcript's own header says when the event took place
        y, m_, d = (header["y"], header["m"], header["d"]) if header["y"] else (header["iy"], header["im"], header["id"])
        date = _date(int(y), int(m_), int(d))
        if date is not None:
            return Found(date, header.group(0).strip()), notes
    org_first = _HELD_ORG_FIRST.search(head)
    if org_first and org_first["m"] is None and published is not None:
        date = _day_only(int(org_first["d"]), published)
        if date is not None:
            return Found(date, f"{org_first.group(0)} (month from publication date)"), notes
    if org_first and org_first["m"] is not None:
        m = org_first
    else:
        m = _HELD.search(head)
    if m is None and published is not None:
        day_speaker = _HELD_DAY_SPEAKER.search(head)
        if day_speaker:
            date = _day_only(int(day_speaker["d"]), published)
            if date is not None:
                return Found(date, f"{day_speaker.group(0)} (month from publication date)"), notes
    if m:
        month, day = int(m["m"]), int(m["d"])
        if m.groupdict().get("y"):
            return Found(_date(int(m["y"]), month, day), m.group(0)), notes
        if published is not None:
            return Found(_date(_year_for(month, day, published), month, day), f"{m.group(0)} (year from publication date)"), notes
        if period:
            year = year_from_period(month, period)
            return Found(_date(year, month, day), f"{m.group(0)} (year from period {period})"), notes
        notes.append(f"briefing held on {month}月{day}日 but the year is unknown")
        return None, notes
    if published is not None and _TODAY_HELD.search(head):
        t = _TODAY_HELD.search(head)
        assert t is not None
        return Found(published, f"{t.group(0)} (today = publication date)"), notes
    title = _TITLE_CONFERENCE.search(text[:200])
    if published is not None and title and _TRANSCRIPT.search(head):
        return Found(published, f"{title.group(0)} (transcript published on the day)"), notes
    return None, notes


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


# Period words without a year, and the months in which a briefing on that period is held
_BARE_PERIODS = (("前三季度", "Q1-Q3", (10, 11)), ("上半年", "H1", (7, 8)), ("一季度", "Q1", (4, 5)))


def infer_period(text: str, held: dt.date) -> Found | None:
    """A period named without a year (``一季度，…``), dated by the briefing held just after it ends."""
    head = text[: HEAD_CHARS * 2]
    for word, code, months in _BARE_PERIODS:
        if word in head and held.month in months:
            return Found(f"{held.year}{code}", f"{word} (year from the date held)")
    if held.month in (1, 2) and f"{held.year - 1}年" in head and re.search(r"全年|\d{4}年(?:以来|，|规模以上|全国)", head):
        return Found(f"{held.year - 1}", f"{held.year - 1}年 (full year before the date held)")
    return None


def _fold(text: str) -> tuple[str, bool]:
    """Simplified characters and full-width punctuation, same length (Traditional sources), and whether it was Traditional."""
    from .characters import fold_chars_detect  # the character layer only; no pipeline dependency

    return fold_chars_detect(text[: HEAD_CHARS * 2])


def detect(text: str) -> tuple[dict[str, object], dict[str, str], list[str]]:
    """Detect metadata from the text: (values, provenance per key, warnings)."""
    head, traditional = _fold(text)
    text = head + text[HEAD_CHARS * 2 :]
    values: dict[str, object] = {}
    prov: dict[str, str] = {}
    warnings: list[str] = []

    published = find_published(text)
    period = find_period(text)
    dateline = find_dateline(text)
    if published is None and dateline is not None:
        month, day, _, phrase = dateline
        hint = find_year_hint(text)
        if hint is not None and period is not None and hint.value == int(str(period.value)[:4]):
            hint = None  # the period phrase itself: resolve through the period rule below
        if hint is not None:
            date = _date(int(hint.value), month, day)  # type: ignore[call-overload]
            if date is not None:
                published = Found(date, f"{phrase} (year from {hint.phrase})")
        elif period is not None:
            year = year_from_period(month, str(period.value))
            date = _date(year, month, day)
            if date is not None:
                published = Found(date, f"{phrase} (year from period {period.value})")
        else:
            warnings.append(f"dateline {phrase!r} has no year; publication date unknown")
    if published is not None:
        values["published"], prov["published"] = published.value, f"text: {published.phrase}"
    if period is not None:
        values["period"], prov["period"] = period.value, f"text: {period.phrase}"
    held, notes = find_held(text, published.value if published else None, period.value if period else None)  # type: ignore[arg-type]
    warnings.extend(notes)
    if held is not None and held.value is not None:
        values["held"], prov["held"] = held.value, f"text: {held.phrase}"
        if period is None:
            period = infer_period(text, held.value)  # type: ignore[arg-type]
            if period is not None:
                values["period"], prov["period"] = period.value, f"inferred: {period.phrase}"
    values["kind"] = find_kind(text)
    prov["kind"] = "text"
    title = find_title(text)
    if title:
        from .rewrites import clean  # mirror artefacts out, mainland terms in (as in the normalised view)

        values["title"] = clean(title, traditional).strip() or title
    outlet = find_outlet(text)
    if outlet is not None:
        values["outlet"], prov["outlet"] = outlet.value, f"text: {outlet.phrase}"
    url = find_url(text)
    if url:
        values["url"] = url
    return values, prov, warnings
