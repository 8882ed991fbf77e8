"""Tests for policy_tracker.matching (candidates, score, cluster): restatements join, distinct pledges stay apart, order never matters."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_tracker.errors import DataError, LedgerError
from policy_tracker.matching.keys import key_of_text, load_vocabulary
from policy_tracker.matching.cluster import cluster
from policy_tracker.matching.config import MatchConfig
from policy_tracker.matching.score import pair_score
from policy_tracker.models import Mention

DAYS = ["2023-04-20", "2023-07-19", "2023-10-20", "2024-01-19"]


def m(text: str, day: int, source: str | None = None, start: int = 0) -> Mention:
    src = source or f"doc{day}"
    return Mention(
        source=src,
        start=start,
        end=start + len(text),
        quote=text,
        text=text,
        date=dt.date.fromisoformat(DAYS[day]),
        briefing=f"b{day}",
    )


def texts(clusters: list[list[Mention]]) -> list[list[str]]:
    return [[x.text for x in c] for c in clusters]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("启动公共领域车辆全面电动化城市试点", "开展好公共领域车辆全面电动化试点"),
        ("研究制定工业互联网高质量发展指导意见", "出台推动工业互联网高质量发展指导意见"),
        ("深入推进消费品、原材料“三品”行动", "持续开展工业行业“增品种、提品质、创品牌”行动"),
        ("推广“骚扰电话拒接”服务", "持续提升“来电免打扰”防骚扰服务能力"),
        ("加快5G、人工智能、生物制造、智能网联汽车等战略性新兴产业的创新发展", "聚焦5G、先进计算、智能网联汽车等领域"),
    ],
)
def test_restatements_join(a: str, b: str) -> None:
    """Reworded, advanced, aliased and renamed restatements in two briefings form one commitment."""
    assert len(cluster([m(a, 0), m(b, 1)])) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("研究制定工业互联网高质量发展指导意见", "实施新一轮工业互联网创新发展工程"),
        ("深入推进制造业数字化转型", "深入推进工业互联网创新发展"),
        ("完善“双积分”管理办法", "研究制定新能源汽车动力蓄电池回收利用管理办法"),
        ("夯实人工智能技术底座", "推进人工智能试点示范"),
    ],
)
def test_distinct_pledges_stay_apart(a: str, b: str) -> None:
    """Pledges that only share vocabulary or a frame are different commitments."""
    assert len(cluster([m(a, 0), m(b, 1)])) == 2


def test_one_pledge_per_document_except_repeats() -> None:
    """In one article, two pledges sharing words stay apart while a lede/body repeat joins."""
    doc = [
        m("研究制定工业互联网高质量发展指导意见", 0, "d", 0),
        m("实施新一轮工业互联网创新发展工程", 0, "d", 50),
        m("研究制定工业互联网高质量发展指导意见", 0, "d", 400),
    ]
    later = [m("出台推动工业互联网高质量发展指导意见", 1, "e", 10), m("深入实施工业互联网创新发展工程", 1, "e", 90)]
    got = texts(cluster(doc + later))
    assert sorted(map(len, got)) == [2, 3]
    assert all(len({key_of_text(t).core for t in c}) <= 2 for c in got)


@pytest.mark.parametrize(
    ("headline", "body", "joined"),
    [
        ("加快6G研发", "加快6G技术研发", True),
        ("发布实施轻工业稳增长工作方案", "近期将发布实施轻工业稳增长工作方案", True),
        ("研究制定工业互联网高质量发展指导意见", "实施新一轮工业互联网创新发展工程", False),
    ],
)
def test_headline_repeats_its_body(headline: str, body: str, joined: bool) -> None:
    """A headline abbreviating its body is a repeat (one commitment); a different pledge is not."""
    got = cluster([m(headline, 0, "d", 0), m(body, 0, "d", 300)])
    assert (len(got) == 1) is joined


def test_best_restatement_in_a_document_wins() -> None:
    """Within one document the closest restatement gets the commitment, not the first in the text."""
    old = m("拓展5G应用规模", 0)
    weaker = m("研究出台5G应用发展接续政策", 1, "d", 0)
    closer = m("促进5G应用规模化发展", 1, "d", 80)
    got = cluster([old, weaker, closer])
    joined = next(c for c in got if old in c)
    assert closer in joined and weaker not in joined


def test_outlets_of_one_briefing_join() -> None:
    """Two outlets reporting the same press conference give one commitment."""
    a = m("开展先进制造业集群发展专项行动", 1, "outlet-a", 5)
    b = m("开展先进制造业集群发展专项行动。", 1, "outlet-b", 700)
    assert len(cluster([a, b])) == 1


def test_no_chaining_through_a_middle_mention() -> None:
    """A mention close to a commitment's latest member but not to the commitment as a whole starts anew."""
    chain = [
        m("实施制造业数字化转型行动", 0),
        m("实施制造业数字化转型行动，打造一批标杆", 1),
        m("打造一批标杆工厂和示范园区", 2),
    ]
    got = cluster(chain)
    assert chain[0] not in next(c for c in got if chain[2] in c)


def test_analyst_decisions_win() -> None:
    """must_link joins what scores keep apart; cannot_link splits what scores would join."""
    a, b = m("夯实人工智能技术底座", 0), m("推进人工智能试点示范", 1)
    assert len(cluster([a, b], must_link=[(a.id, b.id)])) == 1
    c, d = m("积极推进5G网络建设", 0), m("加快5G网络建设", 1)
    assert len(cluster([c, d], cannot_link=[(d.id, c.id)])) == 2


def test_contradictory_decisions_raise() -> None:
    """A must-link chain across a cannot-link pair is reported, naming the mentions."""
    a, b, c = m("积极推进5G网络建设", 0), m("加快5G网络建设", 1), m("推进5G网络建设", 2)
    with pytest.raises(LedgerError, match="cannot-linked"):
        cluster([a, b, c], must_link=[(a.id, b.id), (b.id, c.id)], cannot_link=[(a.id, c.id)])


def test_unknown_threshold_name_is_reported() -> None:
    """A misspelt threshold in matching.yaml is an error naming the known names."""
    vocab = load_vocabulary()
    with pytest.raises(DataError, match="joinn"):
        MatchConfig.from_vocabulary(vocab, joinn=3)


def test_pair_score_is_symmetric() -> None:
    """Scoring does not depend on which mention comes first."""
    a, b = key_of_text("加快6G技术研究，开展技术试验"), key_of_text("大力推动6G技术研究")
    assert pair_score(a, b) == pair_score(b, a)


CORPUS = [
    ("开展新能源汽车、智能家电、绿色建材下乡等活动", 0),
    ("研究制定工业互联网高质量发展指导意见", 0),
    ("实施新一轮工业互联网创新发展工程", 0),
    ("组织新能源汽车、智能家电、绿色建材下乡", 1),
    ("积极推进5G网络建设", 1),
    ("拓展5G应用规模", 1),
    ("深入开展新能源汽车下乡活动", 2),
    ("出台推动工业互联网高质量发展指导意见", 3),
    ("深入实施工业互联网创新发展工程", 3),
    ("加快5G网络建设", 3),
    ("促进5G应用规模化发展", 3),
]


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_result_independent_of_input_order(rnd: random.Random) -> None:
    """Shuffling the input never changes the clusters."""
    ms = [m(t, d, f"doc{d}", 100 * i) for i, (t, d) in enumerate(CORPUS)]
    expected = cluster(ms)
    shuffled = list(ms)
    rnd.shuffle(shuffled)
    assert cluster(shuffled) == expected
    assert len(expected) == 5


@pytest.mark.parametrize(
    ("a", "b", "penalised"),
    [
        ((("家", 10000.0),), (("家", 3000.0),), True),
        ((("家", 3000.0),), (("家", 5000.0),), False),
        ((("家", 3000.0),), (("个", 50.0),), True),  # counts of different things
        ((("万家", 1.0),), (("家", 8000.0),), False),  # one measure, two scales
        ((("亿元", 500.0),), (("万亿元", 1.0),), False),
        ((), (("家", 3000.0),), False),
    ],
)
def test_far_apart_targets_lower_the_score(a: tuple, b: tuple, penalised: bool) -> None:
    """Targets of one unit several times apart, or in different measures, mean another pledge; a moderate change does not."""
    base = pair_score(key_of_text("培育专精特新中小企业"), key_of_text("培育专精特新中小企业"))
    got = pair_score(key_of_text("培育专精特新中小企业", targets=a), key_of_text("培育专精特新中小企业", targets=b))
    assert (got < base) is penalised


@pytest.mark.parametrize(
    ("a", "b", "joined"),
    [
        ("积极扩大有效投资", "努力扩大有效需求", False),  # investment is not demand
        ("加强数据安全保障", "加强数据安全监管", False),  # another head noun
        ("持续加强政策供给", "加强政策引导", False),  # only the generic 政策 left on one side
        ("大力推动5G轻量化技术研发", "强化“根”技术研发", False),  # shared only 技术研发
        ("促进数字经济做强做优做大", "推动数字经济合作", False),
        ("推动算力基础设施建设", "推动算力合作", False),
        ("拓展特色应用场景", "加快应用拓展", False),
        ("积极扩大有效投资", "持续扩大有效投资", True),
        ("稳步扩大制造业有效投资", "积极扩大工业有效投资", True),
        ("支持工业大省当好顶梁柱", "积极支持工业大省挑大梁", True),
        ("持续拓展5G网络覆盖广度深度", "深化网络覆盖", True),
        ("不断完善回收利用体系", "健全动力电池回收利用体系", True),
        ("积极培育行业新的增长点", "积极培育产业新兴增长点", True),
    ],
)
def test_short_keys_need_head_and_substance(a: str, b: str, joined: bool) -> None:
    """Short pledges join only when they end on the same head noun and share substance beyond generic terms."""
    assert (len(cluster([m(a, 0), m(b, 1)])) == 1) is joined


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        ("扩大有效投资", "扩大有效需求", True),
        ("政策", "政策供给", True),
        ("数据安全保障", "数据安全监管", True),
        ("政策", "政策", False),
        ("网络覆盖", "5g网络覆盖广度深度", False),
        ("工业大省当好顶梁柱", "工业大省挑大梁", False),
    ],
)
def test_short_keys_agree(a: str, b: str, apart: bool) -> None:
    """The short-key test itself: head noun (last characters) and substance bigrams."""
    from policy_tracker.matching.score import short_keys_agree

    assert short_keys_agree(key_of_text(a), key_of_text(b), 0.5) is not apart


@pytest.mark.parametrize(
    ("a", "b", "penalised"),
    [
        ("出台制造业重点产业链行动方案", "编制制造业重点产业链图谱", True),
        ("开展工业互联网平台试点", "制定工业互联网平台标准", True),
        ("研究制定工业互联网高质量发展指导意见", "出台工业互联网高质量发展政策措施", False),
        ("启动公共领域车辆全面电动化城市试点", "开展公共领域车辆全面电动化先行区试点", False),
        ("编制制造业重点产业链图谱", "推进制造业重点产业链发展", False),
    ],
)
def test_instrument_kinds_must_agree(a: str, b: str, penalised: bool) -> None:
    """Keys ending on instrument nouns of disjoint families (a plan vs a map) lose kind_penalty; renames within a family do not."""
    vocab = load_vocabulary()
    with_rule = MatchConfig.from_vocabulary(vocab)
    without = MatchConfig.from_vocabulary(vocab, kind_penalty=0)
    ka, kb = key_of_text(a), key_of_text(b)
    assert (pair_score(ka, kb, with_rule) < pair_score(ka, kb, without)) is penalised


@pytest.mark.parametrize(
    ("a", "b", "changed"),
    [
        # one template, different subjects, wherever the subject stands
        ("推进铜产业链供应链韧性", "推进轻工产业链供应链韧性", True),
        ("开展绿色建材赋能铜专项行动", "开展绿色建材赋能6G专项行动", True),
        ("打造100个6G产业集群", "打造500个5G产业集群", True),
        ("培育物联网领军企业", "培育工业互联网领军企业", True),
        ("遴选锂电池典型应用场景", "遴选炼化典型应用场景", True),
        ("推进制造业数字化转型", "推进中小企业数字化转型", True),
        ("“十四五”期间推广200家电子信息制造业优秀解决方案", "年底前推广10家智能家电优秀解决方案", True),
        ("一体化推进新型基础设施建设", "优化升级新型基础设施", True),  # a subject traded for verbs
        # restatements: tail renamed, verb, generic word or modifier changed, words inserted, list reordered
        ("启动公共领域车辆全面电动化城市试点", "开展公共领域车辆全面电动化先行区试点", False),
        ("研究制定工业互联网高质量发展指导意见", "出台工业互联网高质量发展政策措施", False),
        ("修订光伏制造行业规范条件", "严格落实光伏制造行业规范条件", False),
        ("推进5G-A商用部署", "推进5G-A规模化部署", False),
        ("推进新一轮十大重点行业稳增长方案", "落实好十大重点行业稳增长方案", False),
        ("深入实施智能网联汽车准入和上路通行试点", "开展智能网联汽车准入和车路云一体化应用试点", False),
        ("开展消费电子、开源生态、北斗标杆示范", "开展北斗、开源生态、消费电子标杆示范", False),
        ("培育专精特新中小企业", "培育专精特新中小企业梯度培育体系", False),
        ("前瞻布局和培育针对6G的应用产业生态", "前瞻布局和培育面向6G的应用产业生态", False),  # a preposition traded
    ],
)
def test_subject_substitution_is_another_pledge(a: str, b: str, changed: bool) -> None:
    """subject_changed: a substantive subject substituted in a shared template, not a verb, modifier, tail or order change."""
    from policy_tracker.matching.score import subject_changed

    assert subject_changed(key_of_text(a), key_of_text(b)) is changed
    assert subject_changed(key_of_text(b), key_of_text(a)) is changed


def test_templated_pledges_with_different_subjects_stay_apart() -> None:
    """Pledges of one template and different sectors (推广N个X优秀解决方案) are separate commitments; a restatement of one joins it."""
    got = cluster(
        [
            m("“十四五”期间推广300家数据中心优秀解决方案", 0),
            m("力争今年内推广50家稀土优秀解决方案", 1),
            m("“十四五”期间推广1000家6G优秀解决方案", 2),
            m("到2025年推广500家数据中心优秀解决方案", 3),
        ]
    )
    assert sorted(len(c) for c in got) == [1, 1, 2]


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("在长三角地区组织开展区块链产业集群培育", ("在长三角地区",)),
        ("在县域扎实开展先进制造业集群培育", ("在县域",)),
        ("在粤港澳大湾区开展新能源汽车试点示范", ("在粤港澳大湾区",)),
        ("在中西部地区研究出台高技术船舶产业政策", ("在中西部地区",)),
        ("在新能源汽车领域，工信部将会同有关部门开展新能源汽车下乡活动", ()),  # a field, not a place
        ("会同财政部开展中小企业数字化转型城市试点", ()),  # a partner, not a place
        ("推进重点边疆偏远地区网络深度覆盖", ()),  # the object of the pledge, not where it applies
    ],
)
def test_scope_names_the_place_a_pledge_is_confined_to(text: str, scope: tuple[str, ...]) -> None:
    """MatchKey.scope: the places of data/matching.yaml's scope_patterns (在X地区, 在县域), not fields or partners."""
    assert key_of_text(text).scope == scope


@pytest.mark.parametrize(
    ("a", "b", "joined"),
    [
        ("在长三角地区组织开展区块链产业集群培育", "开展区块链产业集群培育", False),  # regional vs nationwide
        ("在长三角地区开展区块链产业集群培育", "在成渝地区开展区块链产业集群培育", False),  # two regions
        ("在长三角地区组织开展区块链产业集群培育", "在长三角地区扎实开展区块链产业集群培育", True),  # one region restated
    ],
)
def test_pledges_confined_to_different_places_stay_apart(a: str, b: str, joined: bool) -> None:
    """A pledge confined to a region is another commitment than the nationwide one or another region's (scope_penalty)."""
    assert (len(cluster([m(a, 0), m(b, 1)])) == 1) is joined


@pytest.mark.parametrize(
    "texts_",
    [
        ("到2025年打造300家区块链产业集群", "开展区块链产业集群培育", "到2027年打造50个区块链产业集群"),
        ("推广100个数据中心优秀解决方案", "推广数据中心优秀解决方案", "推广30家数据中心优秀解决方案"),
    ],
)
def test_no_bridge_between_targets_of_different_measures(texts_: tuple[str, str, str]) -> None:
    """A commitment refuses a mention whose targets are counted in another measure than a member's, even when a neutral member bridges them."""
    import re

    import attrs

    from policy_tracker.models import Target

    def stated(t: str, day: int) -> Mention:
        found = re.search(r"(\d+)([家个])", t)
        targets = (Target(float(found.group(1)), found.group(2), found.group(0)),) if found else ()
        return attrs.evolve(m(t, day), targets=targets)

    got = cluster([stated(t, day) for day, t in enumerate(texts_)])
    assert texts(got) == [[texts_[0], texts_[1]], [texts_[2]]]


def test_time_frame_in_quotes_is_no_name() -> None:
    """“十四五”期间 is a deadline: dropped from the key and not a shared name that would cancel the subject test."""
    k = key_of_text("“十四五”期间推广200家电子信息制造业优秀解决方案")
    assert "十四五" not in k.core and k.weak == () and k.strong == ()
    assert key_of_text("编制“十四五”规划").weak == ("十四五",)


def test_parallel_scoring_gives_the_same_clusters() -> None:
    """Pair scoring shared out between forked processes yields exactly the serial clustering."""
    import warnings

    from policy_tracker.sources.load import make_document
    from tests.benchmarks.generate import generate

    corpus = generate(600, seed=3)
    docs = [
        make_document(d.id, d.text, None, {"held": d.held, "kind": "press_conference", "briefing": d.briefing})
        for d in corpus.documents
    ]
    from policy_tracker.extraction.extract import extract

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mentions = [m for d in docs for m in extract(d)]
    vocab = load_vocabulary()
    serial = cluster(mentions, config=MatchConfig.from_vocabulary(vocab, parallel_min=0))
    forked = cluster(mentions, config=MatchConfig.from_vocabulary(vocab, parallel_min=100, max_workers=2))
    assert [[m.id for m in c] for c in forked] == [[m.id for m in c] for c in serial]
    assert any(len(c) > 1 for c in serial)


def test_verbatim_repeats_share_one_key_and_cluster_as_before() -> None:
    """mention_keys computes a repeated pledge's key once (one shared object); clustering is unchanged by the sharing."""
    from policy_tracker.matching.keys import mention_key, mention_keys

    texts = ["加快推进工业互联网创新发展", "启动公共领域车辆全面电动化城市试点", "加快推进工业互联网创新发展"]
    mentions = [Mention(source=f"d{n}.txt", start=0, end=len(t), quote=t, text=t, date=dt.date(2023, n + 1, 1)) for n, t in enumerate(texts)]
    keys = mention_keys(mentions)
    assert keys[0] is keys[2] and keys[0] is not keys[1]
    assert keys == [mention_key(m) for m in mentions]
    groups = cluster(mentions)
    assert sorted(len(g) for g in groups) == [1, 2]


@pytest.mark.parametrize("workers", [1, 2])
def test_candidates_are_the_same_with_and_without_numpy(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """Pair scoring proposes the same pairs with the same ratios by posting-list blocks (numpy) and key by key (rapidfuzz only).

    Small posting caps make the min_shared, rare-bigram and top_k rules all bite.
    """
    pytest.importorskip("numpy")
    import warnings

    from policy_tracker.matching import candidates_numpy as blocks
    from policy_tracker.extraction.extract import extract
    from policy_tracker.matching import candidates
    from policy_tracker.matching.keys import mention_keys
    from policy_tracker.sources.load import make_document
    from policy_tracker.matching.cluster import order_mentions
    from policy_tracker.matching.score import score_pairs
    from tests.benchmarks.generate import generate

    corpus = generate(1500, seed=5)
    docs = [make_document(d.id, d.text, None, {"held": d.held, "kind": "press_conference"}) for d in corpus.documents]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mentions = order_mentions(m for d in docs for m in extract(d))
    vocab = load_vocabulary()
    keys = mention_keys(mentions, vocab)
    config = MatchConfig.from_vocabulary(
        vocab, max_postings=80, rare_postings=20, min_shared=2, top_k=4, parallel_min=100 if workers > 1 else 0, max_workers=workers
    )
    monkeypatch.setattr(candidates, "ARRAY_MIN", 0)
    by_blocks = score_pairs(keys, config)
    monkeypatch.setattr(blocks, "has_numpy", lambda: False)
    one_by_one = score_pairs(keys, config)
    assert dict(by_blocks.scores) == dict(one_by_one.scores)
    assert by_blocks.repeats == one_by_one.repeats
    assert dict(by_blocks.neighbours) == dict(one_by_one.neighbours)
    assert len(by_blocks.scores) > 300


@pytest.mark.parametrize("copies", [3, 12])
def test_verbatim_copies_link_even_when_every_bigram_is_frequent(copies: int) -> None:
    """A quote repeated more often than max_postings (a document pasted many times) stays one commitment per pledge."""
    from policy_tracker.extraction.extract import extract
    from policy_tracker.sources.load import make_document

    head = "4月20日，国新办举行新闻发布会，介绍2023年一季度工业和信息化发展情况。\n"
    body = "下一步，工信部将加快推进5G网络建设，推动工业稳增长。\n下一步，将实施制造业数字化转型行动，培育专精特新企业。\n"
    mentions = extract(make_document("d", head + body * copies))
    config = MatchConfig.from_vocabulary(load_vocabulary(), max_postings=2, rare_postings=1)
    groups = cluster(mentions, config=config)
    assert len({m.quote for m in mentions}) == len(groups) < len(mentions)
    assert all(len({m.quote for m in g}) == 1 for g in groups)
