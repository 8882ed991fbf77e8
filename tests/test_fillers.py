"""Tests for policy_tracker.matching.fillers: terms a batch shows traded for one another in several places are slot fillers."""

from __future__ import annotations

import itertools

import attrs
import pytest

from policy_tracker.matching.config import MatchConfig
from policy_tracker.matching.fillers import FilledSlots, named_runs, slot_fillers
from policy_tracker.matching.keys import key_of_text
from policy_tracker.matching.score import pair_score, score_pairs

# three subjects (钢铁, 首版次, 稀土) traded for one another in front of two templates: each in several places
TEMPLATED = ["推进钢铁特种合金融合", "推进首版次特种合金融合", "推进稀土特种合金融合", "推进钢铁新材料融合", "推进首版次新材料融合", "推进稀土新材料融合"]


def _all_pairs(n: int) -> list[tuple[int, int]]:
    return list(itertools.combinations(range(n), 2))


@pytest.mark.parametrize(
    ("x", "y", "start", "end", "runs"),
    [
        ("推进钢铁特种合金融合", "推进特种合金融合", 0, 2, ["钢铁"]),
        ("综合整治光伏行业内卷式竞争", "整治光伏行业内卷式竞争", 0, 2, ["综合"]),
        ("综合整治光伏行业内卷式竞争", "整治光伏行业内卷式竞争", 0, 4, ["综合"]),  # 整治 is wording (a verb)
        ("推进铜特种合金融合", "推进特种合金融合", 0, 1, []),  # one character names nothing on its own
        ("推进钢铁特种合金融合", "推进铁特种合金融合", 0, 2, []),  # the other key holds 铁: not a run of its own
    ],
)
def test_named_runs(x: str, y: str, start: int, end: int, runs: list[str]) -> None:
    """named_runs: the characters of a block that are not wording and that the other key lacks, in runs of two or more."""
    a, b = key_of_text(x), key_of_text(y)
    assert list(named_runs(a, start, end, b)) == runs


def test_traded_terms_in_several_places_are_fillers() -> None:
    """Subjects traded for one another in front of two templates are slot fillers; a term traded in one place only is not."""
    keys = [key_of_text(t) for t in TEMPLATED]
    fillers = slot_fillers(keys, _all_pairs(len(keys)), places=2, rare=16)
    assert {"钢铁", "首版次", "稀土"} <= fillers.fillers
    one_place = [key_of_text(t) for t in ("推进钢铁特种合金融合", "推进稀土特种合金融合")]
    assert not slot_fillers(one_place, [(0, 1)], places=2, rare=16).fillers
    assert not {"钢铁", "首版次", "稀土"} & slot_fillers(keys, _all_pairs(len(keys)), places=3, rare=16).fillers  # two places each
    assert not slot_fillers(keys, _all_pairs(len(keys)), places=0, rare=16)  # 0 turns the evidence off


def test_inserted_words_are_no_fillers() -> None:
    """Words a restatement inserts (会同财政部, 基本) are never traded for another subject: no evidence of a slot."""
    texts = ["中小企业数字化转型城市试点", "会同财政部中小企业数字化转型城市试点", "实现新型工业化", "基本实现新型工业化", "会同财政部实现新型工业化"]
    keys = [key_of_text(t) for t in texts]
    restatements = [(0, 1), (2, 3), (2, 4), (3, 4)]  # the pairs that would join
    assert not slot_fillers(keys, restatements, places=2, rare=16).fillers


def test_conflict_needs_a_filler_on_both_sides() -> None:
    """Two keys each holding a filler the other lacks conflict; a key holding one the other simply lacks (a list
    trimmed, a scope added) does not."""
    keys = [key_of_text(t) for t in TEMPLATED]
    fillers = slot_fillers(keys, _all_pairs(len(keys)), places=2, rare=2)  # every word of the batch is in 3 keys: none rare
    assert fillers.conflict(keys[0], keys[1])  # 钢铁 / 首版次
    assert fillers.conflict(key_of_text("推进钢铁特种合金融合"), key_of_text("推进特种合金首版次融合"))  # in two places
    assert not fillers.conflict(keys[0], key_of_text("推进特种合金融合"))  # only one side names a filler
    assert not fillers.conflict(keys[0], keys[0])


def test_a_subject_added_from_widely_traded_fillers() -> None:
    """A run made only of fillers traded in ``inserted_places`` or more places, on one side alone, is a subject added
    (another pledge); fillers seen in fewer places, or a run holding something else too, are left alone."""
    keys = [key_of_text(t) for t in TEMPLATED]  # 钢铁, 首版次, 稀土: each traded in two places
    pairs = _all_pairs(len(keys))
    single = key_of_text("推进特种合金融合")
    assert slot_fillers(keys, pairs, places=2, rare=2, inserted_places=2).conflict(keys[0], single)
    assert slot_fillers(keys, pairs, places=2, rare=2, inserted_places=2).conflict(key_of_text("推进钢铁、稀土特种合金融合"), single)
    assert not slot_fillers(keys, pairs, places=2, rare=2, inserted_places=2).conflict(key_of_text("推进钢铁管材特种合金融合"), single)
    assert not slot_fillers(keys, pairs, places=2, rare=2, inserted_places=3).conflict(keys[0], single)  # two places only
    assert not slot_fillers(keys, pairs, places=2, rare=2, inserted_places=0).conflict(keys[0], single)  # 0 turns it off


def test_a_rare_shared_stretch_outweighs_the_fillers() -> None:
    """Two keys that also share words few keys of the batch hold (内卷式竞争) are left alone: that is what the pledge says."""
    keys = [key_of_text(t) for t in TEMPLATED]
    pairs = _all_pairs(len(keys))
    a, b = key_of_text("推进钢铁内卷式竞争治理"), key_of_text("推进稀土内卷式竞争治理")
    assert slot_fillers(keys, pairs, places=2, rare=2).conflict(keys[0], keys[2])
    assert not slot_fillers([*keys, a, b], pairs, places=2, rare=16).conflict(a, b)
    assert slot_fillers([*keys, a, b], pairs, places=2, rare=0).conflict(a, b)  # nothing is rare: the fillers decide


def test_score_pairs_applies_the_fillers() -> None:
    """score_pairs learns the fillers from the pairs that would join, and the pair score then takes the template penalty."""
    keys = [key_of_text(t) for t in TEMPLATED]
    # without the subject rule, so that the substitutions of the batch reach join (only the fillers keep them apart)
    config = MatchConfig(filler_places=2, filler_rare=2, template_fillers=0, subject_penalty=0)
    pairs = score_pairs(keys, config)
    assert isinstance(pairs.slots, FilledSlots) and pairs.slots.fillers.conflict(keys[0], keys[1])
    plain = pair_score(keys[0], keys[1], config)
    assert pair_score(keys[0], keys[1], config, slots=pairs.slots) == pytest.approx(max(0.0, plain - config.template_penalty))
    assert pairs.get(0, 1) < config.join <= plain
    off = score_pairs(keys, attrs.evolve(config, filler_places=0))
    assert not off.slots and off.get(0, 1) == pytest.approx(plain)


def test_template_tails() -> None:
    """Tails traded for another after several heads are template tails: two keys differing only in them are two
    pledges; a tail seen after one head only, or a rename within one instrument family, is not."""
    texts = ["产业用纺织品揭榜攻关", "产业用纺织品应用活动", "稀土揭榜攻关", "稀土应用活动", "电信网络诈骗打击治理", "电信网络诈骗技术防范"]
    keys = [key_of_text(t) for t in texts]
    fillers = slot_fillers(keys, [(0, 1), (2, 3), (4, 5)], places=2, rare=0)
    assert fillers.tails == {"揭榜攻关", "应用活动"}
    assert fillers.conflict(keys[0], keys[1]) and fillers.conflict(key_of_text("5g揭榜攻关"), key_of_text("5g应用活动"))
    assert not fillers.conflict(keys[4], keys[5])  # one head only: a renamed tail
    documents = [key_of_text(t) for t in ("新型工业化指导意见", "新型工业化政策措施", "人工智能指导意见", "人工智能政策措施")]
    renamed = slot_fillers(documents, [(0, 1), (2, 3)], places=2, rare=0)
    assert renamed.tails == {"指导意见", "政策措施"} and not renamed.conflict(documents[0], documents[1])  # one family
