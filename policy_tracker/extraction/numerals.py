"""Numerals: the one place that knows how Chinese and Arabic numbers are written.

Targets (``attributes.parse_targets``), deadlines (``二〇二五年前``, ``三年内``)
and matching keys (``keys.normalise_numbers``) all read numbers through this
module, so a numeral means the same thing on every path.

* :func:`chinese_number` — the value of a plain number, Chinese, Arabic or
  mixed: ``一万亿`` 10¹², ``一亿三千万`` 130,000,000, ``三万五`` 35,000, ``廿``
  20, ``二〇二五`` 2025 (a unit-less run of three or more digits, or one with a
  zero, is read digit by digit), ``1,000``, ``1.5万``, ``５万``.  ``None``
  for anything that is not a plain number, among them two bare digits
  (``三四``: "three or four") and approximate forms;
* :func:`quantity` — a number that may be approximate: ``数十`` / ``几百`` /
  ``上千`` (several tens, a few hundred, up to a thousand), ``十几`` / ``千余``
  / ``万余`` / ``3000多`` (ten-odd, a thousand and more).  The value is the
  round number written (a lower bound) and ``approx`` the word that makes it
  approximate (数, 几, 上, 余, 多), so 数十家 is "more than 10", never exactly 10;
* :data:`NUMBER` — a regular expression (no groups) for one such number, for
  the patterns of the other modules to embed.

Arithmetic is exact (:class:`decimal.Decimal`): ``1.1万`` is 11,000.0, not
11,000.000000000002.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "APPROX_AFTER",
    "APPROX_BEFORE",
    "DIGITS",
    "MAGNITUDES",
    "NUMBER",
    "NUMERAL_CHARS",
    "TENS",
    "UNITS",
    "chinese_count",
    "chinese_number",
    "quantity",
]

# 〇 and ○ (a white circle, common in years typed as 二○二五) are zeros as well as 零
DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
TENS = {"廿": 20, "卅": 30}  # 廿 = 二十, 卅 = 三十
UNITS = {"十": 10, "百": 100, "千": 1000}
MAGNITUDES = {"万": 10_000, "亿": 100_000_000}
APPROX_BEFORE = "数几上"  # 数十, 几百, 上千: before a unit
APPROX_AFTER = "几余多"  # 十几, 千余, 3000多: after the number (or before its magnitude: 十几万)

_ZEROS = frozenset(c for c, v in DIGITS.items() if v == 0)
_DIGIT_CHARS = "".join(DIGITS)
_LEAD_CHARS = _DIGIT_CHARS + "".join(TENS) + "".join(UNITS)  # what a Chinese numeral can start with
_MAG_CHARS = "".join(MAGNITUDES)
NUMERAL_CHARS = _LEAD_CHARS + _MAG_CHARS
"""Every character of a Chinese numeral (digits, 廿/卅, units, magnitudes), for character classes."""

_ARABIC = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"  # \d takes full-width digits too
_ARABIC_RE = re.compile(_ARABIC)
_UNIT_CHARS = "".join(UNITS)

NUMBER = (
    rf"(?:[{APPROX_BEFORE}][{_UNIT_CHARS}{_MAG_CHARS}][{NUMERAL_CHARS}]*"  # 数十, 几百, 上千, 数十万
    rf"|{_ARABIC}(?:[千百]?[{_MAG_CHARS}]+)?"  # 3000, 1,000, 1.5万, 8.1万亿, 5千万
    rf"|[{_LEAD_CHARS}][{NUMERAL_CHARS}]*"  # 十, 两千, 一万亿, 一亿三千万, 二〇二五
    rf"|[{_MAG_CHARS}](?=[余多]))"  # 万余
    rf"(?:[{APPROX_AFTER}][{_MAG_CHARS}]*)?"  # 十几, 千余, 3000多, 十几万, 百余万
)
"""A regular expression (without groups) for one number as :func:`quantity` reads it."""


def _tokens(text: str) -> list[tuple[str, Decimal, str]] | None:
    """``(kind, value, text)`` per token: d(igit), n(Arabic number), t(廿/卅), u(nit), m(agnitude)."""
    out: list[tuple[str, Decimal, str]] = []
    i = 0
    while i < len(text):
        m = _ARABIC_RE.match(text, i)
        if m:
            try:
                out.append(("n", Decimal(m.group(0).replace(",", "")), m.group(0)))
            except InvalidOperation:  # pragma: no cover - the pattern only takes digits
                return None
            i = m.end()
            continue
        ch = text[i]
        if ch in DIGITS:
            out.append(("d", Decimal(DIGITS[ch]), ch))
        elif ch in TENS:
            out.append(("t", Decimal(TENS[ch]), ch))
        elif ch in UNITS:
            out.append(("u", Decimal(UNITS[ch]), ch))
        elif ch in MAGNITUDES:
            out.append(("m", Decimal(MAGNITUDES[ch]), ch))
        else:
            return None
        i += 1
    return out


def _value(tokens: list[tuple[str, Decimal, str]]) -> Decimal | None:
    kinds = {k for k, _, _ in tokens}
    if kinds == {"d"}:
        if len(tokens) == 1:
            return tokens[0][1]
        if len(tokens) == 2 and not any(t in _ZEROS for _, _, t in tokens):
            return None  # 三四, 五六: "three or four", not 34
        return Decimal("".join(str(v) for _, v, _ in tokens))  # 二〇二五, 一九九八: read digit by digit
    if kinds == {"n"} and len(tokens) == 1:
        return tokens[0][1]
    total = Decimal(0)  # multiples of 亿 already scaled
    wan = Decimal(0)  # multiples of 万 since the last 亿, scaled
    section = Decimal(0)  # below 万
    digit: Decimal | None = None
    digit_kind = ""
    scale: Decimal | None = None  # the unit just before a trailing digit: 三万五 is 35,000
    for kind, value, _ in tokens:
        if kind in "dn":
            if digit is not None:
                return None  # two numbers in a row inside a unit numeral
            if kind == "d" and value == 0:
                scale = None  # 一百零五: a placeholder zero, the 五 is units
                continue
            digit, digit_kind = value, kind
        elif kind == "t":
            if digit is not None:
                return None
            section += value
            scale = Decimal(10)
        elif kind == "u":
            section += (Decimal(1) if digit is None else digit) * value
            digit, scale = None, value
        else:
            if value == MAGNITUDES["万"]:
                block = wan + section + (digit or 0)
                wan = (block or 1) * value
            else:
                block = total + wan + section + (digit or 0)
                total, wan = (block or 1) * value, Decimal(0)
            section, digit, scale = Decimal(0), None, value
    if digit is not None:
        if digit_kind == "d" and scale is not None and scale >= 10:
            section += digit * scale / 10  # 三万五, 一千五, 一百五
        else:
            section += digit
    return total + wan + section


def chinese_number(text: str) -> float | None:
    """The value of a plain number (Chinese, Arabic or mixed); ``None`` if ``text`` is not one.

    ``十`` 10, ``两万`` 20,000, ``一百零五`` 105, ``一万亿`` 10¹², ``五十万亿``
    5×10¹³, ``二〇二五`` 2025, ``1,000`` 1000, ``1.5万`` 15,000.
    """
    if not text:
        return None
    tokens = _tokens(text)
    if not tokens:
        return None
    value = _value(tokens)
    return None if value is None else float(value)


def chinese_count(text: str) -> int | None:
    """A whole number written in Chinese (``十`` 10, ``三千`` 3000); ``None`` when it is not one (``五五``)."""
    value = chinese_number(text)
    if value is None or value != int(value):
        return None
    return int(value)


def quantity(text: str) -> tuple[float, str | None] | None:
    """``(value, approx)`` of a number that may be approximate; ``None`` if ``text`` is not a number.

    ``两千`` → (2000, None); ``数十`` → (10, 数); ``十几`` → (10, 几); ``千余``
    → (1000, 余); ``十几万`` → (100000, 几).  An approximate value is the
    round number written, a lower bound; ``approx`` is the word that says so.
    """
    approx: str | None = None
    rest = text
    if len(rest) > 1 and rest[0] in APPROX_BEFORE and rest[1] in UNITS.keys() | MAGNITUDES.keys():
        approx, rest = rest[0], rest[1:]
    for i, ch in enumerate(rest):
        if i and ch in APPROX_AFTER:
            approx = approx or ch
            rest = rest[:i] + rest[i + 1 :]
            break
    value = chinese_number(rest)
    return None if value is None else (value, approx)
