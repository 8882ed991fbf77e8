"""Metadata detection from briefing text: dates, period, kind, outlet, title."""

from __future__ import annotations

import datetime as dt

import pytest

from policy_tracker.sources import metadata


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("标题\n**2023-10-20 13:26**\n正文", dt.date(2023, 10, 20)),
        ("标题\n2023年04月21日 00:30\n正文", dt.date(2023, 4, 21)),
        ("标题\n2022-3-7\n正文", dt.date(2022, 3, 7)),
        ("标题\n发布时间：2024年1月19日\n正文", dt.date(2024, 1, 19)),
        ("标题\n2023/03/05 14:20（中央社記者 北京5日電）", dt.date(2023, 3, 5)),
        ("标题\n没有日期的文章。", None),
    ],
)
def test_find_published_reads_header_dates(text: str, expected: dt.date | None) -> None:
    """Publication dates in ISO or Chinese form are read from the header."""
    found = metadata.find_published(text)
    assert (found.value if found else None) == expected


@pytest.mark.parametrize(
    ("text", "held"),
    [
        # month-day held date, year from the publication date
        ("2023年04月21日 00:30\n4月20日，国新办举行新闻发布会，介绍2023年一季度工业和信息化发展情况。", dt.date(2023, 4, 20)),
        # held in January, published in January: same year
        ("2024-01-20 08:00\n1月19日上午，国务院新闻办公室举行新闻发布会。", dt.date(2024, 1, 19)),
        # dateline without a year, year from the reported period, held "today"
        ("财联社7月19日讯，国新办今日举行2023年上半年工业和信息化发展情况新闻发布会。", dt.date(2023, 7, 19)),
        # dateline of another agency
        # dateline of another agency; a January briefing on the full year 2022 is held in 2023
        ("中新网1月18日电 国务院新闻办公室今天举行2022年工业和信息化发展情况新闻发布会。", dt.date(2023, 1, 18)),
        # explicit year in the held phrase
        ("2023年10月20日，国新办举行新闻发布会。", dt.date(2023, 10, 20)),
        # organisation first, month and day
        ("2024-07-20 07:05\n中证网讯 国务院新闻办公室7月19日举行新闻发布会。", dt.date(2024, 7, 19)),
        # Traditional source, day only: month from the publication date
        ("2022年07月19日 18:36  來源：大公網\n國務院新聞辦公室19日舉行新聞發佈會。", dt.date(2022, 7, 19)),
        # day only, from the previous month
        ("2023-02-01 08:00\n王江平31日在国新办新闻发布会上表示，将推动工业稳增长。", dt.date(2023, 1, 31)),
        # an organiser's transcript is published on the day
        ("国新办举行2022年工业和信息化发展情况新闻发布会\n2023-01-17 来源：国务院新闻办公室网站\n\n主持人 寿小丽：\n大家上午好！", dt.date(2023, 1, 17)),
        # 近日: unknown, never guessed (a period the event calendar does not list: tests/test_recurring.py)
        ("近日，国务院新闻办公室举行新闻发布会，介绍2030年工业和信息化发展情况。", None),
        # a transcript's header block: 时间 with 地点 / 发布人 lines
        ("工业和信息化部新闻发布会文字实录\n\n时间：2024年9月20日 10:00\n地点：工业和信息化部新闻发布厅\n发布人：副部长", dt.date(2024, 9, 20)),
        ("发布会实录\n时间：2024-09-20\n主持人：新闻发言人", dt.date(2024, 9, 20)),
        # a 时间 line without an event header says nothing about a briefing
        ("时间：2024年9月20日\n工信部印发通知。", None),
    ],
)
def test_detect_held_date(text: str, held: dt.date | None) -> None:
    """The date held is read from 'M月D日，国新办举行…' or 'today' phrases and never guessed."""
    values, _, _ = metadata.detect(text)
    assert values.get("held") == held


def test_dateline_without_year_hint_stays_unknown_with_warning() -> None:
    """A dateline like 中新网1月18日电 with no year anywhere leaves the date unknown and warns."""
    values, _, warnings = metadata.detect("中新网1月18日电 工信部表示，将推动工业稳增长。")
    assert "published" not in values
    assert any("no year" in w for w in warnings)


def test_held_year_comes_from_full_year_period_when_unpublished() -> None:
    """A January briefing on the full year 2022 is held in 2023 when no publication date exists."""
    values, prov, _ = metadata.detect("1月19日，国新办举行新闻发布会，介绍2022年工业和信息化发展情况。")
    assert values["held"] == dt.date(2023, 1, 19)
    assert "period" in prov["held"]


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("介绍2023年一季度工业和信息化发展情况", "2023Q1"),
        ("2023年上半年工业和信息化发展情况新闻发布会", "2023H1"),
        ("介绍2023年前三季度工业和信息化发展情况", "2023Q1-Q3"),
        ("介绍2023年工业和信息化发展情况", "2023"),
        ("介绍2022年全年工业和信息化发展情况", "2022"),
        ("工信部部长接受采访", None),
    ],
)
def test_find_period(text: str, period: str | None) -> None:
    """The reported period is coded as 2023Q1, 2023H1, 2023Q1-Q3 or 2023."""
    found = metadata.find_period(text)
    assert (found.value if found else None) == period


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("国新办举行新闻发布会", "press_conference"),
        ("部长金壮龙接受了新华社记者采访", "interview"),
        ("加快推进新型工业化——访工业和信息化部部长金壮龙", "interview"),
        ("工信部印发通知", "other"),
        ("国新办举行新闻发布会，介绍上半年情况。\n\n相关阅读：\n工信部部长接受专访：加快推进新型工业化", "press_conference"),
        ("部长接受新华社专访时表示，在此前的新闻发布会上……", "interview"),
    ],
)
def test_find_kind(text: str, kind: str) -> None:
    """Press conferences and interviews are told apart by the article's own (first) cue, not a related-reading link."""
    assert metadata.find_kind(text) == kind


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-04-20", dt.date(2023, 4, 20)),
        ("2023/4/20", dt.date(2023, 4, 20)),
        ("2023年4月20日", dt.date(2023, 4, 20)),
        (dt.date(2023, 1, 2), dt.date(2023, 1, 2)),
        ("2030", None),  # partial: never completed from today
        ("4月20日", None),
        ("", None),
    ],
)
def test_parse_date_never_fills_from_today(value: object, expected: dt.date | None) -> None:
    """Full dates parse; partial dates return None instead of being completed from today."""
    assert metadata.parse_date(value) == expected


def test_outlet_and_title_from_markdown_header() -> None:
    """A Markdown title and a bold outlet line are read from the header."""
    text = "# 工信部最新发声\n**证券时报网**\n\n**2023-10-20 13:26**\n\n**https://example.com/a/1.html**\n正文。"
    values, _, _ = metadata.detect(text)
    assert values["title"] == "工信部最新发声"
    assert values["outlet"] == "证券时报网"
    assert values["url"] == "https://example.com/a/1.html"


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("4月20日，国务院新闻办公室举行新闻发布会。陶青说，一季度，全国规模以上工业增加值同比增长3%。", "2023Q1"),
        ("10月20日，国新办举行新闻发布会。前三季度，工业生产稳定增长。", "2023Q1-Q3"),
        ("4月20日，国新办举行新闻发布会。工业生产稳定增长。", None),
    ],
)
def test_period_without_year_is_dated_by_the_briefing(text: str, period: str | None) -> None:
    """A period named without a year (一季度) takes the year of the briefing held just after it."""
    values, prov, _ = metadata.detect("2023-10-21 08:00\n" + text if "10月" in text else "2023-04-21 08:00\n" + text)
    assert values.get("period") == period
    if period:
        assert prov["period"].startswith("inferred")


@pytest.mark.parametrize(
    ("text", "held", "rule"),
    [
        # month/day + reporting period: a H1 report is held in July of its year, Q1-Q3 in October, Q1 in April
        ("7月19日，国新办举行新闻发布会，介绍2023年上半年工业和信息化发展情况。", dt.date(2023, 7, 19), "period"),
        ("10月20日，国新办举行新闻发布会，介绍2023年前三季度工业和信息化发展情况。", dt.date(2023, 10, 20), "period"),
        ("4月20日，国新办举行新闻发布会，介绍2023年一季度工业和信息化发展情况。", dt.date(2023, 4, 20), "period"),
        # a full-year report is held in January of the next year
        ("1月19日，国新办举行新闻发布会，介绍2023年工业和信息化发展情况。", dt.date(2024, 1, 19), "period"),
        # dateline + a year stated elsewhere: full-year 2023 figures reported in January → 2024
        ("新华社北京1月18日电 工业和信息化部今天举行新闻发布会。2023年全年，规模以上工业增加值增长4.6%。", dt.date(2024, 1, 18), "today"),
        # a meeting that reviews one year and plans the next, in December of the reviewed year …
        ("12月26日，全国工业和信息化工作会议在北京召开。会议总结2024年工作，部署2025年重点任务。", dt.date(2024, 12, 26), "year-end meeting"),
        # … or in January of the next year
        ("1月5日，全国工业和信息化工作会议在京召开。会议总结2034年工作，部署2035年重点任务。", dt.date(2035, 1, 5), "year-end meeting"),
        # 近日 + a publication line: a policy release is dated by its publication
        ("发布时间：2024-01-31　来源：科技司\n\n近日，工业和信息化部等七部门联合印发《实施意见》。", dt.date(2024, 1, 31), "recently"),
        ("發佈時間：2024-01-31\n\n近日，工業和信息化部等七部門聯合印發《實施意見》。", dt.date(2024, 1, 31), "recently"),
        # a congress session dates a 部长通道 (十四届全国人大二次会议 → 2024)
        ("人民网北京3月5日电 （记者 王政）\n3月5日，十四届全国人大二次会议首场“部长通道”开启，部长表示将推动设备更新。", dt.date(2024, 3, 5), ""),
        # Traditional dateline, held "today", year from the period reported
        ("大公網7月19日訊 國務院新聞辦公室今日舉行2023年上半年工業和信息化發展情況新聞發佈會。", dt.date(2023, 7, 19), "today"),
        # a weekday beside the date that agrees with the year
        ("1月19日（星期五），国务院新闻办公室举行新闻发布会，介绍2023年工业和信息化发展情况。", dt.date(2024, 1, 19), "period"),
        # an interview dated by its day, year from the publication date
        ("2024年05月20日 08:15\n新华社记者5月17日专访了工业和信息化部部长。", dt.date(2024, 5, 17), "event date"),
        # a two-day meeting is dated by its first day; the dateline's day is the report's, not the meeting's
        ("本报北京12月28日电 全国工业和信息化工作会议于12月26日至27日在京召开。会议总结2024年工作，部署2025年重点任务。", dt.date(2024, 12, 26), "year-end meeting"),
        # mirror pinyin (with or without tone marks) does not hide the clues; 总结了 is a review
        ("12月20日，全國(guó)工業(yè)和信息化工(gong)作會議在北京召開。會議總結了2021年工作，部署2022年重點任務。", dt.date(2021, 12, 20), "year-end meeting"),
        # the full name of a congress session
        ("3月5日，第十四届全国人民代表大会第一次会议举行首场“部长通道”，部长表示将推动设备更新。", dt.date(2023, 3, 5), "congress"),
        # a day beside a session: sessions meet in March
        ("今天（8日）上午，十三届全国人大五次会议举行第二场“部长通道”集中采访活动。", dt.date(2022, 3, 8), "congress session"),
        # a work conference naming only the year it plans: January of that year
        ("中新网1月11日电 11日，全国工业和信息化工作会议在北京召开。会议指出，2023年要抓好十个方面重点任务。", dt.date(2023, 1, 11), "day held"),
        # a day and what the minister did, month and year from the publication line
        ("2025-12-07 08:00\n部长李乐成7日主持召开务虚会，研究谋划明年工作。", dt.date(2025, 12, 7), "day held + publication date"),
        # a full-year report worded 发展成效有关情况, dated by the dateline
        ("中新网1月21日电 国务院新闻办公室21日上午举行新闻发布会，介绍2025年工业和信息化发展成效有关情况。", dt.date(2026, 1, 21), ""),
        # an interview that does not say when it was conducted: its publication date
        ("加快推进新型工业化——访工业和信息化部部长\n《人民日报》（2024年03月06日 第02版）\n问：今年将采取哪些措施？", dt.date(2024, 3, 6), "interview"),
    ],
)
def test_held_date_inferred_from_the_text(text: str, held: dt.date, rule: str) -> None:
    """Each text rule (period, dateline + year, year-end meeting, 近日 + publication, congress, weekday) dates the briefing."""
    values, prov, _ = metadata.detect(text)
    assert values.get("held") == held, prov
    assert str(values["date_source"]).startswith("text: ")
    assert rule in str(values["date_source"])


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        # a month-day, no year anywhere
        ("12月26日，全国工业和信息化工作会议在北京召开。", "no year"),
        # the publication date says 2024, the H1 period says a January briefing is in 2023: clues disagree
        ("2024-01-20 08:00\n1月19日，国新办举行新闻发布会，介绍2023年上半年工业和信息化发展情况。", "disagree"),
        # a weekday that does not fall on that date in the year the period gives
        ("1月19日（星期一），国务院新闻办公室举行新闻发布会，介绍2033年工业和信息化发展情况。", "weekday"),
        # a review/plan meeting in June: neither the turn of the year, so no year
        ("6月5日，全国工业和信息化工作会议在京召开。会议总结2034年工作，部署2035年重点任务。", "no year"),
        # 近日 for a press conference: its day is not given, and the publication date is not it
        ("2031-01-22 08:00\n近日，国务院新闻办公室举行新闻发布会，介绍2030年工业和信息化发展情况。", "recently"),
        # 近日 without a publication date
        ("近日，工业和信息化部印发《方案》。", "no publication date"),
    ],
)
def test_held_date_stays_unknown_and_names_the_missing_clue(text: str, missing: str) -> None:
    """When a clue is missing or clues disagree, no date is given and the warning says which clue."""
    values, _, warnings = metadata.detect(text)
    assert values.get("held") is None
    assert "date_source" not in values
    assert any(w.startswith("date held unknown") and missing in w for w in warnings), warnings


@pytest.mark.parametrize(
    ("text", "held", "rule"),
    [
        # the year reviewed (总结了2030年重点工作) is not the year planned; the plan gives the turn of the year
        ("12月15日，全国工业和信息化工作会议在京召开。会上总结了2030年重点工作，部署2031年重点任务。", dt.date(2030, 12, 15), "year-end meeting"),
        # a December work conference estimating the whole year it reviews (预计全年) is held in that year
        ("北京12月22日讯 12月21日至22日，全国工业和信息化工作会议召开。会议指出，2023年，工业经济稳中有进。预计全年，工业增加值增长4%。", dt.date(2023, 12, 21), "year estimated"),
        # a full-year report in December gives preliminary figures: held in the year it reports on
        ("12月20日，全国工业和信息化工作会议召开，介绍了2032年工业和信息化发展情况，并部署2033年重点任务。", dt.date(2032, 12, 20), "period"),
        # a day in a press-conference phrase after a comma, month and year from the publication line
        ("2022-07-21 09:00\n19日，在国新办就2022年上半年工业和信息化发展情况举行的新闻发布会上，工信部负责人作了介绍。", dt.date(2022, 7, 19), "day held + publication date"),
        # a meeting in December planning the first year of a five-year plan (开局之年)
        ("12月3日，工业和信息化部召开务虚会，研究谋划“十四五”及开局之年工作思路。", dt.date(2020, 12, 3), "first year of a plan"),
        # spaces inside the written date (typeset text)
        ("2021 年 9 月 2 日，工业和信息化部召开座谈会。", dt.date(2021, 9, 2), "month-day held"),
        # a full-year report in January that also says 2023年以来: the since-clue is ambiguous then and does not object
        ("中新网1月16日电 国务院新闻办公室16日举行新闻发布会，介绍2033年工业和信息化发展情况。2033年以来，工业经济回升向好。", dt.date(2034, 1, 16), ""),
        # the NPC sessions plan the year: a 部长通道 in March saying 2022年将… is in 2022
        ("3月7日，全国两会第二场“部长通道”开启，部长表示，2022年将推动工业经济平稳增长。", dt.date(2022, 3, 7), "year planned"),
    ],
)
def test_held_date_from_year_clues_of_meetings_and_reports(text: str, held: dt.date, rule: str) -> None:
    """Review-and-plan meetings, year-end estimates, five-year plans, the NPC sessions and day-only phrases give the year."""
    values, prov, warnings = metadata.detect(text)
    assert values.get("held") == held, (prov, warnings)
    assert rule in str(values["date_source"])


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        # 近日 with an interview: the interview's day is not the article's (or its repost's) publication date
        ("发布时间：2026-1-13\n\n近日，围绕推动高质量发展，工业和信息化部部长接受新华社专访。", "interview"),
        ("2025-03-21 05:30\n据新华社消息，工业和信息化部部长日前接受新华社专访，谈到稳增长。", "interview"),
        # an article relaying another outlet's report of an interview does not date the interview
        ("2026-01-12 （本社台北12日电）新华社今天报道，中国工信部长在专访中说，将推进新型工业化。", "relays"),
        # a target year (到2027年将…) is not the year planned: no year for the March date
        ("3月7日，全国两会“部长通道”开启，部长表示，到2027年将建成一批智能工厂。", "no year"),
        # two years planned that point to different years: the clues disagree
        ("3月7日，全国两会“部长通道”开启，部长表示，2022年将推动工业增长，2023年将加快转型。", "disagree"),
    ],
)
def test_held_date_stays_unknown_for_interviews_relays_and_targets(text: str, missing: str) -> None:
    """Recent or relayed interviews and target years give no date; the warning says which clue is missing."""
    values, _, warnings = metadata.detect(text)
    assert values.get("held") is None, values
    assert any(w.startswith("date held unknown") and missing in w for w in warnings), warnings


def test_period_word_with_a_publication_date_names_the_period_of_an_undated_conference() -> None:
    """一季度 in a press-conference report published in May, without the day, gives period Q1 of that year (for linking)."""
    values, prov, _ = metadata.detect("时间:2023-05-06 07:30\n一季度，工业增加值增长3%。在国务院新闻办公室近日举行的新闻发布会上，发言人说……")
    assert values.get("held") is None
    assert values["period"] == "2023Q1"
    assert "publication date" in prov["period"]


@pytest.mark.parametrize(
    "line",
    ["发表时间：2024年5月6日 10:00", "發佈日期：2024/05/06", "更新时间：2024-05-06 10:00", "2024.05.06 10:00", "发布日期: 2024年05月06日"],
)
def test_store_and_publication_date_lines_date_a_recent_release(line: str) -> None:
    """发表时间/發佈日期/更新时间 lines (any separator, Traditional too) give the publication date that dates a 近日 release."""
    values, _, _ = metadata.detect(line + "\n近日，工業和信息化部印發《方案》。")
    assert values["published"] == dt.date(2024, 5, 6)
    assert values["held"] == dt.date(2024, 5, 6) and values["date_source"] == "text: recently + publication date"


def test_a_day_without_month_or_publication_date_is_named_in_the_warning() -> None:
    """在28日召开的…会议 with no publication date stays undated, and the warning says the day was read but the month is missing."""
    values, _, warnings = metadata.detect("部长在28日召开的2031年全国工业和信息化工作会议上说，2031年将着力稳定产业链。")  # 2031: not in the event calendar
    assert values.get("held") is None
    assert any("gives the day but no month" in w for w in warnings), warnings


def test_document_head_folded_once_for_loading_and_batch_dating(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading a document and dating its batch read one folded head: the character layer runs once per document (issue 15)."""
    from policy_tracker.extraction import characters
    from policy_tracker.sources import batch, metadata
    from policy_tracker.sources.load import make_document

    calls: list[str] = []
    real = characters.fold_chars_detect
    monkeypatch.setattr(characters, "fold_chars_detect", lambda text, **kw: (calls.append(text), real(text, **kw))[1])
    metadata._fold_head.cache_clear()
    text = "工信部：2023年10月20日國新辦舉行新聞發佈會\n下一步，我們將加快推進工業互聯網建設。"
    doc = make_document("once", text, None, {})
    assert batch._head(doc) == metadata._fold(text)[0]
    assert calls.count(text[: metadata.HEAD_CHARS * 2]) == 1  # (other layers fold other strings)
    assert metadata._fold(text) == metadata._fold_head.__wrapped__(text[: metadata.HEAD_CHARS * 2], "")
