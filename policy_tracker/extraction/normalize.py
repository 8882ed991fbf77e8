"""A normalised view of a document's text, with a map back to the original.

Extraction works on the normalised text (Simplified characters, mainland
vocabulary, full-width punctuation, “” quotes, mirror-site artefacts removed,
layout line breaks joined, boilerplate lines dropped) and reports every span
in ORIGINAL offsets, so that a mention's quote is always
``original[start:end]``.

The view is built in steps, each carrying the map along:

1. the character layer (:mod:`policy_tracker.extraction.characters`: widths,
   punctuation, quotes, Traditional → Simplified by OpenCC) changes one
   character for one;
2. zero-width characters are deleted;
3. mirror-site artefacts (``data/artefacts.yaml``: pinyin annotations, HTML,
   advertising runs) are deleted or replaced;
4. in texts that had Traditional characters, Hong Kong / Taiwan terms become
   mainland ones (``data/regional_terms.txt``; 雲端運算 → 云计算 changes the
   length);
5. boilerplate lines are dropped and layout line breaks joined.

For every normalised character the map keeps the start and the end of the
original span it comes from: one character for a character kept or folded,
the whole original term for a term replaced by one of another length.
"""

from __future__ import annotations

import bisect
import os
import re
from array import array

import attrs

from .characters import fold_chars, fold_chars_detect
from ..errors import DataError
from .patterns import compile_fast
from ..resources import ENV_VAR
from .rewrites import apply_edits, artefact_passes, artefact_edits, clean, regional_edits

__all__ = ["NormalizedText", "fold", "fold_chars", "normalize"]

# Zero-width characters and soft hyphens: deleted.
_DELETE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_DELETE_RE = re.compile(f"[{_DELETE}]")


def fold(s: str) -> str:
    """Fold a short string for use as a matching key.

    The character layer (:func:`fold_chars`), then zero-width characters,
    mirror-site artefacts and (when ``s`` has Traditional characters)
    regional terms as in :func:`normalize`; surrounding whitespace stripped.
    ``fold(fold(s)) == fold(s)``.
    """
    env = os.environ.get(ENV_VAR, "")
    text, traditional = fold_chars_detect(s, env=env)
    if _DELETE_RE.search(text):
        text = _DELETE_RE.sub("", text)
    return clean(text, traditional, env=env).strip()


@attrs.frozen
class NormalizedText:
    """Normalised text plus, for every character, the original span it comes from.

    ``offsets[i]`` is the original index where ``text[i]``'s span starts and
    ``ends[i]`` where it ends: ``offsets[i] + 1`` for a character kept or
    folded one for one, the ends of the whole original term for a character of
    a term replaced by one of another length (雲端 → 云, 電動車 → 电动汽车).
    Both are non-decreasing.  ``ends`` is ``None`` when no step changed a
    length (then ``ends[i] == offsets[i] + 1``).  ``offsets`` has one extra
    final element, the end of the last kept character, so that empty spans at
    the end map too.
    """

    text: str
    offsets: array = attrs.field(repr=False, eq=False)  # array('l'), len(text) + 1
    original_length: int = 0
    ends: array | None = attrs.field(default=None, repr=False, eq=False)  # array('l'), len(text); None: offsets + 1

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span ``[start, end)`` to the original text.

        The result covers every original character between the first and the
        last normalised character of the span (including any dropped layout
        characters and artefacts in between), and whole original terms at its
        edges.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) outside the normalised text of length {len(self.text)}")
        if start == end:
            pos = self.offsets[start]
            return pos, pos
        last = self.ends[end - 1] if self.ends is not None else self.offsets[end - 1] + 1
        return self.offsets[start], last

    def to_normalized(self, position: int) -> int:
        """The normalised index of the first kept character at or after original ``position``."""
        return bisect.bisect_left(self.offsets, position, 0, len(self.text))


def _load_boilerplate() -> re.Pattern[str]:
    from ..resources import load_table

    cues = load_table("cues.yaml") or {}
    patterns = cues.get("boilerplate") or []
    try:
        return compile_fast("|".join(f"(?:{p})" for p in patterns) or r"(?!)")
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


def _keep_before() -> int:
    """``boilerplate_keep_before`` in data/cues.yaml: the sentences a line keeps before its boilerplate, at least."""
    from ..resources import load_table

    value = (load_table("cues.yaml") or {}).get("boilerplate_keep_before", 100)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DataError(f"cues.yaml: boilerplate_keep_before: expected a whole number of characters (e.g. 100); got {value!r}")
    return value


_SENTENCE_END = re.compile(r"[。！？]")
_LEAD = re.compile(r"^[\s#>*_\-]*")  # the leading half of _MARKUP


def _kept_length(line: str) -> int:
    """How much of ``line`` is text, not site boilerplate: all of it, none (a boilerplate line), or the sentences before it.

    A page that puts the whole article on one line with its disclaimer at the end
    (…支持可穿戴设备创新发展。 【免责声明】 凡本站…) keeps the sentences before the
    disclaimer when they run to ``boilerplate_keep_before`` characters; a line with
    less before its boilerplate is dropped whole.
    """
    core = _MARKUP.sub("", line)
    if not core:
        return len(line)
    m = _boilerplate().search(core)
    if m is None:
        return len(line)
    lead = _LEAD.match(line).end()  # type: ignore[union-attr]  # what _MARKUP stripped in front
    ends = [e.end() for e in _SENTENCE_END.finditer(core, 0, m.start())]
    return lead + ends[-1] if ends and ends[-1] >= _keep_before() else 0


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
    - mirror-site artefacts (pinyin annotations, HTML, advertising runs;
      ``data/artefacts.yaml``) deleted or replaced;
    - in texts that had Traditional characters, regional terms replaced by
      mainland ones (``data/regional_terms.txt``);
    - Markdown image lines and site boilerplate lines (校对, 责任编辑,
      disclaimers, 来源 …; patterns in ``data/cues.yaml``) deleted;
    - a line break that the page layout put inside a sentence
      (``亮点纷\\n\\n\\n\\n呈``) deleted together with the blank lines around it;
      between two Latin letters or digits the first newline becomes a space.
    - other runs of blank lines collapse to one ``\\n``.
    """
    folded, traditional = fold_chars_detect(original)
    starts, ends = None, None  # the identity map until an edit changes the text
    if _DELETE_RE.search(folded):
        folded, starts, ends = apply_edits(folded, starts, ends, [(m.start(), m.end(), "") for m in _DELETE_RE.finditer(folded)])
    for _ in artefact_passes(folded):  # removing one artefact can expose another
        edits = artefact_edits(folded)
        if not edits:
            break
        folded, starts, ends = apply_edits(folded, starts, ends, edits)
    if traditional:
        folded, starts, ends = apply_edits(folded, starts, ends, regional_edits(folded))
    keep: list[tuple[int, int]] = []  # spans of `folded` kept, in order
    subst: dict[int, str] = {}  # folded index -> replacement character
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in folded.split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    # Keep non-blank, non-boilerplate lines.
    content = [(s, s + n) for s, e in lines if folded[s:e].strip() and (n := _kept_length(folded[s:e]))]
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
            else:
                subst[prev_end] = "\n"
                keep.append((prev_end, prev_end + 1))
        keep.append((s, e))
        prev_end = e
        prev_text = text
    parts: list[str] = []
    offsets = array("l")
    span_ends = array("l") if ends is not None else None
    for s, e in keep:
        if e - s == 1 and s in subst:
            parts.append(subst[s])
        else:
            parts.append(folded[s:e])
        if starts is None or ends is None or span_ends is None:
            offsets.extend(range(s, e))
        else:
            offsets.extend(starts[s:e])
            span_ends.extend(ends[s:e])
    text = "".join(parts)
    if span_ends is None:  # nothing changed length: every character spans one original character
        offsets.append(offsets[-1] + 1 if len(offsets) else 0)
    else:
        offsets.append(span_ends[-1] if len(span_ends) else 0)
    return NormalizedText(text=text, offsets=offsets, original_length=len(original), ends=span_ends)
