"""The character layer of normalisation: one character for one, so the text keeps its length.

:func:`fold_chars` folds widths, punctuation and quotation marks, and converts
Traditional characters to Simplified.

The conversion is OpenCC's (``hk2s``: Hong Kong variants such as 説 閲 綫 衞
and standard Traditional, with its phrase dictionary, so 乾隆, 瞭望 and 頭髮
come out right), with two editable tables around it:

- ``data/traditional.txt`` — characters converted *before* OpenCC, whatever
  OpenCC would do (variants it leaves alone: 銲 → 焊, 牠 → 它, 簷 → 檐 …);
- ``data/traditional_words.txt`` — same-length corrections of OpenCC's
  output (规画 → 规划, 原着 → 原著 …), applied only to texts that had
  Traditional characters.

著 is the one character the Hong Kong and Taiwan conventions read
differently: in Taiwan text it is mostly the particle 着 (隨著, 意味著), in a
mainland text always 著 (显著, 著名).  OpenCC's ``tw2s`` knows the Taiwan
words; it is consulted for 著 only, and only in texts that have Traditional
characters (run over Simplified text it turns 显著 into 显着).

The offset map of :mod:`policy_tracker.extraction.normalize` relies on the length being
kept.  OpenCC's configurations used here do keep it, but the result is
checked, and a piece whose conversion changes length is converted clause by
clause, then character by character, keeping the original character where
even that fails (:func:`convert_keeping_length`).
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable

from ..errors import DataError, PolicyTrackerError
from ..resources import ENV_VAR, text_table_lines

__all__ = ["convert_keeping_length", "fold_chars", "fold_chars_detect", "overrides", "to_simplified", "word_fixes"]

# hk2s: Hong Kong variants, then Traditional → Simplified (phrases, then characters).
BASE_CONFIG = "hk2s"
# tw2s reads 著 as the particle except in the words of its phrase table (顯著, 著名, 著作).
ZHE_CONFIG = "tw2s"

# Character ranges whose NFKC form is a single useful character (full-width
# Latin letters and digits, compatibility ideographs, Kangxi radicals, odd
# spaces).  Full-width PUNCTUATION is deliberately kept full-width.
_NFKC_RANGES = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A), (0xF900, 0xFAFF), (0x2F00, 0x2FDF), (0x2E80, 0x2EFF))
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
# Punctuation folded to full-width wherever it occurs.
_ALWAYS_FULL = {";": "；", "?": "？", "!": "！", "(": "（", ")": "）", "﹐": "，", "﹔": "；", "﹕": "：", "，": "，"}
# Every quotation mark style becomes “ or ”; ASCII " is paired per line below.
_QUOTES = {"「": "“", "」": "”", "『": "“", "』": "”", "‘": "“", "’": "”", "〝": "“", "〞": "”", "＂": '"', "‟": "“", "„": "“"}

_COMMA = re.compile(r"(?<!\d),|,(?!\d)")
# An ASCII comma between Latin tokens with no space ("加快4K/8K,VR/AR等新技术应用", "5G,6G")
# lists names, as 、 does; it does not end a clause.
_LATIN_LIST_COMMA = re.compile(r"(?<=[A-Za-z0-9]),(?=[A-Za-z])|(?<=[A-Za-z]),(?=\d)")
_COLON = re.compile(r"(?<![\dA-Za-z]):|:(?![\d/])")
_PERIOD_AFTER_CJK = re.compile(r"(?<=[\u4e00-\u9fff）”》%]) ?\.(?=\s|$|[\u4e00-\u9fff“《”’」』）\"')])")
_ENUM_DOT = re.compile(r"(?m)^(\s*\d{1,2})\.(?=[\u4e00-\u9fff])")

# A conversion that changed length is retried on these smaller pieces.
_PIECES = re.compile(r"[^\n。！？；，、：]*[\n。！？；，、：]?")


@functools.lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    """Widths, spaces, punctuation and quotation marks, one character for one."""
    table: dict[int, str] = {}
    for lo, hi in _NFKC_RANGES:
        for cp in range(lo, hi + 1):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if len(folded) == 1 and folded != chr(cp):
                table[cp] = folded
    table[ord("％")] = "%"
    for ch in _SPACES:
        table[ord(ch)] = " "
    for src, dst in {**_ALWAYS_FULL, **_QUOTES}.items():
        table[ord(src)] = dst
    return table


# ---------------------------------------------------------------- OpenCC


@functools.lru_cache(maxsize=4)
def _opencc(config: str) -> Callable[[str], str]:
    try:
        import opencc
    except ImportError as exc:  # a core dependency: only a broken install gets here
        raise PolicyTrackerError(
            "the opencc package (OpenCC, Traditional → Simplified) is missing; reinstall policy-tracker "
            "or run: pip install 'opencc>=1.1.9'"
        ) from exc
    try:
        # Without the "tofu risk" dictionary, whose targets are rare characters fonts lack.
        converter = opencc.OpenCC(config, include_tofu_risk_dictionaries=False)
    except TypeError:  # an opencc without that option
        converter = opencc.OpenCC(config)
    return converter.convert


def convert_keeping_length(text: str, convert: Callable[[str], str]) -> str:
    """``convert(text)``, but never of another length.

    When the whole text changes length, each clause (up to ``，。；`` or a line
    end) is converted on its own; a clause that still changes length is
    converted character by character, and a character whose conversion is not
    exactly one character is kept as it is.
    """
    out = convert(text)
    if len(out) == len(text):
        return out
    parts = []
    for piece in _PIECES.findall(text):
        converted = convert(piece)
        if len(converted) != len(piece):
            converted = "".join(c if len(c := convert(ch)) == 1 else ch for ch in piece)
        parts.append(converted)
    return "".join(parts)


# ---------------------------------------------------------------- tables


@functools.lru_cache(maxsize=4)
def _overrides(env: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for path, lineno, line in text_table_lines("traditional.txt"):
        for token in line.split():
            if len(token) != 2:
                raise DataError(f"{path}:{lineno}: token {token!r}: expected two characters (as found, then the mainland form)")
            table[token[0]] = token[1]
    return table


def overrides() -> dict[str, str]:
    """The characters of ``data/traditional.txt`` (plus user files), converted this way before OpenCC sees the text."""
    return _overrides(os.environ.get(ENV_VAR, ""))


@functools.lru_cache(maxsize=4)
def _override_pattern(env: str) -> re.Pattern[str]:
    # A character class finds the rare overridden characters much faster than str.translate visits every one.
    table = _overrides(env)
    return re.compile("[" + "".join(map(re.escape, sorted(table))) + "]" if table else "(?!)")


def _script(text: str, traditional: bool | None, env: str) -> tuple[str, bool]:
    """Overrides, OpenCC and the 著 reading: ``(converted text, had Traditional characters)``."""
    if text.isascii():
        return text, bool(traditional)
    pattern = _override_pattern(env)
    first = pattern.sub(lambda m: _overrides(env)[m.group(0)], text) if pattern.search(text) else text
    converted = convert_keeping_length(first, _opencc(BASE_CONFIG))
    if traditional is None:
        traditional = converted != text
    if traditional and "著" in converted:
        taiwan = convert_keeping_length(first, _opencc(ZHE_CONFIG))
        converted = "".join("着" if ch == "著" and taiwan[i] == "着" else ch for i, ch in enumerate(converted))
    return converted, traditional


@functools.lru_cache(maxsize=4)
def _word_fixes(env: str) -> tuple[dict[str, str], re.Pattern[str]]:
    words: dict[str, str] = {}
    for path, lineno, line in text_table_lines("traditional_words.txt"):
        parts = line.split()
        if len(parts) != 2:
            raise DataError(f"{path}:{lineno}: expected 'converted-form correct-form' separated by whitespace, got {line!r}")
        # The left side may be written in Traditional (規畫) or as OpenCC outputs it (规画).
        key = _script(parts[0], True, env)[0]
        if len(key) != len(parts[1]):
            raise DataError(
                f"{path}:{lineno}: {parts[0]!r} and {parts[1]!r} differ in length; corrections of the character "
                "layer must keep the length: put vocabulary such as 雲端 → 云 in regional_terms.txt instead"
            )
        if key != parts[1]:
            words[key] = parts[1]
    pattern = "|".join(sorted(map(re.escape, words), key=lambda w: (-len(w), w))) or "(?!)"
    return words, re.compile(pattern)


def word_fixes() -> tuple[dict[str, str], re.Pattern[str]]:
    """The corrections of ``data/traditional_words.txt`` (plus user files), keyed by the converter's output, and their pattern."""
    return _word_fixes(os.environ.get(ENV_VAR, ""))


def to_simplified(text: str, *, traditional: bool | None = None, env: str | None = None) -> tuple[str, bool]:
    """``text`` in Simplified characters, of the same length, and whether it had Traditional characters.

    ``traditional`` forces reading the text as Traditional (``True``) or as
    Simplified (``False``) instead of detecting it.  ``env`` is the value of
    ``POLICY_TRACKER_DATA`` when the caller has already read it.
    """
    env = os.environ.get(ENV_VAR, "") if env is None else env
    converted, is_traditional = _script(text, traditional, env)
    if is_traditional:
        words, pattern = _word_fixes(env)
        if words:
            converted = pattern.sub(lambda m: words[m.group(0)], converted)
    return converted, is_traditional


# ---------------------------------------------------------------- the whole layer


def _pair_quotes(line: str) -> str:
    out = []
    opening = True
    for ch in line:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def fold_chars_detect(text: str, *, traditional: bool | None = None, env: str | None = None) -> tuple[str, bool]:
    """:func:`fold_chars` of ``text`` and whether it had Traditional characters."""
    text = text.translate(_translation())
    text, is_traditional = to_simplified(text, traditional=traditional, env=env)
    if "," in text:
        text = _COMMA.sub("，", _LATIN_LIST_COMMA.sub("、", text))
    if ":" in text:
        text = _COLON.sub("：", text)
    if "." in text:
        text = _ENUM_DOT.sub(r"\1．", text)
        text = _PERIOD_AFTER_CJK.sub(lambda m: m.group(0).replace(".", "。"), text)
    if '"' in text:
        text = "\n".join(_pair_quotes(line) if '"' in line else line for line in text.split("\n"))
    return text, is_traditional


def fold_chars(text: str) -> str:
    """Fold ``text`` character by character, keeping its length.

    Traditional → Simplified (:func:`to_simplified`), full-width
    letters/digits → ASCII, ASCII punctuation → full-width where it is
    punctuation (not ``1,000`` or ``13:00``), every quotation mark → “”.
    Zero-width characters are kept here (:func:`normalize.normalize` and
    :func:`normalize.fold` delete them).
    """
    return fold_chars_detect(text)[0]

