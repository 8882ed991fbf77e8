"""Dates from the batch: an undated report takes the date of the one dated report of the same event."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

from policy_tracker import load_documents
from policy_tracker.models import Document

H1_2023 = "2023年7月19日，国务院新闻办公室举行新闻发布会，介绍2023年上半年工业和信息化发展情况。\n赵志国表示，下一步，工信部将加快制定十个重点行业稳增长工作方案。\n"
H1_2024 = "2024年7月19日，国务院新闻办公室举行新闻发布会，介绍2024年上半年工业和信息化发展情况。\n赵志国表示，下一步，工信部将推动大规模设备更新。\n"
# month and day, no year, no period: the 联合早报 / mirror style
NO_YEAR = "在7月19日举行的国新办新闻发布会上，赵志国表示，工业和信息化部将加紧制定十个重点行业稳增长的工作方案。\n"
WORK_CONFERENCE = (
    "12月26日至27日，全国工业和信息化工作会议在北京召开。会议总结2024年工作，部署2025年重点任务。\n"
    "会议要求，2025年要推动制造业高质量发展。\n"
)
WORK_CONFERENCE_REPORT = (
    "2024-12-27 15:05:12\n新华社北京12月27日电 记者从全国工业和信息化工作会议获悉，"
    "预计2024年全国规模以上工业增加值同比增长5.7%左右。\n工信部将加快推进新型工业化。\n"
)


def _load(tmp_path: Path, files: dict[str, str]) -> dict[str, Document]:
    for name, text in files.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {d.id: d for d in load_documents([tmp_path], manifest={}).documents}


def test_month_day_without_year_takes_the_one_dated_report_of_that_conference(tmp_path: Path) -> None:
    """7月19日 without a year joins the batch's one press conference held on 7月19日; date_source and provenance say so."""
    docs = _load(tmp_path, {"dated": H1_2023, "undated": NO_YEAR})
    u = docs["undated"]
    assert u.held == dt.date(2023, 7, 19) and u.briefing_id == docs["dated"].briefing_id
    assert u.date_source == "batch: same event as dated (same month-day and event)"
    assert dict(u.provenance)["held"].startswith("inferred: ")
    assert any("inferred from dated" in w for w in u.warnings)


def test_without_the_dated_report_the_date_stays_unknown(tmp_path: Path) -> None:
    """Alone, a report giving 7月19日 without a year stays undated (no guess of the year)."""
    assert _load(tmp_path, {"undated": NO_YEAR})["undated"].held is None


def test_two_dated_events_that_fit_leave_it_unknown_naming_both(tmp_path: Path) -> None:
    """Ambiguity: two conferences on 7月19日 of different years fit; the date stays unknown and the warning names both."""
    u = _load(tmp_path, {"a2023": H1_2023, "b2024": H1_2024, "undated": NO_YEAR})["undated"]
    assert u.held is None and u.date_source is None
    assert any("a2023 (2023-07-19)" in w and "b2024 (2024-07-19)" in w for w in u.warnings)


def test_a_conflicting_weekday_or_day_keeps_it_unknown(tmp_path: Path) -> None:
    """Conflicting clues: a weekday that 2023-07-19 is not (星期五 beside 7月19日), or another day (7月20日), block the link."""
    weekday = "赵志国星期五（7月19日）在国新办新闻发布会上表示，工信部将加紧制定十个重点行业稳增长的工作方案。\n"
    other_day = NO_YEAR.replace("7月19日", "7月20日")
    docs = _load(tmp_path, {"dated": H1_2023, "weekday": weekday, "other_day": other_day})
    assert docs["weekday"].held is None and docs["other_day"].held is None
    fitting = "赵志国星期三（7月19日）在国新办新闻发布会上表示，工信部将加紧制定十个重点行业稳增长的工作方案。\n"
    (tmp_path / "weekday.txt").write_text(fitting, encoding="utf-8")
    assert _load(tmp_path, {})["weekday"].held == dt.date(2023, 7, 19)  # 2023-07-19 was a Wednesday


def test_a_report_of_another_kind_of_event_does_not_join(tmp_path: Path) -> None:
    """An interview giving 7月19日 is not a report of the press conference held that day."""
    interview = "7月19日，工业和信息化部部长接受新华社专访时表示，工信部将推动制造业高质量发展。\n"
    assert _load(tmp_path, {"dated": H1_2023, "interview": interview})["interview"].held is None


def test_a_day_alone_needs_the_period_or_year_to_agree(tmp_path: Path) -> None:
    """21日 without month joins the conference held on a 21st whose period the text's data fit (2024年 → January 2025), not another 21st."""
    jan25 = "1月21日，国务院新闻办公室举行新闻发布会，介绍2024年工业和信息化发展情况。\n下一步，工信部将推动工业稳增长。\n"
    jan26 = "2026年1月21日，国务院新闻办公室举行新闻发布会，介绍2025年工业和信息化发展情况。\n下一步，工信部将推动工业稳增长。\n"
    day = "张云明21日在国新办新闻发布会介绍情况。张云明说，2024年，规模以上工业增加值同比增长5.8%。下一步，工信部将推动存量政策落地。\n"
    docs = _load(tmp_path, {"a": jan25, "b": jan26, "day": day})
    assert docs["a"].held == dt.date(2025, 1, 21) and docs["b"].held == dt.date(2026, 1, 21)
    assert docs["day"].held == dt.date(2025, 1, 21)
    assert docs["day"].date_source == "batch: same event as a (same day, event and period)"
    (tmp_path / "only").mkdir()
    assert _load(tmp_path / "only", {"b": jan26, "day": day})["day"].held is None  # only the 2026 conference: the text's 2024 data do not fit it


def test_a_yearly_event_without_a_day_joins_by_its_year(tmp_path: Path) -> None:
    """A report of the national work conference that gives no day joins the dated report of that year's conference, never a later one."""
    docs = _load(tmp_path, {"conference": WORK_CONFERENCE, "report": WORK_CONFERENCE_REPORT})
    assert docs["conference"].held == dt.date(2024, 12, 26)
    assert docs["report"].held == dt.date(2024, 12, 26)
    assert docs["report"].date_source == "batch: same event as conference (same yearly event, year from the text)"
    earlier = WORK_CONFERENCE_REPORT.replace("2024-12-27", "2024-12-20").replace("12月27日电", "12月20日电")
    (tmp_path / "report.txt").write_text(earlier, encoding="utf-8")
    assert _load(tmp_path, {})["report"].held is None  # published before the conference: not its report


def test_the_ledger_keeps_a_batch_date_and_its_source(tmp_path: Path) -> None:
    """Ingested, the undated report is in the dated report's briefing with date_source batch: …, and a later ingest leaves it there."""
    from policy_tracker.ledger import Ledger

    from .ledger_fixtures import KW

    docs = _load(tmp_path, {"dated": H1_2023, "undated": NO_YEAR})
    led = Ledger()
    led.ingest(list(docs.values()), **KW)
    (tmp_path / "later").mkdir()
    led.ingest(list(_load(tmp_path / "later", {"later": H1_2024}).values()), **KW)
    rec = {r.id: r for r in led.documents}["undated"]
    assert rec.briefing == docs["dated"].briefing_id == "2023-07-19-press-conference"
    assert rec.date_source == "batch: same event as dated (same month-day and event)"


def test_a_yearly_event_report_published_long_after_does_not_join(tmp_path: Path) -> None:
    """A work-conference report published months after the dated conference (reported_within_days) may be about the next one: unknown."""
    january = "1月11日，全国工业和信息化工作会议在北京召开。会议总结2022年工作，部署2023年重点任务。\n会议要求，2023年要推动制造业高质量发展。\n"
    report = "2023-{}\n记者从全国工业和信息化工作会议获悉，工信部将加快推进新型工业化。\n"
    docs = _load(tmp_path, {"conference": january, "soon": report.format("01-12 10:00:00"), "late": report.format("11-20 10:00:00")})
    assert docs["conference"].held == dt.date(2023, 1, 11)
    assert docs["soon"].held == dt.date(2023, 1, 11)
    assert docs["late"].published == dt.date(2023, 11, 20) and docs["late"].held is None


def test_reports_naming_the_same_meeting_share_its_date_and_another_meeting_does_not(tmp_path: Path) -> None:
    """An undated report of a meeting it names (召开…电视电话会议) joins the dated report of that meeting on the same month-day, not of another."""
    dated = "2030年2月22日，工业和信息化部召开加快推进6G发展、做好信息通信业复工工作电视电话会议。会议强调，要加快6G研发。\n"
    same = "本报讯 2月22日，工信部召开加快推进6G发展、做好信息通信业复工工作电视电话会议。会议强调，一要加强统筹。\n"
    other = "本报讯 2月22日，工信部召开推动工业互联网平台建设和应用推广工作座谈会。会议强调，要加快平台建设。\n"
    docs = _load(tmp_path, {"dated": dated, "same": same, "other": other})
    assert docs["same"].held == dt.date(2030, 2, 22)
    assert docs["same"].date_source == "batch: same event as dated (same month-day and event)"
    assert docs["other"].held is None


def test_a_report_of_a_yearly_event_joins_the_dated_report_of_it_on_the_same_month_day(tmp_path: Path) -> None:
    """An undated report naming a yearly event of event_editions (世界互联网大会) joins its dated report on the same month-day."""
    dated = "11月16日上午消息，世界互联网大会今日开幕，部长表示将加快建设网络强国。\n相关专题：第三届世界互联网大会\n"
    undated = "11月16日上午消息，世界互联网大会今日开幕。部长表示，将推动数字经济发展。\n"
    docs = _load(tmp_path, {"dated": dated, "undated": undated})
    assert docs["dated"].held == dt.date(2016, 11, 16)
    assert docs["undated"].held == dt.date(2016, 11, 16) and docs["undated"].date_source.startswith("batch: same event as dated")


def test_speakers_named_in_traditional_characters_tell_two_ministers_corridors_apart(tmp_path: Path) -> None:
    """A 部长通道 report naming its minister in Traditional characters (肖亞慶) joins that minister's corridor, not another's on the same month-day."""
    y2024 = "3月8日上午，十四届全国人大二次会议举行第二场“部长通道”，部长金壮龙表示，将推动设备更新。\n"
    y2025 = "3月8日上午，十四届全国人大三次会议举行第二场“部长通道”，部长肖亚庆表示，将推动设备更新。\n"
    undated = "3月8日，全國兩會第二場“部長通道”開啟，部長肖亞慶表示，將推動設備更新。\n"
    docs = _load(tmp_path, {"a": y2024, "b": y2025, "undated": undated})
    assert docs["a"].held == dt.date(2024, 3, 8) and docs["b"].held == dt.date(2025, 3, 8)
    assert docs["undated"].held == dt.date(2025, 3, 8) and docs["undated"].date_source.startswith("batch: same event as b")
