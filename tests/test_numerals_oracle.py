"""policy_tracker.extraction.numerals against cn2an, a test-time oracle (the `test` extra; never a runtime dependency)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_tracker.extraction.numerals import NUMBER, chinese_number

# a worktree whose venv predates the `test` extra's cn2an skips these instead of failing to import
cn2an = pytest.importorskip("cn2an", reason="cn2an is in the test extra: pip install -e '.[test]'")

# forms cn2an reads (it raises on 千 alone, 十几, 万余, 百分之十: those are checked against hand-written values above)
ORACLE_FORMS = [
    "十", "十五", "二十", "一百零五", "一百一十", "两千", "三千五百", "一千零五十", "两万", "一万零一十",
    "一亿零一万", "一亿三千万", "一万亿", "五十万亿", "十万亿", "两万三千亿", "三万五", "一千五", "廿",
    "二〇二五", "一九九八", "零", "九千九百九十九万九千九百九十九",
]  # fmt: skip


@pytest.mark.parametrize("text", ORACLE_FORMS)
def test_agrees_with_cn2an(text: str) -> None:
    """On the forms cn2an handles, the parser gives cn2an's value."""
    assert chinese_number(text) == cn2an.cn2an(text, "smart")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_round_trip_through_chinese(n: int) -> None:
    """Any number 0…10^13 written in Chinese (by cn2an) parses back to itself, also with 两 for a leading 二."""
    written = cn2an.an2cn(n)
    assert chinese_number(written) == n
    if written.startswith("二") and len(written) > 1 and written[1] in "千万亿":
        assert chinese_number("两" + written[1:]) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(["", "万", "亿", "万亿"]))
def test_round_trip_arabic_with_magnitude(n: int, magnitude: str) -> None:
    """Arabic digits with thousands separators and a Chinese magnitude (1,000万) keep their exact value."""
    scale = {"": 1, "万": 10**4, "亿": 10**8, "万亿": 10**12}[magnitude]
    assert chinese_number(f"{n:,}{magnitude}") == n * scale
    assert re.fullmatch(NUMBER, f"{n:,}{magnitude}")
