"""Held-out realistic briefings (tests/corpus) and the generalisation fixes they motivated."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest

from policy_tracker.extraction import normalize as norm
from policy_tracker.errors import DataError
from policy_tracker.evaluate import Prediction, read_gold, score
from policy_tracker.extraction.extract import extract, extract_all
from policy_tracker.sources.load import load_documents
from policy_tracker.models import Document
from policy_tracker.extraction.speakers import reported_speaker, role_in

CORPUS = Path(__file__).resolve().parent / "corpus"


def doc(text: str, held: dt.date | None = dt.date(2024, 7, 19)) -> Document:
    return Document(id="t", text=text, held=held, kind="press_conference", briefing_id="b")


def quotes(text: str, **kw: object) -> list[str]:
    return [m.text for m in extract(doc(text, **kw))]  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_documents([CORPUS]).documents


def test_heldout_recall_and_no_evidence(corpus: list[Document]) -> None:
    """On the held-out corpus: extraction recall ≥ 0.95 and no evidence statement extracted as a pledge."""
    gold = read_gold((CORPUS / "gold.yaml").read_text(encoding="utf-8"), "gold.yaml")
    texts = {d.id: d.text for d in corpus}
    preds = [Prediction(m.source, m.start, m.end, f"{m.source}@{m.start}") for d in corpus for m in extract(d)]
    s = score(gold, texts, preds)
    assert s.extraction_recall >= 0.95, s.missed
    assert s.evidence_false_positives == 0, s.evidence_hits


def test_heldout_quotes_and_granularity(corpus: list[Document]) -> None:
    """Every held-out mention quotes the original verbatim (ASCII, Traditional, page breaks) and stays short."""
    for d in corpus:
        mentions, evidence = extract_all(d)
        for m in [*mentions, *evidence]:
            assert m.quote == d.text[m.start : m.end]
        assert all(len(m.quote) <= 120 for m in mentions)


# ---------------------------------------------------------------- (a) forward context


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list intro without 做好/抓好 opens forward context for the paragraphs after it
        (
            "陶青：谢谢。当前，工业经济恢复的基础还不稳固。\n我们重点从以下方面着手。\n抓好稳增长政策落地见效。\n同时，扩大有效投资。",
            ["抓好稳增长政策落地见效", "扩大有效投资"],
        ),
        # a short descriptive sentence before the action does not end the context
        (
            "下一步，我们将开展新一轮新能源汽车下乡活动。\n动力电池回收利用是产业发展的重要环节。加强动力电池回收利用管理。",
            ["开展新一轮新能源汽车下乡活动", "加强动力电池回收利用管理"],
        ),
        # a sentence that opens with 要 is a plan
        ("融资难问题还较突出。要深化产融合作，推动金融机构创新金融产品。", ["深化产融合作，推动金融机构创新金融产品"]),
        # a subject + 要 + action verb is a plan; 主要/重要 are not cues
        ("田玉龙指出，原材料工业要严控新增产能，严禁钢铁新增产能。", ["原材料工业要严控新增产能", "严禁钢铁新增产能"]),
        ("钢铁是主要原材料，重要性突出。", []),
        # Markdown emphasis after a bold theme line is not part of the pledge
        ("王江平表示，2022年将重点抓好以下工作：\n**一是保持平稳运行。** 加强跨周期政策调节。", ["保持平稳运行", "加强跨周期政策调节"]),
        # 较2023年 is a comparison base, not a report on 2023
        ("下半年，我们将推动到2027年工业领域设备投资规模较2023年增长25%以上。", ["推动到2027年工业领域设备投资规模较2023年增长25%以上"]),
    ],
)
def test_forward_context_generalises(text: str, expected: list[str]) -> None:
    """List intros, descriptive lead sentences, sentence-initial 要 and comparison years keep pledges in."""
    assert quotes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the lead sentence reports progress (figures / 持续改善): the context ends
        ("下一步，我们将开展下乡活动。\n1-6月制造业投资同比增长9.5%。推进技术改造。", ["开展下乡活动"]),
        ("下一步，我们将开展下乡活动。\n中小企业发展环境持续改善。推进技术改造。", ["开展下乡活动"]),
        ("下一步，将加强监测。\n1月份，工业生产稳中有升。推动重点行业稳增长。", ["加强监测"]),
        # a subject followed by a progress phrase is a status report, not a continuation
        ("下一步，工信部将加快推进5G建设。\n5G基站建设稳步推进。推动5G应用向纵深发展。", ["加快推进5G建设"]),
        # a copula clause describes; the action after it still counts
        ("下一步，工信部将加快推进5G建设。\n这是落实决策部署的重要举措。推动5G应用向纵深发展。", ["加快推进5G建设", "推动5G应用向纵深发展"]),
        # an earlier year that is not a comparison base still marks the past
        ("2023年，工信部推动设备更新，支持企业技术改造。", []),
    ],
)
def test_progress_still_ends_context(text: str, expected: list[str]) -> None:
    """A lead sentence with figures or a progress marker does not carry forward context."""
    assert quotes(text) == expected


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("记者：下一步工信部有哪些考虑？", "王江平：加快推进重大工程项目实施，引导金融机构扩大制造业中长期贷款投放。", ["加快推进重大工程项目实施", "引导金融机构扩大制造业中长期贷款投放"]),
        ("问：今年将采取哪些措施？", "答：谢谢。加强工业经济运行监测调度。", []),
        ("问：今年将采取哪些措施？", "答：谢谢。\n加强工业经济运行监测调度。", ["加强工业经济运行监测调度"]),
        # a question about progress AND plans: the answer reviews first; only cues count
        ("记者：5G建设情况如何？下一步重点是什么？", "赵志国：扎实推进我国5G创新发展并取得积极成效。", []),
        ("记者：2023年采取了哪些措施？下一步有何考虑？", "赵志国：持续推动5G应用。下一步，将开展“信号升格”行动。", ["开展“信号升格”行动"]),
    ],
)
def test_answer_to_plan_question(question: str, answer: str, expected: list[str]) -> None:
    """An answer to a plans-only question is forward from its first paragraph that opens with an action."""
    assert quotes(f"{question}\n{answer}") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("金壮龙强调，一要加强统筹协调；二要狠抓政策落实。", ["加强统筹协调", "狠抓政策落实"]),
        ("下一步，工信部将会同相关部门：\n——加快推动制造业智能化发展；\n——持续推进千兆光网建设。", ["加快推动制造业智能化发展", "持续推进千兆光网建设"]),
        ("据悉，工信部正在研究制定传统制造业转型升级的指导意见。", ["研究制定传统制造业转型升级的指导意见"]),
        ("目前工业经济正在恢复，需求正在改善。", []),
        ("工信部将于近期启动“携手行动”，预计带动10万家中小企业。", ["启动“携手行动”"]),
    ],
)
def test_list_markers_and_ongoing_work(text: str, expected: list[str]) -> None:
    """一要/二要 and —— list items are trimmed; 正在研究制定 is a pledge; a 预计 forecast tail is not."""
    assert quotes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《意见》提出，到2027年，培育一批未来产业领军企业。", ["培育一批未来产业领军企业"]),
        ("到2023年底，我国建成5G基站337万个。", []),  # the briefing's own year or earlier: not a target date
        ("《规划（2024—2027年）》提出推动产业发展。", []),  # a year inside a title is no cue
    ],
)
def test_future_target_year(text: str, expected: list[str]) -> None:
    """到 + a year after the briefing's opens forward context; earlier years and titles do not."""
    assert quotes(text, held=dt.date(2024, 1, 19)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《方案》提出，力争营业收入年均增长3.5%左右，到2027年营业收入达到8.1万亿元。", ["力争营业收入年均增长3.5%左右", "到2027年营业收入达到8.1万亿元"]),
        # a figure without a commitment word or a cue before it is a statistic
        ("下一步，将加强监测。工业投资增长10.1%。", ["加强监测"]),
        ("许科敏表示,今年以来,工业投资增长9.5%,其中,高技术制造业投资增长10.1%.下一步,将推动出台新政策.", ["推动出台新政策"]),
    ],
)
def test_outcome_targets(text: str, expected: list[str]) -> None:
    """An outcome verb with a figure is a pledge only after 力争/确保/左右… or a cue (到2027年)."""
    assert quotes(text) == expected


def test_list_answering_a_question_about_measures() -> None:
    """《方案》提出了哪些主要举措？ — the 一是… list after an introductory answer is forward-looking."""
    text = "问：《方案》提出了哪些主要举措？\n答：《方案》从三个方面提出了重点举措。\n一是扩大有效需求。深入实施智能制造工程。\n二是增强供给能力。实施重大技术装备攻关工程。"
    assert quotes(text) == ["扩大有效需求", "深入实施智能制造工程", "增强供给能力", "实施重大技术装备攻关工程"]


def test_headline_reporting_an_issued_document() -> None:
    """七部门印发《…方案》 as a headline is news (evidence), 近期将印发《…》 a pledge."""
    d = doc("七部门印发《机械行业稳增长工作方案》\n")
    mentions, evidence = extract_all(d)
    assert mentions == [] and [e.text for e in evidence] == ["七部门印发《机械行业稳增长工作方案》"]
    assert quotes("工信部：近期将印发《机械行业稳增长工作方案》\n") == ["印发《机械行业稳增长工作方案》"]


def test_headline_cut_at_dash_pair() -> None:
    """An interview headline 加快推进新型工业化——访部长金壮龙 yields the pledge without the interview tag."""
    assert quotes("加快推进新型工业化——访工业和信息化部部长金壮龙\n") == ["加快推进新型工业化"]


def test_announcement_headline_is_not_a_pledge() -> None:
    """A headline reporting an announcement (工信部发布2022年工作重点) is news, not a pledge."""
    assert quotes("重磅！工信部发布2022年工作重点\n") == []


# ---------------------------------------------------------------- (b) speakers


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("许科敏表示，下一步将推动出台稳增长政策。", "许科敏"),
        ("会上，李明远指出，将加快布局6G。", "李明远"),
        ("“将着力稳住工业经济增长。”王江平说，将聚焦重点地区。", "王江平"),
        ("运行监测协调局局长许科敏表示，将推动出台政策。", "许科敏"),
        ("严格来说，这不是新政策。", None),
        ("方案指出，要推动设备更新。", None),
        ("周报指出，工业生产平稳。", None),
        ("专家表示，政策效果明显。", None),
        ("高管表示，将扩大投资。", None),
        ("江苏表示，将扩大投资。", None),
    ],
)
def test_unknown_speaker_names(text: str, name: str | None) -> None:
    """An untitled name (surname + 1–2 chars) at a sentence start before 表示/指出/说 is a speaker; nouns are not."""
    frame = reported_speaker(text)
    assert (frame[0] if frame else None) == name


def test_untitled_speaker_takes_over_and_gets_role() -> None:
    """许科敏表示 after 赵志国 switches the speaker, with the title given earlier in the article."""
    text = (
        "国新办举行发布会，新闻发言人赵志国、运行监测协调局局长许科敏出席。\n"
        "赵志国表示，下半年将实施制造业技术改造升级工程。\n"
        "许科敏表示，下一步将推动出台新一批稳增长政策措施。"
    )
    by_text = {m.text: m for m in extract(doc(text))}
    assert by_text["下半年将实施制造业技术改造升级工程"].speaker == "赵志国"
    m = by_text["推动出台新一批稳增长政策措施"]
    assert (m.speaker, m.role) == ("许科敏", "运行监测协调局局长")
    assert role_in(text, "无名氏") is None


def test_untitled_qa_turn() -> None:
    """王鹏： (an unknown name in a transcript) opens an answer turn, with the title from the host's introduction."""
    text = (
        "主持人：出席今天发布会的有工业和信息化部规划司司长王鹏先生。\n"
        "记者：下一步在制造业数字化转型方面有哪些考虑？\n"
        "王鹏：谢谢你的提问。\n"
        "加快推进制造业数字化转型，实施中小企业数字化赋能专项行动。"
    )
    ms = extract(doc(text))
    assert [m.text for m in ms] == ["加快推进制造业数字化转型", "实施中小企业数字化赋能专项行动"]
    assert {(m.speaker, m.role) for m in ms} == {("王鹏", "工业和信息化部规划司司长")}


# ---------------------------------------------------------------- (c) Traditional words


@pytest.mark.parametrize(
    ("original", "normalised"),
    [
        ("建設5G網路", "建设5G网络"),
        ("加快關鍵晶片和基礎軟體攻關", "加快关键芯片和基础软件攻关"),
        ("推動積體電路產業", "推动集成电路产业"),
        ("「5G+工業網際網路」", "“5G+工业互联网”"),
        ("工業和資訊化部", "工业和信息化部"),
        ("新闻资讯", "新闻资讯"),  # a Simplified text is left alone
    ],
)
def test_traditional_words(original: str, normalised: str) -> None:
    """Taiwan/HK terms fold to mainland terms, and the whole text still maps to the whole original."""
    nt = norm.normalize(original)
    assert nt.text == normalised
    assert nt.to_original(0, len(nt.text)) == (0, len(original))


def test_traditional_words_reject_length_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user correction of the character layer whose two sides differ in length is refused with the file and line named."""
    from policy_tracker.extraction.characters import word_fixes

    (tmp_path / "traditional_words.txt").write_text("# extra\n演算法 算法\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    with pytest.raises(DataError, match=r"traditional_words.txt:2: .*differ in length.*regional_terms.txt"):
        word_fixes()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("力争到2027年，未来产业综合实力显著提升，部分领域实现全球引领。", ["力争到2027年，未来产业综合实力显著提升", "部分领域实现全球引领"]),
        ("到2025年，工业增加值增长5%左右。", ["到2025年，工业增加值增长5%左右"]),
        ("《意见》提出，到2027年，培育一批未来产业领军企业。", ["培育一批未来产业领军企业"]),
    ],
)
def test_target_date_stays_with_its_outcome_goal(text: str, expected: list[str]) -> None:
    """A bare 到2027年， clause joins the outcome goal after it (显著提升, 增长5%), not an action clause."""
    assert quotes(text, held=dt.date(2024, 1, 31)) == expected
