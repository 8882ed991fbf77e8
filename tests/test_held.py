"""The date held read from event phrases and the congress calendar (sources/held.py), on made-up texts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policy_tracker.errors import DataError
from policy_tracker.sources import dates, metadata


@pytest.mark.parametrize(
    ("text", "held", "rule"),
    [
        # the first 部长通道 of a named session is held on the session's opening day
        ("十四届全国人大三次会议首场“部长通道”上，部长表示将推动设备更新。", dt.date(2025, 3, 5), "first 部长通道 + congress calendar"),
        # no session named: the last session opened by the publication date (the day after, here)
        ("2025-03-06 08:00\n全国两会首场「部长通道」上，部长表示，将加快发展新质生产力。", dt.date(2025, 3, 5), "first 部长通道 + congress calendar"),
        # a year the session opened late (2020: 22 May) comes from the calendar, not from a fixed month
        ("十三届全国人大三次会议首场“部长通道”开启，部长表示将稳住产业链。", dt.date(2020, 5, 22), "first 部长通道 + congress calendar"),
        # a day beside a session is a day of the month the session opened in
        ("今天（23日）上午，十三届全国人大三次会议举行第二场“部长通道”。", dt.date(2020, 5, 23), "day + congress session"),
        # a two-day meeting written 12月26-27日 is dated by its first day
        ("2018年12月27-28日，全国工业和信息化工作会议在京召开。", dt.date(2018, 12, 27), "event date"),
        ("12月26-27日，全国工业和信息化工作会议召开。会议总结2024年工作，部署2025年重点任务。", dt.date(2024, 12, 26), "year-end meeting"),
        # an event named with its year gives the year of the month-day in its sentence
        ("8月10日，副部长出席2030世界6G大会开幕式并致辞。", dt.date(2030, 8, 10), "event named with its year"),
        # an event name with a plus sign (2030中国6G+工业互联网大会)
        ("11月20日，由工业和信息化部主办的2030中国6G+工业互联网大会在武汉开幕。", dt.date(2030, 11, 20), "event named with its year"),
        # a dateline whose year is the event's, then the day of the forum: the dateline's date
        ("据新华社重庆8月27日电 27日，在2031中国智能产业博览会举办的高峰论坛上，局长表示将加快建设。", dt.date(2031, 8, 27), "day held + publication date"),
        # the day the ministry released a document, month and year from the publication date
        ("2025.10.03\n中新社北京9月29日电 工业和信息化部等六部门29日发布《工作方案》。", dt.date(2025, 9, 29), "day held + publication date"),
        # the edition of a yearly event (event_editions: 世界互联网大会 first held 2014) named in the head, the event in the sentence
        ("11月16日上午消息，世界互联网大会今日开幕，部长发表演讲。\n相关专题：第三届世界互联网大会", dt.date(2016, 11, 16), "edition of a yearly event"),
        # 在昨天(29日)的发布会上: the day, month and year from the publication date
        ("2019-01-30 08:00\n在昨天(29日)的发布会上，部长表示，2019年，工信部将推进制造业高质量发展。", dt.date(2019, 1, 29), "day held + publication date"),
        # a year planned (部署2040年任务。) before 预计全年 is not the year estimated: the review and plan give 2039
        ("12月23日，全国工业和信息化工作会议在京召开，会议总结2039年工作，部署2040年任务。\n会议指出，推动减税降费，预计全年减税2万亿元。", dt.date(2039, 12, 23), "year-end meeting"),
        # 今日在国新办发布会上: the day of the article
        ("2034-01-21 11:18\n工信部新闻发言人今日在国新办发布会上介绍，5G用户规模超12亿。", dt.date(2034, 1, 21), "today + publication date"),
        # a meeting in March that works for the good start of a five-year plan (推动实现“十五五”良好开局)
        ("3月16日，工业和信息化部召开干部大会，会议提出推动实现“十五五”良好开局。", dt.date(2026, 3, 16), "first year of a plan"),
        # the day a named official said it (秦某26日说), month and year from the publication date
        ("2031-05-12 10:00\n新华社北京5月12日电 工业和信息化部司长王某12日说，将加强对中小企业的支持。", dt.date(2031, 5, 12), "day held + publication date"),
        # the day the reporter learned it from the ministry (记者2日从…获悉), the page published the next day
        ("发布时间：2031-06-03 09:00\n本报北京6月2日电 记者2日从工业和信息化部获悉，今年将开展专项行动。", dt.date(2031, 6, 2), "day held + publication date"),
        # 4月24日消息，在昨日…举行: the report's month-day, the event the day before (year from the period reported)
        ("4月24日消息，在昨日国新办举行的2031年一季度工业和信息化发展情况新闻发布会上，司长表示将推动发展。", dt.date(2031, 4, 23), "event date"),
        # the day before the first of a month is the last day of the month before
        ("2031年3月1日消息，昨日某市举行产业大会，局长表示将推动发展。", dt.date(2031, 2, 28), "event date"),
        # 第一场 is 首场: the first 部长通道 of the session named
        ("3月5日，在十四届全国人大三次会议第一场“部长通道”上，部长表示将推动设备更新。", dt.date(2025, 3, 5), "first 部长通道 + congress calendar"),
        # 论坛2033年年会: a year's annual meeting names its year; a month-day and 在…年会发表 is the event
        ("人民网北京3月24日电 3月24日，部长在中国发展高层论坛2033年年会发表主旨演讲时表示，将深化合作。", dt.date(2033, 3, 24), "event named with its year"),
    ],
)
def test_held_date_from_event_phrases_and_the_congress_calendar(text: str, held: dt.date, rule: str) -> None:
    """Each rule (first 部长通道, session day, day range, event year, release day, day said, good start of a plan, today, year planned) dates the text."""
    values, prov, warnings = metadata.detect(text)
    assert values.get("held") == held, (prov, warnings)
    assert rule in str(values["date_source"])


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        # the first 部长通道 of the session named, but an event date that is another day: the clues disagree
        ("3月8日，十四届全国人大二次会议首场“部长通道”开启。", "disagree"),
        # a first 部长通道 without a session or a publication date
        ("全国两会首场“部长通道”上，部长表示将推动设备更新。", "publication date is unknown"),
        # published long after the session: which session's first 部长通道 is not said
        ("2025-09-06 08:00\n全国两会首场“部长通道”上，部长表示将推动设备更新。", "more than"),
        # an interview at the 部长通道 is not dated by its (repost's) publication date
        ("2024-03-12 08:00\n在全国两会“部长通道”上接受采访时，部长表示将推动设备更新。", "need not be the event's"),
        # a data release by another body is not the event; no month without a publication date
        ("国家统计局15日发布的数据显示，工业增长5%。", "no date, day or publication date"),
        # 实现了…良好开局 is a review, not a plan: no year for the December date
        ("12月20日，工业和信息化部召开会议，会议指出，实现了“十四五”良好开局。", "no year"),
        # an edition of another event than the one of the dated sentence gives no year
        ("11月16日上午消息，数字经济论坛今日开幕。\n相关专题：第三届世界互联网大会", "no year"),
        # a day with a dateline of that day gives the month, but no year without another clue
        ("新华社北京3月8日电\n8日举行的全国两会“部长通道”上，部长表示将推动设备更新。", "give 3月8日 but no year"),
        # a year with 年 after it (2022年) names no event: no year for the month-day
        ("8月10日，副部长出席世界6G大会开幕式，介绍2022年进展。", "no year"),
        # a bare day a month before the page's date (12日 on a page of 09-11): the page is a repost, the month unknown
        ("来源：某网2034-09-11 01:26\n工业和信息化部副部长12日在国务院政策例行吹风会上表示，将加大支持力度。", "repost"),
        # the day the reporter learned it from a meeting (a two-day meeting may have opened the day before) is not its day
        ("2031-12-28 10:00\n记者27日从全国某某工作会议获悉，将推动发展。", "no date or day"),
        # a dateline months before the page's date: 当日 is the dateline's day, not the repost's
        ("发布时间:2034-11-25 22:49:48\n中新社北京7月5日电 总工程师5日表示，工信部将稳步推进5G建设。\n当日，国新办举行新闻发布会。", "repost"),
    ],
)
def test_held_date_stays_unknown_when_an_event_clue_is_missing_or_disagrees(text: str, missing: str) -> None:
    """Disagreeing or missing clues of these rules leave the date unknown; the warning says which."""
    values, _, warnings = metadata.detect(text)
    assert values.get("held") is None, values
    assert any(w.startswith("date held unknown") and missing in w for w in warnings), warnings


def test_a_malformed_recent_days_is_a_data_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's dates.yaml whose recent_days is not a whole number of days is a DataError naming the setting."""
    (tmp_path / "dates.yaml").write_text("recent_days: soon\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    with pytest.raises(DataError, match="recent_days"):
        dates.recent_days()


def test_a_session_missing_from_the_calendar_is_named_in_the_warning() -> None:
    """A first 部长通道 of a session whose opening day is not in congress_openings stays undated and the warning says so."""
    values, _, warnings = metadata.detect("十五届全国人大一次会议首场“部长通道”上，部长表示将推动设备更新。")
    assert values.get("held") is None
    assert any("2028 session" in w and "congress_openings" in w for w in warnings), warnings


def test_a_users_calendar_adds_a_session_and_a_malformed_day_is_a_data_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's dates.yaml adds an opening day (keys as text or numbers); a value that is not a month-day is a DataError naming it."""
    (tmp_path / "dates.yaml").write_text('congress_openings:\n  "2028": "03-06"\n  2029: "March"\n', encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    assert dates.congress_opening(2028) == dt.date(2028, 3, 6)
    with pytest.raises(DataError, match=r"congress_openings\[2029\]"):
        dates.congress_opening(2029)
