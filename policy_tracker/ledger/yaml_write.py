"""Write the ledger's plain data as YAML text, byte for byte what PyYAML's dumper writes, many times faster.

PyYAML turns every value into a node, every node into events and every
event into text; at 10⁵ mentions that is half a minute and a node tree of
more than a gigabyte.  The ledger's data has a known shape (mappings with
plain-text keys, lists, text, numbers, booleans, null) and almost every
text value is written either plain or in single quotes, so this writer
emits the block layout itself, in chunks, and decides a text value's style
with the rules of libyaml's emitter for the cases it can decide with
certainty (printable characters only, no line break, not too long).  Any
other value (a multi-line note, an emoji, a tab, an odd key) is written by
PyYAML's own dumper in the same place of a one-path document and its text
spliced in, so the output stays byte-identical (tests/test_yaml_write.py
compares the two on random awkward data).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import yaml

# The options every ledger file is dumped with (one home: yaml_io and folder both use them).
DUMP_OPTIONS: dict[str, Any] = {
    "allow_unicode": True, "sort_keys": False, "default_flow_style": False, "width": 1_000_000, "indent": 2,
}  # fmt: skip

# Text libyaml writes as it is or in single quotes: printable characters (its own definition: no
# C0/C1 controls, no BOM, nothing beyond the BMP, no U+2028/2029 line breaks), no line break, no tab.
_SIMPLE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]+")
# Of those, what forbids the plain style in block context (libyaml's "block indicators", leading or
# trailing space, a document marker); a leading '-', '?' or ':' is left to PyYAML (it depends on what follows).
_NOT_PLAIN = re.compile(r"[#,\[\]{}&*!|>'\"%@`\x20]|---|\.\.\.|.*(?:: |:$| #|\x20$)", re.S)
_NOT_DECIDED = frozenset("-?:")
# Far below the line width, so no line is ever folded.
_MAX_SIMPLE = 100_000
_BLOCK_HEADER = re.compile(r" [|>]\d?(\+)?")  # a block scalar's header; '+': keeps its final line breaks
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_INF = float("inf")
_CHUNK = 1 << 16  # pieces per chunk handed to the caller


def _resolves_to_str(text: str) -> bool:
    """Whether ``text`` written plain reads back as text (not a number, date, boolean or null)."""
    for _, regexp in (*_RESOLVERS.get(text[0], ()), *_RESOLVERS.get(None, ())):
        if regexp.match(text):
            return False
    return True


def simple_text(text: str) -> str | None:
    """``text`` as libyaml writes it in block context when that is certain (plain or single-quoted), else ``None``."""
    if len(text) > _MAX_SIMPLE or not _SIMPLE.fullmatch(text) or text[0] in _NOT_DECIDED:
        return None
    if _NOT_PLAIN.match(text) or not _resolves_to_str(text):
        return "'" + text.replace("'", "''") + "'"
    return text


def _float_text(value: float) -> str:
    """SafeRepresenter.represent_float's text."""
    if value != value:
        return ".nan"
    if value == _INF:
        return ".inf"
    if value == -_INF:
        return "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


class Unsupported(ValueError):
    """The data holds something this writer leaves to PyYAML as a whole (a mapping with odd keys, a set, bytes)."""


class LazyList:
    """A list of ``len(items)`` values made one at a time by ``convert`` while writing (nothing kept)."""

    def __init__(self, items: Sequence[Any], convert: Callable[[Any], Any]) -> None:
        self.items, self.convert = items, convert

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return map(self.convert, self.items)


_Path = tuple[Any, ...]  # keys (str) and list items (None) from the document root


class _Writer:
    """One document.  ``out`` collects text pieces; :func:`chunks` drains them as it goes."""

    def __init__(self, dumper: type, libyaml: bool) -> None:
        self.dumper, self.libyaml = dumper, libyaml
        self.out: list[str] = []
        self.cache: dict[str, str] = {}  # short text → what follows ``key:`` for it (" text\n")
        self.keys: set[str] = set()  # keys known to be written plain
        self.prefixes: dict[_Path, str] = {}
        # A '|+' block scalar was written: libyaml then ends the document with '...' (until its next
        # block scalar); pure PyYAML only when nothing was written after it (open_ended_at == len(out)).
        self.open_ended = False
        self.open_ended_at = -1

    # -------------------------------------------------------- values

    def scalar(self, value: Any) -> str | None:
        """The text after ``key:`` or ``-`` for a scalar (" text\\n"), or None for a collection or what PyYAML writes."""
        kind = type(value)
        if kind is str:
            line = self.cache.get(value)
            if line is None:
                simple = simple_text(value) if value else None
                if simple is None:
                    return None
                line = f" {simple}\n"
                if len(value) <= 64:
                    self.cache[value] = line
            return line
        if value is None:
            return " null\n"
        if kind is int:
            return f" {value}\n"
        if kind is bool:
            return " true\n" if value else " false\n"
        if kind is float:
            return f" {_float_text(value)}\n"
        return None

    def value(self, value: Any, indent: int, path: _Path, in_list: bool) -> None:
        """Write a value that :meth:`scalar` declined, after ``key:`` (``in_list`` False) or ``-`` (True)."""
        kind = type(value)
        if kind is dict:
            if not value:
                self.out.append(" {}\n")
            elif in_list:
                self.out.append(" ")
                self.mapping(value, indent + 2, path, inline=True)
            else:
                self.out.append("\n")
                self.mapping(value, indent + 2, path, inline=False)
        elif kind is list or kind is LazyList:
            if not len(value):
                self.out.append(" []\n")
            elif in_list:
                self.out.append(" ")
                self.sequence(value, indent + 2, path, inline=True)
            else:
                self.out.append("\n")
                self.sequence(value, indent, path, inline=False)  # indentless, as PyYAML writes it
        elif kind is str or kind is dt.date or kind is dt.datetime:
            self.fallback(value, path)
        else:
            raise Unsupported(f"a {kind.__name__} at {path!r}")

    def plain_keys(self, mapping: dict[Any, Any]) -> bool:
        """Whether every key is text written plain as a simple key (else PyYAML writes the mapping)."""
        known = self.keys
        for key in mapping:
            if key not in known:
                if type(key) is not str or not key or len(key) > 128 or simple_text(key) != key:
                    return False
                known.add(key)
        return True

    def mapping(self, mapping: dict[str, Any], indent: int, path: _Path, inline: bool) -> None:
        if not self.plain_keys(mapping):
            raise Unsupported(f"a mapping with keys PyYAML does not write plain at {path!r}")
        pad = " " * indent
        out, scalar = self.out, self.scalar
        first = inline
        for key, value in mapping.items():
            head = key if first else pad + key
            first = False
            line = scalar(value)
            if line is not None:
                out.append(f"{head}:{line}")
            else:
                out.append(f"{head}:")
                self.value(value, indent, (*path, key), False)

    def sequence(self, items: Iterable[Any], indent: int, path: _Path, inline: bool) -> None:
        dash = " " * indent + "-"
        out, scalar = self.out, self.scalar
        item_path = (*path, None)
        first = inline
        for item in items:
            head = "-" if first else dash
            first = False
            line = scalar(item)
            if line is not None:
                out.append(head + line)
            else:
                out.append(head)
                self.value(item, indent, item_path, True)

    def end(self) -> None:
        if self.open_ended and (self.libyaml or self.open_ended_at == len(self.out)):
            self.out.append("...\n")

    def drained(self) -> str:
        text = "".join(self.out)
        self.open_ended_at -= len(self.out)
        self.out.clear()
        return text

    # -------------------------------------------------------- what PyYAML writes itself

    def dump(self, data: Any) -> str:
        return yaml.dump(data, Dumper=self.dumper, **DUMP_OPTIONS)  # type: ignore[no-any-return]

    def _spine(self, value: Any, path: _Path) -> str:
        for part in reversed(path):
            value = [value] if part is None else {part: value}
        return self.dump(value)

    def fallback(self, value: Any, path: _Path) -> None:
        """Write ``value`` as PyYAML writes it at ``path``: dump a document holding only that path, keep the value's text."""
        prefix = self.prefixes.get(path)
        if prefix is None:
            marker = " PLACEHOLDER\n"
            prefix = self.prefixes[path] = self._spine(marker.strip(), path)[: -len(marker)]
        text = self._spine(value, path)
        if not text.startswith(prefix):  # pragma: no cover - PyYAML changed how it lays out a path
            raise AssertionError(f"cannot place {value!r} at {path!r}")
        text = text[len(prefix) :]
        block = _BLOCK_HEADER.match(text)
        if block and block[1] and text.endswith("...\n"):  # '|+': the document must end with '...'
            self.out.append(text[:-4])
            self.open_ended, self.open_ended_at = True, len(self.out)
            return
        if not self.libyaml or block:
            self.open_ended = False  # libyaml forgets it at its next block scalar, PyYAML at anything written
        self.out.append(text)


def chunks(data: Any, dumper: type, *, libyaml: bool = True) -> Iterator[str]:
    """The YAML text of ``data`` (as :func:`dump`) in pieces, so that a large document is never whole in memory.

    ``data`` is a mapping or a list; a :class:`LazyList` in it is converted one
    item at a time, and the text is handed on every :data:`_CHUNK` pieces.
    Raises :class:`Unsupported` (possibly after some pieces) for data it
    leaves to PyYAML: then write ``yaml.dump`` of the data instead.
    """
    writer = _Writer(dumper, libyaml)
    out = writer.out
    if type(data) is dict and data and writer.plain_keys(data):
        entries: Iterable[tuple[Any, Any]] = data.items()
    elif type(data) in (list, LazyList) and len(data):
        entries = [(None, data)]
    else:
        yield writer.dump(data)
        return
    for key, value in entries:
        if type(value) in (list, LazyList) and len(value):
            if key is not None:
                out.append(f"{key}:\n")
            path = (key,) if key is not None else ()
            for item in value:  # one at a time, to hand the text on as it grows
                writer.sequence((item,), 0, path, inline=False)
                if len(out) >= _CHUNK:
                    yield writer.drained()
        else:
            line = writer.scalar(value)
            out.append(f"{key}:" if line is None else f"{key}:{line}")
            if line is None:
                writer.value(value, 0, (key,), False)
    writer.end()
    yield writer.drained()


def dump(data: Any, dumper: type, *, libyaml: bool = True) -> str:
    """The YAML text of ``data``, as ``yaml.dump(data, Dumper=dumper, **DUMP_OPTIONS)`` writes it."""
    try:
        return "".join(chunks(data, dumper, libyaml=libyaml))
    except Unsupported:
        return yaml.dump(data, Dumper=dumper, **DUMP_OPTIONS)  # type: ignore[no-any-return]
