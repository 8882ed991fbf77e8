"""Tests for policy_tracker.extraction.normalize: folding, layout joins, boilerplate, the offset map."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_tracker.extraction.normalize import fold, fold_chars, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("工信部將加快推進", "工信部将加快推进"),
        ("發佈實施輕工業穩增長工作方案", "发布实施轻工业稳增长工作方案"),
        ("積極擴大有效投資", "积极扩大有效投资"),
        ("推動6G、量子通信等技術加速突破", "推动6G、量子通信等技术加速突破"),
        ("下一步,我们将推动;多措并举", "下一步，我们将推动；多措并举"),
        ("问:如何看待?", "问：如何看待？"),
        ("规模达1,000家", "规模达1,000家"),
        ("2023-11-04 13:00", "2023-11-04 13:00"),
        ("推广「骚扰电话拒接」服务", "推广“骚扰电话拒接”服务"),
        ('开展"三品"行动', "开展“三品”行动"),
        ("５Ｇ工厂３０００家", "5G工厂3000家"),
        ("(RedCap)技术", "（RedCap）技术"),
        ("1.促进内需", "1．促进内需"),
        ("繼續支持工業大省挑大樑", "继续支持工业大省挑大梁"),
        ("「增品種、提品質、創品牌」", "“增品种、提品质、创品牌”"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    """Traditional, ASCII punctuation, quotes and full-width letters fold as documented."""
    assert fold(raw) == expected


def test_fold_chars_keeps_length() -> None:
    """Character folding is one-for-one, so offsets survive it."""
    raw = '下一步,將"推動"5G;１２３'
    assert len(fold_chars(raw)) == len(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("在共同关注下，汽车产业亮点纷\n\n\n\n呈，应该说交上了答卷。", "在共同关注下，汽车产业亮点纷呈，应该说交上了答卷。"),
        ("请问2023年，工信部采取了哪些\n\n工作？下一步还将开展哪些工作？", "请问2023年，工信部采取了哪些工作？下一步还将开展哪些工作？"),
        ("持续向增强5G演进升级，支持5G\nR18基站、终端等攻关。", "持续向增强5G演进升级，支持5G R18基站、终端等攻关。"),
        ("一季度工业增加值增长3%\n工信部总工程师表示，", "一季度工业增加值增长3%\n工信部总工程师表示，"),
        ("3．紧抓重大工程，推动金融创新\n4．联合相关部门研究", "3．紧抓重大工程，推动金融创新\n4．联合相关部门研究"),
    ],
)
def test_layout_breaks(raw: str, expected: str) -> None:
    """Breaks inside a sentence are joined; breaks after headings and list items are kept."""
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    "line",
    [
        "校对：苏焕文",
        "责任编辑：张恒星SF142",
        "![](https://example.com/a.png)",
        "(文章来源:新华社)",
        "2023-11-04 13:00    来源:某网       阅读量:",
        "稿件均为自媒体人发布或转载。如稿件涉及版权等问题,请与",
        "(下转第4版)",
        "首页 > 财经 > 正文",
    ],
)
def test_boilerplate_dropped(line: str) -> None:
    """Site boilerplate lines vanish from the normalised text."""
    nt = normalize(f"下一步，工信部将加快推进。\n{line}\n后续将继续推进。")
    assert "下一步，工信部将加快推进。\n后续将继续推进。" == nt.text


def test_an_article_on_one_line_keeps_its_sentences_before_the_disclaimer() -> None:
    """A page with the whole article on one line and its disclaimer at the end loses the disclaimer, not the article."""
    article = "部长表示，明年将从两个方面推动发展：一是推动制造业升级；二是扩大开放。" * 3
    raw = article + " 【免责声明】 凡本站未注明来源的作品，均转载自其它媒体。\n下一行"
    nt = normalize(raw)
    assert nt.text == article + "\n下一行"
    i = nt.text.index("一是")
    s, e = nt.to_original(i, i + 9)
    assert raw[s:e] == "一是推动制造业升级"
    # no sentence before the boilerplate: the whole line goes, as before
    assert normalize("下一步，工信部将加快推进。\n本网免责声明：转载请注明出处\n后续将继续推进。").text == "下一步，工信部将加快推进。\n后续将继续推进。"


def test_offsets_map_back() -> None:
    """Every normalised span maps to the original characters it came from."""
    raw = "# 標題\n\n下一步，工信部將加快推進5G網\n\n\n絡建設，開展\"信號升格\"行動。\n校對：某某\n"
    nt = normalize(raw)
    i = nt.text.index("加快")
    j = nt.text.index("行动") + 2
    s, e = nt.to_original(i, j)
    assert raw[s:e].startswith("加快推進") and raw[s:e].endswith("行動")
    assert fold(raw[s:e].replace("\n", "")) == nt.text[i:j]


_PIECES = st.sampled_from(
    ["工信部", "將", "将", "推動", "推动", "下一步", "，", ",", "；", ";", "。", ".", ":", "：", "\n", "\n\n\n", " ", '"', "“", "”",
     "「", "」", "(", ")", "5G", "1,000", "發展", "體系", "建設", "校對：某", "![](x.png)", "累计", "已", "一是", "1．", "**", "#"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_normalize_offsets_are_monotonic_and_in_range(raw: str) -> None:
    """The offset map is increasing and every character comes from the original (folded, or a decimal point read in place)."""
    nt = normalize(raw)
    assert len(nt.offsets) == len(nt.text) + 1
    assert nt.ends is None or list(nt.ends) == [o + 1 for o in nt.offsets[:-1]]  # no piece here changes length
    previous = -1
    folded = fold_chars(raw)
    for i, ch in enumerate(nt.text):
        o = nt.offsets[i]
        assert o > previous and nt.to_original(i, i + 1) == (o, o + 1)
        previous = o
        # (artefacts.yaml reads a full-width full stop between digits as a decimal point: 1．1 → 1.1)
        assert folded[o] == ch or (ch in " \n" and folded[o] in " \n") or (ch == "." and folded[o] in "．﹒")


def test_ascii_full_stop_before_a_closing_quote_ends_the_sentence() -> None:
    """An ASCII full stop inside an ASCII-quoted sentence ("….") becomes 。, so the quoted pledge is a sentence of its own."""
    text = '"力争年内新培育一批国家级绿色工厂."赵志国表示,工信部将推进绿色制造.'
    assert normalize(text).text == "“力争年内新培育一批国家级绿色工厂。”赵志国表示，工信部将推进绿色制造。"
