"""Tests for policy_tracker.extraction.numerals: the one numeral parser (cn2an as an oracle: test_numerals_oracle.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policy_tracker.extraction import facets as attributes
from policy_tracker.matching import keys
from policy_tracker.extraction.numerals import NUMBER, chinese_count, chinese_number, quantity

PACKAGE = Path(__file__).resolve().parent.parent / "policy_tracker"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the bugs of issue 13
        ("一万亿", 1_000_000_000_000),
        ("五十万亿", 50_000_000_000_000),
        ("二〇二五", 2025),
        ("一亿三千万", 130_000_000),
        # other forms
        ("十", 10),
        ("十四", 14),
        ("二十", 20),
        ("百", 100),
        ("万", 10_000),
        ("两千", 2000),
        ("两万", 20_000),
        ("三千五百", 3500),
        ("一百零五", 105),
        ("一千零五十", 1050),
        ("一万零一十", 10_010),
        ("一亿零一万", 100_010_000),
        ("十万亿", 10_000_000_000_000),
        ("两万三千亿", 2_300_000_000_000),
        ("三万五", 35_000),
        ("一千五", 1500),
        ("廿", 20),
        ("廿五", 25),
        ("卅", 30),
        ("二○二五", 2025),
        ("二零二五", 2025),
        ("一九九八", 1998),
        ("一〇五", 105),
        ("零", 0),
        ("1,000", 1000),
        ("12,345,678", 12_345_678),
        ("１０００", 1000),
        ("1.5万", 15_000),
        ("1.1万", 11_000),
        ("8.1万亿", 8_100_000_000_000),
        ("5千万", 50_000_000),
        ("1万5000", 15_000),
        ("3000万", 30_000_000),
    ],
)
def test_chinese_number(text: str, value: int) -> None:
    """Plain numbers, Chinese, Arabic or mixed, read to their exact value."""
    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "x", "三四", "五六", "五五", "十几", "千余", "数十", "一二三x"])
def test_not_a_plain_number(text: str) -> None:
    """Two bare digits (三四: three or four), approximate forms and other text are no plain number."""
    assert chinese_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("两千", (2000, None)),
        ("数十", (10, "数")),
        ("几百", (100, "几")),
        ("上千", (1000, "上")),
        ("数十万", (100_000, "数")),
        ("十几", (10, "几")),
        ("十几万", (100_000, "几")),
        ("千余", (1000, "余")),
        ("万余", (10_000, "余")),
        ("3000余", (3000, "余")),
        ("二十多万", (200_000, "多")),
        ("200多万", (2_000_000, "多")),
    ],
)
def test_quantity(text: str, expected: tuple[int, str | None]) -> None:
    """Approximate numbers keep the round number written as a lower bound and the word that makes them approximate."""
    assert quantity(text) == expected


@pytest.mark.parametrize(("text", "value"), [("十", 10), ("三千", 3000), ("两", 2), ("一百零五", 105), ("五五", None), ("1.5", None), ("1.5万", 15000)])
def test_chinese_count(text: str, value: int | None) -> None:
    """chinese_count gives whole numbers only (matching keys turn counts into digits)."""
    assert chinese_count(text) == value


@pytest.mark.parametrize(
    ("text", "whole"),
    [("数十", True), ("十几万", True), ("万余", True), ("1,000", True), ("1.5万", True), ("二〇二五", True), ("万", False)],
)
def test_number_pattern(text: str, whole: bool) -> None:
    """NUMBER (the pattern other modules embed) takes a whole numeral; a bare 万 is no number."""
    assert bool(re.fullmatch(NUMBER, text)) == whole


def test_one_numeral_table() -> None:
    """The digit/unit tables exist once, in numerals.py; keys and attributes use that parser."""
    holders = [p.name for p in PACKAGE.rglob("*.py") if '"〇": 0' in p.read_text(encoding="utf-8")]
    assert holders == ["numerals.py"]
    assert attributes.chinese_number is chinese_number
    assert keys.chinese_count is chinese_count
