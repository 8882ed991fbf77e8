"""Pledge clauses of a paragraph and of a headline.

Walks the clauses of one paragraph (:func:`pledge_clauses`) or headline
(:func:`headline_pledges`) with the cues of ``data/cues.yaml``: forward
context, past markers (evidence), frames, trimming, short-clause joins,
programme splits and the length cap.  Spans index the normalised text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

import attrs

from . import facets
from .patterns import compile_fast
from .segment import Span, cues, list_markers, match_at, opens_with_verb, sentences, strip_markup, trim


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


def _action_items(text: str, span: Span) -> list[Span] | None:
    """``稳定重点行业增长、扩大有效需求、进一步增强经营主体活力`` → one span per action, when every item opens with its own verb."""
    cuts = _top_level(text, span.start, span.end, "、")
    if len(cuts) < 2:  # two items are as often one action on two objects (稳定X、扩大Y的政策措施)
        return None
    bounds = [span.start, *[c + 1 for c in cuts]]
    items = [Span(b, cuts[i] if i < len(cuts) else span.end) for i, b in enumerate(bounds)]
    adverbs = facets.ladder().adverbs
    for item in items:
        seg = text[item.start : item.end]
        verb = facets.first_verb(seg)
        if len(item) < 6 or verb is None or (verb.start() > 0 and seg[: verb.start()] not in adverbs):
            return None
    return items


def split_programmes(text: str, span: Span) -> list[tuple[Span, str]]:
    """``启动A试点、B试点`` → two spans; ``开展A试点和B活动`` → two; a list of objects stays one.

    Each piece comes with the verb chain it shares with the first piece ("" for
    the first), so that its stage and verbs can still be read.
    """
    actions = _action_items(text, span)
    if actions is not None:
        return [(item, "") for item in actions]
    chain = facets.verb_chain(text[span.start : span.end])
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


# A year on its own (not a range 2023—2024年, not a deadline 2023年底前).
_YEAR = compile_fast(r"(?<![—\-–~至\d])(20\d\d)年(?![—\-–~至底末前内])")
_PLACE_FRAME = re.compile(r"^在[^，]{0,40}?(?:领域|方面|基础上|前提下|地区|行业|环节)")


class _Marks:
    """Start positions of a pattern's matches inside a paragraph, for per-clause lookups."""

    __slots__ = ("ends", "starts")

    def __init__(self, pattern: re.Pattern[str], text: str, body: Span, keep: Callable[[re.Match[str]], bool] | None = None) -> None:
        found = [
            (m.start(), m.end())
            for m in pattern.finditer(text, body.start, body.end)
            if m.end() > m.start() and (keep is None or keep(m))
        ]
        self.starts = [s for s, _ in found]
        self.ends = [e for _, e in found]

    def first(self, start: int, end: int) -> int | None:
        """Where the first match overlapping ``[start, end)`` enters it (a cue like 近期，我们将 spans a comma)."""
        i = bisect.bisect_left(self.ends, start + 1)
        if i < len(self.starts) and self.starts[i] < end:
            return max(self.starts[i], start)
        return None


def _earlier_year(year: int | None, text: str) -> Callable[[re.Match[str]], bool]:
    """Keep a ``20xx年`` match that names a year before the briefing's and is not inside 《…》."""

    baseline = cues().year_baseline

    def keep(m: re.Match[str]) -> bool:
        if year is None or int(m.group(1)) >= year:
            return False
        if baseline.search(text, max(0, m.start() - 4), m.start()):
            return False  # 较2023年增长25%: a comparison base, not a report on 2023
        opened = text.rfind("《", 0, m.start())
        return opened < 0 or text.rfind("》", opened, m.start()) >= 0

    return keep


def _later_year(year: int | None, text: str) -> Callable[[re.Match[str]], bool]:
    """Keep a ``到20xx年`` match naming a year after the briefing's, not inside 《…》."""

    def keep(m: re.Match[str]) -> bool:
        if year is None or int(m.group(1)) <= year:
            return False
        opened = text.rfind("《", 0, m.start())
        return opened < 0 or text.rfind("》", opened, m.start()) >= 0

    return keep


def _outcome_target(text: str, sentence_start: int, span: Span, cue_at: int | None) -> bool:
    """An outcome target without an action verb: 力争营业收入年均增长3.5%左右 / 到2024年营业收入达到8.1万亿元.

    The outcome verb and figure must follow a commitment word or comparator of
    the sentence (力争, 确保, 左右, 以上 …) or a cue of the clause itself.
    """
    c = cues()
    m = c.outcome_target.search(text, span.start, span.end)
    if m is None:
        return False
    return bool(c.target_commitment.search(text, sentence_start, span.end)) or (cue_at is not None and cue_at <= m.start())


def _adverb_led(seg: str) -> bool:
    """``进一步调动各方力量``, ``密切关注…``: a manner adverb opens a verb phrase, known verb or not (not 持续向好: progress)."""
    c = cues()
    return c.adverb_opening.match(seg) is not None and c.progress.search(seg) is None and c.copula.search(seg) is None


def framed_ahead(text: str, body: Span, year: int | None = None) -> bool:
    """Do the paragraph's opening sentences state bare actions that a later cue (``ahead_cues``) frames?

    "稳定重点行业和重点地区的增长。我们将充分发挥…" and quoted pledges before their
    attribution ("“实施…行动。”…工信部提出，今后一段时期，工信部将…"): every
    sentence before the first one with a cue opens with its verb (no subject
    first: "5G基站建设稳步推进" reports), no copula (…是…的要求: a description),
    no past marker, earlier year or progress phrase (…取得积极进展; a noun after
    的 such as 稳定…的增长 is not one).
    """
    c = cues()
    if c.ahead_cues.search(text, body.start, body.end) is None:
        return False
    seen = 0
    for sentence in sentences(text, body):
        span = Span(sentence[0].start, sentence[-1].end)
        st = text[span.start : span.end]
        if c.forward.search(st):
            return seen > 0 and c.ahead_cues.search(st) is not None and not c.question_frames.search(st)
        if c.past.search(st) or c.copula.search(st) or not opens_with_verb(text, span):
            return False
        if any(m.start() == 0 or st[m.start() - 1] != "的" for m in c.progress.finditer(st)):
            return False  # 推进…取得积极进展 reports; 稳定…的增长 (a noun after 的) does not
        if year is not None and any(int(m.group(1)) < year for m in _YEAR.finditer(st)):
            return False
        seen += 1
    return False


def pledge_clauses(text: str, body: Span, forward: bool, year: int | None = None) -> Result:
    """Walk the sentences of one paragraph: pledge clause groups, evidence spans, forward context after.

    ``year`` is the briefing's year: a clause naming an earlier year (2023年，… in a
    2024 briefing) reports the past.
    """
    c = cues()
    groups: list[Group] = []
    evidence: list[Span] = []
    active = forward
    # Cue and past-marker positions found once per paragraph, looked up per clause.
    cue_marks = _Marks(c.forward, text, body)
    past_marks = _Marks(c.past, text, body)
    year_marks = _Marks(_YEAR, text, body, _earlier_year(year, text)) if year is not None else None
    # 到2027年，… (a year after the briefing's) is a target date: a cue where nothing says past.
    future_marks = (
        _Marks(c.future_year, text, body, _later_year(year, text))
        if year is not None and (text.find("到20", body.start, body.end) >= 0 or text.find("至20", body.start, body.end) >= 0)
        else None
    )
    after_past = False  # the previous sentence was a report on the past (推进了相关工作，取得了…)
    for sentence in sentences(text, body):
        if after_past and [o for _, o in list_markers(text, Span(sentence[0].start, sentence[-1].end))[:1]] == [1]:
            active = False  # "…推进了相关工作。一是…二是…": a list a past sentence announces reports the past
        candidates: list[Span] = []
        pending_frame: int | None = None
        pending_date: int | None = None  # start of a bare target-date clause (力争到2027年，)
        pending_date_cue: int | None = None  # ... where that clause is itself a cue (要求到2028年，: a later year)
        opened = False  # a clause other than a connective or speech frame came before in this sentence
        pending_short: Span | None = None
        past_state = False
        ev_run: Span | None = None
        for clause in sentence:
            ct = text[clause.start : clause.end]
            cue_at = cue_marks.first(clause.start, clause.end)
            past_at = past_marks.first(clause.start, clause.end)
            speech = ct.rstrip().endswith(facets.ladder().speech_verbs)
            if speech:
                past_at = None  # "金壮龙近日受访时说": the past marker dates the speaking, not what is said
            if year_marks is not None:
                old_year = year_marks.first(clause.start, clause.end)
                if old_year is not None and (past_at is None or old_year < past_at):
                    past_at = old_year
            if past_at is not None:
                # 在…已形成优势的领域继续强链补链: a past marker inside a leading 在…领域 frame
                # qualifies the place, not the action.
                frame = _PLACE_FRAME.match(ct)
                if frame and frame.end() < len(ct) and past_at < clause.start + frame.end():
                    past_at = past_marks.first(clause.start + frame.end(), clause.end)
            if past_at is not None:
                # 把已经出台的各项政策落细落到位: the past marker qualifies the object.
                obj = c.past_in_object.search(text, clause.start, clause.end)
                if obj and obj.start() <= past_at < obj.end() and obj.end() < clause.end:
                    past_at = past_marks.first(obj.end(), clause.end)
            if cue_at is None and past_at is None and future_marks is not None:
                cue_at = future_marks.first(clause.start, clause.end)
            if cue_at is None and past_at is None and not active and not past_state:
                continue  # neither pledge nor evidence: skip the costlier checks
            question = bool(c.question_frames.search(ct))
            skip = question or bool(c.skip_clause.search(ct))
            # 助力/助推 opening a sentence is its action; after another clause it is a purpose tail.
            purpose = c.purpose.search(ct) is not None and (opened or not c.purpose_verbs.search(ct))
            opened = opened or not skip
            cue = cue_at is not None and not question and not purpose
            if cue:
                active = True
                past_state = False
            is_past = past_at is not None and (
                not cue or past_at < cue_at or "了" in text[cue_at : clause.end]  # type: ignore[operator]
            )
            if is_past or (past_state and not cue):
                past_state = True
                if facets.has_action_verb(ct) or re.search(r"\d", ct):
                    ev_run = Span(ev_run.start, clause.end) if ev_run and clause.end - ev_run.start <= c.max_mention else clause
                continue
            if ev_run is not None:
                evidence.append(ev_run)
                ev_run = None
            if not active or skip or purpose:
                pending_frame = None
                continue
            span = trim(text, clause)
            if c.frame_clause.search(text[span.start : span.end]):
                pending_frame = span.start if pending_frame is None else pending_frame
                continue
            if pending_frame is not None:
                span = Span(pending_frame, span.end)
                pending_frame = None
            seg = text[span.start : span.end]
            if len(span) < 2:
                continue
            if c.target_date_clause.search(seg):
                pending_date = span.start
                pending_date_cue = cue_at
                continue
            verb = facets.has_action_verb(seg) or _adverb_led(seg)
            # 要求到2028年，具有一定影响力的平台超过450家: the target date's own cue commits the goal after it.
            target_cue = cue_at if cue_at is not None else pending_date_cue
            outcome = (not verb or pending_date is not None) and _outcome_target(text, sentence[0].start, span, target_cue)
            if not outcome and not verb:
                pending_date = pending_date_cue = None
                continue
            if pending_date is not None and outcome:  # 力争到2027年，未来产业综合实力显著提升: the goal keeps its date
                span = Span(pending_date, span.end)
            pending_date = pending_date_cue = None
            if pending_short is not None and (
                span.end - pending_short.start <= c.max_joined
                or (len(pending_short) < 5 and span.end - pending_short.start <= c.max_mention)  # 筑牢基础，加快…
            ):
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
        after_past = past_state and not candidates and pending_short is None
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

# Headline segments: cut at spaces, ！？；：|, and a dash pair (加快推进新型工业化——访部长金壮龙).
_HEADLINE_SPLIT = re.compile(r"(?:(?!——)[^\s！？；：|｜])+(?:\s(?=[A-Za-z0-9])(?:(?!——)[^\s！？；：|｜])+)*")


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
        span = trim(text, seg)
        body = text[span.start : span.end]
        m = facets.first_verb(body)
        if m is None or len(body) < 6:
            continue
        lad = facets.ladder()
        # 前瞻布局和培育面向6G的…生态: a ladder verb anywhere in the leading verb chain stages it.
        staged = any(lad.stage_of(v) is not None or v in lad.intensifiers for v in facets.verb_chain(body[m.start() :]))
        if not c.forward.search(st) and (m.start() > 3 or not staged or _reports_issue(lad, m.group(0), body)):
            continue
        out.extend(_cap(text, span, c.max_mention))
    return out


def _reports_issue(lad: facets.Ladder, verb: str, segment: str) -> bool:
    """A headline without a cue whose verb issues a named document (七部门印发《…》) reports news."""
    return lad.stage_of(verb) == "出台" and "《" in segment


def headline_evidence(text: str, para: Span) -> list[Span]:
    """Segments of a headline that report progress (past marker plus a verb or number, or 印发《…》 without a cue)."""
    c = cues()
    lad = facets.ladder()
    out = []
    for seg in _headline_segments(text, para):
        st = text[seg.start : seg.end]
        if c.past.search(st) and (facets.has_action_verb(st) or re.search(r"\d", st)):
            out.append(seg)
            continue
        m = facets.first_verb(st)
        if m is not None and m.start() <= 5 and not c.forward.search(st) and _reports_issue(lad, m.group(0), st):
            out.append(seg)
    return out
