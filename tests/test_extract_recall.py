"""Extraction recall on real text nobody tuned on (issue 13, session 6): general causes of missed pledges, made-up sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from policy_tracker.extraction import facets
from policy_tracker.extraction.extract import extract_all
from policy_tracker.models import Document


def quotes(text: str, held: dt.date | None = dt.date(2024, 7, 19)) -> list[str]:
    doc = Document(id="t", text=text, held=held, kind="press_conference", briefing_id="b")
    return [m.text for m in extract_all(doc)[0]]


def test_continuation_adverb_ending_in_a_verb_is_a_verb() -> None:
    """进一步深化 is a verb (top rung), not an adverb: a clause whose only verb it is stays a pledge."""
    assert facets.has_action_verb("进一步深化区域合作机制")
    assert not facets.has_action_verb("规模持续")
    assert "进一步深化区域合作机制" in quotes("部长说，下一步将进一步深化区域合作机制；探索建设海外园区。")
    assert facets.detect_stage("进一步深化区域合作机制") == "深化"


@pytest.mark.parametrize(
    ("text", "pledge"),
    [
        ("下一步，要进一步调动各方力量，形成工作合力。", "进一步调动各方力量"),
        ("我们将密切关注企业生产运行情况。", "密切关注企业生产运行情况"),
        ("会议强调，要持续实施名单制度，动态调整名单企业范围。", "动态调整名单企业范围"),
        ("下一步，将积极应对外部风险挑战。", "积极应对外部风险挑战"),
        ("下一步，工信部将坚定不移地走融合发展道路。", "坚定不移地走融合发展道路"),
        ("下一步，要及时回应社会关切。", "及时回应社会关切"),
    ],
)
def test_clause_opening_with_a_manner_adverb_is_an_action(text: str, pledge: str) -> None:
    """A clause opening with a manner adverb (进一步, 密切, 动态, 积极 …) is a verb phrase: a pledge even when its verb is unknown."""
    assert any(q.startswith(pledge) for q in quotes(text))


@pytest.mark.parametrize(
    "text",
    [
        "下一步，将推动产业升级，持续向好。",  # progress, not an action
        "下一步，将推动产业升级，不断增长的需求。",
        "下一步，将推动产业升级，进一步是关键。",  # a copula describes
    ],
)
def test_adverb_before_progress_or_copula_is_not_an_action(text: str) -> None:
    """持续向好 / 不断增长 report progress and 进一步是… describes: an adverb opening them makes no pledge."""
    assert quotes(text) == ["推动产业升级"]


def test_list_intro_with_an_adverb_is_not_a_pledge() -> None:
    """"着力在以下五个方面持续发力" announces the list (an adverb before 发力 included): not a pledge itself."""
    got = quotes("下一步，工业和信息化部将着力在以下五个方面持续发力。一是加强核心技术攻关。")
    assert got == ["加强核心技术攻关"]


def test_according_to_the_deployment_is_not_an_action() -> None:
    """"工信部将按照党中央决策部署，深入把握…": what the action follows is no pledge of its own."""
    got = quotes("下一步，工业和信息化部将按照党中央、国务院决策部署，深入把握人工智能发展的特点。")
    assert got == ["深入把握人工智能发展的特点"]


@pytest.mark.parametrize(
    "text",
    [
        "下一步，工信部将突出抓好十个方面重点工作。",
        "下一步，我们将着力做好以下四个方面工作。",
        "下一步，民政部将着力健全以下几个体系。",
        "2025年将从六个方面推动工业和通信业发展。",
        "下一步，工信部将着重从五个方面来推进工作。",
    ],
)
def test_list_announcements_are_not_pledges(text: str) -> None:
    """A clause that only announces the list to come (N个方面重点工作, 以下几个体系, 从六个方面…) is not a pledge."""
    assert quotes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "工信部研判认为，今年新能源汽车产业将保持良好的发展态势，生产和销售将实现稳定增长。",
        "下一步，数字经济核心产业增加值预计达到2200亿元。",
        "今年，新能源汽车产销仍将保持较快增长态势。",
        "下一步，预计到今年底基站数将达到13万个。",
    ],
)
def test_forecasts_are_not_pledges(text: str) -> None:
    """What is expected of a market or a figure (预计达到, 将保持…态势, 将实现…增长) is a forecast, not a pledge."""
    assert quotes(text) == []


@pytest.mark.parametrize(
    ("text", "pledge"),
    [
        ("今年我国预计将在50个城市建设超过5万个基站。", "预计将在50个城市建设超过5万个基站"),
        ("下一步，工信部将推动工业经济保持回升向好态势。", "推动工业经济保持回升向好态势"),
        ("下一步，力争全年工业增加值实现稳定增长。", "力争全年工业增加值实现稳定增长"),
    ],
)
def test_plans_that_look_like_forecasts_stay_pledges(text: str, pledge: str) -> None:
    """预计将 + an action, the ministry as subject, or a target word (力争) keep a pledge."""
    assert any(pledge in q for q in quotes(text))


def test_opening_quote_of_reported_speech_is_trimmed_with_the_subject() -> None:
    """"部长说：“我们将密切关注…”": the opening quote no longer hides 我们将 from trimming, so the adverb opens the clause."""
    got = quotes("部长说：“我们将密切关注中小企业生产运行情况，及时研究提出新措施。”")
    assert got[0] == "密切关注中小企业生产运行情况"
