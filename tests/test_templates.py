"""Tests for policy_tracker.matching.templates: a frame filled by several recurring subjects is a slot, read off the ledger."""

from __future__ import annotations

import datetime as dt
import itertools

import attrs
import pytest

from policy_tracker.matching.cluster import cluster
from policy_tracker.matching.config import MatchConfig
from policy_tracker.matching.keys import key_of_text
from policy_tracker.matching.score import pair_score, score_pairs
from policy_tracker.matching.templates import differing_blocks, template_slots
from policy_tracker.models import Mention

# two templates, each filled with nothing, 基础软件 and 北斗: the two subjects recur from one template to the other
TEMPLATED = [
    "开展智能网联汽车示范区创建",
    "开展基础软件智能网联汽车示范区创建",
    "开展北斗智能网联汽车示范区创建",
    "培育超高清视频特色产业集群",
    "培育基础软件超高清视频特色产业集群",
    "培育北斗超高清视频特色产业集群",
]


def _all_pairs(n: int) -> list[tuple[int, int]]:
    return list(itertools.combinations(range(n), 2))


@pytest.mark.parametrize(
    ("x", "y", "blocks"),
    [
        ("abcdef", "abcdef", []),
        ("abXYef", "abZWef", [(2, 4, 2, 4)]),
        ("abcdef", "QQabcdef", [(0, 0, 0, 2)]),
        ("abXcYdef", "abZcWdef", [(2, 5, 2, 5)]),  # one agreeing character does not split a block
    ],
)
def test_differing_blocks(x: str, y: str, blocks: list[tuple[int, int, int, int]]) -> None:
    """differing_blocks: the aligned differences of two strings, a lone agreeing character inside one."""
    assert list(differing_blocks(x, y)) == blocks


def test_recurring_subjects_make_a_slot() -> None:
    """A frame filled by two subjects that also fill another frame is a slot; keys filling it differently conflict."""
    keys = [key_of_text(t) for t in TEMPLATED]
    slots = template_slots(keys, _all_pairs(len(keys)), fillers=2, width=6)
    assert slots.conflict(keys[0], keys[1]) and slots.conflict(keys[1], keys[2])  # none vs a subject; two subjects
    assert slots.conflict(keys[3], keys[5])
    assert not slots.conflict(keys[1], keys[1])


def test_fillers_seen_once_are_no_slot() -> None:
    """Words inserted by restatements (会同财政部, 第) fill one frame only: no evidence of a template."""
    texts = ["中小企业数字化转型城市试点", "会同财政部中小企业数字化转型城市试点", "扩围中小企业数字化转型城市试点"]
    keys = [key_of_text(t) for t in texts]
    slots = template_slots(keys, _all_pairs(len(keys)), fillers=2, width=6)
    assert not slots
    assert not any(slots.conflict(keys[i], keys[j]) for i, j in _all_pairs(len(keys)))


def test_no_evidence_when_turned_off_or_at_the_tail() -> None:
    """template_fillers 0 turns the evidence off; a block at the very end of the keys is a renamed tail, never a slot."""
    keys = [key_of_text(t) for t in TEMPLATED]
    assert not template_slots(keys, _all_pairs(len(keys)), fillers=0, width=6)
    tails = [key_of_text(t) for t in ("公共领域车辆电动化试点", "公共领域车辆电动化城市试点", "公共领域车辆电动化先行区试点")]
    slots = template_slots(tails, _all_pairs(3), fillers=1, width=6)
    assert not slots.conflict(tails[0], tails[2])  # 先行区 is wording (a programme noun): nothing named


def test_slots_lower_the_rule_score() -> None:
    """A pair filling a slot differently loses template_penalty; without slots the score is the rules' alone."""
    keys = [key_of_text(t) for t in TEMPLATED]
    config = MatchConfig()
    slots = template_slots(keys, _all_pairs(len(keys)), fillers=2, width=6)
    plain, penalised = pair_score(keys[0], keys[2], config), pair_score(keys[0], keys[2], config, slots=slots)
    assert plain >= config.join
    assert penalised == pytest.approx(plain - config.template_penalty)


def _mentions(texts: list[str]) -> list[Mention]:
    out = []
    for n, text in enumerate(texts):
        out.append(
            Mention(
                source=f"doc{n}",
                start=0,
                end=len(text),
                quote=text,
                text=text,
                date=dt.date(2023, 1, 1) + dt.timedelta(days=30 * n),
                briefing=f"b{n}",
            )
        )
    return out


def test_templated_insertions_stay_apart_only_with_evidence() -> None:
    """Clustering: the ledger's own evidence keeps X and 北斗X apart; with template_fillers 0 they merge."""
    mentions = _mentions(TEMPLATED)
    keys = [key_of_text(t) for t in TEMPLATED]
    config = MatchConfig()
    assert score_pairs(keys, config).slots  # the pairs that join show the slots
    apart = cluster(mentions, config=config)
    assert len(apart) == len(TEMPLATED)
    merged = cluster(mentions, config=attrs.evolve(config, template_fillers=0))
    assert len(merged) < len(TEMPLATED)


def test_a_short_generic_key_is_no_template() -> None:
    """A slot needs template_context agreeing characters around it: 中小企业 restated as 为中小企业减负纾困 is no templated pair."""
    from policy_tracker.matching.templates import TemplateSlots

    a, b = key_of_text("中小企业"), key_of_text("专精特新中小企业")
    assert a.core == "中小企业" and b.core.endswith("中小企业")
    assert not TemplateSlots(frozenset({("^", "中小企业")}), width=6).conflict(a, b)
    assert TemplateSlots(frozenset({("^", "中小企业")}), width=4).conflict(a, b)
