"""Tests for the pair features the scorers share (policy_tracker.matching.features): each names one trait of a pair."""

from __future__ import annotations

import attrs
import pytest

from policy_tracker.matching.config import MatchConfig
from policy_tracker.matching.features import FEATURE_NAMES, restated_as_programme, wording_difference
from policy_tracker.matching.keys import key_of_text, load_vocabulary
from policy_tracker.matching.score import features_of, pair_score


def _key(text: str):
    return key_of_text(text, vocab=load_vocabulary())


@pytest.mark.parametrize(
    ("a", "b", "restated"),
    [
        ("深入推进海洋装备焕新", "组织实施海洋装备焕新工程", True),  # a programme run under the goal's name
        ("计划新建算力枢纽节点", "新建算力枢纽节点", True),  # 计划 names the plan of the same build
        ("推动海洋装备数字化转型", "开展海洋装备数字化转型城市试点", False),  # a pilot about the goal
        ("推进海洋装备焕新", "出台海洋装备焕新指导意见", False),  # a document about the goal
        ("实施海洋装备焕新工程", "实施内河船舶焕新工程", False),  # another subject
    ],
)
def test_programme_under_the_goals_name_restates_the_goal(a: str, b: str, restated: bool) -> None:
    """X and X工程 (or 计划X) are one pledge; X and X指导意见 / X城市试点 stay two (goal_family in data/matching.yaml)."""
    ka, kb = _key(a), _key(b)
    config = MatchConfig()
    assert restated_as_programme(ka, kb, config.goal_nouns) is restated
    assert (pair_score(ka, kb, config) >= config.join) is restated


def test_goal_nouns_come_from_the_named_family() -> None:
    """goal_family names an instrument family; its nouns (工程 …) are the goal nouns, documents (指导意见) are not."""
    vocab = load_vocabulary()
    assert "工程" in vocab.goal_nouns and "指导意见" not in vocab.goal_nouns and "试点" not in vocab.goal_nouns


def test_wording_difference_separates_framing_from_substance() -> None:
    """Keys differing only by instrument nouns or modifiers score 1.0; by a sector, near 0."""
    same = wording_difference(_key("推进海洋装备焕新"), _key("推进海洋装备焕新工程"))
    other = wording_difference(_key("推进海洋装备焕新"), _key("推进内河船舶焕新"))
    assert same == 1.0
    assert other < 0.2
    assert wording_difference(_key("推进海洋装备焕新"), _key("推进海洋装备焕新")) == 1.0


def test_features_do_not_depend_on_the_learned_thresholds() -> None:
    """The rule score inside the features uses the rules' own join/agree, whatever thresholds the learned model brings."""
    ka, kb = _key("推动海洋装备数字化转型"), _key("加快海洋装备数字化转型行动")
    rules = MatchConfig()
    learned = attrs.evolve(rules, model=attrs.evolve(rules.model, scorer="learned"), join=20.0, agree=20.0)
    assert features_of(ka, kb, rules) == features_of(ka, kb, learned)
    named = dict(zip(FEATURE_NAMES, features_of(ka, kb, rules), strict=True))
    assert named["rules_join"] == float(named["rules"] * 100 >= rules.join)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("大陸工信部將深入實施「海洋裝備煥新」專案行動", "深入实施“海洋装备焕新”专项行动"),  # Taiwan outlet: 大陆 as speaker
        ("我国将精准实施海洋装备焕新工程", "实施海洋装备焕新工程"),  # 我国将 opens the clause, 精准 is an intensity adverb
        ("中国将加快海洋装备焕新", "加快海洋装备焕新"),
        ("加力推进海洋装备焕新", "推进海洋装备焕新"),  # 加力, 抓紧: intensity adverbs; 狠抓: a generic verb
        ("抓紧打造海洋装备焕新平台", "打造海洋装备焕新平台"),
        ("狠抓海洋装备焕新政策落地", "抓好海洋装备焕新政策落地"),
    ],
)
def test_mainland_speaker_and_intensity_words_leave_the_key(a: str, b: str) -> None:
    """Openings naming the mainland as speaker (大陆, 中国将, 我国将), 精准/加力/抓紧/狠抓, in Traditional text too, do not change the key."""
    assert _key(a).core == _key(b).core


@pytest.mark.parametrize(
    ("typed", "stage", "goal", "joined"),
    [
        ("抓好内河船舶焕新方案落地", "实施", "推进内河船舶焕新", True),  # the plan carried out is the goal restated
        ("深入落实内河船舶焕新实施方案", "深化", "推进内河船舶焕新", True),
        ("研究制定内河船舶焕新实施方案", "研究", "推进内河船舶焕新", False),  # a plan being drafted is a deliverable of its own
        ("出台内河船舶焕新指导意见", "出台", "推进内河船舶焕新", False),
        ("开展内河船舶焕新城市试点", "实施", "推进内河船舶焕新", False),  # a pilot is never the goal itself
        ("充分发挥内河船舶政策引导作用", "实施", "充分发挥内河船舶企业主体作用", False),  # 政策 not at the head: no document
    ],
)
def test_document_being_carried_out_restates_its_goal(typed: str, stage: str, goal: str, joined: bool) -> None:
    """落实X方案 / X方案落地 (stage 实施 or later, the key ending on a document noun) is X restated; drafting or a pilot is not."""
    config = MatchConfig()
    ka = key_of_text(typed, vocab=load_vocabulary(), stage=stage)
    kb = key_of_text(goal, vocab=load_vocabulary(), stage="实施")
    assert (pair_score(ka, kb, config) >= config.join) is joined



@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("改造升级产线", "优化产线", True),  # 改造/优化/升级 say how, not what
        ("改造产线", "优化产线", True),
        ("改造产线", "改造矿山", False),  # what is transformed differs
    ],
)
def test_transform_and_upgrade_verbs_are_generic_in_short_keys(a: str, b: str, agree: bool) -> None:
    """Short keys that differ by 改造/优化/升级 (generic_terms) agree on their substance; another object does not."""
    from policy_tracker.matching.features import short_keys_agree

    assert short_keys_agree(_key(a), _key(b), MatchConfig().short_substance) is agree


@pytest.mark.parametrize(
    ("a", "b", "joined"),
    [
        ("做好重大海工项目服务保障", "做好制造业重点海工项目服务保障", True),  # 重大 / 重点: both say "major", no subject
        ("做好重大海工项目服务保障", "做好重大矿山项目服务保障", False),  # the subject substituted
    ],
)
def test_major_is_wording_like_key(a: str, b: str, joined: bool) -> None:
    """重大 is a generic term like 重点/关键: trading it for 制造业重点 is no subject substitution."""
    config = MatchConfig()
    assert (pair_score(_key(a), _key(b), config) >= config.join) is joined
