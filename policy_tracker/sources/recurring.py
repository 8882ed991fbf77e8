"""MIIT's recurring events and their public calendar (``event_calendar`` in ``data/dates.yaml``).

Two events recur every year: the 全国工业和信息化工作会议 that plans a year
(``2021年全国工业和信息化工作会议`` met on 28 December 2020) and the 国务院新闻办公室
press conference on a period's 工业和信息化发展情况 (on 2024 as a whole: 21 January
2025).  A report often names the event by its year and does not give its date
(近日，国务院新闻办公室举行“2024年工业和信息化发展情况”新闻发布会; 在28日召开的2021年
全国工业和信息化工作会议上).  :func:`calendar_event` finds such an event in the head
of a text — reported as held, named unambiguously by its year — and its date in
the calendar; :func:`policy_tracker.sources.held.find_held` checks it against
every other clue of the text.  See docs/dates.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from typing import Any

from ..errors import DataError
from .dates import HEAD_CHARS, Found, _alt, _dates, _planned_years, _re, find_period

WORK_CONFERENCE = "work_conference"
PRESS_CONFERENCE = "press_conference"
CALENDAR_RULE = "event calendar: "  # the rule (date_source "text: event calendar: work_conference 2021") of a calendar date


def _calendar() -> dict[str, dict[str, Any]]:
    table = _dates().get("event_calendar") or {}
    if not isinstance(table, dict):
        raise DataError("dates.yaml: event_calendar: expected a mapping of events; see data/dates.yaml")
    return {str(k): dict(v or {}) for k, v in table.items()}


def calendar_entry(event: str, key: str | int) -> dt.date | None:
    """The date of ``event`` named by ``key`` (a year planned, a period reviewed) in the calendar; ``None`` when not listed.

    A value that is not a date (``"2020-12-28"``) is a :class:`DataError` naming the entry.
    """
    dates = _calendar().get(event, {}).get("dates") or {}
    if not isinstance(dates, dict):
        raise DataError(f"dates.yaml: event_calendar.{event}.dates: expected a mapping of year or period to date")
    value = next((v for k, v in dates.items() if str(k) == str(key)), None)
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DataError(f"dates.yaml: event_calendar.{event}.dates[{key}]: expected a date such as \"2020-12-28\"; got {value!r}") from None


def _words(event: str, key: str) -> list[str]:
    return [str(w) for w in _calendar().get(event, {}).get(key) or ()]


def _conference_names() -> list[str]:
    return [str(w) for w in ((_dates().get("same_event") or {}).get(WORK_CONFERENCE) or {}).get("words") or ()]


@functools.lru_cache(maxsize=8)
def _patterns(key: str) -> dict[str, re.Pattern[str]]:
    name = _alt(_conference_names())
    held, learned = _alt(_words(WORK_CONFERENCE, "held_verbs")), _alt(_words(WORK_CONFERENCE, "learned"))
    return {
        # …会议在京召开 / …会议于12月26日至27日在北京召开 / 28日召开的2021年…会议上 / 记者从…会议获悉;
        # not …会议精神宣讲会在京召开 (another meeting: no 会 or 精神 between the name and the verb)
        "reported": re.compile(
            rf"(?P<a>{name})[^。\n，,；;“”「」会精]{{0,16}}?(?:{held})"
            rf"|(?:{held})的(?:20\d\d年)?(?P<b>{name})(?:上|期间)"
            rf"|从(?:20\d\d年)?(?P<c>{name})上?(?:{learned})"
        ),
        "named_year": re.compile(rf"(?P<y>20\d\d)年(?:{name})"),
        # 列为2024年12个方面的重点任务之首: a year and the tasks it plans, in the sentence that reports the conference
        "sentence_plan": re.compile(r"(?P<y>20\d\d)年[^。\n]{0,10}?(?:重点任务|重点工作)"),
    }


def _re_cal(name: str) -> re.Pattern[str]:
    return _patterns(os.environ.get("POLICY_TRACKER_DATA", ""))[name]


def _sentence(head: str, at: int) -> str:
    start = max(head.rfind("。", 0, at), head.rfind("\n", 0, at)) + 1
    end = min((i for i in (head.find("。", at), head.find("\n", at)) if i >= 0), default=len(head))
    return head[start:end]


def _first_event_is_the_conference(head: str) -> bool:
    """Whether the first ``same_event`` word of the head is the work conference's (not, say, 部长通道)."""
    found = [(head.find(str(w)), str(name)) for name, spec in (_dates().get("same_event") or {}).items() for w in (spec or {}).get("words") or () if str(w) in head]
    return bool(found) and min(found)[1] == WORK_CONFERENCE


def _years_planned(head: str, sentence: str) -> dict[int, str]:
    """Every year the head names as the one the conference plans: year → phrase."""
    rp = _dates()["review_plan"]
    review, deadline = tuple(str(w) for w in rp["review"]), tuple(str(w) for w in rp.get("deadline") or ())
    years: dict[int, str] = {}
    named = _re_cal("named_year").search(head)
    if named:
        years.setdefault(int(named["y"]), named.group(0))
    for m in _re("review_plan").finditer(head):
        if int(m["n"]) == int(m["y"]) + 1:
            years.setdefault(int(m["n"]), m.group(0))
    for m in _planned_years(head):
        years.setdefault(int(m["y"]), m.group(0))
    for m in _re_cal("sentence_plan").finditer(sentence):
        before = sentence[max(0, m.start() - 6) : m.start()]
        if not before.rstrip("了").endswith(review) and not (deadline and before.endswith(deadline)):
            years.setdefault(int(m["y"]), m.group(0))
    return years


def calendar_event(text: str, kind: str, published: dt.date | None = None) -> tuple[Found | None, str | None]:
    """The calendar date of the recurring event the head of ``text`` reports, named by its year.

    Returns (``Found(date, phrase, rule)``, None); or (None, why) when the head
    reports such an event but its year is ambiguous or not in the calendar; or
    (None, None) when it reports none, or was published more than
    ``reported_within_days`` after the calendar's date.  Not for an interview
    (it may be given weeks later), nor when the event is only mentioned (a
    meeting that implements the conference's decisions).  The caller checks
    the date against the text's other clues (:func:`.held.find_held`).
    """
    head = text[: HEAD_CHARS * 2]
    if kind == "interview":
        return None, None
    event = PRESS_CONFERENCE if kind == PRESS_CONFERENCE else WORK_CONFERENCE
    if event == PRESS_CONFERENCE:
        found, why = _press_conference(head)
        if found is None and why is None:
            found, why = _themed_conference(head, published)
    else:
        found, why = _work_conference(head)
        if found is None and why is None:
            found, why = _deployed(head, published)
    within = reported_within(event)
    if found is not None and published is not None and within is not None and (published - found.value).days > within:  # type: ignore[operator]
        return None, None  # a later article (a preview of the next one, a retrospective) need not be about this one
    return found, why


def _work_conference(head: str) -> tuple[Found | None, str | None]:
    """The 全国工业和信息化工作会议 the head reports as held, by the one year it plans."""
    reported = _re_cal("reported").search(head) if _conference_names() and _first_event_is_the_conference(head) else None
    if reported is None:
        return None, None
    name = reported["a"] or reported["b"] or reported["c"]
    years = _years_planned(head, _sentence(head, reported.start()))
    if not years:
        return None, None  # not named by its year: the batch may still date it (same yearly event)
    if len(years) > 1:
        said = "; ".join(f"{phrase} → {y}" for y, phrase in sorted(years.items()))
        return None, f"{reported.group(0)!r} reports the {name}, but the text names more than one year it plans ({said})"
    (year, phrase), = years.items()
    date = calendar_entry(WORK_CONFERENCE, year)
    if date is None:
        return None, f"{reported.group(0)!r} reports the {name} planning {year} ({phrase}), whose date is not in event_calendar.{WORK_CONFERENCE} (data/dates.yaml)"
    return Found(date, f"{reported.group(0)} + {phrase} (the {name} planning {year}: event_calendar.{WORK_CONFERENCE}[{year}])", f"{CALENDAR_RULE}{WORK_CONFERENCE} {year}"), None


def _press_conference(head: str) -> tuple[Found | None, str | None]:
    """The 国新办 press conference on the period the head names in a sentence with its organiser (国务院新闻办公室举行…2024年工业和信息化发展情况…发布会)."""
    period = find_period(head)
    organisers, subjects = _words(PRESS_CONFERENCE, "organisers"), _words(PRESS_CONFERENCE, "subjects")
    if period is None or not organisers or not any(s in period.phrase for s in subjects):
        return None, None
    sentence = _sentence(head, head.find(period.phrase))
    if "发布会" not in sentence or not any(o in sentence for o in organisers):
        return None, None
    code = str(period.value)
    date = calendar_entry(PRESS_CONFERENCE, code)
    if date is None:
        return None, f"the press conference on {code} ({period.phrase}) is not in event_calendar.{PRESS_CONFERENCE} (data/dates.yaml)"
    return Found(date, f"{period.phrase} (the press conference on {code}: event_calendar.{PRESS_CONFERENCE}[{code}])", f"{CALENDAR_RULE}{PRESS_CONFERENCE} {code}"), None


def _ministry() -> list[str]:
    return [str(w) for w in _dates().get("ministry") or ()]


def _published_after(published: dt.date | None, date: dt.date, days: int) -> bool:
    """Whether ``published`` lies on ``date`` or at most ``days`` after it."""
    return published is not None and 0 <= (published - date).days <= days


def _deployed(head: str, published: dt.date | None) -> tuple[Found | None, str | None]:
    """The work conference a report does not name, by the year the ministry deployed at a meeting (工业和信息化部部署2026年重点工作 … 会议要求).

    Only when published within ``deployed.within_days`` after the calendar's
    date of the conference planning that year, and no other meeting is named
    in the head (a 务虚会 early in December plans the next year too).
    """
    spec = _calendar().get(WORK_CONFERENCE, {}).get("deployed") or {}
    ministry, verbs, objects = _ministry(), spec.get("verbs") or (), spec.get("objects") or ()
    if not (ministry and verbs and objects):
        return None, None
    m = re.search(rf"(?:{_alt(ministry)})(?:{_alt(verbs)})(?P<y>20\d\d)年(?:{_alt(objects)})", head)
    if m is None or not any(str(w) in head for w in spec.get("meeting_says") or ()):
        return None, None
    if any(str(w) in head for w in spec.get("other_meetings") or ()):
        return None, None
    year = int(m["y"])
    date = calendar_entry(WORK_CONFERENCE, year)
    if date is None:
        return None, f"{m.group(0)!r} reports a meeting deploying {year}, whose work conference is not in event_calendar.{WORK_CONFERENCE} (data/dates.yaml)"
    days = spec.get("within_days", 7)
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise DataError(f"dates.yaml: event_calendar.{WORK_CONFERENCE}.deployed.within_days: expected a whole number of days (e.g. 7); got {days!r}")
    if not _published_after(published, date, days):
        when = "the publication date is unknown" if published is None else f"the publication date {published.isoformat()} is not within {days} days after it"
        return None, f"{m.group(0)!r} may report the work conference planning {year} ({date.isoformat()}), which it does not name, but {when}"
    phrase = f"{m.group(0)} + a meeting, published {published.isoformat()} (the work conference planning {year}: event_calendar.{WORK_CONFERENCE}[{year}])"  # type: ignore[union-attr]
    return Found(date, phrase, f"{CALENDAR_RULE}{WORK_CONFERENCE} {year}, deployed"), None


_QUOTES = re.compile(r"[“”‘’「」『』\"']")


def _themed_conference(head: str, published: dt.date | None) -> tuple[Found | None, str | None]:
    """The ministry's press conference on a theme (“权威部门话开局”系列主题新闻发布会), by ``press_conference.themes``."""
    spec = _calendar().get(PRESS_CONFERENCE, {})
    themes, ministry = spec.get("themes") or {}, _ministry()
    if not isinstance(themes, dict):
        raise DataError(f"dates.yaml: event_calendar.{PRESS_CONFERENCE}.themes: expected a mapping of theme to a list of dates")
    plain = _QUOTES.sub("", head)
    lead = tuple(str(w) for w in spec.get("theme_lead") or ())
    speakers = spec.get("theme_speakers") or ()
    speaker = re.compile(rf"(?:{_alt(ministry)})[^，,。\n]{{0,4}}?(?:{_alt(speakers)})") if ministry and speakers else None
    for theme, values in themes.items():
        name = _QUOTES.sub("", str(theme))
        at = _theme_at(plain, name, lead, speaker) if speaker is not None else None
        if at is None:
            continue
        dates = [_theme_date(theme, v) for v in (values if isinstance(values, list) else [values])]
        within = reported_within(PRESS_CONFERENCE)
        fit = [d for d in dates if published is None or within is None or _published_after(published, d, within)] if len(dates) > 1 else dates
        if len(fit) != 1:
            said = ", ".join(d.isoformat() for d in dates)
            return None, f"{at!r} names the series {theme}, in which the ministry gave more than one press conference ({said}): the text does not say which"
        return Found(fit[0], f"{at} (the ministry's press conference {theme}: event_calendar.{PRESS_CONFERENCE}.themes)", f"{CALENDAR_RULE}{PRESS_CONFERENCE} {theme}"), None
    return None, None


def _theme_at(plain: str, name: str, lead: tuple[str, ...], speaker: re.Pattern[str]) -> str | None:
    """The phrase that names the theme as the ministry's press conference in the (unquoted) head, else ``None``.

    ``speaker``: the ministry as the speaker (工信部副部长), in the theme's sentence, the one before, or opening the next.
    """
    for m in re.finditer(re.escape(name), plain):
        if lead and not plain[max(0, m.start() - 8) : m.start()].rstrip("了").endswith(lead):
            continue  # 着力推动高质量发展: the words, not the name of a conference
        sentence = _sentence(plain, m.start())
        if not (plain.startswith("系列", m.end()) or "发布会" in sentence):
            continue
        start = max(plain.rfind("。", 0, m.start()), plain.rfind("\n", 0, m.start()))
        end = len(plain[:max(start, 0)].rstrip("。\n \t\u3000"))  # the sentence before, over blank lines
        before = _sentence(plain, end - 1) if end > 0 else ""
        stop = min((i for i in (plain.find("。", m.end()), plain.find("\n", m.end())) if i >= 0), default=len(plain))
        nxt = plain[stop:].lstrip("。\n \t\u3000")  # the next sentence may open with the ministry (…发布会。工信部副部长表示)
        opening = speaker.match(nxt)
        if speaker.search(sentence) or speaker.search(before) or opening:
            return sentence.strip()[:60]
    return None


def _theme_date(theme: object, value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DataError(f"dates.yaml: event_calendar.{PRESS_CONFERENCE}.themes[{theme}]: expected dates such as \"2023-03-01\"; got {value!r}") from None


def reported_within(event: str) -> int | None:
    """How many days after the event a report of it may be published (``reported_within_days``), when set."""
    spec = _calendar().get(event, {}).get("reported_within_days")
    if spec is None and event == WORK_CONFERENCE:
        spec = ((_dates().get("same_event") or {}).get(WORK_CONFERENCE) or {}).get("reported_within_days")
    return None if spec is None else int(spec)
