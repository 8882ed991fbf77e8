"""Hong Kong page dates (day/month/year) and dispatch datelines (10日北京专电) in date inference, on made-up texts."""

from __future__ import annotations

import datetime as dt

import pytest

from policy_tracker.sources import metadata


@pytest.mark.parametrize(
    ("text", "published"),
    [
        # only one reading is a date: 25 March (there is no 25th month)
        ("25/03/2019 10:00\n工信部部长表示，将推进5G建设。", dt.date(2019, 3, 25)),
        # a US page's month/day/year, likewise unambiguous
        ("03/25/2019 10:00\n工信部部长表示，将推进5G建设。", dt.date(2019, 3, 25)),
        # both readings are dates (10 September, 9 October): the dispatch's day (10日) decides
        ("10/09/2025 08:54\n《某通讯社记者10日北京专电》工信部部长表示，将出台方案。", dt.date(2025, 9, 10)),
        # the page stored just after midnight: the dispatch of the day before decides too
        ("09/03/2024 01:12\n《某通讯社记者8日北京专电》工信部部长表示，将开放电信服务。", dt.date(2024, 3, 9)),
        # the same date either way
        ("05/05/2025 09:00\n工信部部长表示，将推进5G建设。", dt.date(2025, 5, 5)),
    ],
)
def test_a_day_month_year_page_date_is_read_when_one_reading_fits(text: str, published: dt.date) -> None:
    """10/09/2025 is read as a date only when one reading is a date, or the dispatch's day picks one."""
    values, _, _ = metadata.detect(text)
    assert values.get("published") == published


def test_an_ambiguous_day_month_year_without_a_dispatch_day_is_not_read() -> None:
    """09/10/2025 with no dispatch day (9 October or 10 September): no publication date, never a guess."""
    values, _, _ = metadata.detect("09/10/2025 08:54\n工信部部长表示，将出台方案。")
    assert values.get("published") is None


@pytest.mark.parametrize(
    ("text", "held", "rule"),
    [
        # 今日 in a dispatch of the 8th on a page of the 9th: the dispatch's day
        ("09/03/2024 01:12\n《某通讯社记者8日北京专电》工信部部长今日在全国人大二次会议第二场“部长通道”上表示，将开放电信服务。", dt.date(2024, 3, 8), "today + dispatch day"),
        # 今日 at the 部长通道, the dispatch of the page's day
        ("08/03/2024 13:12\n《某通讯社记者8日北京专电》工信部部长今日在全国人大二次会议第二场“部长通道”上表示，将开放电信服务。", dt.date(2024, 3, 8), "today + publication date"),
        # the calendar's date one day before the dispatch and the page: accepted (the dispatch day is not the event's)
        (
            "10/09/2025 08:54\n《某通讯社记者10日北京专电》工信部部长出席国新办“高质量完成‘十四五’规划”系列主题新闻发布会时表示，将出台方案。",
            dt.date(2025, 9, 9),
            "event calendar: press_conference 高质量完成“十四五”规划",
        ),
    ],
)
def test_a_dispatch_day_dates_today_and_does_not_clash_with_the_event_of_the_day_before(text: str, held: dt.date, rule: str) -> None:
    """今日 is the dispatch's day; a dispatch a day after the event (北京专电 of the 10th, event on the 9th) is no disagreement."""
    values, prov, warns = metadata.detect(text)
    assert values.get("held") == held, (prov, warns)
    assert values["date_source"] == f"text: {rule}"


def test_a_day_the_text_states_against_the_calendar_leaves_the_date_unknown() -> None:
    """A day the text gives for the event (8日出席) that is not the calendar's (9 September): unknown, the warning says the clues disagree."""
    text = "10/09/2025 08:54\n《某通讯社记者10日北京专电》工信部部长8日出席国新办“高质量完成‘十四五’规划”系列主题新闻发布会时表示，将出台方案。"
    values, _, warns = metadata.detect(text)
    assert values.get("held") is None
    assert any("the clues disagree" in w for w in warns), warns
