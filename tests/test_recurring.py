"""The event calendar of MIIT's recurring events (sources/recurring.py, event_calendar in data/dates.yaml), on made-up texts."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest

from policy_tracker import load_documents
from policy_tracker.errors import DataError
from policy_tracker.sources import metadata, recurring


@pytest.mark.parametrize(
    ("text", "held", "entry"),
    [
        # the work conference named by the year it plans; its day (28日) agrees with the calendar
        ("部长在28日召开的2021年全国工业和信息化工作会议上说，2021年将着力稳定产业链。", dt.date(2020, 12, 28), "work_conference 2021"),
        # a meeting that reviews one year and plans the next (会议总结2023年工作，部署2024年重点任务)
        ("全国工业和信息化工作会议在京召开，会议总结2023年工作，部署2024年重点任务。", dt.date(2023, 12, 21), "work_conference 2024"),
        # the year planned written with the tasks in the sentence that reports the conference
        ("近期，全国工业和信息化工作会议在京召开，将“稳增长”列为2024年12个方面的重点任务之首。", dt.date(2023, 12, 21), "work_conference 2024"),
        # 记者从…会议获悉 with the year planned (2026年要…)
        ("记者从全国工业和信息化工作会议获悉，2026年要实施新一轮十大重点行业稳增长方案。", dt.date(2025, 12, 25), "work_conference 2026"),
        # Traditional text is folded first
        ("全國工業和信息化工作會議在京召開，會議總結2019年工作，部署2020年任務。", dt.date(2019, 12, 23), "work_conference 2020"),
        # the 国新办 press conference named by the period it reviews, reported as 近日
        ("近日，国务院新闻办公室举行“2024年工业和信息化发展情况”新闻发布会。", dt.date(2025, 1, 21), "press_conference 2024"),
        # a quarterly one, and the name used until 2020 (工业通信业发展情况)
        ("国新办近日举行2024年一季度工业和信息化发展情况新闻发布会，介绍有关情况。", dt.date(2024, 4, 18), "press_conference 2024Q1"),
        ("国务院新闻办公室举行新闻发布会，请部长介绍2018年工业通信业发展情况。", dt.date(2019, 1, 29), "press_conference 2018"),
        # a day without a month or publication date that agrees with the calendar
        ("国务院新闻办公室21日举行新闻发布会，介绍2024年工业和信息化发展情况。", dt.date(2025, 1, 21), "press_conference 2024"),
    ],
)
def test_a_recurring_event_named_by_its_year_takes_the_calendar_date(text: str, held: dt.date, entry: str) -> None:
    """A report of the work conference or of the 国新办 press conference, named by its year, is dated by the calendar entry it names."""
    values, prov, warns = metadata.detect(text)
    assert values.get("held") == held, (prov, warns)
    assert values["date_source"] == f"text: event calendar: {entry}"
    assert "event_calendar" in prov["held"]


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        # the day the text states (27日) is not the calendar's (28 December 2020)
        ("部长在27日召开的2021年全国工业和信息化工作会议上说，2021年将着力稳定产业链。", "the clues disagree"),
        # a full date in the text that is not the calendar's
        ("2020年12月29日，全国工业和信息化工作会议在京召开，部署2021年重点工作。", "the clues disagree"),
        # a weekday beside the day that does not fit
        ("国务院新闻办公室21日（星期三）举行新闻发布会，介绍2024年工业和信息化发展情况。", "the clues disagree"),
        # published before the calendar's date: another year's conference
        ("2020-12-20 08:00\n2021年全国工业和信息化工作会议在京召开。", "the clues disagree"),
        # two years planned: which conference is not said
        ("全国工业和信息化工作会议在京召开，部署2024年重点任务。会议强调，2025年要稳增长。", "more than one year"),
        # a year the calendar leaves out (2017) is named in the warning
        ("2017年全国工业和信息化工作会议在京召开。", "not in event_calendar"),
        ("近日，国务院新闻办公室举行新闻发布会，介绍2030年工业和信息化发展情况。", "not in event_calendar"),
    ],
)
def test_a_calendar_date_that_a_clue_disagrees_with_or_that_is_missing_leaves_the_date_unknown(text: str, missing: str) -> None:
    """A day, date, weekday or publication date that disagrees, two years planned or a year not listed: unknown, and the warning says why."""
    values, _, warns = metadata.detect(text)
    assert values.get("held") is None, values
    assert any(w.startswith("date held unknown") and missing in w for w in warns), warns


@pytest.mark.parametrize(
    "text",
    [
        # an interview weeks later that recalls the conference
        "2026-01-13 08:00\n近日，部长接受新华社专访。问：2026年将采取哪些措施？答：在不久前召开的全国工业和信息化工作会议上，2026年要稳增长。",
        # a meeting on the conference's decisions, named after it
        "近日，2024年全国工业和信息化工作会议精神宣讲会在京召开。",
        # a provincial meeting that implements the conference's decisions
        "2026-01-09 08:00\n1月8日，全省工业和信息化工作会议召开，传达学习全国工业和信息化工作会议精神，部署2026年重点工作。",
        # a report published months after the conference (a retrospective)
        "2026-06-10 08:00\n2026年全国工业和信息化工作会议在京召开以来，各地加快推进新型工业化。",
        # a press conference that only mentions the full-year figures (no organiser in the sentence)
        "2025-04-18 10:00\n4月18日，有关部门举行发布会。2024年工业和信息化发展情况总体平稳。",
        # another body's press conference on the same period (国民经济, not 工业和信息化)
        "近日，国务院新闻办公室举行新闻发布会，介绍2024年一季度国民经济运行情况。",
    ],
)
def test_a_passing_mention_of_a_recurring_event_does_not_take_its_date(text: str) -> None:
    """An interview, another meeting, a late article, a bare mention or another body's conference is not dated by the calendar."""
    values, _, _ = metadata.detect(text)
    assert "event calendar" not in str(values.get("date_source")), values
    assert values.get("held") not in (dt.date(2025, 12, 25), dt.date(2025, 1, 21), dt.date(2024, 4, 18), dt.date(2023, 12, 21)), values


def test_a_provincial_meeting_keeps_its_own_date() -> None:
    """A meeting that implements the work conference's decisions keeps the date its text gives (1月8日, 2026 planned)."""
    values, _, _ = metadata.detect("1月8日，全省工业和信息化工作会议召开，传达学习全国工业和信息化工作会议精神，部署2026年重点工作。")
    assert values.get("held") == dt.date(2026, 1, 8)


def test_the_calendar_feeds_the_batch(tmp_path: Path) -> None:
    """A report dated by the calendar is a dated report of the batch: another of the same conference, 12月21日 without a year, joins it."""
    (tmp_path / "named.txt").write_text("全国工业和信息化工作会议在京召开，会议总结2023年工作，部署2024年重点任务。\n", encoding="utf-8")
    (tmp_path / "day.txt").write_text("12月21日，全国工业和信息化工作会议在京召开。会议指出，新型工业化加快推进。\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = {d.id: d for d in load_documents([tmp_path], manifest={}).documents}
    assert docs["named"].held == dt.date(2023, 12, 21) and docs["named"].date_source == "text: event calendar: work_conference 2024"
    assert docs["day"].held == dt.date(2023, 12, 21)
    assert docs["day"].date_source == "batch: same event as named (same month-day and event)"


def test_a_users_calendar_adds_a_year_and_a_malformed_date_is_a_data_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's dates.yaml adds a conference (keys as text or numbers, dates quoted or not); a value that is not a date is a DataError naming it."""
    (tmp_path / "dates.yaml").write_text(
        'event_calendar:\n  work_conference:\n    dates:\n      "2031": "2030-12-23"\n      2032: 2031-12-22\n      2033: "December"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    assert recurring.calendar_entry("work_conference", 2031) == dt.date(2030, 12, 23)
    assert recurring.calendar_entry("work_conference", "2032") == dt.date(2031, 12, 22)
    assert recurring.calendar_entry("work_conference", 2021) == dt.date(2020, 12, 28)  # the shipped entries stay
    values, _, _ = metadata.detect("2031年全国工业和信息化工作会议在京召开。")
    assert values.get("held") == dt.date(2030, 12, 23)
    with pytest.raises(DataError, match=r"event_calendar\.work_conference\.dates\[2033\]"):
        recurring.calendar_entry("work_conference", 2033)


@pytest.mark.parametrize(
    ("text", "held", "entry"),
    [
        # a theme series, named in quotes after 举行的, the ministry in the same sentence, no publication date
        ("今天，在国新办举行的“权威部门话开局”系列主题新闻发布会上，工信部负责人介绍了推进制造强国建设的举措。", dt.date(2023, 3, 1), "press_conference 权威部门话开局"),
        # the ministry named in the sentence before, over a blank line; the page's date a few days later
        ("2024-07-08 10:00\n工业和信息化部部长说，将加快培育新兴产业。\n\n国新办日前举行了“推动高质量发展”系列主题新闻发布会。", dt.date(2024, 7, 5), "press_conference 推动高质量发展"),
        # a one-theme conference named without quotes, after 在; Traditional text folded first
        ("工信部副部長週一在推動民營經濟高質量發展新聞發布會上表示，將開展清理欠款專項行動。", dt.date(2023, 9, 4), "press_conference 推动民营经济高质量发展"),
        # a theme with quotes inside (高质量完成‘十四五’规划)
        ("国务院新闻办公室举行“高质量完成‘十四五’规划”系列主题新闻发布会，工业和信息化部部长介绍有关情况。", dt.date(2025, 9, 9), "press_conference 高质量完成“十四五”规划"),
        # the work conference not named: the ministry deployed the year's work at a meeting, published two days after it
        ("工业和信息化部部署2026年重点工作\n2025-12-27 02:03\n会议要求，2026年要攻克一批核心技术。", dt.date(2025, 12, 25), "work_conference 2026, deployed"),
    ],
)
def test_a_themed_press_conference_or_an_unnamed_work_conference_takes_the_calendar_date(text: str, held: dt.date, entry: str) -> None:
    """The ministry's press conference on a theme, or a meeting deploying a year's work published days after the conference, is dated by the calendar."""
    values, prov, warns = metadata.detect(text)
    assert values.get("held") == held, (prov, warns)
    assert values["date_source"] == f"text: event calendar: {entry}"


@pytest.mark.parametrize(
    "text",
    [
        # the theme's words, not its name (着力推动高质量发展)
        "工业和信息化部表示，将着力推动高质量发展，国新办举行新闻发布会介绍有关情况。",
        # another ministry's day of the series: the ministry is not named near it
        "商务部部长介绍外贸形势。\n国新办举行“推动高质量发展”系列主题新闻发布会，介绍商务工作。\n另据工信部消息，5G基站持续增长。",
        # the ministry named in the sentence, but not as the speaker (another ministry's conference)
        "国新办举行“推动高质量发展”系列主题新闻发布会，国家发展改革委负责人表示将与工信部等部门加强协作。",
        # a deployment read a month after the conference (another meeting, or a retrospective)
        "工业和信息化部部署2026年重点工作\n2026-02-20 08:00\n会议要求，2026年要攻克一批核心技术。",
        # a deployment without a publication date
        "工业和信息化部部署2026年重点工作\n会议要求，2026年要攻克一批核心技术。",
        # a deployment at another meeting (务虚会), early in December
        "工业和信息化部部署2026年重点工作\n2025-12-08 08:00\n12月7日，部长主持召开务虚会。会议要求，谋划好明年工作。",
        # a sector's deployment (a word between the year and 工作)
        "工业和信息化部部署2026年无线电管理工作\n2025-12-27 08:00\n会议要求，加强频率管理。",
    ],
)
def test_a_theme_word_another_ministrys_conference_or_a_loose_deployment_is_not_dated_by_the_calendar(text: str) -> None:
    """The theme's words in a sentence, another ministry's conference, and a deployment late, undated, at another meeting or of a sector: no calendar date."""
    values, _, _ = metadata.detect(text)
    assert "event calendar" not in str(values.get("date_source")), values


def test_a_themed_conference_that_a_clue_disagrees_with_stays_unknown() -> None:
    """A month-day in the text that is not the theme's conference (a garbled 12月1日) leaves the date unknown, with both named."""
    values, _, warns = metadata.detect("12月1日，国新办举行“权威部门话开局”系列主题新闻发布会。工信部副部长表示，将推进新能源汽车发展。")
    assert values.get("held") is None
    assert any("权威部门话开局" in w and "the clues disagree" in w for w in warns), warns


def test_a_theme_with_two_conferences_of_the_ministry_needs_the_publication_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A theme listing two conferences is dated only when the publication date leaves one; else unknown, the warning names both."""
    (tmp_path / "dates.yaml").write_text(
        'event_calendar:\n  press_conference:\n    themes:\n      新征程新伟业:\n        - "2027-03-02"\n        - "2028-03-03"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    text = "国新办举行“新征程新伟业”系列主题新闻发布会，工信部部长介绍有关情况。"
    values, _, warns = metadata.detect(text)
    assert values.get("held") is None and any("more than one press conference" in w for w in warns), warns
    values, _, _ = metadata.detect("2028-03-05 09:00\n" + text)
    assert values.get("held") == dt.date(2028, 3, 3)


def test_a_malformed_theme_date_or_window_is_a_data_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A theme's date that is not a date, or a deployment window that is not a number of days, is a DataError naming the entry."""
    (tmp_path / "dates.yaml").write_text(
        "event_calendar:\n  press_conference:\n    themes:\n      新征程新伟业: [March]\n  work_conference:\n    deployed:\n      within_days: a week\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    with pytest.raises(DataError, match=r"themes\[新征程新伟业\]"):
        metadata.detect("国新办举行“新征程新伟业”系列主题新闻发布会，工信部部长介绍有关情况。")
    with pytest.raises(DataError, match=r"deployed\.within_days"):
        metadata.detect("工业和信息化部部署2026年重点工作\n2025-12-27 02:03\n会议要求，2026年要攻克一批核心技术。")
