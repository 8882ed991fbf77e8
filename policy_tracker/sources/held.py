"""The day a briefing was held, read from the event phrases of a document's own text.

Event phrases (4月20日，国新办举行…, 国新办19日举行…, 8日在…“部长通道”…,
时间：… transcript headers) give the day, and the year clues of
:mod:`policy_tracker.sources.dates` the year; the first 部长通道 of a congress
session is dated by the session calendar (``congress_openings`` in
``data/dates.yaml``).  :func:`find_held` returns the date with the rule that
found it (the document's ``date_source``), or ``None`` with a warning naming
the missing clue.  See docs/dates.md.
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import (
    HEAD_CHARS,
    Found,
    _day_only,
    _dates,
    recent_days,
    repost_dateline,
    _re,
    calendar_date,
    congress_opening,
    resolve_year,
    session_year,
    weekday_clash,
    year_clues,
)
from .recurring import CALENDAR_RULE, calendar_event

# 4月20日，国新办举行新闻发布会 / 1月19日上午，国务院新闻办公室举行…
# a weekday written beside a date: 1月19日（星期五）
_WEEKDAY_NOTE = r"(?:\s*[（(]\s*(?:星期|周|礼拜)[一二三四五六日天]\s*[）)])?"
_HELD = re.compile(
    r"(?<!\d)(?:(?P<y>20\d\d)年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日" + _WEEKDAY_NOTE + r"[上下]?午?[，,、\s]*"
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


# Event phrases that state the day a briefing took place
# 12月26日至27日 / 12月26-27日，全国工业和信息化工作会议在京召开 (the first day), also after a source line's words
_DAY_RANGE = r"(?:[至到—\-–~](?:\d{1,2}月)?\d{1,2}日)?"
_EVENT_LEDE = re.compile(
    r"(?<![\d年月])(?:(?P<y>20\d\d)年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})(?:[-—–~]\d{1,2})?日(?!\s*[电讯])" + _DAY_RANGE + _WEEKDAY_NOTE + r"[上下]?午?[，,]?[^。\n]{0,40}?(?:召开|举行|开启|开幕|出席|在[^。\n]{0,30}?(?:发布会|吹风会|论坛|峰会|年会)(?:上)?(?:发表|致辞|讲话|表示|介绍))"
)
_INTERVIEW_DAY = re.compile(r"(?<!\d)(?:(?P<y>20\d\d)年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日[上下]?午?(?:专访|采访)")
# 27日，在…高峰论坛上 / 11日在国务院政策例行吹风会上 / 在昨天(29日)的发布会上: a day and the event the speaker spoke at
_DAY_EVENT = re.compile(
    r"(?<![\d月])(?P<d>\d{1,2})日[）)]?[上下]?午?(?:[，,]?在[^。\n]{0,30}?|的)(?:发布会|吹风会|部长通道|采访|论坛|峰会|大会)"
)
# what follows the day of a dispatch: 8日北京专电, 8日电, 8日讯
_DISPATCH_TAIL = r"\s*(?:北京|上海|深圳|香港|台北)?\s*专?(?:电|讯)"
# 李乐成7日主持召开务虛会 / 昨(13)日主持召开 / 6日在召集地方座谈时表示: a day and what the speaker did
_DAY_ACTION = re.compile(
    r"(?<![\d月年/\-.至到—–~])(?:昨[（(]?)?(?P<d>\d{1,2})[）)]?日(?!" + _DISPATCH_TAIL + r")[上下]?午?(?:[，,]|在)?[^。\n\d]{0,30}?(?:主持召开|主持|召开|召集|举行|出席)"
)

# 工业和信息化部等六部门29日发布《方案》: the day the ministry released a document (its subject first, so that
# 统计局15日发布的数据 is not taken for the event)
_DAY_RELEASE = re.compile(_ORG + r"[^。\n\d]{0,12}?(?<![\d月])(?P<d>\d{1,2})日(?:联合)?(?:发布|印发)")
# 昨日/昨天 between a report's month-day and the event's verb: the event was the day before
_YESTERDAY = re.compile(r"昨[日天]")


def _yesterday(m: re.Match[str]) -> bool:
    """Whether 昨日/昨天 follows the day ``m`` read (4月24日消息，在昨日…举行): the event was the day before it."""
    return _YESTERDAY.search(m.group(0), m.end("d") - m.start()) is not None

# 秦志辉26日说 / 记者28日从工信部获悉: the day a named person said it, or the reporter learned it (a name or 记者 right
# before the day; not a dispatch 26日电, not 月26日; not 记者27日从…会议获悉, a day of a meeting that may have
# opened the day before, which the event calendar dates)
_DAY_SAID = re.compile(r"(?<=[\u4e00-\u9fff])(?<![月年])(?P<d>\d{1,2})日[上下]?午?(?:[从在向](?:(?!会议|大会)[^。，,\n\d]){0,20}?)?(?:说|表示|介绍|指出|透露|获悉)")
# 财联社7月19日讯 / 中新网1月18日电 / 新华社北京1月18日电
_DATELINE = re.compile(
    r"(?P<outlet>[\u4e00-\u9fffA-Za-z]{2,8}?)(?:记者)?\s*(?:北京|上海|深圳)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日\s*(?:讯|电)"
)


# 《经济通通讯社记者8日北京专电》 / 新华社北京8日电: the day of the dispatch, without its month
_DISPATCH_DAY = re.compile(r"(?<![\d月年])(?P<d>\d{1,2})日" + _DISPATCH_TAIL)


def dispatch_day(head: str) -> tuple[int, str] | None:
    """The day of a dispatch written without its month (``8日北京专电``): (day, phrase)."""
    m = _DISPATCH_DAY.search(head[:HEAD_CHARS])
    return (int(m["d"]), m.group(0)) if m else None


def find_dateline(text: str) -> tuple[int, int, str, str] | None:
    """``财联社7月19日讯`` → (month, day, outlet, phrase)."""
    m = _DATELINE.search(text[:HEAD_CHARS])
    if not m or m["m"] is None:
        return None
    return int(m["m"]), int(m["d"]), m["outlet"], m.group(0)


def dateline_of_day(head: str, day: int) -> tuple[int, int, str, str] | None:
    """The dateline (:func:`find_dateline`) when it is of ``day``: 新华社北京3月8日电 … 8日举行 is an event of 3月8日."""
    line = find_dateline(head)
    return line if line is not None and line[1] == day else None


def _too_far(phrase: str, published: dt.date) -> str:
    """The warning for a bare day that lies more than ``recent_days`` before the page's date."""
    return (
        f"{phrase!r} gives the day, which is more than {recent_days()} days before the page's date {published.isoformat()}: "
        "the page's date is taken for a repost's and gives no month or year"
    )


def find_held(text: str, published: dt.date | None, period: str | None, kind: str = "other") -> tuple[Found | None, list[str]]:
    """The date the briefing was held (its ``rule`` names how it was found), with warnings naming a missing clue.

    A first 部长通道 (:func:`first_corridor`) is dated by the congress calendar,
    a recurring event named by its year by the event calendar
    (:func:`.recurring.calendar_event`), which every other clue of the text must fit;
    a date the text gives otherwise must agree with it, else the date stays unknown.
    """
    published, notes = _page_date(text[: HEAD_CHARS * 2], published)
    found, more = _held_in_text(text, published, period, kind)
    notes += more
    for fixed, why in (first_corridor(text, published), calendar_event(text, kind, published)):
        if fixed is None:
            if why and found is None:
                notes.append(why)
            continue
        if found is not None and found.value != fixed.value:
            return None, [f"{found.phrase!r} gives {found.value} but {fixed.phrase} is {fixed.value}: the clues disagree"]
        against = disagreement(text[: HEAD_CHARS * 2], fixed.value, published) if fixed.rule.startswith(CALENDAR_RULE) else None  # type: ignore[arg-type]
        if against is not None:  # the text's day, weekday, year clues or publication date: not this event's date
            return None, [f"{fixed.phrase} is {fixed.value}, but {against}: the clues disagree"]
        if found is None:
            found, notes = fixed, []
    return found, notes


def _page_date(head: str, published: dt.date | None) -> tuple[dt.date | None, list[str]]:
    """The publication date the rules may use: none when a dateline far from it shows the page's date is a repost's."""
    dateline = find_dateline(head) if published is not None else None
    if published is not None and dateline is not None and repost_dateline(dateline[0], dateline[1], published):
        return None, [
            f"the dateline {dateline[3]!r} is not within {recent_days()} days before the page's date {published.isoformat()}: "
            "the page's date is taken for a repost's and gives no day, month or year"
        ]
    return published, []


def _held_in_text(text: str, published: dt.date | None, period: str | None, kind: str) -> tuple[Found | None, list[str]]:
    """:func:`find_held` by the text's own phrases (``published``: the page's date, unless a repost's)."""
    notes: list[str] = []
    head = text[: HEAD_CHARS * 2]
    header = _HEADER_TIME.search(head)
    if header and _HEADER_EVENT.search(head):  # a transcript's own header says when the event took place
        y, m_, d = (header["y"], header["m"], header["d"]) if header["y"] else (header["iy"], header["im"], header["id"])
        date = calendar_date(int(y), int(m_), int(d))
        if date is not None:
            return Found(date, header.group(0).strip(), "transcript header"), notes
    org_first = _HELD_ORG_FIRST.search(head)
    if org_first and org_first["m"] is None:
        if published is not None:
            date = _day_only(int(org_first["d"]), published)
            if date is not None:
                return Found(date, f"{org_first.group(0)} (month from publication date)", "day held + publication date"), notes
            notes.append(_too_far(org_first.group(0), published))
            return None, notes
        notes.append(f"{org_first.group(0)!r} gives the day but the publication date (for month and year) is unknown")
        return None, notes
    m = org_first if org_first and org_first["m"] is not None else _HELD.search(head)
    rule = "month-day held"
    day_event = None
    if m is None:
        day_event = _HELD_DAY_SPEAKER.search(head) or _DAY_EVENT.search(head) or _DAY_ACTION.search(head) or _DAY_RELEASE.search(head) or _DAY_SAID.search(head)
        if day_event and published is not None:
            date = _day_only(int(day_event["d"]), published)
            if date is not None:
                return Found(date, f"{day_event.group(0)} (month from publication date)", "day held + publication date"), notes
            notes.append(_too_far(day_event.group(0), published))
            published = None  # a repost's date: no rule below may take it for the event's
        m = _EVENT_LEDE.search(head) or (_INTERVIEW_DAY.search(head) if kind == "interview" else None)
        rule = "event date"
    if m:
        month, day = int(m["m"]), int(m["d"])
        # 4月24日消息，在昨日国新办举行的…: the month-day is the report's, the event the day before
        before = 1 if _yesterday(m) else 0
        yesterday = " (昨日: the day before)" if before else ""
        if m.groupdict().get("y"):
            date = calendar_date(int(m["y"]), month, day)
            return Found(date - dt.timedelta(days=before) if date else None, m.group(0) + yesterday, rule), notes
        date, how, warning = resolve_year(text, month, day, published, repr(m.group(0)), at=m.start())
        if date is None:
            notes.append(warning or "")
            return None, notes
        return Found(date - dt.timedelta(days=before), f"{m.group(0)}{yesterday} (year from {how})", f"{rule}, year from {how}"), notes
    session_day = _re("session_day").search(head)
    session = _re("congress").search(head)
    if session_day and session:
        opening = congress_opening(session_year(session))
        date = calendar_date(opening.year, opening.month, int(session_day["d"])) if opening else None
        if date is not None:
            return Found(date, f"{session_day.group(0)} (month and year from the session)", "day + congress session"), notes
        if opening is None:
            notes.append(f"{session_day.group(0)!r} gives a day of the {session_year(session)} session, whose month is not in congress_openings (data/dates.yaml)")
            return None, notes
    today = _re("today_held").search(head)
    if today:
        dispatch = dispatch_day(head) if published is not None else None
        day = _day_only(dispatch[0], published) if dispatch is not None else None  # type: ignore[arg-type]
        if day is not None and day != published:  # 《…9日北京专电》…今日…, stored on the 10th: today is the dispatch's day
            return Found(day, f"{today.group(0)} (today = the day of the dispatch {dispatch[1]!r}, month from the publication date)", "today + dispatch day"), notes  # type: ignore[index]
        if published is not None:
            return Found(published, f"{today.group(0)} (today = publication date)", "today + publication date"), notes
        notes.append(f"{today.group(0)!r} says the event was today, but the publication date is unknown")
        return None, notes
    title = _TITLE_CONFERENCE.search(text[:200])
    if published is not None and title and _TRANSCRIPT.search(head):
        return Found(published, f"{title.group(0)} (transcript published on the day)", "transcript + publication date"), notes
    recently = _re("recently").search(head)
    interviewed = _re("recently_interviewed").search(head)  # 近日…接受…专访: the interview's day is not given
    if recently and kind != "press_conference" and not interviewed:
        if published is not None:
            return Found(published, f"{recently.group(0)} (published {published.isoformat()})", "recently + publication date"), notes
        notes.append(f"the text says {recently.group(0)} (recently) and gives no publication date")
        return None, notes
    relay = _re("relay").search(head) if kind == "interview" else None
    at_event = _re("interview_event").search(head) if kind == "interview" else None  # 部长通道: the event's day, not the article's
    if kind == "interview" and published is not None and not interviewed and not relay and not at_event:
        return Found(published, "interview without an interview date (held = published)", "interview + publication date"), notes
    if interviewed:
        said = interviewed.group(0)
        said = said if len(said) <= 24 else f"{said[:10]}…{said[-10:]}"
        notes.append(f"the interview is reported as {said!r} (recently): the text does not give its day")
    elif recently:
        notes.append(f"the press conference is reported as {recently.group(0)} (recently): the text does not give its day")
    elif relay:
        notes.append(f"the article relays another outlet's report of the interview ({relay.group(0)}): the text does not say when it was held")
    elif at_event and published is not None:
        notes.append(f"the interview was given at {at_event.group(0)}, whose day the text does not give: the publication date {published.isoformat()} need not be the event's")
    elif day_event is not None and published is None:
        line = dateline_of_day(head, int(day_event["d"]))  # its year was not found either (else it would be the publication date)
        if line is not None:
            notes.append(f"{day_event.group(0)!r} and the dateline {line[3]!r} give {line[0]}月{line[1]}日 but no year: no publication date, reporting period or other year clue")
        else:
            notes.append(f"{day_event.group(0)!r} gives the day but no month: no publication date (for month and year)")
    elif period:
        notes.append(f"the text names the period {period} but not the day the briefing was held")
    elif published is not None:
        notes.append("the text gives a publication date but no date or day for the event it reports")
    else:
        notes.append("the text gives no date, day or publication date")
    return None, notes


def stated_day(text: str) -> Found | None:
    """The day (and month, when written) the text gives for its event, though not the year: ``Found((month or None, day), phrase)``.

    The same phrases :func:`find_held` reads (国新办21日举行…, 7月19日举行的…发布会,
    23日在国务院新闻办公室新闻发布会上, 星期三（10月23日）说); a batch supplies
    the rest when another report of the same event is dated
    (:mod:`policy_tracker.sources.batch`).
    """
    head = text[: HEAD_CHARS * 2]
    for pattern in (_HELD_ORG_FIRST, _HELD, _HELD_DAY_SPEAKER, _DAY_EVENT, _DAY_ACTION, _DAY_RELEASE, _DAY_SAID, _EVENT_LEDE, _re("weekday_first")):
        m = pattern.search(head)
        if m:
            month, day = m.groupdict().get("m"), int(m["d"])
            if _yesterday(m):  # 4月24日消息，昨日…举行: the 23rd
                if day == 1:
                    return None  # the last day of the month before: which day needs the year
                day -= 1
            return Found((int(month) if month else None, day), m.group(0))
    session_day, session = _re("session_day").search(head), _re("congress").search(head)
    if session_day:
        opening = congress_opening(session_year(session)) if session else None
        return Found((opening.month if opening else None, int(session_day["d"])), session_day.group(0))
    return None


def first_corridor(text: str, published: dt.date | None) -> tuple[Found | None, str | None]:
    """The date of the first 部长通道 of a session the text reports (首场“部长通道”): the session's opening day.

    The session is the one the text names (十四届全国人大四次会议), else the
    last one opened by the publication date, when published within
    ``reported_within_days`` of the 部长通道 event (``same_event``).  Returns
    (date, None), or (None, why) when the text reports a first 部长通道 that
    cannot be dated, or (None, None) when it reports none.
    """
    head = text[: HEAD_CHARS * 2]
    corridor = _re("first_corridor").search(head)
    if corridor is None:
        return None, None
    session = _re("congress").search(head)
    if session is not None:
        year, how = session_year(session), session.group(0)
    elif published is not None:
        year, how = published.year, f"publication date {published.isoformat()}"
        opening = congress_opening(year)
        if opening is not None and opening > published:
            year -= 1  # published before this year's session opened: the last one
        within = int(((_dates().get("same_event") or {}).get("ministers_corridor") or {}).get("reported_within_days", 30))
        opening = congress_opening(year)
        if opening is not None and (published - opening).days > within:
            return None, f"{corridor.group(0)!r} names no session, and the publication date {published.isoformat()} is more than {within} days after the last one"
    else:
        return None, f"{corridor.group(0)!r} (the session's first 部长通道) names no session and the publication date is unknown"
    opening = congress_opening(year)
    if opening is None:
        return None, f"{corridor.group(0)!r} is the first 部长通道 of the {year} session, whose opening day is not in congress_openings (data/dates.yaml)"
    if published is not None and opening > published:
        return None, f"{corridor.group(0)!r} of {how} ({opening.isoformat()}) comes after the publication date {published.isoformat()}"
    return Found(opening, f"{corridor.group(0)} (opening day of the {year} session, from {how})", "first 部长通道 + congress calendar"), None


def disagreement(head: str, date: dt.date, published: dt.date | None) -> str | None:
    """The first clue of the (folded) ``head`` that ``date`` does not fit, else ``None``.

    The clues: the publication date (an event never comes after its report), the
    day and month the text states (:func:`stated_day`), a weekday written beside
    a month-day, and every year clue taken at ``date``.  A date from outside the
    text (another report of the event, the file name) is taken only when none
    disagrees.
    """
    if published is not None and date > published:
        return f"the publication date {published.isoformat()} comes before it"
    day = stated_day(head)
    if day is not None:
        month, mday = day.value  # type: ignore[misc]
        if mday != date.day or (month is not None and month != date.month):
            return f"the text says {day.phrase!r}"
        line = dateline_of_day(head, mday) if month is None else None
        if line is not None and line[0] != date.month:
            return f"the text says {day.phrase!r} with the dateline {line[3]!r}"
    clash = weekday_clash(head, date)
    if clash:
        return f"the text says {clash}"
    for year, kind, phrase in year_clues(head, date.month, published, date.day):
        if year != date.year:
            return f"the {kind} ({phrase}) gives {year}"
    return None
