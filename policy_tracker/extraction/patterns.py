"""Compile the cue tables' alternations so that a search skips positions where no match can start.

Python's ``re`` scans a pattern like ``(?:下一步)|(?:后续)|(?:(?<![必])将…)|…`` by
trying every alternative at every position of the text: it only skips ahead
when every alternative opens with a plain literal, and a lookbehind or a
group in front of one alternative is enough to lose that.  :func:`compile_fast`
reads the set of characters any match must begin with from the parsed pattern
and puts it in front as a lookahead, ``(?=[下后今…])(?:…)``, which fails at
once at the other positions.  Every match of the pattern begins with one of
those characters, so the matches (spans, groups, names) are exactly the
same; when the set cannot be read (a pattern that can match the empty
string, ``.``, a negated class, flags that change case) the pattern is
compiled as written.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["compile_fast", "first_characters"]

try:  # the parser and compiler of the standard library's re (Python ≥ 3.11)
    from re import _compiler as _k
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - an interpreter without them compiles patterns as written
    _c = _k = _p = None  # type: ignore[assignment]

_GLOBAL_FLAGS = re.compile(r"\A\(\?[aiLmsux]+\)")
_LARGEST_RANGE = 0x3000  # a wider class range (the whole CJK block) is written as a range, not enumerated


_AT_START = "^"  # a fragment standing for "only where ^ matches" (an alternative anchored there)


class _Unknown(Exception):
    """The first characters of a piece of pattern cannot be read."""


def _items(seq: Any) -> list[tuple[Any, Any]]:
    return list(seq)


def _first(items: list[tuple[Any, Any]]) -> tuple[list[str], bool]:
    """Class fragments a match of ``items`` can begin with, and whether it can be empty."""
    out: list[str] = []
    for op, av in items:
        fragments, nullable = _one(op, av)
        out.extend(fragments)
        if not nullable:
            return out, False
    return out, True


def _char(code: int) -> str:
    return re.escape(chr(code))


def _one(op: Any, av: Any) -> tuple[list[str], bool]:
    c = _c
    if op is c.LITERAL:
        return [_char(av)], False
    if op is c.IN:
        out = []
        for kind, value in av:
            if kind is c.LITERAL:
                out.append(_char(value))
            elif kind is c.RANGE:
                out.append(f"{_char(value[0])}-{_char(value[1])}")
            elif kind is c.CATEGORY and value in (c.CATEGORY_DIGIT, c.CATEGORY_WORD, c.CATEGORY_SPACE):
                out.append({c.CATEGORY_DIGIT: r"\d", c.CATEGORY_WORD: r"\w", c.CATEGORY_SPACE: r"\s"}[value])
            else:  # a negated class, another category
                raise _Unknown
        return out, False
    if op is c.BRANCH:
        out, empty = [], False
        for alternative in av[1]:
            fragments, nullable = _first(_items(alternative))
            out.extend(fragments)
            empty = empty or nullable
        return out, empty
    if op is c.SUBPATTERN:
        if av[1] or av[2]:  # flags set or cleared inside the group
            raise _Unknown
        return _first(_items(av[-1]))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av
        fragments, nullable = _first(_items(sub))
        return fragments, nullable or low == 0
    if op is c.AT and av is c.AT_BEGINNING:
        return [_AT_START], False  # whatever follows, the match begins where ^ matches
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
        return [], True  # zero width: the match begins with what follows
    raise _Unknown  # ANY, NOT_LITERAL, group references, conditionals


def first_characters(source: str, flags: int = 0) -> str | None:
    """Where every match of ``source`` begins: a character class (``[下后今]``), ``(?:^|(?=[…]))`` when some
    alternatives are anchored at ``^``, or None when it cannot be read."""
    if _p is None or flags & (re.IGNORECASE | re.VERBOSE | re.LOCALE):
        return None
    try:
        parsed = _p.parse(source, flags)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE | re.LOCALE):
            return None
        fragments, nullable = _first(_items(parsed))
    except (_Unknown, re.error, AttributeError, TypeError, ValueError):
        return None
    if nullable or not fragments:
        return None
    chars = "".join(dict.fromkeys(f for f in fragments if f != _AT_START))
    if _AT_START not in fragments:
        return f"(?=[{chars}])"
    return f"(?:^|(?=[{chars}]))" if chars else "^"


def _skips_already(source: str, flags: int) -> bool:
    """Does ``re`` already skip ahead on ``source`` (a literal prefix, a first-character set, an anchor)?"""
    parsed = _p.parse(source, flags)
    try:
        if _k._get_literal_prefix(parsed, flags)[0] or _k._get_charset_prefix(parsed, flags):
            return True
    except (AttributeError, TypeError, ValueError):  # another interpreter's internals: judge by the first item
        pass
    items = _items(parsed)
    while items and items[0][0] is _c.SUBPATTERN:
        items = _items(items[0][1][-1])
    return bool(items) and items[0][0] in (_c.LITERAL, _c.IN, _c.AT)


def compile_fast(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, with the characters every match begins with as a leading lookahead.

    Raises ``re.error`` exactly when ``re.compile(source, flags)`` does.
    """
    plain = re.compile(source, flags)
    first = first_characters(source, flags)
    if first is None or _skips_already(source, flags):
        return plain
    lead = _GLOBAL_FLAGS.match(source)
    head = lead.group(0) if lead else ""
    try:
        return re.compile(f"{head}{first}(?:{source[len(head):]})", flags)
    except re.error:  # pragma: no cover - the class is built from the parsed pattern; keep the pattern as written
        return plain
