"""Tests for policy_tracker.extraction.extract: forward context, segmentation, evidence, speakers, gold recall."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_tracker.extraction.extract import extract, extract_all, extract_evidence
from policy_tracker.sources.load import load_documents, make_document
from policy_tracker.models import Document

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "gold" / "seeds-gold.yaml"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def doc(text: str, held: dt.date | None = dt.date(2023, 7, 19), kind: str = "press_conference") -> Document:
    return Document(id="t", text=text, held=held, kind=kind, briefing_id="b")


def quotes(text: str, **kw: object) -> list[str]:
    return [m.text for m in extract(doc(text, **kw))]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("赵志国表示，下一步，工信部将加快5G网络建设，推进5G行业虚拟专网建设。", ["加快5G网络建设", "推进5G行业虚拟专网建设"]),
        ("后续，工信部将深入开展新能源汽车下乡活动。", ["深入开展新能源汽车下乡活动"]),
        ("近期，我们将发布实施纺织工业稳增长工作方案。", ["发布实施纺织工业稳增长工作方案"]),
        ("今年将推动不少于2000家企业建设智能工厂。", ["今年将推动不少于2000家企业建设智能工厂"]),
        ("2024年，工信部将实施制造业数字化转型行动。", ["实施制造业数字化转型行动"]),
        ("2024年，工信部重点推进制造业数字化转型，实施技术改造升级工程。", ["重点推进制造业数字化转型", "实施技术改造升级工程"]),
        ("今年力争新建5G基站60万个。", ["今年力争新建5G基站60万个"]),
        ("下半年，我们还将在东盟、上合等框架下，举办多场对接活动。", ["在东盟、上合等框架下，举办多场对接活动"]),
        ("工信部表示将重点做好以下工作：\n一是稳定工业增长。落实重点行业稳增长方案，扩大有效投资。", ["稳定工业增长", "落实重点行业稳增长方案，扩大有效投资"]),
        ("下一步，工信部将重点抓好以下工作：\n1．促进消费恢复，开展家电以旧换新活动。\n2．加快技术创新，推动北斗规模应用。", ["促进消费恢复，开展家电以旧换新活动", "加快技术创新，推动北斗规模应用"]),
    ],
)
def test_forward_cues(text: str, expected: list[str]) -> None:
    """下一步/后续/近期/今年/2024年/下半年 and lists open forward context; cue words are trimmed."""
    assert quotes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "今年以来，工信部累计培育专精特新中小企业10万家。",
        "截至6月底，我国已建成5G基站290万个。",
        "工信部会同有关部门出台了一系列助企政策。",
        "近期，工信部等六部门联合印发《算力行动计划》，推动算力建设。",
        "前三季度，规模以上工业增加值同比增长4%。",
        "下半年以来，工业生产加快恢复，企业效益持续改善。",
        "今年以来，工信部推动出台了一系列稳增长政策措施。",
        "我国人工智能核心产业规模不断增长，企业数量超过4000家。",
        "记者：下一步还将采取哪些措施推动5G发展？",
        "问：将采取哪些措施助力企业发展？",
    ],
)
def test_no_pledge_in_past_or_questions(text: str) -> None:
    """Progress statements, statistics and reporters' questions are never pledges."""
    assert quotes(text) == []


@pytest.mark.parametrize(
    ("text", "pledges", "evidence"),
    [
        (
            "下一步，工信部将开展好车辆电动化试点和新能源汽车下乡活动。2023年，工信部总共开展了6场下乡活动。",
            ["开展好车辆电动化试点", "新能源汽车下乡活动"],
            "总共开展了6场下乡活动",
        ),
        (
            "下一步，我们将推进智能网联汽车应用试点。目前全国搞了30余个示范区，也在推广车路协同。",
            ["推进智能网联汽车应用试点"],
            "全国搞了30余个示范区",
        ),
        ("下一步将深化合作。我们已累计培育小巨人企业1.2万家。", ["深化合作"], "已累计培育小巨人企业1.2万家"),
        (
            "下一步，将在轨道交通、电力装备等已形成优势的领域继续强链补链。前三季度，装备工业增加值同比增长6%。",
            ["在轨道交通、电力装备等已形成优势的领域继续强链补链"],
            "装备工业增加值同比增长6%",
        ),
    ],
)
def test_evidence_inside_forward_context(text: str, pledges: list[str], evidence: str) -> None:
    """Past clauses inside a forward paragraph become evidence, not pledges."""
    d = doc(text)
    assert [m.text for m in extract(d)] == pledges
    assert any(evidence in e.text for e in extract_evidence(d))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("下一步，将启动车辆电动化先行区试点、智能网联汽车准入和上路通行试点。", ["启动车辆电动化先行区试点", "智能网联汽车准入和上路通行试点"]),
        ("下一步，将推动6G、光通信、量子通信等关键核心技术加速突破。", ["推动6G、光通信、量子通信等关键核心技术加速突破"]),
        ("下一步，将深入实施产业基础再造工程和重大技术装备攻关工程。", ["深入实施产业基础再造工程和重大技术装备攻关工程"]),
        ("下一步，将加快6G技术研究，开展技术试验。", ["加快6G技术研究，开展技术试验"]),
        ("下一步，将坚持分业施策，拓展5G应用规模。", ["坚持分业施策，拓展5G应用规模"]),
        ("下一步，将夯实数字底座，为行业转型发展提供网络支撑。", ["夯实数字底座"]),
    ],
)
def test_segmentation(text: str, expected: list[str]) -> None:
    """Parallel programmes split; object lists stay whole; short clauses join; purpose tails drop."""
    assert quotes(text) == expected


def test_earlier_year_is_past() -> None:
    """In a 2024 briefing, '2023年，启动实施…' reports progress; 2024年 and title years do not."""
    text = (
        "下一步，工信部将加快5G网络建设。2023年，启动实施“信号升格”专项行动，推动提升网络质量。"
        "2024年将落实《电子信息制造业2023—2024年稳增长行动方案》。"
    )
    d = doc(text, held=dt.date(2024, 1, 19))
    assert [m.text for m in extract(d)] == ["加快5G网络建设", "2024年将落实《电子信息制造业2023—2024年稳增长行动方案》"]
    assert any("信号升格" in e.text for e in extract_evidence(d))


def test_split_piece_keeps_stage() -> None:
    """A programme split off a list keeps the verb chain (and stage) of the first piece."""
    ms = extract(doc("下一步，将启动车辆电动化先行区试点、智能网联汽车准入和上路通行试点。"))
    assert [m.stage for m in ms] == ["启动", "启动"]


@pytest.mark.parametrize(
    ("text", "speaker", "role"),
    [
        ("工业和信息化部新闻发言人、总工程师赵志国表示，下一步将推进5G网络建设。", "赵志国", "工业和信息化部新闻发言人、总工程师"),
        ("运行监测协调局局长陶青指出，下一步将落实汽车消费政策。", "陶青", "工业和信息化部新闻发言人、运行监测协调局局长"),
        ("工业和信息化部新闻发言人赵志国今日在新闻发布会上表示，将加快5G网络建设。", "赵志国", "工业和信息化部新闻发言人、总工程师"),
        ("节能与综合利用司司长李明远介绍，下一步将开展绿色工厂梯度培育。", "李明远", "节能与综合利用司司长"),
        ("记者：下一步有何考虑？\n辛国斌：下一步，工信部将推动汽车产业高质量发展。", "辛国斌", "工业和信息化部副部长"),
    ],
)
def test_speakers(text: str, speaker: str, role: str) -> None:
    """Speakers from 'X表示' frames (known or titled) and Q&A prefixes, with roles."""
    (m,) = extract(doc(text))
    assert (m.speaker, m.role) == (speaker, role)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中央广播电视总台央视记者：下一步工信部将采取哪些措施推动5G发展？\n\n信息通信管理局局长韩夏：下一步，我们将加快5G网络建设。", [("加快5G网络建设", "韩夏")]),
        ("请问下一步还将出台哪些政策？\n\n【答】我们将研究制定中小企业特色产业集群培育办法。", [("研究制定中小企业特色产业集群培育办法", None)]),
        ("“下一步，我们将加快培育先进制造业集群。”赵志国说。", [("加快培育先进制造业集群", "赵志国")]),
        ("Q：下一步将如何推进？\n\nA：我们将开展中小企业数字化转型试点。", [("开展中小企业数字化转型试点", None)]),
    ],
)
def test_question_and_answer_formats(text: str, expected: list[tuple[str, str | None]]) -> None:
    """Questions never yield pledges, whatever their prefix; answers do, with the answerer as speaker."""
    assert [(m.text, m.speaker) for m in extract(doc(text))] == expected


def test_answer_list_to_a_plans_question_is_forward() -> None:
    """An answer to a question about plans that goes straight into a list needs no cue of its own."""
    text = "记者：下一步有哪些考虑？\n\n辛国斌：一是加快新能源汽车技术攻关，二是开展智能网联汽车准入试点。"
    assert quotes(text) == ["加快新能源汽车技术攻关", "开展智能网联汽车准入试点"]
    review = "记者：2023年取得了哪些成效？\n\n辛国斌：一是加快新能源汽车技术攻关，二是开展智能网联汽车准入试点。"
    assert quotes(review) == []


def test_speaker_carries_over_paragraphs() -> None:
    """Reported speech carries to the following paragraphs until another speaker appears."""
    text = "陶青表示，下一步，工信部将加快落实稳增长方案。\n\n同时，进一步发挥投资拉动作用。\n\n赵志国指出，下一步将推进算力建设。"
    ms = extract(doc(text))
    assert [(m.text, m.speaker) for m in ms] == [
        ("加快落实稳增长方案", "陶青"),
        ("进一步发挥投资拉动作用", "陶青"),
        ("推进算力建设", "赵志国"),
    ]


def test_interview_answer_speaker() -> None:
    """'答:' turns are attributed to the interviewee."""
    text = "部长金壮龙接受了新华社记者采访。\n\n问:下一步有哪些考虑?\n\n答:我们将推进新型工业化,加快建设制造强国。"
    ms = extract(doc(text, kind="interview"))
    assert [(m.text, m.speaker) for m in ms] == [("推进新型工业化", "金壮龙"), ("加快建设制造强国", "金壮龙")]


def test_section_from_theme_line() -> None:
    """The theme line of a list item becomes the section of the mentions under it."""
    text = "下一步，工信部将重点抓好以下工作：\n一是营造良好产业发展环境。持续加强政策供给；支持工业大省当好顶梁柱。"
    ms = extract(doc(text))
    assert {m.section for m in ms} == {"营造良好产业发展环境"}
    assert "支持工业大省当好顶梁柱" in [m.text for m in ms]


def test_bold_theme_lines_keep_the_list_going() -> None:
    """Bold list items are not headings: the list stays forward and each item is a section."""
    text = "下一步，工信部将重点抓好以下工作：\n\n**一是营造良好产业发展环境**\n\n持续加强政策供给，支持工业大省当好顶梁柱。\n\n**二是推动出口保稳提质。**\n\n加大对制造业外贸企业的支持力度。"
    got = [(m.text, m.section) for m in extract(doc(text))]
    assert ("支持工业大省当好顶梁柱", "营造良好产业发展环境") in got
    assert ("加大对制造业外贸企业的支持力度", "推动出口保稳提质") in got


def test_headline_pledge() -> None:
    """A headline that states a pledge is a mention; a headline of progress is not."""
    text = "**工信部：近期将发布实施纺织工业稳增长工作方案**\n\n**工信部：前6个月累计建成5G基站293万个**\n\n赵志国表示，工业持续发展的基本面没有改变。"
    assert quotes(text) == ["发布实施纺织工业稳增长工作方案"]


def test_traditional_text() -> None:
    """A Traditional-character mirror yields the same pledges, quoted verbatim in Traditional."""
    text = "趙志國表示，下一步，工信部將加快5G網絡建設，開展「信號升格」專項行動。"
    d = doc(text)
    ms = extract(d)
    assert [m.text for m in ms] == ["加快5G网络建设", "开展“信号升格”专项行动"]
    assert [m.quote for m in ms] == ["加快5G網絡建設", "開展「信號升格」專項行動"]
    assert ms[0].speaker == "赵志国"


def test_ascii_punctuation_and_layout_breaks() -> None:
    """ASCII punctuation and a page break inside a sentence do not break clauses."""
    text = "下一步,我们将推动各项政策落地见效;多措并举扩大需求,加快实施制造业重大工程,持续开展工业行业“增品种、提品质、创品\n\n\n牌”行动。"
    ms = extract(doc(text))
    assert "持续开展工业行业“增品种、提品质、创品牌”行动" in [m.text for m in ms]
    for m in ms:
        assert m.quote == text[m.start : m.end]


def test_deadline_from_sentence_lead() -> None:
    """A time phrase leading the sentence (下半年，…) is the deadline of its pledges."""
    (m,) = extract(doc("下半年，我们还将举办多场国际交流活动。"))
    assert [(d.raw, d.period) for d in m.deadlines] == [("下半年", "2023H2")]


_PIECES = st.sampled_from(
    ["下一步，", "工信部將", "我们将", "加快推進", "推动", "開展", "建設", "5G網絡", "“三品”", "「信號升格」", "行动", "，", ",", "；", ";",
     "。", ".", "、", "\n", "\n\n\n", "已", "累计", "了", "一是", "1．", "**", "# ", "校對：某", "記者：", "答:", "陶青表示，", "試點", "和", " "]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=50).map("".join))
def test_quote_invariant(text: str) -> None:
    """quote == text[start:end] for every mention and evidence, whatever the punctuation mix."""
    mentions, evidence = extract_all(doc(text))
    for m in mentions:
        assert m.quote == text[m.start : m.end]
        assert 0 < len(m.quote)
        assert len(m.text) <= 120
    for e in evidence:
        assert e.quote == text[e.start : e.end]


def _covered(text: str, spans: list[tuple[int, int]], anchor: str) -> bool:
    i = text.find(anchor)
    while i >= 0:
        for s, e in spans:
            if (min(e, i + len(anchor)) - max(s, i)) / len(anchor) >= 0.6:
                return True
        i = text.find(anchor, i + 1)
    return False


@pytest.mark.skipif(not GOLD.is_file() or not SEEDS.is_dir(), reason="shared gold or seeds not available")
def test_gold_recall_and_granularity() -> None:
    """On the seed gold: recall ≥ 0.95, no evidence extracted, sane mention lengths."""
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    docs = {d.id: d for d in load_documents([SEEDS]).documents}
    spans = {i: [(m.start, m.end) for m in extract(d)] for i, d in docs.items()}
    anchors = [(doc_id, a) for c in gold["commitments"].values() for doc_id, a in c["mentions"]]
    found = sum(_covered(docs[d].text, spans[d], a) for d, a in anchors)
    assert found / len(anchors) >= 0.95
    assert [a for d, a, _ in gold["evidence"] if _covered(docs[d].text, spans[d], a)] == []
    lengths = [e - s for v in spans.values() for s, e in v]
    assert max(lengths) <= 120
    assert 12 <= statistics.median(lengths) <= 50


def test_make_document_round_trip() -> None:
    """Extraction works on documents built by the loader (dates, briefing id)."""
    d = make_document("x", "2023年7月19日，国新办举行新闻发布会。\n\n赵志国表示，下一步将加快5G网络建设。")
    (m,) = extract(d)
    assert m.source == "x" and m.briefing == d.briefing_id and m.date == d.held


def test_extract_many_forked_equals_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    """Extracting a batch in forked processes gives exactly the serial results, in document order."""
    import warnings

    from policy_tracker.extraction import extract as extraction
    from policy_tracker.sources.load import load_documents

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = list(load_documents([SEEDS]).documents) * 3
    monkeypatch.setattr(extraction, "PARALLEL_DOCUMENTS", 2)
    serial = extraction.extract_many(docs, workers=1)
    forked = extraction.extract_many(docs, workers=2)
    assert forked == serial
    assert [len(m) for m, _ in serial[:5]] == [len(extraction.extract(d)) for d in docs[:5]]


_LIST = "工信部部长表示，下一步，工信部将从以下方面发力：一是加快推进新型工业化。二是深入实施中小企业数字化赋能专项行动。\n\n{between}\n\n三是推动5G规模化应用。四是加快发展新能源汽车。"


@pytest.mark.parametrize(
    "between",
    ["（相关资料图）", "（新华社记者 李贺 摄）", "图为：工业机器人生产线", "1 2 3 下一页", "第2页", "——————", "\f"],
)
def test_forward_list_goes_on_across_captions_and_page_breaks(between: str) -> None:
    """A numbered pledge list interrupted by a caption, page navigation or a separator keeps its later items."""
    got = quotes(_LIST.format(between=between))
    assert "推动5G规模化应用" in got and "加快发展新能源汽车" in got


def test_next_list_item_after_a_heading_stays_forward() -> None:
    """二是… after a short line that looks like a heading still continues the forward-looking 一是… list."""
    text = "下一步，工信部将抓好以下工作。\n一是加快推进新型工业化。\n推进新型工业化\n二是深入实施中小企业数字化赋能专项行动。"
    assert "深入实施中小企业数字化赋能专项行动" in quotes(text)


def test_list_item_out_of_sequence_does_not_reopen_forward_context() -> None:
    """Only the next ordinal continues a list: an 一是 of a past review after a heading stays evidence."""
    text = "下一步，工信部将抓好以下工作。一是加快推进新型工业化。\n回顾\n一是累计建成5G基站337万个。"
    assert quotes(text) == ["加快推进新型工业化"]


def test_list_continuation_ends_with_the_speakers_turn() -> None:
    """A new speaker's numbered list does not inherit the previous speaker's forward context."""
    text = "下一步，工信部将：一是加快推进新型工业化。\n记者：请问今年前三季度工业增长多少？\n二是工业增加值增长较快。"
    assert quotes(text) == ["加快推进新型工业化"]


@pytest.mark.parametrize("verb", ["大力发展", "积极发展", "重点发展", "优先发展"])
def test_adverb_plus_develop_is_an_action(verb: str) -> None:
    """大力发展X产业 in a forward list is a pledge (发展 alone stays descriptive)."""
    assert f"{verb}人工智能产业" in quotes(f"下一步，工信部将：一是加快发展新能源汽车。二是{verb}人工智能产业。")


def test_list_announced_in_one_paragraph_goes_on_in_the_next() -> None:
    """"下一步，将重点抓好…等方面工作。" then "具体包括：…" and a paragraph more: every item is a pledge."""
    text = (
        "赵志国说，下一步，将重点抓好营造良好产业发展环境、推动出口保稳提质等方面工作。\n"
        "具体包括:落实落细稳增长政策举措,制定实施重点行业稳增长的工作方案。\n"
        "巩固优势产品出口势头,加大对制造业外贸企业的支持力度。"
    )
    got = quotes(text)
    for q in ("落实落细稳增长政策举措", "制定实施重点行业稳增长的工作方案", "巩固优势产品出口势头", "加大对制造业外贸企业的支持力度"):
        assert q in got


def test_work_conference_deploying_next_years_tasks() -> None:
    """"会议部署了2026年…重点工作，包括X，Y": the listed tasks are pledges, the deployment sentence itself is not."""
    text = "会议部署了2026年十个方面的重点工作，包括全力巩固工业经济稳中向好态势，持续提升产业链韧性和安全水平等。"
    got = quotes(text, held=dt.date(2025, 12, 26))
    assert "全力巩固工业经济稳中向好态势" in got and "持续提升产业链韧性和安全水平等" in got
    assert not any("部署" in q for q in got)


def test_list_announced_by_a_past_sentence_is_evidence() -> None:
    """"…推进了相关工作，取得了新的进展。一是持续开展…": the items report the past, they are not pledges."""
    text = "下一步，将加强APP治理。近年来，主要从四个方面推进了相关工作，取得了新的进展和成效。一是持续开展APP侵害用户权益的整治行动。二是强化关键责任链监管。"
    assert quotes(text) == ["加强APP治理"]


def test_jiu_shi_yao_is_a_cue() -> None:
    """"夯实基础，就是要补短板…，着力保持制造业合理比重": 就是要 opens forward context."""
    assert "着力保持制造业合理比重" in quotes("李乐成说，夯实基础，就是要补短板、锻长板，着力保持制造业合理比重。")


def test_spaces_as_commas_split_clauses() -> None:
    """Summary pages that use spaces (and [1] citations, - bullets) for commas give one mention per action."""
    text = "下一步，工信部将启动工业数据筑基行动 建设一批高质量行业数据集 并壮大数据咨询等经营主体 [1] - 另一方面要加快制造业数字化转型"
    got = quotes(text)
    for q in ("启动工业数据筑基行动", "建设一批高质量行业数据集", "壮大数据咨询等经营主体", "加快制造业数字化转型"):
        assert q in got


def test_space_inside_a_word_does_not_split() -> None:
    """A mirror's stray space inside a word (促进工 业与文旅融合) leaves the clause whole: the text reads without it, the quote keeps it."""
    raw = "下一步，工信部将促进工 业与文旅融合发展。"
    assert quotes(raw) == ["促进工业与文旅融合发展"]
    assert [m.quote for m in extract(doc(raw))] == ["促进工 业与文旅融合发展"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "下一步，工信部将稳定重点行业和重点地区增长、扩大有效需求、促进价值创造以质取胜、进一步增强经营主体动力活力。",
            ["稳定重点行业和重点地区增长", "扩大有效需求", "促进价值创造以质取胜", "进一步增强经营主体动力活力"],
        ),
        ("下一步，工信部将研究出台稳定汽车消费、扩大内需增长的相关政策措施。", ["研究出台稳定汽车消费、扩大内需增长的相关政策措施"]),
        ("下一步，工信部将加快推进新型工业化、建设制造强国和网络强国。", ["加快推进新型工业化、建设制造强国和网络强国"]),
    ],
)
def test_list_of_three_or_more_actions_splits(text: str, expected: list[str]) -> None:
    """Three or more 、-items that each open with a verb are separate pledges; two items stay one (one action, two objects)."""
    assert quotes(text) == expected


def test_yao_after_an_english_sentence_is_a_cue() -> None:
    """Machine-translated pages: "The first is to improve quality. 要出台…" — 要 opens a sentence."""
    assert quotes("金壮龙说，The first is to improve quality. 要出台促进中小企业高质量发展的政策。") == ["出台促进中小企业高质量发展的政策"]


def test_clause_restated_verbatim_reads_its_facets_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pledge clause repeated word for word in another briefing gets the same facets, read once (issue 15); deadlines follow each briefing's date."""
    from policy_tracker.extraction import extract as module
    from policy_tracker.extraction import facets

    calls: list[str] = []
    real = facets.topics
    monkeypatch.setattr(facets, "topics", lambda text: (calls.append(text), real(text))[1])
    module._facets.cache_clear()
    text = "工业和信息化部副部长表示，下一步，今年将加快推进5G网络建设，出台《工业互联网创新发展行动计划》。"
    first = extract(doc(text, held=dt.date(2023, 7, 19)))
    later = extract(doc(text, held=dt.date(2024, 4, 2)))
    assert first and len(later) == len(first)
    assert [(m.stage, m.strength, m.targets, m.instruments, m.topics, m.verbs) for m in later] == [
        (m.stage, m.strength, m.targets, m.instruments, m.topics, m.verbs) for m in first
    ]
    assert len(calls) == len({m.text for m in first})  # the second briefing's clauses were all known
    assert any(m.deadlines for m in first)
    assert [d.period for m in later for d in m.deadlines] == ["2024"] * len([d for m in first for d in m.deadlines])
