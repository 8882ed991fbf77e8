"""Pledge extraction: every forward-looking pledge of a document, once per place.

The document is normalised (:mod:`policy_tracker.extraction.normalize`), cut into
paragraphs and sentences (:mod:`policy_tracker.extraction.segment`) and clauses
(:mod:`policy_tracker.extraction.clauses`), and walked
once, paragraph by paragraph, keeping a little state:

- the speaker (Q&A prefixes, ``X表示``), carried until another speaker appears;
- whether we are in forward-looking context (下一步, 将, 后续, 今年…将, 一是…
  lists), carried over following paragraphs of the same turn until a heading,
  a question, a new speaker or a past/statistical paragraph;
- the section (the theme line of an ``一是…。`` list item).

Inside forward context a clause with a past marker (已, 累计, 截至, 了 …)
is evidence, never a pledge.  Each pledge clause is trimmed (connectives,
subject, 将) and becomes one :class:`~policy_tracker.models.Mention` whose
``start``/``end`` index the ORIGINAL text.  Everything is regular-expression
driven and linear in the size of the text.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterator, Sequence
from typing import Any

from . import facets
from .. import parallel
from . import clauses
from . import segment
from ..models import Document, Evidence, Mention, Target
from ..resources import ENV_VAR
from .normalize import NormalizedText, normalize
from .segment import Span
from .speakers import answer_inside, qa_prefix, reported_speaker, role_in

__all__ = ["clause_facets", "extract", "extract_evidence", "extract_all", "extract_many"]

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _mention(
    doc: Document,
    nt: NormalizedText,
    span: Span,
    speaker: str | None,
    role: str | None,
    section: str | None,
    context: str,
    head: str = "",
    env: str | None = None,  # POLICY_TRACKER_DATA, read once per document by the caller
) -> Mention:
    start, end = nt.to_original(span.start, span.end)
    quote, text = doc.text[start:end], nt.text[span.start : span.end]
    if text == quote:
        text = quote  # one string for both when normalising changed nothing (less memory, less to pickle)
    chain, stage, strength, targets, instruments, topics = _facets(text, head, os.environ.get(ENV_VAR, "") if env is None else env)
    date = doc.held or doc.published
    # Deadlines said once for a whole sentence ("下半年，我们还将…") belong to its clauses.
    deadlines = facets.parse_deadlines(text, date) or facets.parse_deadlines(context, date)
    return Mention(
        source=doc.id,
        start=start,
        end=end,
        quote=quote,
        text=text,
        date=date,
        briefing=doc.briefing_id,
        speaker=speaker,
        role=role,
        section=section,
        verbs=chain,
        stage=stage,
        strength=strength,
        targets=targets,
        deadlines=deadlines,
        instruments=instruments,
        topics=topics,
    )


def clause_facets(text: str, held: dt.date | None = None) -> dict[str, Any]:
    """The facets extraction gives the mention of a clause (``Mention`` keyword arguments: verbs, stage,
    strength, targets, deadlines, instruments, topics), for mentions made without extraction (planted spans)."""
    chain, stage, strength, targets, instruments, topics = _facets(text, "", os.environ.get(ENV_VAR, ""))
    deadlines = facets.parse_deadlines(text, held)
    return {
        "verbs": chain, "stage": stage, "strength": strength, "targets": targets,
        "deadlines": deadlines, "instruments": instruments, "topics": topics,
    }


@functools.lru_cache(maxsize=1 << 16)
def _facets(text: str, head: str, env: str) -> tuple[tuple[str, ...], str | None, str | None, tuple[Target, ...], tuple[str, ...], tuple[str, ...]]:
    """Verb chain, stage, strength, targets, instruments and topics of a clause: a function of its text alone.

    Briefings restate pledges word for word (outlets quoting one speaker, a
    pledge repeated a quarter later), so they are kept for the clauses seen
    last (``env``: the data files the tables come from).  Deadlines depend on
    the briefing date too and are read for every mention.
    """
    # A piece split off a programme list shares the verb chain of the first piece.
    full = head + text
    staged = facets.stage_clause(full)
    chain = facets.verb_chain(staged)
    stage = facets.detect_stage(staged, chain)
    strength = facets.detect_strength(full, stage)
    return tuple(chain), stage, strength, tuple(facets.parse_targets(text)), tuple(facets.parse_instruments(text)), tuple(facets.topics(text))


def _evidence(doc: Document, nt: NormalizedText, span: Span, speaker: str | None) -> Evidence:
    start, end = nt.to_original(span.start, span.end)
    text = nt.text[span.start : span.end]
    return Evidence(
        source=doc.id,
        start=start,
        end=end,
        quote=doc.text[start:end],
        text=text,
        date=doc.held or doc.published,
        speaker=speaker,
        instruments=facets.parse_instruments(text),
        topics=facets.topics(text),
    )


def _body_start(doc: Document) -> int:
    m = _FRONT_MATTER.match(doc.text)
    return m.end() if m else 0


def extract_all(document: Document) -> tuple[list[Mention], list[Evidence]]:
    """Pledge mentions and evidence statements of ``document`` in one pass."""
    mentions, evidence = _extract_cached(document)
    return list(mentions), list(evidence)


# Batches at least this large are extracted by one forked process per core.
PARALLEL_DOCUMENTS = 200


def extract_many(documents: Sequence[Document], *, workers: int | None = None) -> list[tuple[list[Mention], list[Evidence]]]:
    """:func:`extract_all` of every document, in order; large batches use one forked process per core.

    Documents are independent, so the result is the same however they are
    shared out.  ``workers=1`` forces a single process.  Inside
    ``parallel.using(executor)`` (``ingest --dask``) every batch goes to that
    executor, a partition of documents per task.
    """
    return list(extract_iter(documents, workers=workers))


def extract_iter(documents: Sequence[Document], *, workers: int | None = None) -> Iterator[tuple[list[Mention], list[Evidence]]]:
    """:func:`extract_many` one document at a time, in order, as the workers finish them (for a truthful progress count)."""
    n = parallel.cpu_count() if workers is None else workers
    if len(documents) < PARALLEL_DOCUMENTS and parallel.current() is None:
        n = 1
    if parallel.current() is not None:  # an executor (ingest --dask): its tasks come back as a whole
        return iter(parallel.map_shared(_extract_one, None, documents, n, chunksize=max(1, len(documents) // (n * 16))))
    return parallel.fork_imap(_extract, documents, n, chunksize=max(1, len(documents) // (n * 16)))


def _extract_one(_: None, document: Document) -> tuple[list[Mention], list[Evidence]]:
    return _extract(document)


@functools.lru_cache(maxsize=16)
def _extract_cached(document: Document) -> tuple[tuple[Mention, ...], tuple[Evidence, ...]]:
    # extract() and extract_evidence() are often called back to back on one document.
    mentions, evidence = _extract(document)
    return tuple(mentions), tuple(evidence)


def _extract(document: Document) -> tuple[list[Mention], list[Evidence]]:
    nt = normalize(document.text)
    env = os.environ.get(ENV_VAR, "")
    skip_until = nt.to_normalized(_body_start(document)) if document.text.startswith(("---", "\ufeff---")) else 0
    mentions: list[Mention] = []
    evidence: list[Evidence] = []
    speaker: str | None = None
    role: str | None = None
    section: str | None = None
    forward = False
    asked_forward = False  # the last question asked about plans (下一步/哪些措施)
    asked_plans_only = False  # ... and not also about progress (情况如何, 采取了哪些)
    reviewing = False  # answering a question that (also) asks about progress: the answer reviews first
    answering_plans = False  # inside the answer to such a question
    plans_turn = False  # same, but not ended by a paragraph that reviews progress (for 一是… lists)
    briefing_date = document.held or document.published
    year = briefing_date.year if briefing_date else None
    seen: set[tuple[int, int]] = set()
    # The marker a forward-looking numbered list would go on with (("N是", 3) after 二是…):
    # an item opening with it stays forward-looking across captions, page breaks and headings.
    list_next: tuple[str, int] | None = None

    def emit(spans: list[Span], context: str, heads: list[str] | None = None) -> None:
        for i, sp in enumerate(spans):
            if (sp.start, sp.end) not in seen:
                seen.add((sp.start, sp.end))
                head = heads[i] if heads and i < len(heads) else ""
                mentions.append(_mention(document, nt, sp, speaker, role, section, context, head, env))

    for para in segment.paragraphs(nt.text):
        if para.end <= skip_until:
            continue
        text = nt.text[para.start : para.end]
        if segment.is_transparent(text):
            continue
        if speaker is not None and len(text) <= 30 and text.rstrip(" *_#").endswith(speaker) and segment.is_heading(text):
            continue  # a caption naming the speaker already talking (工业和信息化部部长苗圩): the text flows across it
        if segment.is_heading(text):
            forward = False
            answering_plans = plans_turn = False
            section = None
            emit(clauses.headline_pledges(nt.text, para), "")
            for sp in clauses.headline_evidence(nt.text, para):
                evidence.append(_evidence(document, nt, sp, speaker))
            continue
        para = segment.strip_markup(nt.text, para)
        text = nt.text[para.start : para.end]
        body_start = para.start
        if segment.is_question(text):
            forward = False
            list_next = None
            answering_plans = plans_turn = False
            asked_forward = segment.asks_forward(text)
            asked_plans_only = segment.asks_plans_only(text)
            reviewing = segment.asks_review(text)
            continue
        turn = qa_prefix(text, document)
        if turn is not None and turn.is_question:
            answer_at = answer_inside(text, document)
            if answer_at is not None:
                # "记者：…下一步有何考虑？罗俊杰：…": the question, then its answer as a paragraph of its own.
                speaker, role = None, None
                forward = False
                list_next = None
                asked_forward = segment.asks_forward(text[:answer_at])
                asked_plans_only = segment.asks_plans_only(text[:answer_at])
                reviewing = segment.asks_review(text[:answer_at])
                para = Span(para.start + answer_at, para.end)
                text = nt.text[para.start : para.end]
                body_start = para.start
                turn = qa_prefix(text, document)
        answer_to_forward = asked_forward
        answer_to_plans = asked_plans_only
        asked_forward = asked_plans_only = False
        if answer_to_plans:
            answering_plans = plans_turn = True
        if turn is not None:
            # The same speaker's next turn (a caption line "部长 金壮龙：…" after "金壮龙介绍，…2025年，要…")
            # goes on like a paragraph of the same turn; another speaker's turn starts afresh.
            same_speaker = turn.speaker is not None and turn.speaker == speaker and not turn.is_question
            if not same_speaker:
                forward = False
                list_next = None
            section = None
            answering_plans = plans_turn = answer_to_plans
            if turn.is_question:
                speaker, role = None, None
                answering_plans = plans_turn = False
                asked_forward = segment.asks_forward(text)
                asked_plans_only = segment.asks_plans_only(text)
                reviewing = segment.asks_review(text)
                continue
            speaker, role = turn.speaker, turn.role
            if speaker is not None and role is None:
                role = role_in(nt.text, speaker)  # 王鹏： after "规划司司长王鹏" in the opening
            body_start = para.start + turn.body_start
        else:
            frame = reported_speaker(text)
            if frame is not None and frame[1] is None:
                frame = (frame[0], role_in(nt.text, frame[0]), frame[2])  # 许科敏表示: title given earlier
            if frame is not None and frame[2] <= 2:
                speaker, role = frame[0], frame[1]
                forward = False
                list_next = None
                answering_plans = plans_turn = False
                section = None
            elif frame is not None and frame[0] != speaker:
                speaker, role = frame[0], frame[1]
        body = Span(body_start, para.end)
        enumerated = segment.is_enumerated(nt.text, body)
        if enumerated:
            # An answer to "下一步有哪些考虑？" that goes straight into a list is forward-looking.
            if (answer_to_forward or plans_turn) and not segment.opens_with_past(nt.text, body):
                forward = True
            markers = segment.list_markers(nt.text, body)
            if list_next is not None and markers and markers[0] == list_next and not segment.opens_with_past(nt.text, body):
                forward = True  # the next item of a forward-looking list (一是… 二是…), whatever came between
            theme = segment.theme(nt.text, body)
            section = nt.text[theme.start : theme.end] if theme else None
        else:
            if answering_plans and segment.opens_with_past(nt.text, body):
                answering_plans = False  # the answer reviews progress first; cues take over
            elif answering_plans and not forward and segment.opens_with_action(nt.text, body):
                # An answer to "下一步有哪些考虑？" states plans even without 将 or 一是.
                forward = True
            elif forward and (segment.opens_with_past(nt.text, body) or not segment.leads_into_action(nt.text, body)):
                forward = False
            if not forward or segment.opens_with_cue(nt.text, body):
                section = None  # a new statement, not the continuation of a list item
        if forward:
            markers = segment.list_markers(nt.text, body)
            if markers:
                list_next = (markers[-1][0], markers[-1][1] + 1)
        if not forward and not reviewing and clauses.framed_ahead(nt.text, body, year):
            forward = True  # "稳定重点行业增长。我们将…": bare actions that a later cue of the paragraph frames
        result = clauses.pledge_clauses(nt.text, body, forward, year)
        for group in result.pledges:
            emit(group.spans, group.context, group.heads)
        for sp in result.evidence:
            evidence.append(_evidence(document, nt, sp, speaker))
        forward = result.forward_after
    mentions.sort(key=lambda m: (m.start, m.end))
    evidence.sort(key=lambda e: (e.start, e.end))
    return mentions, evidence


def extract(document: Document) -> list[Mention]:
    """Every forward-looking pledge mention of ``document``, sorted by start offset.

    ``quote == document.text[start:end]`` always; ``text`` is the normalised quote.
    """
    return extract_all(document)[0]


def extract_evidence(document: Document) -> list[Evidence]:
    """The past-tense progress statements (已…, 累计…, 截至…, …了…, 印发…) of ``document``."""
    return extract_all(document)[1]
