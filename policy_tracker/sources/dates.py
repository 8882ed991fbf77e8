"""The year clues and tables that date a briefing from a document's own text (``data/dates.yaml``).

Used when neither a manifest nor front matter gives the date.  A month-day
without a year takes the year all the year clues agree on (publication date,
reporting period, a year reviewed or planned, a congress session, an event
named with its year), and a weekday written beside it must fit
(:func:`resolve_year`).  The event phrases that give the month and day are
read by :mod:`policy_tracker.sources.held`.  See docs/dates.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from typing import Any

import attrs

from ..errors import DataError
from ..resources import load_table

# How far into the document headers and datelines are looked for.
HEAD_CHARS = 800


@attrs.frozen
class Found:
    """A detected value and the phrase it was read from."""

    value: object
    phrase: str
    rule: str = ""  # for dates: the name of the rule that found it (recorded as the date_source)


def calendar_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


# ---------------------------------------------------------------- date rules (tables in data/dates.yaml)


def _dates() -> dict[str, Any]:
    """data/dates.yaml (load_table caches it)."""
    table = load_table("dates.yaml") or {}
    if not isinstance(table, dict) or not isinstance(table.get("periods"), dict):
        raise DataError("dates.yaml: expected a mapping with 'periods:'; see data/dates.yaml")
    return table


def _alt(words: Any) -> str:
    return "|".join(re.escape(str(w)) for w in sorted(words or (), key=lambda w: (-len(str(w)), str(w))))


def _period_words() -> dict[str, str]:
    """Period word → code (``上半年`` → ``H1``; the full year is ``""``)."""
    return {str(w): str(code) for code, entry in _dates()["periods"].items() for w in entry.get("words") or ()}


@functools.lru_cache(maxsize=8)
def _patterns(key: str) -> dict[str, re.Pattern[str]]:
    t = _dates()
    words = _alt(_period_words())
    return {
        "period": re.compile(
            rf"(?P<y>20\d\d)\s*年\s*(?:全年)?\s*(?P<p>{words})?"
            r"\s*(?:工业和信息化|工业通信业|工业经济|信息通信业)?[^。\n]{0,6}?(?:发展|运行)[^。\n，,]{0,6}?情况"
        ),
        "year_hint": re.compile(rf"(?P<y>20\d\d)\s*年\s*(?P<p>{words}|以来)"),
        "recently": re.compile(rf"(?:{_alt(t.get('recently'))})"),
        "recently_interviewed": re.compile(rf"(?:{_alt(t.get('recently'))})[^。\n]{{0,100}}?(?:{_alt(t.get('recently_interviewed'))})"),
        # 今日举行… / 谢存今日在国新办发布会上介绍: the event was on the day of the article
        "today_held": re.compile(
            rf"(?:{_alt(t.get('today'))})(?:[^。\n]{{0,20}}?(?:举行|召开|开启|开幕)|在[^。\n，,]{{0,24}}?(?:发布会|吹风会|部长通道)”?上)"
        ),
        # 1月19日（星期五）; a day alone (21日（星期二）) is checked against the day only
        "weekday": re.compile(
            rf"(?:(?P<m>\d{{1,2}})月)?(?<!\d)(?P<d>\d{{1,2}})日\s*[（(]?\s*(?:{_alt(t.get('weekday_prefixes'))})(?P<w>{_alt(t.get('weekdays'))})"
        ),
        # 赵志国星期三（10月23日）说: the weekday first, the date in brackets
        "weekday_first": re.compile(
            rf"(?:{_alt(t.get('weekday_prefixes'))})(?P<w>{_alt(t.get('weekdays'))})\s*[（(]\s*(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日\s*[）)]"
        ),
        "review_plan": re.compile(
            rf"(?:{_alt(t['review_plan']['review'])})了?(?P<y>20\d\d)年[^。]{{0,60}}?(?:{_alt(t['review_plan']['plan'])})(?P<n>20\d\d)年"
        ),
        "plan_year": re.compile(rf"(?:{_alt(t['review_plan']['plan'])})?(?P<y>20\d\d)年(?:重点工作|重点任务|要|将)"),
        "first_year": re.compile(
            rf"(?:{_alt(t['review_plan'].get('first_year_verbs') or t['review_plan']['plan'])})[^。\n]{{0,12}}?(?P<p>{_alt(t['review_plan'].get('five_year_plans'))})"
            rf"[^。\n]{{0,4}}?(?:{_alt(t['review_plan'].get('first_year'))})"
        ),
        # an event named with its year (出席2022世界5G大会开幕式, 在2019中国国际智能产业博览会举办的…论坛上)
        "event_year": re.compile(
            rf"(?<![\d.\-—–~/])(?P<y>20\d\d)(?:年(?=年会)|(?![\d年月日.\-—–~/%个家万亿余多项]))[\u4e00-\u9fffA-Za-z0-9+＋·]{{0,16}}?(?:{_alt(t.get('event_year'))})"
        ),
        "edition": re.compile(rf"(?:首届|第(?P<n>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})届)(?P<e>{_alt(t.get('event_editions'))})"),
        "estimate": re.compile(rf"(?P<y>20\d\d)年[^\d]{{0,200}}?(?:{_alt((t.get('estimate') or {{}}).get('words'))})"),
        "relay": re.compile(
            rf"(?:{_alt((t.get('relay') or {{}}).get('before'))})[^。，,\n]{{2,12}}?(?:{_alt((t.get('relay') or {{}}).get('after'))})"
            rf"|(?:{_alt(t.get('today'))})(?:{_alt((t.get('relay') or {{}}).get('relayed'))})"
        ),
        "work_meeting": re.compile(rf"(?:{_alt(t['review_plan'].get('meetings', ['工作会议']))})"),
        "congress": re.compile(rf"第?(?P<t>{_alt(t.get('congress_terms'))})全国(?:人大|人民代表大会|政协)第?(?P<s>[一二三四五六七])次(?:会议|全会)"),
        # a day written next to a session (今天（8日）…十三届全国人大五次会议; 5日在…全国人大四次会议): a day of the month it opened in
        "session_day": re.compile(
            rf"(?<![\d月])(?P<d>\d{{1,2}})日[）)]?[^。\n\d]{{0,24}}?第?(?:{_alt(t.get('congress_terms'))})全国(?:人大|人民代表大会|政协)第?[一二三四五六七]次"
        ),
        "first_corridor": re.compile(rf"(?:{_alt(t.get('first_corridor'))})[^。\n]{{0,2}}?部长通道"),
        "interview_event": re.compile(rf"(?:{_alt(t.get('interview_events'))})"),
    }


def _re(name: str) -> re.Pattern[str]:
    return _patterns(os.environ.get("POLICY_TRACKER_DATA", ""))[name]


def _period_end(code: str) -> int:
    entry = _dates()["periods"].get(code) or {}
    return int(entry.get("ends", 12))


def find_year_hint(text: str) -> Found | None:
    """The first year named with a period (``2023年上半年``, ``2022年全年``, ``2023年以来``); its value is the period code."""
    m = _re("year_hint").search(text[: HEAD_CHARS * 2])
    if not m:
        return None
    code = "since" if m["p"] == "以来" else _period_words()[m["p"]]
    return Found(f"{m['y']}{code}", m.group(0))


def find_period(text: str) -> Found | None:
    """The reporting period a briefing covers: ``2023Q1``, ``2023H1``, ``2023Q1-Q3``, ``2023``."""
    m = _re("period").search(text[: HEAD_CHARS * 2])
    if not m:
        return None
    code = _period_words().get(m["p"] or "", "")
    return Found(f"{m['y']}{code}", m.group(0))


def year_from_period(month: int, period: str) -> int:
    """The year of a briefing held in ``month`` that reports on ``period`` (held after the period ends).

    ``2023H1`` in July → 2023; ``2022`` (the full year) in January → 2023, in
    December (a period's ``early`` months: 预计全年) → 2022.  A ``since`` period
    (``2023年以来``) is the year itself.
    """
    pyear, code = int(period[:4]), period[4:]
    if code == "since":
        return pyear
    if month in (_dates()["periods"].get(code) or {}).get("early", ()):
        return pyear  # preliminary figures at the end of the period's own year (预计全年)
    return pyear + 1 if month <= _period_end(code) and _period_end(code) == 12 else pyear


def _year_for(month: int, day: int, anchor: dt.date) -> int:
    """The year that puts month-day closest before (or on) ``anchor``'s date."""
    year = anchor.year
    if (month, day) > (anchor.month, anchor.day) and month - anchor.month > 6:
        year -= 1
    return year


def recent_days() -> int:
    """How many days before its publication a news report's bare day or dateline may lie (``recent_days``)."""
    value = _dates().get("recent_days", 10)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DataError(f"dates.yaml: recent_days: expected a whole number of days (e.g. 10); got {value!r}")
    return value


def _day_only(day: int, published: dt.date) -> dt.date | None:
    """The date with this day of month on or before ``published`` (same or previous month), at most ``recent_days`` before it.

    Further back, the page's date is taken for a later repost's and gives no month (``None``).
    """
    if day <= published.day:
        date = calendar_date(published.year, published.month, day)
    else:
        first = published.replace(day=1) - dt.timedelta(days=1)
        date = calendar_date(first.year, first.month, day)
    return date if date is not None and (published - date).days <= recent_days() else None


def repost_dateline(month: int, day: int, published: dt.date) -> bool:
    """Whether a dateline's month-day is too far from the publication date for the page's date to be the report's.

    新华社北京7月5日电 on a page dated 2024-11-25 is a repost (a dateline a day
    after the page's date is a time zone's, not a repost's).
    """
    for year in (published.year, published.year - 1):
        date = calendar_date(year, month, day)
        if date is not None and -1 <= (published - date).days <= recent_days():
            return False
    return True


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def session_year(session: re.Match[str]) -> int:
    """The year of a congress session named in the text (十四届全国人大二次会议 → 2024)."""
    return int(_dates()["congress_terms"][session["t"]]) + _CN_DIGITS[session["s"]] - 1


def congress_opening(year: int) -> dt.date | None:
    """The opening day of the NPC session of ``year`` (``congress_openings`` in data/dates.yaml); ``None`` when not listed."""
    table = _dates().get("congress_openings") or {}
    value = table.get(year, table.get(str(year)))  # a user's file may quote the year
    if value is None:
        return None
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", str(value).strip())
    date = calendar_date(year, int(m[1]), int(m[2])) if m else None
    if date is None:
        raise DataError(f"dates.yaml: congress_openings[{year}]: expected a month-day such as \"03-05\"; got {value!r}")
    return date


def _add_turn(clues: list[tuple[int, str, str]], month: int, last: int, turn: tuple[Any, Any], kind: str, phrase: str) -> None:
    """A clue about the turn of the year ``last`` → ``last + 1``: ``last`` for a date in its last months, ``last + 1`` in the first of the next, else none."""
    if month in turn[0]:
        clues.append((last, kind, phrase))
    elif month in turn[1]:
        clues.append((last + 1, kind, phrase))


def _planned_years(head: str) -> list[re.Match[str]]:
    """Each year planned (``2023年要…``, ``部署2025年重点任务``), one match per year; not a year reviewed (``总结了2021年重点工作``) nor a target (``到2027年将``)."""
    rp = _dates()["review_plan"]
    review, deadline = tuple(str(w) for w in rp["review"]), tuple(str(w) for w in rp.get("deadline") or ())
    found: dict[str, re.Match[str]] = {}
    for m in _re("plan_year").finditer(head):
        before = head[max(0, m.start() - 6) : m.start()]
        if not before.rstrip("了").endswith(review) and not (deadline and before.endswith(deadline)):
            found.setdefault(m["y"], m)
    return list(found.values())


def year_clues(text: str, month: int, published: dt.date | None = None, day: int = 1) -> list[tuple[int, str, str]]:
    """Every year the text points to for a date in ``month``: (year, kind of clue, phrase).

    Clues: the publication date, the reporting period (a H1 report is held in
    July of its year, a full-year report in January of the next), a year named
    with a period elsewhere (…2023年全年…), a meeting that reviews one year and
    plans the next (in its last months or the next year's first), a work
    conference naming the year it plans, the first year of a five-year plan
    (开局之年) being planned, an estimate for the whole year (预计全年), a session
    of the National People's Congress.  The caller takes a year only when all
    clues agree.
    """
    head = text[: HEAD_CHARS * 2]
    clues: list[tuple[int, str, str]] = []
    if published is not None:
        clues.append((_year_for(month, day, published), "publication date", published.isoformat()))
    period = find_period(text)
    if period is not None:
        clues.append((year_from_period(month, str(period.value)), "period", str(period.value)))
    hint = find_year_hint(text)
    if hint is not None and (period is None or hint.phrase not in period.phrase):
        since_ambiguous = str(hint.value).endswith("since") and month in (_dates()["periods"].get("") or {}).get("held_in", ())
        if not since_ambiguous:  # in January, 2024年以来 may be the whole of last year or the weeks of this one
            clues.append((year_from_period(month, str(hint.value)), "year named", hint.phrase))
    rp = _dates()["review_plan"]
    turn = (rp.get("months_of_reviewed_year", ()), rp.get("months_of_next_year", ()))
    for plan in _planned_years(head) if _re("work_meeting").search(head) else ():
        # a work conference (or the NPC sessions) names the year it plans: held late in the year before, or early in that year
        _add_turn(clues, month, int(plan["y"]) - 1, turn, "year planned", plan.group(0))
    review = _re("review_plan").search(head)
    if review and int(review["n"]) == int(review["y"]) + 1:
        _add_turn(clues, month, int(review["y"]), turn, "year-end meeting", review.group(0))
    first = _re("first_year").search(head)
    if first:  # 谋划“十五五”及开局之年工作: the plan's first year is the one planned
        _add_turn(clues, month, int(rp["five_year_plans"][first["p"]]) - 1, turn, "first year of a plan", first.group(0))
    estimate = _estimated_year(head)
    if estimate:  # 2024年，… 预计全年…: an estimate made at the end of that year (or just after)
        est = _dates()["estimate"]
        _add_turn(clues, month, int(estimate["y"]), (est.get("months_of_the_year", ()), est.get("months_of_next_year", ())), "year estimated", estimate.group(0)[:24])
    session = _re("congress").search(head)
    if session:
        clues.append((session_year(session), "congress session", session.group(0)))
    return clues


def _estimated_year(head: str) -> re.Match[str] | None:
    """The year an estimate for the whole year is about (``2024年，… 预计全年``); not a year planned (部署2020年任务。…预计全年)."""
    if not (_dates().get("estimate") or {}).get("words"):
        return None
    plan = tuple(str(w) for w in _dates()["review_plan"]["plan"])
    pos = 0
    while (m := _re("estimate").search(head, pos)) is not None:
        if not head[max(0, m.start() - 4) : m.start()].endswith(plan):
            return m
        pos = m.start() + 1
    return None


def sentence_clues(text: str, at: int) -> list[tuple[int, str, str]]:
    """The year of each event named with its year (``2022世界5G大会``) in the sentence around ``at`` (the phrase that gives the month-day)."""
    start = max(text.rfind("。", 0, at), text.rfind("\n", 0, at)) + 1
    end = min((i for i in (text.find("。", at), text.find("\n", at)) if i >= 0), default=len(text))
    sentence = text[start:end]
    clues = [(int(m["y"]), "event named with its year", m.group(0)) for m in _re("event_year").finditer(sentence)]
    for m in _re("edition").finditer(text[: HEAD_CHARS * 2]):
        if m["e"] in sentence:  # 首届世界5G大会 somewhere in the head, the sentence's event is 世界5G大会: its first year
            n = 1 if m["n"] is None else _edition_number(m["n"])
            if n:
                clues.append((int(_dates()["event_editions"][m["e"]]) + n - 1, "edition of a yearly event", m.group(0)))
    return clues


def _edition_number(word: str) -> int:
    """第3届 / 第十一届 → 3 / 11 (0 when not a number)."""
    if word.isdigit():
        return int(word)
    tens, _, units = word.rpartition("十")
    if "十" not in word:
        return _CN_DIGITS.get(word, 0)
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)


def resolve_year(
    text: str, month: int, day: int, published: dt.date | None, what: str, at: int | None = None
) -> tuple[dt.date | None, str, str | None]:
    """(date, how the year was found, warning) for a month-day: all the year clues must agree, and a stated weekday too.

    ``at``: where the month-day is written; an event named with its year in that
    sentence is a year clue too (:func:`sentence_clues`).
    """
    clues = year_clues(text, month, published, day) + (sentence_clues(text, at) if at is not None else [])
    years = sorted({y for y, _, _ in clues})
    if not years:
        return None, "", f"{what} gives {month}月{day}日 but no year: no publication date, reporting period or other year clue in the text"
    if len(years) > 1:
        said = "; ".join(f"{kind} {phrase} → {y}" for y, kind, phrase in clues)
        return None, "", f"{what} gives {month}月{day}日 but the year clues disagree ({said})"
    date = calendar_date(years[0], month, day)
    if date is None:
        return None, "", f"{what} gives {month}月{day}日, which is not a date in {years[0]}"
    clash = weekday_clash(text, date)
    if clash:
        return None, "", f"{what} gives {month}月{day}日 in {years[0]}, but the text says {clash}: a different weekday"
    return date, " + ".join(dict.fromkeys(kind for _, kind, _ in clues)), None


def weekday_clash(text: str, date: dt.date) -> str | None:
    """The phrase of a weekday the text writes beside ``date``'s month-day (1月19日（星期五）, 星期三（10月23日）) that ``date`` does not fall on."""
    for name in ("weekday", "weekday_first"):
        for w in _re(name).finditer(text[: HEAD_CHARS * 2]):
            if (w["m"] is None or int(w["m"]) == date.month) and int(w["d"]) == date.day and date.weekday() != int(_dates()["weekdays"][w["w"]]):
                return w.group(0)
    return None


def infer_period(text: str, held: dt.date, what: str = "the date held", quarters_only: bool = False) -> Found | None:
    """A period named without a year (``一季度，…``), dated by the briefing held (or published: ``what``) just after it ends."""
    head = text[: HEAD_CHARS * 2]
    for code in ("Q1-Q3", "H1", "Q1"):  # the longest period named first: 前三季度 before 三季度 and 一季度
        entry = _dates()["periods"].get(code) or {}
        word = next((str(w) for w in entry.get("words") or () if str(w) in head), None)
        if word is not None and held.month in entry.get("held_in", ()):
            return Found(f"{held.year}{code}", f"{word} (year from {what})")
    if quarters_only:
        return None
    if held.month in (1, 2) and f"{held.year - 1}年" in head and re.search(r"全年|\d{4}年(?:以来|，|规模以上|全国)", head):
        return Found(f"{held.year - 1}", f"{held.year - 1}年 (full year before the date held)")
    return None
