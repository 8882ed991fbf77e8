"""Tests for policy_tracker.extraction.characters: OpenCC with overrides and corrections, length kept, tables editable."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_tracker.extraction import characters
from policy_tracker.extraction.characters import convert_keeping_length, fold_chars, fold_chars_detect, overrides, to_simplified, word_fixes
from policy_tracker.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "conversion_cases.tsv"
# A Traditional sentence around each case: a phrase alone (意味著) does not show its script.
CONTEXT = ("據報道，", "。", "据报道，", "。")


def cases(section: str) -> list[tuple[str, str]]:
    """The (original, mainland) pairs of one section of tests/data/conversion_cases.tsv."""
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            sec, original, expected, _why = line.split("\t")
            if sec == section:
                rows.append((original, expected))
    return rows


@pytest.mark.parametrize(("original", "expected"), cases("characters"))
def test_conversion_table(original: str, expected: str) -> None:
    """Each tricky phrase of the conversion table comes out in its mainland form, inside a Traditional sentence."""
    before, after, s_before, s_after = CONTEXT
    assert fold_chars(before + original + after) == s_before + expected + s_after


def test_conversion_table_is_large() -> None:
    """The table covers the issue's characters and well over fifty tricky phrases."""
    originals = "".join(o for o, _ in cases("characters"))
    assert len(cases("characters")) >= 50
    assert all(ch in originals for ch in "粵丟恆説閲鋭鈎乾瞭著髮麵隻臺於範製準")


@pytest.mark.parametrize("text", ["成效显著，前三季度", "乾隆年间的瞭望台", "卓著", "随着经济发展，著名企业"])
def test_simplified_text_is_left_alone(text: str) -> None:
    """A Simplified text passes the character layer unchanged and is not taken for Traditional (显著 stays)."""
    assert to_simplified(text) == (text, False)


def test_seeds_are_simplified(seeds_dir: Path) -> None:
    """The shipped seed briefings are read as Simplified and come out of the character layer unchanged."""
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert to_simplified(text) == (text, False), path.name


def test_traditional_is_detected() -> None:
    """A text that OpenCC changes is reported as Traditional."""
    assert to_simplified("工信部將加快推進") == ("工信部将加快推进", True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("經濟復甦", "经济复苏"),  # OpenCC leaves 甦
        ("銲接", "焊接"),
        ("鑪", "炉"),  # OpenCC gives a rare Extension-B character
    ],
)
def test_overrides_win_over_opencc(raw: str, expected: str) -> None:
    """Characters of data/traditional.txt are converted as listed whatever OpenCC does."""
    assert fold_chars(raw) == expected


def test_overrides_are_one_to_one_and_leave_shared_characters_alone() -> None:
    """The override table maps single characters and never one that is also Simplified (覆, 乾, 瞭, 著)."""
    table = overrides()
    assert table and all(len(k) == 1 and len(v) == 1 for k, v in table.items())
    assert not {"覆", "乾", "瞭", "著", "干"} & set(table)


def test_word_fixes_are_keyed_by_the_converter_output() -> None:
    """A correction written in Traditional (規畫) is keyed by what OpenCC makes of it (规画)."""
    words, _ = word_fixes()
    assert words["规画"] == "规划"
    assert all(len(k) == len(v) for k, v in words.items())


def test_user_override_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's traditional.txt (POLICY_TRACKER_DATA) adds overrides, which win over OpenCC's phrases."""
    (tmp_path / "traditional.txt").write_text("# mine\n瞭了\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    assert fold_chars("瞭望") == "了望"
    monkeypatch.delenv("POLICY_TRACKER_DATA")
    assert fold_chars("瞭望") == "瞭望"


def test_user_word_fix_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's traditional_words.txt corrects the converter's output in Traditional texts."""
    (tmp_path / "traditional_words.txt").write_text("乾坤 干坤\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    assert fold_chars("據報道，乾坤") == "据报道，干坤"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("traditional.txt", "萬万 與\n", r"traditional.txt:1: token '與': expected two characters"),
        ("traditional_words.txt", "# c\n規畫\n", r"traditional_words.txt:2: expected 'converted-form correct-form'"),
        ("traditional_words.txt", "雲端 云\n", r"traditional_words.txt:1: .*differ in length"),
    ],
)
def test_bad_table_lines_name_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: str, message: str) -> None:
    """A malformed line of a user's character table is a DataError naming the file and line."""
    (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    with pytest.raises(DataError, match=message):
        fold_chars("據報道，發展")


def _shrinking(text: str) -> str:
    """A converter that shortens 雲端 to 云 and converts 發 to 发 (length changes)."""
    return text.replace("雲端", "云").replace("發", "发")


def test_convert_keeping_length_falls_back_by_clause_then_character() -> None:
    """A conversion that changes length is redone clause by clause, then character by character."""
    text = "雲端發展，發佈\n發"
    out = convert_keeping_length(text, _shrinking)
    assert len(out) == len(text)
    assert out == "雲端发展，发佈\n发"  # the clause with 雲端 per character; the others whole


def test_convert_keeping_length_keeps_characters_that_expand() -> None:
    """A character whose conversion is not exactly one character is kept as it is."""
    out = convert_keeping_length("甲乙丙", lambda s: s.replace("乙", "乙乙"))
    assert out == "甲乙丙"


def test_fold_chars_keeps_length_when_opencc_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should OpenCC ever change a text's length, the character layer still keeps it, so offsets stay valid."""
    monkeypatch.setattr(characters, "_opencc", lambda config: _shrinking)
    text = "下一步，將推進雲端發展。\n發佈"
    folded, traditional = fold_chars_detect(text)
    assert len(folded) == len(text)
    assert traditional and "发展" in folded and "雲端" in folded
