"""Segmentation of normalised text: cue tables, paragraphs, headings, sentences, clause trimming.

All spans are offsets into the NORMALISED text; :mod:`policy_tracker.extraction.extract`
maps them back to the original.  The cue vocabulary comes from
``data/cues.yaml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import attrs

from . import facets
from ..errors import DataError
from .numerals import NUMERAL_CHARS
from .patterns import compile_fast
from ..resources import load_table


@attrs.frozen
class Span:
    """A half-open span ``[start, end)`` of the normalised text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@attrs.frozen
class Cues:
    """Compiled cue patterns from ``data/cues.yaml``."""

    forward: re.Pattern[str]
    past: re.Pattern[str]
    skip_clause: re.Pattern[str]
    question_frames: re.Pattern[str]
    forward_questions: re.Pattern[str]
    review_questions: re.Pattern[str]
    purpose: re.Pattern[str]
    purpose_verbs: re.Pattern[str]
    frame_clause: re.Pattern[str]
    enumeration: re.Pattern[str]
    trim_leading: re.Pattern[str]
    headline_prefix: re.Pattern[str]
    progress: re.Pattern[str]
    aim_verbs: re.Pattern[str]
    past_in_object: re.Pattern[str]
    year_baseline: re.Pattern[str]
    future_year: re.Pattern[str]
    outcome_target: re.Pattern[str]
    target_commitment: re.Pattern[str]
    target_date_clause: re.Pattern[str]
    transparent: re.Pattern[str]
    list_intro: re.Pattern[str]
    copula: re.Pattern[str]
    ahead_cues: re.Pattern[str]
    adverb_opening: re.Pattern[str]
    programme_nouns: tuple[str, ...]
    min_clause: int
    max_joined: int
    max_mention: int
    max_lead: int


def _compile(table: dict, key: str) -> re.Pattern[str]:
    value = table.get(key)
    if value is None:
        raise DataError(f"data/cues.yaml: {key}: missing; expected a pattern or list of patterns")
    source = "|".join(f"(?:{p})" for p in value) if isinstance(value, list) else str(value)
    try:
        return compile_fast(source or r"(?!)")
    except re.error as exc:
        raise DataError(f"data/cues.yaml: {key}: invalid regular expression ({exc}); fix the pattern") from exc


@functools.lru_cache(maxsize=1)
def cues() -> Cues:
    """The cue patterns (cached)."""
    t = load_table("cues.yaml") or {}
    return Cues(
        forward=_compile(t, "forward"),
        past=_compile(t, "past"),
        skip_clause=_compile(t, "skip_clause"),
        question_frames=_compile(t, "question_frames"),
        forward_questions=_compile(t, "forward_questions"),
        review_questions=_compile(t, "review_questions"),
        purpose=_compile(t, "purpose_starts"),
        purpose_verbs=_compile(t, "purpose_verbs"),
        frame_clause=_compile(t, "frame_clause"),
        enumeration=_compile(t, "enumeration"),
        trim_leading=_compile(t, "trim_leading"),
        headline_prefix=_compile(t, "headline_prefix"),
        progress=_compile(t, "progress"),
        aim_verbs=_compile(t, "aim_verbs"),
        past_in_object=_compile(t, "past_in_object"),
        year_baseline=_compile(t, "year_baseline"),
        future_year=_compile(t, "future_year"),
        outcome_target=_compile(t, "outcome_target"),
        target_commitment=_compile(t, "target_commitment"),
        target_date_clause=_compile(t, "target_date_clause"),
        transparent=_compile(t, "transparent"),
        list_intro=_compile(t, "list_intro"),
        copula=_compile(t, "copula"),
        ahead_cues=_compile(t, "ahead_cues"),
        adverb_opening=_compile(t, "adverb_opening"),
        programme_nouns=tuple(sorted(map(str, t.get("programme_nouns") or []), key=len, reverse=True)),
        min_clause=int(t.get("min_clause_chars", 7)),
        max_joined=int(t.get("max_joined_chars", 40)),
        max_mention=int(t.get("max_mention_chars", 120)),
        max_lead=int(t.get("max_lead_chars", 40)),
    )


# ---------------------------------------------------------------- paragraphs

_LEAD_MARKUP = re.compile(r"^(?:[\s#>*\-]|_\d+_|\d+\s(?=\S))*")
_TRAIL_MARKUP = re.compile(r"[\s*_#]*$")
_TERMINALS = re.compile(r"[。！？；，]")
_SENTENCE_STOPS = re.compile(r"[。！？；]")
_SENTENCE_END_NO_Q = re.compile(r"[。！；]")
_DIGIT = re.compile(rf"\d(?![GgKk])|[{NUMERAL_CHARS}]+(?:[个项家%月]|亿|万|倍)")
_MD_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*[^*]+\*\*\s*$|[*\-]\s)")


def match_at(pattern: re.Pattern[str], text: str, start: int, end: int) -> Span | None:
    """``pattern`` matched at ``start`` (with ``^`` meaning ``start``); the span in ``text`` or None."""
    m = pattern.match(text[start:end])
    return Span(start + m.start(), start + m.end()) if m else None


def strip_markup(text: str, span: Span) -> Span:
    """``span`` without leading Markdown markup (``#``, ``**``, ``* _1_``) and trailing markup."""
    seg = text[span.start : span.end]
    lead = _LEAD_MARKUP.match(seg)
    s = span.start + (lead.end() if lead else 0)
    trail = _TRAIL_MARKUP.search(text, s, span.end)
    e = trail.start() if trail else span.end
    return Span(s, max(s, e))


def paragraphs(text: str) -> Iterator[Span]:
    """Non-blank lines of the normalised text, markup stripped."""
    pos = 0
    for line in text.split("\n"):
        span = Span(pos, pos + len(line))
        pos += len(line) + 1
        if line.strip():
            inner = strip_markup(text, span)
            if inner.end > inner.start:
                yield inner if not _MD_HEADING.match(line) else Span(span.start, span.end)


def is_heading(paragraph: str) -> bool:
    """A title, Markdown heading, bold line or bullet, or a short line without sentence punctuation."""
    core = _TRAIL_MARKUP.sub("", _LEAD_MARKUP.sub("", paragraph, count=1))
    if cues().enumeration.match(core) or core.endswith(("：", "，", "——")):
        return False  # a bold list item (**一是…**) or an intro line (…：, …任务清单——) is not a heading
    if "，" in core and cues().frame_clause.search(core[: core.index("，")]):
        return False  # "在高端化方面，一手抓…" (a sentence cut short by the page) opens like a sentence, not a title
    if _MD_HEADING.match(paragraph):
        return True
    if not _TERMINALS.search(core):
        return len(core) <= 80
    # A line of three clauses or more (…表示，2025年将…，以…，深入实施…) is a sentence cut short, not a title.
    return len(core) <= 50 and not _SENTENCE_STOPS.search(core) and core.count("，") < 3


def is_transparent(paragraph: str) -> bool:
    """A caption, page furniture or separator line (（相关资料图）, 1 2 3 下一页, ——): the text flows on across it."""
    core = _TRAIL_MARKUP.sub("", _LEAD_MARKUP.sub("", paragraph, count=1)).strip()
    return not core or cues().transparent.search(core) is not None


def is_question(paragraph: str) -> bool:
    """A paragraph made only of questions (a reporter's question without a 记者： prefix)."""
    core = paragraph.strip()
    return core.endswith(("？", "?")) and not _SENTENCE_END_NO_Q.search(core)


def asks_forward(question: str) -> bool:
    """Does a question ask about plans (下一步, 将采取哪些措施, 有何考虑)?"""
    c = cues()
    return bool(c.forward.search(question) or c.forward_questions.search(question))


def asks_review(question: str) -> bool:
    """Does a question (also) ask about progress so far (情况如何, 采取了哪些, 取得哪些成效)?"""
    return cues().review_questions.search(question) is not None


def asks_plans_only(question: str) -> bool:
    """Does a question ask about plans only (not also 情况如何 / 采取了哪些 / 取得哪些成效)?"""
    return asks_forward(question) and not asks_review(question)


def is_enumerated(text: str, body: Span) -> bool:
    """Does the paragraph open with 一是 / 1． / （一） …?"""
    return match_at(cues().enumeration, text, body.start, body.end) is not None


_ORDINAL = re.compile(r"[一二三四五六七八九十]+|\d{1,2}")


def _marker_ordinal(marker: str) -> tuple[str, int] | None:
    m = _ORDINAL.search(marker)
    if m is None:
        return None
    value = int(m.group()) if m.group().isdigit() else facets.chinese_number(m.group())
    if value is None:
        return None
    return marker[: m.start()] + "N" + marker[m.end() :], int(value)


def list_markers(text: str, body: Span) -> list[tuple[str, int]]:
    """The numbered list markers in ``body``, in order, as (shape, ordinal): ``二是`` → ("N是", 2), ``（三）`` → ("（N）", 3).

    A marker counts where it opens the paragraph or a sentence (after 。；：！).
    """
    enum = cues().enumeration
    found: list[tuple[str, int]] = []
    pos = body.start
    while pos < body.end:
        m = match_at(enum, text, pos, body.end)
        if m is not None:
            ordinal = _marker_ordinal(text[m.start : m.end])
            if ordinal is not None:
                found.append(ordinal)
        stop = _LIST_STOPS.search(text, pos, body.end)
        if stop is None:
            break
        pos = stop.end()
    return found


_LIST_STOPS = re.compile(r"[。；：！]\s*")


def theme(text: str, body: Span) -> Span | None:
    """The theme line of ``一是营造良好产业发展环境。…``: the first sentence when more follows."""
    m = match_at(cues().enumeration, text, body.start, body.end)
    if not m:
        return None
    stop = re.compile(r"[。；！？]").search(text, m.end, body.end)
    if stop is None:
        # a bare theme line (**一是营造良好产业发展环境**): the whole item
        return Span(m.end, body.end) if 0 < body.end - m.end <= 30 else None
    if stop.start() - m.end > 30:
        return None
    if text[stop.start()] == "；":
        return None
    return Span(m.end, stop.start())


def opens_with_past(text: str, body: Span) -> bool:
    """Does the first sentence carry a past marker and no forward cue?"""
    c = cues()
    stop = re.compile(r"[。！？；]").search(text, body.start, body.end)
    first = text[body.start : stop.end() if stop else body.end]
    return bool(c.past.search(first)) and not c.forward.search(first)


def opens_with_cue(text: str, body: Span) -> bool:
    """Does the first sentence carry a forward cue (下一步, 将 …)?"""
    stop = re.compile(r"[。！？；]").search(text, body.start, body.end)
    return bool(cues().forward.search(text[body.start : stop.end() if stop else body.end]))


def leads_into_action(text: str, body: Span) -> bool:
    """Does the paragraph open with an action, possibly after one short descriptive sentence?

    "动力电池回收利用是产业健康发展的重要环节。加强…" continues a list of plans: the
    lead sentence (at most ``max_lead_chars``, no figures, no past or progress
    marker) only introduces the action that follows.
    """
    if opens_with_action(text, body):
        return True
    c = cues()
    intro = match_at(c.list_intro, text, body.start, body.end)
    if intro is not None and intro.end < body.end:  # "具体包括：落实…" goes on with the announced list
        return opens_with_action(text, Span(intro.end, body.end))
    stop = _SENTENCE_STOPS.search(text, body.start, body.end)
    if stop is None or stop.end() >= body.end:
        return False
    first = text[body.start : stop.end()]
    if len(first) > c.max_lead or _DIGIT.search(first) or c.past.search(first) or c.progress.search(first):
        return False
    rest = Span(stop.end(), body.end)
    return not opens_with_past(text, rest) and opens_with_action(text, rest)


def _substantive_clauses(text: str, body: Span) -> Iterator[Span]:
    """The clauses of the paragraph's first sentence that are not skipped, questions or frames, trimmed."""
    c = cues()
    for sentence in sentences(text, body):
        for clause in sentence:
            ct = text[clause.start : clause.end]
            if c.skip_clause.search(ct) or c.question_frames.search(ct) or c.frame_clause.search(ct):
                continue
            yield trim(text, clause)
        return


def opens_with_verb(text: str, body: Span) -> bool:
    """Does the first substantive clause start with the verb itself (an imperative: 稳定重点行业的增长)?

    Stricter than :func:`opens_with_action`: no subject may come first, so a
    progress word later in the clause (…的增长) does not make it a status report.
    """
    span = next(_substantive_clauses(text, body), None)
    return span is not None and span.end > span.start and starts_action(text[span.start : span.end])


def opens_with_action(text: str, body: Span) -> bool:
    """Does the paragraph's first substantive clause start with an action verb (after trimming)?"""
    c = cues()
    for span in _substantive_clauses(text, body):
        seg = text[span.start : span.end]
        if not seg:
            continue
        m = facets.first_verb(seg)
        if m is None or m.start() > 5:
            return False
        # "5G基站建设稳步推进": a subject followed by a progress phrase is a status report;
        # "促进重点行业稳步增长": the progress an aim verb opening the clause aims at is not.
        progress = c.progress.search(seg)
        return progress is None or progress.start() <= m.start() or (m.start() == 0 and c.aim_verbs.match(seg) is not None)
    return False


# ---------------------------------------------------------------- clauses

# Titles, short parentheses and short quoted names are never cut; a long quote
# with sentences inside (reported speech) is.
_CLAUSE = re.compile(r"(?:《[^《》\n]{0,80}》|（[^（）\n。！？]{0,60}）|“[^“”\n，。；！？]{0,30}”|[^，；。！？：\n])+")
_SENTENCE_END = frozenset("。！？；\n")
# Text that uses spaces for commas (summaries, captions: "挖掘更多场景价值 [1] 筑牢数字化基础 - 首要任务是…"):
# a space (with a citation mark or bullet dash) between two words of Chinese ends a clause.
# One character on either side ("、工 艺升级", a character dropped by a mirror) does not.
_CJK = "\u4e00-\u9fff"
_SPACE_BREAK = compile_fast(
    rf"(?<=[{_CJK}]{{2}})[ \t\u3000]+(?:\[\d+\][ \t]*)?(?:[-–—•·][ \t]+)?(?=[{_CJK}]{{2}})"
    rf"|(?<=[A-Za-z][.!?])[ \t]+(?=[{_CJK}])"  # an English sentence, then Chinese (machine-translated pages)
)


def starts_action(seg: str) -> bool:
    """Does ``seg`` open with a verb, after connectives (并, 将) and adverbs (大力, 有序)?"""
    lead = cues().trim_leading.match(seg)
    seg = seg[lead.end() :] if lead else seg
    verb = facets.first_verb(seg)
    return verb is not None and (verb.start() == 0 or seg[: verb.start()] in facets.ladder().adverbs)


def sentences(text: str, body: Span) -> Iterator[list[Span]]:
    """Clauses of ``body`` grouped into sentences (split at 。！？；, clauses at ，：), brackets kept whole."""
    current: list[Span] = []
    for m in _CLAUSE.finditer(text, body.start, body.end):
        s, e = m.start(), m.end()
        while s < e and text[s] in " \t":
            s += 1
        while e > s and text[e - 1] in " \t":
            e -= 1
        for brk in _SPACE_BREAK.finditer(text, s, e):
            if not starts_action(text[brk.end() : e]):
                continue  # "促进工 业与文旅": a space inside a word, not between clauses
            if brk.start() > s:
                current.append(Span(s, brk.start()))
            s = brk.end()
        if e > s:
            current.append(Span(s, e))
        nxt = text[m.end()] if m.end() < body.end else "\n"
        if nxt in _SENTENCE_END and current:
            yield current
            current = []
    if current:
        yield current


def trim(text: str, span: Span) -> Span:
    """Drop enumerators, connectives, the subject and 将 from the start; quotes and markup from the ends."""
    c = cues()
    s, e = span.start, span.end
    for _ in range(3):
        before = s
        if text[s : s + 1] == "“" and "”" not in text[s:e]:
            s += 1  # the opening quote of reported speech (王江平说：“我们将密切关注…) hides the subject and 将
        m = match_at(c.enumeration, text, s, e)
        if m and m.end > s:
            s = m.end
        m = match_at(c.trim_leading, text, s, e)
        if m and m.end > s:
            s = m.end
        # also Markdown emphasis left by "**一是…。** 加强…" and the closing quote of the sentence before ("…。”“鼓励…")
        while s < e and (text[s] in "，、 *_" or (text[s] == "”" and s + 1 < e and text[s + 1] == "“")):
            s += 1
        if s == before:
            break
    seg = text[s:e]
    if seg.startswith("“") and "”" not in seg:
        s += 1
    if seg.endswith("”") and "“" not in text[s:e]:
        e -= 1
    while e > s and text[e - 1] in " *_":
        e -= 1
    return Span(s, e)
