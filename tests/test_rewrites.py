"""Tests for policy_tracker.extraction.rewrites in the normalised view: regional terms, mirror-site artefacts, the offset map."""

from __future__ import annotations

import datetime as dt
from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_tracker.errors import DataError
from policy_tracker.extraction.extract import extract
from policy_tracker.models import Document
from policy_tracker.extraction.normalize import fold, normalize
from policy_tracker.extraction.rewrites import apply_edits, identity_map

from .test_characters import CONTEXT, cases


def doc(text: str) -> Document:
    return Document(id="t", text=text, held=dt.date(2023, 7, 19), kind="press_conference", briefing_id="b")


# ---------------------------------------------------------------- regional vocabulary


@pytest.mark.parametrize(("original", "expected"), cases("vocabulary"))
def test_vocabulary_table(original: str, expected: str) -> None:
    """Each Hong Kong / Taiwan term of the table reads as its mainland form inside a Traditional sentence."""
    before, after, s_before, s_after = CONTEXT
    assert fold(before + original + after) == s_before + expected + s_after


@pytest.mark.parametrize(("original", "expected"), cases("simplified"))
def test_simplified_text_keeps_its_vocabulary(original: str, expected: str) -> None:
    """In a Simplified text neither characters nor terms are changed (资讯, 电动车 stay)."""
    assert fold(original) == expected


@pytest.mark.parametrize(
    ("raw", "term", "source"),
    [
        ("據報道，將推動雲端運算發展。", "云计算", "雲端運算"),
        ("據報道，將推廣電動車。", "电动汽车", "電動車"),
        ("據報道，建設5G基地台。", "基站", "基地台"),
        ("據報道，加快數位轉型。", "数字化转型", "數位轉型"),
    ],
)
def test_length_changing_terms_map_to_the_whole_original_term(raw: str, term: str, source: str) -> None:
    """Every character of a term replaced by one of another length maps to the whole original term."""
    nt = normalize(raw)
    i = nt.text.index(term)
    for k in range(i, i + len(term)):
        s, e = nt.to_original(k, k + 1)
        assert raw[s:e] == source
    s, e = nt.to_original(i, i + len(term))
    assert raw[s:e] == source
    s, e = nt.to_original(0, len(nt.text))
    assert (s, e) == (0, len(raw))


def test_user_regional_terms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's regional_terms.txt (POLICY_TRACKER_DATA) adds terms, of any length, and may change a shipped one."""
    (tmp_path / "regional_terms.txt").write_text("# mine\n德士 出租车\n雲端 云端\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    assert fold("據報道，德士上雲端") == "据报道，出租车上云端"


def test_bad_regional_line_names_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A regional-terms line without exactly two terms is a DataError naming the file and line."""
    (tmp_path / "regional_terms.txt").write_text("# mine\n\n德士\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    with pytest.raises(DataError, match=r"regional_terms.txt:3: expected 'regional-term mainland-term'"):
        fold("據報道")


# ---------------------------------------------------------------- artefacts


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("技術(shù)研究、標(biāo)準(zhǔn)研制", "技术研究、标准研制"),
        ("運(yùn)營", "运营"),
        ("發(fā)布時(shí)間：2023年", "发布时间：2023年"),
        ("技術（shù）研究", "技术研究"),
        ("加快數(shù) 字化轉(zhuǎn)型", "加快数 字化转型"),  # only the annotation goes
        ("技術(ji\u0300 shu\u0300)研究", "技术研究"),  # tone marks as combining characters
        ("人工智能(AI)技術", "人工智能（AI）技术"),  # no tone mark: a real parenthesis
        ("5G(RedCap)技術", "5G（RedCap）技术"),
        ("(shù)在句首", "（shù）在句首"),  # not after a character
    ],
)
def test_pinyin_annotations_are_removed(raw: str, expected: str) -> None:
    """Pinyin inserted after characters (with a tone mark, in either kind of bracket) leaves the normalised view."""
    assert normalize(raw).text == expected


def test_pinyin_annotations_keep_quotes_verbatim() -> None:
    """A span of the cleaned text maps back to the original, annotations included, and the quote is verbatim."""
    raw = "下一步，將加強技術(shù)研究、標(biāo)準(zhǔn)研制。"
    nt = normalize(raw)
    assert nt.text == "下一步，将加强技术研究、标准研制。"
    i = nt.text.index("技术")
    j = nt.text.index("研制") + 2
    s, e = nt.to_original(i, j)
    assert raw[s:e] == "技術(shù)研究、標(biāo)準(zhǔn)研制"
    # A span ending on an annotated character stops before its annotation.
    s, e = nt.to_original(i, i + 2)
    assert raw[s:e] == "技術"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>下一步，將推動5G建設。</p><p>加快推進。</p>", "下一步，将推动5G建设。\n加快推进。"),
        ("下一步<br/>將推動", "下一步\n将推动"),
        ('<span style="color:red">加快</span>推進', "加快推进"),
        ("<!-- ad -->加快推進", "加快推进"),
        ("下一步&nbsp;將&ldquo;推動&rdquo;", "下一步 将“推动”"),
        ("研發投入&#12289;人才", "研发投入、人才"),
        ("A&B公司", "A&B公司"),  # not an entity
        ("增速<5%", "增速<5%"),  # not a tag
        ("工信部：加快5G建設|亚洲一区二区三区|国产精品\n下一步，將推動。", "工信部：加快5G建设\n下一步，将推动。"),
        ("加快5G建設｜久久精品国产\n下一步，將推動。", "加快5G建设\n下一步，将推动。"),
        ("亚洲一区二区三区在线观看\n下一步，將推動。", "下一步，将推动。"),
        ("【广告】下一步，將推動。", "下一步，将推动。"),
        ("技術<b>(shù)</b>研究", "技术研究"),  # the annotation is next to 術 once the tag is gone
        ("工業(gōng)(yè)", "工业"),
        ("下一步&amp;nbsp;將", "下一步 将"),  # an escaped entity
        ("支持亚洲基础设施投资银行｜精品课程建设", "支持亚洲基础设施投资银行｜精品课程建设"),  # ordinary words stay
    ],
)
def test_junk_is_removed(raw: str, expected: str) -> None:
    """HTML left-overs, advertising runs and labels leave the normalised view; ordinary text stays."""
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # emoji scattered inside words by mirrors (corpus8 e01, e02)
        ("國新辦舉行新聞發布👣會。工信❗部將推進工🔆作", "国新办举行新闻发布会。工信部将推进工作"),
        ("加強智能拆🧑🏾\u200d🤝\u200d🧑🏼解等🙇\u200d♀️關鍵技術", "加强智能拆解等关键技术"),
        ("保持良好的⛱️發㊙️展態勢", "保持良好的发展态势"),
        ("增長率(lü)達到了87%", "增长率达到了87%"),  # pinyin with ü and no tone mark
        # a hard-wrapped page re-joined with spaces: one inside a word, mid-sentence (e07, a22)
        ("措施；同時加大工 作督促力度，使各項政策", "措施；同时加大工作督促力度，使各项政策"),
        ("此外，還將與人 民銀行等部門繼續開展專項行動；", "此外，还将与人民银行等部门继续开展专项行动；"),
        ("推動設備更新、工 藝升級、數智賦能。", "推动设备更新、工艺升级、数智赋能。"),
        # doubled marks (e12, b02)
        ("部長金壯龍：：實施新一輪行動", "部长金壮龙：实施新一轮行动"),
        ("炒菜，、熨衣服，、寫書法", "炒菜、熨衣服、写书法"),
        # a decimal point of another width (e26, d11)
        ("培育了12﹒4萬家企業，增長11﹒6%和12．5%", "培育了12.4万家企业，增长11.6%和12.5%"),
        # a tag cut at the line end (e10) and an advertising line (e19, a28)
        ("接受採訪。 <a target='_blank' ><p  align=  \n就高質量發展而言", "接受采访。 \n就高质量发展而言"),
        ("加快5G網路建設。\n[廣告] 請繼續往下閱讀..\n依照規劃，將推動。", "加快5G网络建设。\n依照规划，将推动。"),
        ("他說。\n廣告 廣告\n下一步，將推動。", "他说。\n下一步，将推动。"),
    ],
)
def test_mirror_junk_is_neutralised(raw: str, expected: str) -> None:
    """Emoji inside words, spaces inside words, doubled marks, odd decimal points, cut tags and advertising lines leave the normalised view."""
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    "raw",
    [
        "工信部最新發聲！穩住汽車等大宗消費 推動6G、量子通信等技術加速突破",  # a headline's phrases (seeds)
        "**工信部：努力擴大有效需求 組織新能源汽車、智能家電下鄉**",  # after a colon
        "工信部 下一步",
        "國新辦新聞局副局長、新聞發言人 邢慧娜：\n女士們、先生們",  # before a speaker's name
        "介紹“大力推進新型工業化 推動經濟高質量發展”有關情況。",  # a quoted title
        "（總臺央視記者 王琰 朱江 孫薊濰）",  # a byline
        "中新網北京1月18日電 國務院新聞辦公室今天舉行發布會，",  # a dateline
        "增長12.4%，開展“5G＋工業互聯網”，氣溫10℃，❶加快推進，▲ 發布會現場，中國·北京",
        "🐊789840:com",  # an emoji not next to a character
    ],
)
def test_separators_and_symbols_stay(raw: str) -> None:
    """Spaces between phrases (headlines, bylines, names, titles), decimal points and meaningful symbols are left as they are."""
    from policy_tracker.extraction.characters import fold_chars

    assert normalize(raw).text.replace("\n", "") == fold_chars(raw).replace("\n", "").strip()


@pytest.mark.parametrize(
    ("raw", "pledge"),
    [
        ("工信部表示，下一步，將加大工 作督促力度，還將與人 民銀行開展專項行動。", "加大工 作督促力度"),
        ("工信部表示，下一步，將加強智能拆👣解等關鍵技術攻關。", "加強智能拆👣解等關鍵技術攻關"),
        ("工信部表示，下一步，將培育12﹒4萬家企業，，推進工🔆作。", "培育12﹒4萬家企業"),
    ],
)
def test_quotes_stay_verbatim_over_junk(raw: str, pledge: str) -> None:
    """A pledge read through removed junk is quoted verbatim, junk included: quote == original[start:end] and the span maps back."""
    got = extract(doc(raw))
    assert got and all(m.quote == raw[m.start : m.end] for m in got)
    assert any(m.quote.startswith(pledge) for m in got), [m.quote for m in got]
    # The junk is only deleted: every normalised character maps to the one original character it folds from,
    # and a span maps from its first character's start to its last character's end.
    from policy_tracker.extraction.characters import fold_chars

    nt = normalize(raw)
    for i, ch in enumerate(nt.text):
        s, e = nt.to_original(i, i + 1)
        assert e == s + 1 and fold_chars(raw[s:e]) in (ch, "﹒")  # ﹒ between digits becomes "." in place
        assert nt.to_original(0, i + 1) == (nt.to_original(0, 1)[0], e)


def test_junk_in_matching_keys() -> None:
    """Matching keys (fold) drop emoji and stray spaces inside words too, so a junk copy keys like the original."""
    assert fold("推進工🔆作，加快發布👣會") == fold("推進工作，加快發布會")
    assert fold("，同時加大工 作督促力度，") == fold("，同時加大工作督促力度，")


def test_artefacts_in_matching_keys() -> None:
    """Matching keys (fold) drop the same artefacts, so a mirror copy keys like the original."""
    assert fold("加強技術(shù)研究、標(biāo)準(zhǔn)研制") == fold("加强技术研究、标准研制")
    assert fold("工信部：加快5G建設|亚洲一区二区") == "工信部：加快5G建设"
    assert fold("&ldquo;寬頻&rdquo;中國") == "“宽带”中国"


def test_extraction_from_an_annotated_mirror_copy() -> None:
    """A mirror copy with pinyin annotations gives the original's pledges, quoted verbatim with the annotations."""
    clean = "趙志國表示，下一步，工信部將加快技術研究，推進標準研制。"
    mirror = "趙志國表示，下一步，工信部將加快技術(shù)研究，推進標(biāo)準(zhǔn)研制。"
    want = [m.text for m in extract(doc(clean))]
    got = extract(doc(mirror))
    assert [m.text for m in got] == want == ["加快技术研究，推进标准研制"]
    assert [m.quote for m in got] == ["加快技術(shù)研究，推進標(biāo)準(zhǔn)研制"]
    assert all(m.quote == mirror[m.start : m.end] for m in got)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("artefacts:\n  - {name: x, pattern: '(unclosed'}\n", r"artefacts\.yaml: artefacts\[\d+\] \(x\): invalid regular expression"),
        ("artefacts:\n  - {name: empty, pattern: 'a*'}\n", r"artefacts\.yaml: artefacts\[\d+\] \(empty\): the pattern matches the empty string"),
        ("artefacts:\n  - {name: r, pattern: 'x', replace: 3}\n", r"artefacts\.yaml: artefacts\[\d+\] \(r\): 'replace' must be text"),
        ("artefacts:\n  - just a string\n", r"artefacts\.yaml: artefacts\[\d+\]: expected a mapping with a 'pattern'"),
    ],
)
def test_bad_artefact_entries_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str) -> None:
    """A malformed entry of a user's artefacts.yaml is a DataError naming the entry and what is wrong."""
    (tmp_path / "artefacts.yaml").write_text(content, encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    with pytest.raises(DataError, match=message):
        normalize("下一步，將推動。")


def test_user_artefacts_are_added(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's artefacts.yaml adds patterns after the shipped ones."""
    (tmp_path / "artefacts.yaml").write_text("artefacts:\n  - {name: site tag, pattern: '\\[本站\\]'}\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    assert normalize("[本站]技術(shù)研究").text == "技术研究"


def test_an_artefact_group_removes_only_that_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry whose pattern names a group `artefact` removes that group and keeps the context it matched."""
    entry = "artefacts:\n  - {name: star, pattern: '研(?P<artefact>\\*+)究'}\n"
    (tmp_path / "artefacts.yaml").write_text(entry, encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    nt = normalize("技術研**究，研*究")
    assert nt.text == "技术研究，研究"
    assert nt.to_original(2, 4) == (2, 6)


# ---------------------------------------------------------------- the offset map


def test_apply_edits_composes_maps() -> None:
    """Edits of equal length map one for one; shorter or longer ones map to the whole replaced span; deletions vanish."""
    text = "abcdef"
    starts, ends = identity_map(len(text))
    out, s1, e1 = apply_edits(text, starts, ends, [(0, 2, "X"), (2, 3, "YZ"), (4, 5, "")])
    assert out == "XYZdf"
    assert (list(s1), list(e1)) == ([0, 2, 2, 3, 5], [2, 3, 3, 4, 6])
    out2, s2, e2 = apply_edits(out, s1, e1, [(1, 3, "QR")])
    assert out2 == "XQRdf" and (list(s2), list(e2)) == ([0, 2, 2, 3, 5], [2, 3, 3, 4, 6])
    assert apply_edits(text, starts, ends, []) == (text, starts, ends)
    assert isinstance(s2, array)


# Pieces of a Traditional mirror text: (original, normalised).  Words end on a
# character, separators keep regional terms from running into each other, and
# artefacts follow a character.
_WORDS = st.sampled_from(
    [("工業", "工业"), ("推動", "推动"), ("雲端運算", "云计算"), ("雲端", "云"), ("電動車", "电动汽车"), ("訊號", "信号"),
     ("寬頻", "宽带"), ("軟體", "软件"), ("數位轉型", "数字化转型"), ("基地台", "基站"), ("演算法", "算法"), ("發展", "发展"),
     ("標準", "标准"), ("5G網路", "5G网络"), ("中小企", "中小企业"), ("可再生能源", "可再生能源"), ("高質素", "高质量")]
)
_ARTEFACTS = st.sampled_from(
    # (two spaces: a single one inside a clause is a space inside a word, and goes)
    [("", ""), ("(shù)", ""), ("（biāo）", ""), ("&nbsp;&nbsp;", "  "), ("<b>", ""), ("&ldquo;", "“"), ("👣", ""), ("❗\ufe0f", "")]
)
_SEPARATORS = st.sampled_from([("，", "，"), ("、", "、"), (",", "，"), ("；", "；"), ("和", "和")])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_WORDS, _ARTEFACTS, _SEPARATORS), min_size=1, max_size=12))
def test_offset_round_trip(pieces: list) -> None:
    """For any run of pieces, the normalised span maps back to exactly the original pieces, artefacts and all: quote == original[start:end]."""
    raw = "據報道，"
    clean = "据报道，"
    spans = []  # (normalised start, normalised end, original start, original end) per word
    for (w_raw, w_clean), (a_raw, a_clean), (s_raw, s_clean) in pieces:
        spans.append((len(clean), len(clean) + len(w_clean), len(raw), len(raw) + len(w_raw)))
        raw += w_raw + a_raw + s_raw
        clean += w_clean + a_clean + s_clean
    nt = normalize(raw)
    assert nt.text == clean.rstrip()
    ends = [nt.to_original(i, i + 1)[1] for i in range(len(nt.text))]
    assert list(nt.offsets) == sorted(nt.offsets) and ends == sorted(ends)
    for i in range(len(spans)):
        for j in range(i, len(spans)):
            s, e = nt.to_original(spans[i][0], spans[j][1])
            assert (s, e) == (spans[i][2], spans[j][3])
            quote = raw[s:e]
            first, last = pieces[i][0][0], pieces[j][0][0]
            assert quote.startswith(first) and quote.endswith(last)


_FOLD_PIECES = st.sampled_from(
    ["工業", "雲端運算", "電動車", "訊號", "技術", "(shù)", "（biāo）", "&nbsp;", "&ldquo;", "<p>", "|亚洲一区二区", "，", "、", "\n",
     "新闻资讯", "显著", "著", "隨著", "5G", " ", "中小企", "可再生能源", "【广告】", "\u200b", "👣", "，，", "12﹒4"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_FOLD_PIECES, max_size=12).map("".join))
def test_fold_is_idempotent(raw: str) -> None:
    """Folding a folded key changes nothing: fold(fold(s)) == fold(s), artefacts and regional terms included."""
    once = fold(raw)
    assert fold(once) == once


def test_fold_removes_a_run_of_annotations() -> None:
    """A run of pinyin annotations (业(shù)(shù)(shù)(shù)(shù)) is removed whole in one fold, not one per pass."""
    once = fold("工業(shù)(shù)(shù)(shù)(shù)(shù)")
    assert once == fold(once) == "工业"
