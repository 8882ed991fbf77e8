"""Tests for policy_tracker.extraction.facets: stages, strength, targets, deadlines, instruments, topics."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_tracker.extraction.facets import (
    chinese_number,
    detect_stage,
    detect_strength,
    ladder,
    parse_deadlines,
    parse_instruments,
    parse_targets,
    stage_clause,
    stage_rank,
    topics,
    verb_chain,
)

REF = dt.date(2023, 7, 19)


def test_ladder_order() -> None:
    """The ladder runs 研究 → 制定 → 出台 → 启动 → 实施 → 深化, loaded from data/stages.yaml."""
    assert ladder().stages == ("研究", "制定", "出台", "启动", "实施", "深化")
    assert stage_rank("研究") == 0
    assert stage_rank("深化") == 5
    assert stage_rank(None) is None
    assert stage_rank("unknown") is None


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("研究制定新能源汽车动力蓄电池回收利用管理办法", "研究"),
        ("研究出台5G应用发展接续政策", "研究"),
        ("加快制定调整减免车辆购置税新能源汽车产品技术要求", "制定"),
        ("编制重点行业数字化转型路线图", "制定"),
        ("发布实施轻工业稳增长工作方案", "出台"),
        ("再出台一批细分行业应用指南", "出台"),
        ("推动出台支持民营企业发展的措施", "出台"),
        ("启动实施新一轮技术改造专项", "启动"),
        ("启动公共领域车辆全面电动化先行区试点", "启动"),
        ("落实落细车购税减免等优惠政策", "实施"),
        ("实施电力装备绿色低碳创新发展行动", "实施"),
        ("联合相关部门研究出台稳定消费的政策措施", "研究"),
        ("夯实人工智能技术底座", "实施"),
        ("深入实施工业互联网创新发展工程", "深化"),
        ("持续开展绿色智能家电促消费活动", "深化"),
        ("健全动力电池回收利用体系", "深化"),
        ("继续支持工业大省勇挑大梁", "深化"),
    ],
)
def test_stage(text: str, stage: str) -> None:
    """The stage is the first non-intensifier ladder verb, or 深化 after a continuation adverb."""
    assert detect_stage(text) == stage


@pytest.mark.parametrize(
    ("text", "strength"),
    [
        ("确保完成全年目标任务", "确保"),
        ("力争全年工业增加值增长5%左右", "力争"),
        ("争取年内出台实施方案", "力争"),
        ("推动6G技术研发", "推动"),
        ("加快发展新兴产业", "推动"),
        ("研究制定管理办法", "研究"),
        ("探索建立品牌价值评价机制", "研究"),
        ("工业经济总体平稳", None),
    ],
)
def test_strength(text: str, strength: str | None) -> None:
    """Strength order 确保 > 力争 > 推动 > 研究."""
    assert detect_strength(text) == strength


@pytest.mark.parametrize(
    ("text", "chain"),
    [
        ("加快制定调整减免车辆购置税", ("加快", "制定")),
        ("深入开展下乡活动", ("深入", "开展")),
        ("建立健全常态化沟通交流机制", ("建立健全",)),
        ("发布推广百项升级和创新消费品", ("发布", "推广")),
    ],
)
def test_verb_chain(text: str, chain: tuple[str, ...]) -> None:
    """The leading verb chain is read greedily."""
    assert verb_chain(text) == chain


@pytest.mark.parametrize(
    ("text", "value"),
    [("十", 10), ("十四", 14), ("二十", 20), ("百", 100), ("两万", 20000), ("三千五百", 3500), ("一百零五", 105), ("万", 10000), ("x", None)],
)
def test_chinese_number(text: str, value: float | None) -> None:
    """Chinese numerals, including 两 and bare 十/百/万."""
    assert chinese_number(text) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今年推动不少于3000家企业建设5G工厂", [(3000, "家", "不少于", "企业")]),
        ("新打造1000家国家级绿色工厂、50个绿色工业园区", [(1000, "家", None, "国家级绿色工厂"), (50, "个", None, "绿色工业园区")]),
        ("加紧制定实施汽车、电子、钢铁等十个重点行业稳增长的工作方案", [(10, "个", None, "重点行业稳增长")]),
        ("发布推广百项升级和创新消费品", [(100, "项", None, "升级")]),
        ("培育两万家专精特新中小企业", [(20000, "家", None, "专精特新中小企业")]),
        ("力争全年工业增加值增长5%左右", [(5, "%", "左右", None)]),
        ("新建5G基站超过60万个", [(600000, "个", "超过", None)]),
        ("支持5G R18基站研发", []),
        ("深入实施《新能源汽车产业发展规划（2021—2035年）》", []),
        ("支持中小企业用好两个市场、两种资源", []),
    ],
)
def test_targets(text: str, expected: list[tuple]) -> None:
    """Value, unit, comparator and what is counted; Chinese numerals; no targets inside 《》 or model names."""
    got = [(t.value, t.unit, t.comparator, t.counted) for t in parse_targets(text)]
    assert got == [(float(v), u, c, w) for v, u, c, w in expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今年推动不少于3000家企业建设5G工厂", [("今年", "2023", "year")]),
        ("下半年，我们还将举办多场国际交流活动", [("下半年", "2023H2", "half")]),
        ("年底前出台指导意见", [("年底前", "2023-12", "month")]),
        ("明年启动试点", [("明年", "2024", "year")]),
        ("四季度组织开展专项行动", [("四季度", "2023Q4", "quarter")]),
        ("到2025年建成一批示范工厂", [("到2025年", "2025", "year")]),
        ("2024年上半年出台实施方案", [("2024年上半年", "2024H1", "half")]),
        ("“十四五”期间培育一批集群", [("“十四五”期间", "2021-2025", "range")]),
        ("落实《电子信息制造业2023—2024年稳增长行动方案》", []),
        ("2023—2024年持续开展行动", [("2023—2024年", "2023-2024", "range")]),
        ("近期将发布实施工作方案", [("近期", None, "vague")]),
        ("尽快出台配套政策", [("尽快", None, "vague")]),
        ("加快5G网络建设", []),
    ],
)
def test_deadlines(text: str, expected: list[tuple]) -> None:
    """Relative phrases resolve against the briefing date; titles' years are ignored."""
    got = [(d.raw, d.period, d.precision) for d in parse_deadlines(text, REF)]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # issue 13: magnitudes, thousands separators, 亿 + 万
        ("培育一万家专精特新企业", [(10_000, "家", None, "一万家", "专精特新企业")]),
        ("千兆宽带覆盖一亿户家庭", [(100_000_000, "户", None, "一亿户", "家庭")]),
        ("带动投资一万亿元", [(1_000_000_000_000, "元", None, "一万亿元", None)]),
        ("建成1,000家智能工厂", [(1000, "家", None, "1,000家", "智能工厂")]),
        ("覆盖一亿三千万户", [(130_000_000, "户", None, "一亿三千万户", None)]),
        # issue 13: shares are percentages
        ("能耗降低百分之十", [(10, "%", None, "百分之十", None)]),
        ("三成以上企业完成改造", [(30, "%", "以上", "三成以上", None)]),
        ("力争三分之一的企业上云", [(33.33, "%", "力争", "力争三分之一", None)]),
        ("超过百分之五十", [(50, "%", "超过", "超过百分之五十", None)]),
        # issue 13: approximate numbers keep the round value as a lower bound, with the approximating word
        ("培育数十家领军企业", [(10, "家", "数", "数十家", "领军企业")]),
        ("打造十几个集群", [(10, "个", "几", "十几个", "集群")]),
        ("遴选千余家企业", [(1000, "家", "余", "千余家", "企业")]),
        ("推动万余家企业对接", [(10_000, "家", "余", "万余家", "企业")]),
        ("培育3000余家企业", [(3000, "家", "余", "3000余家", "企业")]),
        ("带动上千家企业", [(1000, "家", "上", "上千家", "企业")]),
        ("推广数十万辆新能源汽车", [(100_000, "辆", "数", "数十万辆", "新能源汽车")]),
        # other forms
        ("培育两千家企业", [(2000, "家", None, "两千家", "企业")]),
        ("建设廿个园区", [(20, "个", None, "廿个", "园区")]),
        ("新增1.5万家企业", [(15_000, "家", None, "1.5万家", "企业")]),
        ("新增１０００家企业", [(1000, "家", None, "１０００家", "企业")]),
        ("营业收入达到8.1万亿元", [(8_100_000_000_000, "元", "达到", "达到8.1万亿元", None)]),
        # comparators still work
        ("新建5G基站超过60万个", [(600_000, "个", "超过", "超过60万个", None)]),
        ("培育不少于3000家企业", [(3000, "家", "不少于", "不少于3000家", "企业")]),
        ("建设至少50个示范园区", [(50, "个", "至少", "至少50个", "示范园区")]),
        ("力争100家企业", [(100, "家", "力争", "力争100家", "企业")]),
        # not targets: ordinals, words with 成, two bare digits
        ("落实第二十条规定", []),
        ("统一成立工作专班", []),
        ("培训三成员单位", []),
        ("走访三四个城市", []),
        ("推动5G应用走进千家万户", []),
    ],
)
def test_targets_numerals(text: str, expected: list[tuple]) -> None:
    """Numerals in targets: magnitudes, 1,000, shares as %, approximate numbers, comparators, raw text kept."""
    got = [(t.value, t.unit, t.comparator, t.raw, t.counted) for t in parse_targets(text)]
    assert got == [(float(v), u, c, r, w) for v, u, c, r, w in expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # issue 13: N年内 is not 年内; spans from the briefing; Chinese years; 前后 is "around"
        ("三年内完成改造", [("三年内", "2023-2025", "range")]),
        ("两年之内建成", [("两年之内", "2023-2024", "range")]),
        ("3个月内出台", [("3个月内", "2023-10", "month")]),
        ("今明两年持续推进", [("今明两年", "2023-2024", "range")]),
        ("明后两年全面推广", [("明后两年", "2024-2025", "range")]),
        ("未来五年培育一批企业", [("未来五年", "2023-2027", "range")]),
        ("今后三年内实现全覆盖", [("今后三年内", "2023-2025", "range")]),
        ("二〇二五年前全面完成", [("二〇二五年前", "2025", "year")]),
        ("二○二七年底前建成", [("二○二七年底前", "2027-12", "month")]),
        ("本季度出台实施方案", [("本季度", "2023Q3", "quarter")]),
        ("下季度启动试点", [("下季度", "2023Q4", "quarter")]),
        ("本月底前印发通知", [("本月底前", "2023-07", "month")]),
        ("2030年前后实现碳达峰", [("2030年前后", "2030", "year")]),
        ("2030年前实现碳达峰", [("2030年前", "2030", "year")]),
        ("年内出台指导意见", [("年内", "2023", "year")]),
        ("三年来累计培育", []),
    ],
)
def test_deadlines_relative_spans(text: str, expected: list[tuple]) -> None:
    """Relative spans resolve against the briefing date (its year is the first); raw text is kept."""
    got = [(d.raw, d.period, d.precision) for d in parse_deadlines(text, REF)]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三年内完成改造", ("三年内", None, "range")),
        ("今明两年持续推进", ("今明两年", None, "range")),
        ("未来五年培育一批企业", ("未来五年", None, "range")),
        ("本季度出台实施方案", ("本季度", None, "quarter")),
        ("3个月内出台", ("3个月内", None, "month")),
        ("二〇二五年前全面完成", ("二〇二五年前", "2025", "year")),
    ],
)
def test_relative_spans_without_date(text: str, expected: tuple) -> None:
    """Without a briefing date no year is invented: raw phrase and precision only (absolute years still resolve)."""
    (d,) = parse_deadlines(text, None)
    assert (d.raw, d.period, d.precision) == expected


_NUMERAL_SOUP = st.text(
    alphabet=st.sampled_from(list("零〇○一二两三四五六七八九十百千万亿廿数几上余多成分之第,.0123456789１年月季度内前后本下今明未来家个户元%以上超过企业")),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(_NUMERAL_SOUP, st.sampled_from([REF, None]))
def test_numeral_soup_keeps_provenance(text: str, ref: dt.date | None) -> None:
    """Any mix of numerals, units and time words parses without error, and every raw is a slice of the text."""
    for t in parse_targets(text):
        assert t.raw in text and t.value >= 0
    for d in parse_deadlines(text, ref):
        assert d.raw in text


def test_deadline_without_reference_date() -> None:
    """Without a briefing date, relative deadlines keep their precision but no period."""
    (d,) = parse_deadlines("今年推动建设5G工厂", None)
    assert (d.period, d.precision) == (None, "year")
    (d,) = parse_deadlines("到2025年建成", None)
    assert d.period == "2025"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加快落实《电子信息制造业2023—2024年稳增长行动方案》等相关政策", ["《电子信息制造业2023—2024年稳增长行动方案》"]),
        ("开展“信号升格”专项行动", ["“信号升格”专项行动"]),
        ("深入推进消费品、原材料“三品”行动", ["“三品”行动"]),
        ("推广“骚扰电话拒接”服务", ["“骚扰电话拒接”服务"]),
        ("加快5G网络建设", []),
    ],
)
def test_instruments(text: str, expected: list[str]) -> None:
    """《…》 documents and “…” programmes with their programme noun."""
    assert list(parse_instruments(text)) == expected


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("深入开展新能源汽车下乡活动", "nev"),
        ("加快6G技术研究", "6g"),
        ("有序引导算力基础设施建设", "computing"),
        ("出台推动工业互联网高质量发展指导意见", "industrial_internet"),
        ("研究出台促进专精特新中小企业高质量发展的若干措施", "sme"),
        ("新打造1000家国家级绿色工厂", "green"),
        ("引导金融机构增加制造业中长期贷款投放", "finance"),
        ("推进人工智能试点示范", "ai"),
        ("持续提升“来电免打扰”防骚扰服务能力", "telecom_services"),
    ],
)
def test_topics(text: str, tag: str) -> None:
    """Topic tags come from data/topics.yaml."""
    assert tag in topics(text)


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("加强政策引导，出台推动工业互联网高质量发展指导意见", "出台"),
        ("强化统筹，研究制定新一轮产业支持措施", "研究"),
        ("研究制定工业互联网高质量发展指导意见，进一步完善顶层设计", "研究"),
        ("加快5G网络建设，推动重点场所深度覆盖", "实施"),
    ],
)
def test_stage_comes_from_the_clause_naming_the_document(text: str, stage: str) -> None:
    """A leading theme phrase does not decide the stage of a pledge to issue a policy document."""
    clause = stage_clause(text)
    assert detect_stage(clause) == stage
