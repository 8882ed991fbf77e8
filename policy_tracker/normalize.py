"""A normalised view of a document's text, with a map back to the original.

Extraction works on the normalised text (Simplified characters, full-width
punctuation, “” quotes, layout line breaks joined, boilerplate lines dropped)
and reports every span in ORIGINAL offsets, so that a mention's quote is
always ``original[start:end]``.

Normalisation only ever *substitutes one character for one character* or
*deletes* characters, never inserts: the offset map is then simply the
original index of every normalised character.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from array import array
from collections.abc import Iterator
from pathlib import Path

import attrs

from .errors import DataError
from .resources import data_dir, _env_files

# Character ranges whose NFKC form is a single useful character (full-width
# Latin letters and digits, compatibility ideographs, Kangxi radicals, odd
# spaces).  Full-width PUNCTUATION is deliberately kept full-width.
_NFKC_RANGES = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A), (0xF900, 0xFAFF), (0x2F00, 0x2FDF), (0x2E80, 0x2EFF))
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
# Punctuation folded to full-width wherever it occurs.
_ALWAYS_FULL = {";": "；", "?": "？", "!": "！", "(": "（", ")": "）", "﹐": "，", "﹔": "；", "﹕": "：", "，": "，"}
# Every quotation mark style becomes “ or ”; ASCII " is paired per line below.
_QUOTES = {"「": "“", "」": "”", "『": "“", "』": "”", "‘": "“", "’": "”", "〝": "“", "〞": "”", "＂": '"', "‟": "“", "„": "“"}
# Zero-width characters and soft hyphens: deleted.
_DELETE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

_DELETE_RE = re.compile(f"[{_DELETE}]")
_COMMA = re.compile(r"(?<!\d),|,(?!\d)")
_COLON = re.compile(r"(?<![\dA-Za-z]):|:(?![\d/])")
_PERIOD_AFTER_CJK = re.compile(r"(?<=[\u4e00-\u9fff）”》%]) ?\.(?=\s|$|[\u4e00-\u9fff“《”’」』）\"')])")
_ENUM_DOT = re.compile(r"(?m)^(\s*\d{1,2})\.(?=[\u4e00-\u9fff])")
_ASCII_QUOTE = re.compile(r'"')
_CJK = re.compile(r"[\u4e00-\u9fff]")
# 著 is both Traditional 着 (著力, 隨著) and Simplified 著 (显著, 著名): fold it
# only where it is the aspect particle or the 着力/着重/着眼/着手 verb.
_ZHE = re.compile(r"著(?=力|重|眼|手|落|陆|急|实)|(?<=[随隨接沿朝向味顺順围圍绕繞伴])著")


def _table_lines(name: str) -> Iterator[tuple[Path, int, str]]:
    """``(path, line number, stripped line)`` of a shipped text table and the user's files of the same name."""
    for path in (data_dir() / name, *_env_files(name)):
        if not path.is_file():
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if line and not line.startswith("#"):
                yield path, lineno, line


@functools.lru_cache(maxsize=1)
def traditional_table() -> dict[str, str]:
    """The Traditional→Simplified character table from ``data/traditional.txt`` (plus user files)."""
    table: dict[str, str] = {}
    for path, lineno, line in _table_lines("traditional.txt"):
        for token in line.split():
            if len(token) != 2:
                raise DataError(f"{path}:{lineno}: token {token!r}: expected two characters (Traditional then Simplified)")
            table[token[0]] = token[1]
    return table


@functools.lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    """One-character-to-one-character translation table used by :func:`fold_chars`."""
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
    for src, dst in traditional_table().items():
        table[ord(src)] = dst
    return table


@functools.lru_cache(maxsize=1)
def _word_table() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    """Word-level pairs of ``data/traditional_words.txt`` (keys folded), their pattern, and a Traditional-character detector."""
    chars = traditional_table()
    words: dict[str, str] = {}
    for path, lineno, line in _table_lines("traditional_words.txt"):
        parts = line.split()
        if len(parts) != 2:
            raise DataError(f"{path}:{lineno}: expected 'Traditional-term mainland-term', got {line!r}")
        key = "".join(chars.get(ch, ch) for ch in parts[0])
        if len(key) != len(parts[1]):
            raise DataError(
                f"{path}:{lineno}: {parts[0]!r} and {parts[1]!r} differ in length; "
                "only same-length pairs keep the offset map exact, drop or rewrite the pair"
            )
        words[key] = parts[1]
    pattern = "|".join(sorted(map(re.escape, words), key=len, reverse=True)) or "(?!)"
    detector = "[" + "".join(sorted(re.escape(ch) for ch in chars)) + "]" if chars else "(?!)"
    return words, re.compile(pattern), re.compile(detector)


def _fold_words(original: str, folded: str) -> str:
    """Apply the word-level table to ``folded`` when ``original`` has Traditional characters (same length)."""
    words, pattern, detector = _word_table()
    if not words or not detector.search(original):
        return folded
    return pattern.sub(lambda m: words[m.group(0)], folded)


def _pair_quotes(match_text: str) -> str:
    out = []
    opening = True
    for ch in match_text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def fold_chars(text: str) -> str:
    """Fold ``text`` character by character, keeping its length.

    Traditional→Simplified (characters, then the same-length terms of
    ``data/traditional_words.txt`` such as 網路 → 网络 in texts that have
    Traditional characters), full-width letters/digits → ASCII, ASCII
    punctuation → full-width where it is punctuation (not ``1,000`` or
    ``13:00``), every quotation mark → “”.  Zero-width characters are kept
    here (:func:`normalize` and :func:`fold` delete them).
    """
    original = text
    text = text.translate(_translation())
    if "著" in text:
        text = _ZHE.sub("着", text)
    text = _fold_words(original, text)
    if "," in text:
        text = _COMMA.sub("，", text)
    if ":" in text:
        text = _COLON.sub("：", text)
    if "." in text:
        text = _ENUM_DOT.sub(r"\1．", text)
        text = _PERIOD_AFTER_CJK.sub(lambda m: m.group(0).replace(".", "。"), text)
    if '"' in text:
        text = "\n".join(_pair_quotes(line) if '"' in line else line for line in text.split("\n"))
    return text


def fold(s: str) -> str:
    """Fold a short string for use as a matching key.

    NFKC for compatibility characters, Traditional→Simplified, punctuation and
    quotes as in :func:`fold_chars`; zero-width characters removed and
    surrounding whitespace stripped.  ``fold(fold(s)) == fold(s)``.
    """
    s = "".join(ch for ch in s if ch not in _DELETE)
    return fold_chars(s).strip()


@attrs.frozen
class NormalizedText:
    """Normalised text plus, for every character, its index in the original.

    ``offsets[i]`` is the original index of ``text[i]``; ``offsets`` has one
    extra final element, the original length (or the end of the last kept
    character), so that empty spans at the end map too.
    """

    text: str
    offsets: array = attrs.field(repr=False, eq=False)  # array('l'), len(text) + 1
    original_length: int = 0

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` to the original text.

        The result covers every original character between the first and the
        last normalised character of the span (including any dropped layout
        characters in between).
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) outside the normalised text of length {len(self.text)}")
        if start == end:
            pos = self.offsets[start]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def to_normalized(self, position: int) -> int:
        """The normalised index of the first kept character at or after original ``position``."""
        import bisect

        return bisect.bisect_left(self.offsets, position, 0, len(self.text))


def _load_boilerplate() -> re.Pattern[str]:
    from .resources import load_table

    cues = load_table("cues.yaml") or {}
    patterns = cues.get("boilerplate") or []
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)")
    except re.error as exc:
        raise DataError(f"cues.yaml: boilerplate: invalid regular expression ({exc}); fix the pattern") from exc


_BOILERPLATE: re.Pattern[str] | None = None
_MARKUP = re.compile(r"^[\s#>*_\-]*|[\s*_]*$")
_TERMINAL = "。！？；…：”）》"
_JOINABLE_END = re.compile(r"[\u4e00-\u9fffA-Za-z0-9、，“（]$")
_JOINABLE_START = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9，。、；：？！”）%]")
_NOT_CONTINUATION = re.compile(
    r"^(?:[一二三四五六七八九十]+是|\d{1,2}[．.、]|[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十]+|"
    r"[\u4e00-\u9fff]{2,5}[：:]|问[：:]|答[：:]|#|\*|!\[|-\s|\d{4}[-年])"
)
_SENTENCE_PUNCT = re.compile(r"[，。；]")


def _boilerplate() -> re.Pattern[str]:
    global _BOILERPLATE
    if _BOILERPLATE is None:
        _BOILERPLATE = _load_boilerplate()
    return _BOILERPLATE


def _is_boilerplate(line: str) -> bool:
    core = _MARKUP.sub("", line)
    if not core:
        return False
    return bool(_boilerplate().search(core))


def _joins(prev: str, nxt: str) -> bool:
    """Is the break between line ``prev`` and line ``nxt`` a layout break inside a sentence?"""
    p = prev.rstrip()
    n = nxt.lstrip()
    if not p or not n:
        return False
    if p.lstrip().startswith(("#", "*", "- ", "!", ">")) or p.endswith(("*", "_")):
        return False
    if not _JOINABLE_END.search(p) or not _JOINABLE_START.search(n):
        return False
    if _NOT_CONTINUATION.match(n):
        return False
    # A heading has no sentence punctuation; a paragraph cut by the layout has.
    return bool(_SENTENCE_PUNCT.search(p))


def normalize(original: str) -> NormalizedText:
    """The normalised view of ``original`` with an offset map back into it.

    - characters folded by :func:`fold_chars` (one for one);
    - zero-width characters deleted;
    - Markdown image lines and site boilerplate lines (校对, 责任编辑,
      disclaimers, 来源 …; patterns in ``data/cues.yaml``) deleted;
    - a line break that the page layout put inside a sentence
      (``亮点纷\\n\\n\\n\\n呈``) deleted together with the blank lines around it;
      between two Latin letters or digits the first newline becomes a space.
    - other runs of blank lines collapse to one ``\\n``.
    """
    folded = fold_chars(original)
    keep: list[tuple[int, int]] = []  # spans of `folded` kept, in order
    subst: dict[int, str] = {}  # folded index -> replacement character
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in folded.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    # Keep non-blank, non-boilerplate lines.
    content = [(s, e) for s, e in lines if folded[s:e].strip() and not _is_boilerplate(folded[s:e])]
    prev_end: int | None = None
    prev_text = ""
    for s, e in content:
        text = folded[s:e]
        if prev_end is not None:
            if _joins(prev_text, text):
                # Drop the break entirely; keep a space between two alphanumerics.
                if prev_text.rstrip()[-1:].isascii() and prev_text.rstrip()[-1:].isalnum() and text.lstrip()[:1].isascii() and text.lstrip()[:1].isalnum():
                    subst[prev_end] = " "
                    keep.append((prev_end, prev_end + 1))
                # trailing spaces of prev / leading of next are trimmed below
            else:
                subst[prev_end] = "\n"
                keep.append((prev_end, prev_end + 1))
        keep.append((s, e))
        prev_end = e
        prev_text = text
    parts: list[str] = []
    offsets = array("l")
    for s, e in keep:
        if e - s == 1 and s in subst:
            parts.append(subst[s])
            offsets.append(s)
            continue
        chunk = folded[s:e]
        if _DELETE_RE.search(chunk):
            for i, c in enumerate(chunk):
                if c not in _DELETE:
                    parts.append(c)
                    offsets.append(s + i)
        else:
            parts.append(chunk)
            offsets.extend(range(s, e))
    text = "".join(parts)
    end = (offsets[-1] + 1) if len(offsets) else 0
    offsets.append(end)
    return NormalizedText(text=text, offsets=offsets, original_length=len(original))
