"""Segmentation of normalised text into paragraphs, sentences and pledge clauses.

All spans are offsets into the NORMALISED text; :mod:`policy_tracker.extract`
maps them back to the original.  The cue vocabulary comes from
``data/cues.yaml``.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator

import attrs

from . import attributes as attr
from .errors import DataError
from .resources import load_table


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
    purpose: re.Pattern[str]
    frame_clause: re.Pattern[str]
    enumeration: re.Pattern[str]
    trim_leading: re.Pattern[str]
    headline_prefix: re.Pattern[str]
    programme_nouns: tuple[str, ...]
    min_clause: int
    max_joined: int
    max_mention: int


def _compile(table: dict, key: str, joined: bool = True) -> re.Pattern[str]:
    value = table.get(key)
    if value is None:
        raise DataError(f"data/cues.yaml: {key}: missing; expected a pattern or list of patterns")
    source = "|".join(f"(?:{p})" for p in value) if isinstance(value, list) else str(value)
    try:
        return re.compile(source or r"(?!)")
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
        purpose=_compile(t, "purpose_starts"),
        frame_clause=_compile(t, "frame_clause"),
        enumeration=_compile(t, "enumeration"),
        trim_leading=_compile(t, "trim_leading"),
        headline_prefix=_compile(t, "headline_prefix"),
        programme_nouns=tuple(sorted(map(str, t.get("programme_nouns") or []), key=len, reverse=True)),
        min_clause=int(t.get("min_clause_chars", 7)),
        max_joined=int(t.get("max_joined_chars", 40)),
        max_mention=int(t.get("max_mention_chars", 120)),
    )


# ---------------------------------------------------------------- paragraphs

_LEAD_MARKUP = re.compile(r"^(?:[\s#>*\-]|_\d+_|\d+\s(?=\S))*")
_TRAIL_MARKUP = re.compile(r"[\s*_#]*$")
_TERMINALS = re.compile(r"[。！？；，]")
_SENTENCE_STOPS = re.compile(r"[。！？；]")
_SENTENCE_END_NO_Q = re.compile(r"[。！；]")
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
    if _MD_HEADING.match(paragraph):
        return True
    core = paragraph.strip()
    if cues().enumeration.match(core) or core.endswith(("：", "，")):
        return False
    if not _TERMINALS.search(core):
        return len(core) <= 80
    return len(core) <= 50 and not _SENTENCE_STOPS.search(core)


def is_question(paragraph: str) -> bool:
    """A paragraph made only of questions (a reporter's question without a 记者： prefix)."""
    core = paragraph.strip()
    return core.endswith(("？", "?")) and not _SENTENCE_END_NO_Q.search(core)


def is_enumerated(text: str, body: Span) -> bool:
    """Does the paragraph open with 一是 / 1． / （一） …?"""
    return match_at(cues().enumeration, text, body.start, body.end) is not None


def theme(text: str, body: Span) -> Span | None:
    """The theme line of ``一是营造良好产业发展环境。…``: the first sentence when more follows."""
    m = match_at(cues().enumeration, text, body.start, body.end)
    if not m:
        return None
    stop = re.compile(r"[。；！？]").search(text, m.end, body.end)
    if stop is None or stop.end() >= body.end or stop.start() - m.end > 30:
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


def opens_with_action(text: str, body: Span) -> bool:
    """Does the paragraph's first substantive clause start with an action verb (after trimming)?"""
    c = cues()
    for sentence in sentences(text, body):
        for clause in sentence:
            ct = text[clause.start : clause.end]
            if c.skip_clause.search(ct) or c.question_frames.search(ct) or c.frame_clause.search(ct):
                continue
            span = _trim(text, clause)
            seg = text[span.start : span.end]
            if not seg:
                continue
            m = attr.first_verb(seg)
            return m is not None and m.start() <= 5
        return False
    return False


# ---------------------------------------------------------------- clauses

# Titles, short parentheses and short quoted names are never cut; a long quote
# with sentences inside (reported speech) is.
_CLAUSE = re.compile(r"(?:《[^《》\n]{0,80}》|（[^（）\n。！？]{0,60}）|“[^“”\n，。；！？]{0,30}”|[^，；。！？：\n])+")
_SENTENCE_END = frozenset("。！？；\n")
_STRIP_CHARS = " \t*_“”"


@attrs.frozen
class Group:
    """Pledge spans from one sentence, with the sentence text as context for deadlines."""

    spans: list[Span]
    context: str
    heads: list[str] = attrs.Factory(list)  # verb chain a split-off piece shares with its first piece


@attrs.frozen
class Result:
    """What one paragraph yields: pledge groups, evidence spans, and the context it leaves."""

    pledges: list[Group]
    evidence: list[Span]
    forward_after: bool


def sentences(text: str, body: Span) -> Iterator[list[Span]]:
    """Clauses of ``body`` grouped into sentences (split at 。！？；, clauses at ，：), brackets kept whole."""
    current: list[Span] = []
    for m in _CLAUSE.finditer(text, body.start, body.end):
        s, e = m.start(), m.end()
        while s < e and text[s] in " \t":
            s += 1
        while e > s and text[e - 1] in " \t":
            e -= 1
        if e > s:
            current.append(Span(s, e))
        nxt = text[m.end()] if m.end() < body.end else "\n"
        if nxt in _SENTENCE_END and current:
            yield current
            current = []
    if current:
        yield current


def _trim(text: str, span: Span) -> Span:
    """Drop enumerators, connectives, the subject and 将 from the start; quotes and markup from the ends."""
    c = cues()
    s, e = span.start, span.end
    for _ in range(3):
        m = match_at(c.enumeration, text, s, e)
        if m and m.end > s:
            s = m.end
        m = match_at(c.trim_leading, text, s, e)
        if m and m.end > s:
            s = m.end
        while s < e and text[s] in "，、 ":
            s += 1
    seg = text[s:e]
    if seg.startswith("“") and "”" not in seg:
        s += 1
    if seg.endswith("”") and "“" not in text[s:e]:
        e -= 1
    while e > s and text[e - 1] in " *_":
        e -= 1
    return Span(s, e)


def _past(clause: str) -> bool:
    c = cues()
    p = c.past.search(clause)
    if not p:
        return False
    f = c.forward.search(clause)
    return f is None or p.start() < f.start() or "了" in clause[f.end() :]


def _top_level(text: str, start: int, end: int, sep: str) -> list[int]:
    """Positions of ``sep`` in ``text[start:end]`` outside 《》 （） “”."""
    depth = 0
    out = []
    for i in range(start, end):
        ch = text[i]
        if ch in "《（“":
            depth += 1
        elif ch in "》）”":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0:
            out.append(i)
    return out


def _programme_noun(s: str) -> str | None:
    for noun in cues().programme_nouns:
        if s.endswith(noun):
            return noun
    return None


def split_programmes(text: str, span: Span) -> list[tuple[Span, str]]:
    """``启动A试点、B试点`` → two spans; ``开展A试点和B活动`` → two; a list of objects stays one.

    Each piece comes with the verb chain it shares with the first piece ("" for
    the first), so that its stage and verbs can still be read.
    """
    chain = attr.verb_chain(text[span.start : span.end])
    if not chain:
        return [(span, "")]
    first = text.find(chain[0], span.start, span.end)
    obj_start = first + len("".join(chain)) if first >= 0 else span.start
    head = text[first:obj_start] if first >= 0 else ""
    cuts = _top_level(text, obj_start, span.end, "、")
    if cuts:
        bounds = [obj_start, *[c + 1 for c in cuts]]
        items = [Span(b, (cuts[i] if i < len(cuts) else span.end)) for i, b in enumerate(bounds)]
        nouns = {_programme_noun(text[i.start : i.end]) for i in items}
        if len(nouns) == 1 and None not in nouns and all(len(i) >= 8 for i in items):
            return [(Span(span.start, items[0].end), ""), *((i, head) for i in items[1:])]
        return [(span, "")]
    for pos in _top_level(text, obj_start, span.end, "和"):
        left, right = text[obj_start:pos], text[pos + 1 : span.end]
        ln, rn = _programme_noun(left), _programme_noun(right)
        if ln and rn and ln != rn and len(left) >= 6 and len(right) >= 6:
            return [(Span(span.start, pos), ""), (Span(pos + 1, span.end), head)]
    return [(span, "")]


def _cap(text: str, span: Span, limit: int) -> list[Span]:
    """Split an over-long span at the last top-level 、 or ， before ``limit``."""
    out = []
    s = span.start
    while span.end - s > limit:
        cuts = [c for c in _top_level(text, s, s + limit, "、") + _top_level(text, s, s + limit, "，") if c - s >= 10]
        cut = max(cuts) if cuts else s + limit
        out.append(Span(s, cut))
        s = cut + 1 if cuts else cut
    if span.end > s:
        out.append(Span(s, span.end))
    return out


class _Marks:
    """Start positions of a pattern's matches inside a paragraph, for per-clause lookups."""

    __slots__ = ("ends", "starts")

    def __init__(self, pattern: re.Pattern[str], text: str, body: Span) -> None:
        found = [(m.start(), m.end()) for m in pattern.finditer(text, body.start, body.end) if m.end() > m.start()]
        self.starts = [s for s, _ in found]
        self.ends = [e for _, e in found]

    def first(self, start: int, end: int) -> int | None:
        """Where the first match overlapping ``[start, end)`` enters it (a cue like 近期，我们将 spans a comma)."""
        i = bisect.bisect_left(self.ends, start + 1)
        if i < len(self.starts) and self.starts[i] < end:
            return max(self.starts[i], start)
        return None


def pledge_clauses(text: str, body: Span, forward: bool) -> Result:
    """Walk the sentences of one paragraph: pledge clause groups, evidence spans, forward context after."""
    c = cues()
    groups: list[Group] = []
    evidence: list[Span] = []
    active = forward
    # Cue and past-marker positions found once per paragraph, looked up per clause.
    cue_marks = _Marks(c.forward, text, body)
    past_marks = _Marks(c.past, text, body)
    for sentence in sentences(text, body):
        candidates: list[Span] = []
        pending_frame: int | None = None
        pending_short: Span | None = None
        past_state = False
        ev_run: Span | None = None
        for clause in sentence:
            ct = text[clause.start : clause.end]
            cue_at = cue_marks.first(clause.start, clause.end)
            past_at = past_marks.first(clause.start, clause.end)
            if cue_at is None and past_at is None and not active and not past_state:
                continue  # neither pledge nor evidence: skip the costlier checks
            question = bool(c.question_frames.search(ct))
            skip = question or bool(c.skip_clause.search(ct))
            cue = cue_at is not None and not question and not c.purpose.search(ct)
            if cue:
                active = True
                past_state = False
            is_past = past_at is not None and (
                not cue or past_at < cue_at or "了" in text[cue_at : clause.end]  # type: ignore[operator]
            )
            if is_past or (past_state and not cue):
                past_state = True
                if attr.has_action_verb(ct) or re.search(r"\d", ct):
                    ev_run = Span(ev_run.start, clause.end) if ev_run and clause.end - ev_run.start <= c.max_mention else clause
                continue
            if ev_run is not None:
                evidence.append(ev_run)
                ev_run = None
            if not active or skip or c.purpose.search(ct):
                pending_frame = None
                continue
            span = _trim(text, clause)
            if c.frame_clause.search(text[span.start : span.end]):
                pending_frame = span.start if pending_frame is None else pending_frame
                continue
            if pending_frame is not None:
                span = Span(pending_frame, span.end)
                pending_frame = None
            seg = text[span.start : span.end]
            if len(span) < 2 or not attr.has_action_verb(seg):
                continue
            if pending_short is not None and span.end - pending_short.start <= c.max_joined:
                span = Span(pending_short.start, span.end)
                pending_short = None
            if len(span) < c.min_clause:
                if candidates and span.end - candidates[-1].start <= c.max_joined:
                    candidates[-1] = Span(candidates[-1].start, span.end)
                    continue
                if pending_short is not None:
                    candidates.append(pending_short)
                pending_short = span
                continue
            if pending_short is not None:
                candidates.append(pending_short)
                pending_short = None
            candidates.append(span)
        if ev_run is not None:
            evidence.append(ev_run)
        if pending_short is not None and len(pending_short) >= 4:
            candidates.append(pending_short)
        spans: list[Span] = []
        heads: list[str] = []
        for cand in candidates:
            for piece, head in split_programmes(text, cand):
                capped = _cap(text, piece, c.max_mention)
                spans.extend(capped)
                heads.extend([head] * len(capped))
        if spans:
            # Only what precedes the first pledge ("下半年，…", "近期，…") is shared context.
            context = text[sentence[0].start : spans[0].start]
            groups.append(Group(spans, context, heads))
    return Result(groups, evidence, active)


# ---------------------------------------------------------------- headlines

_HEADLINE_SPLIT = re.compile(r"[^\s！？；：|｜]+(?:\s(?=[A-Za-z0-9])[^\s！？；：|｜]+)*")


def _headline_segments(text: str, para: Span) -> Iterator[Span]:
    c = cues()
    inner = strip_markup(text, para)
    start = inner.start
    m = match_at(c.headline_prefix, text, start, inner.end)
    if m:
        start = m.end
    for seg in _HEADLINE_SPLIT.finditer(text, start, inner.end):
        span = Span(seg.start(), seg.end())
        while span.end > span.start and text[span.end - 1] in "，。、*_":
            span = Span(span.start, span.end - 1)
        if len(span) >= 4:
            yield span


def headline_pledges(text: str, para: Span) -> list[Span]:
    """Segments of a headline that state a pledge: an action verb up front (or a forward cue), no past marker."""
    c = cues()
    out = []
    for seg in _headline_segments(text, para):
        st = text[seg.start : seg.end]
        if c.past.search(st) or c.skip_clause.search(st) or c.question_frames.search(st):
            continue
        span = _trim(text, seg)
        body = text[span.start : span.end]
        m = attr.first_verb(body)
        if m is None or len(body) < 6:
            continue
        lad = attr.ladder()
        staged = lad.stage_of(m.group(0)) is not None or m.group(0) in lad.intensifiers
        if not c.forward.search(st) and (m.start() > 3 or not staged):
            continue
        out.extend(_cap(text, span, c.max_mention))
    return out


def headline_evidence(text: str, para: Span) -> list[Span]:
    """Segments of a headline that report progress (past marker plus a verb or number)."""
    c = cues()
    return [
        seg
        for seg in _headline_segments(text, para)
        if c.past.search(text[seg.start : seg.end])
        and (attr.has_action_verb(text[seg.start : seg.end]) or re.search(r"\d", text[seg.start : seg.end]))
    ]
