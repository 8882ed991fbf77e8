"""Evidence an analyst may want to link to a commitment: ranked candidates, never linked automatically.

A verdict (fulfilled, broken …) rests on past-tense progress statements that
extraction keeps as evidence (发布了首批300个5G工厂名录 for a pledge to build 5G
factories).  Candidates are evidence statements made on or after the
commitment's first mention, scored against each of its mentions on the
matching keys (:mod:`policy_tracker.matching.keys`): partial similarity of the cores,
bigram overlap, a bonus for a shared instrument or programme name and a
penalty for disjoint topics.  The analyst confirms with
``policy-tracker set ID status=… --evidence EVIDENCE-ID``.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from ..models import Commitment, Evidence, date_key
from .config import MatchConfig
from .keys import MatchKey, key_of_text, mention_key
from .score import overlap


def _score(a: MatchKey, b: MatchKey, config: MatchConfig) -> float:
    s = 0.5 * fuzz.partial_ratio(a.core, b.core) + 50 * overlap(a, b)
    if set(a.strong) & set(b.strong):
        s += config.strong_bonus
    if a.topics and b.topics and not set(a.topics) & set(b.topics):
        s -= config.topic_penalty
    return max(0.0, min(100.0, s))


def evidence_candidates(
    commitment: Commitment,
    evidence: Iterable[Evidence],
    *,
    limit: int = 5,
    min_score: float | None = None,
    config: MatchConfig | None = None,
) -> list[tuple[Evidence, float]]:
    """The best-scoring evidence for ``commitment`` (score 0–100, best first, ties by date and id).

    Scores below ``min_score`` (default: ``suggest_min`` in data/matching.yaml) are left out.
    """
    config = config or MatchConfig()
    min_score = config.suggest_min if min_score is None else min_score
    first = commitment.first_seen
    if first is None:
        return []
    keys = [mention_key(m) for m in commitment.mentions]
    scored = []
    for e in evidence:
        if first.date is not None and e.date is not None and e.date < first.date:
            continue
        ek = key_of_text(e.text or e.quote, e.instruments, topics=e.topics)
        score = max(_score(k, ek, config) for k in keys)
        if score >= min_score:
            scored.append((round(score, 1), e))
    scored.sort(key=lambda t: (-t[0], date_key(t[1].date), t[1].id))
    return [(e, s) for s, e in scored[:limit]]
