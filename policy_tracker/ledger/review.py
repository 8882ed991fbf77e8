"""Active learning for the matcher: the pairs it is least sure of, and the analyst's answers as decisions.

:func:`review_pairs` scores the candidate pairs of a ledger's mentions with
the configured pair scorer and returns those whose score lies closest to the
``join`` threshold: pairs the matcher kept apart though they nearly joined,
and, for each commitment, its weakest member against the member it agrees
with best.  :func:`answer` turns a yes/no into a decision the ledger stores
and every ingest replays (same pledge: ``merge`` or ``pin`` naming the two
mentions; different: ``separate``); ``policy-tracker train`` learns from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from ..matching.candidates import candidate_pairs
from ..matching.cluster import order_mentions
from ..matching.config import MatchConfig
from ..matching.score import features_of, pair_score, score_pairs
from ..matching.features import FEATURE_NAMES
from ..matching.keys import load_vocabulary, mention_keys
from ..models import Mention
from .records import Decision

__all__ = ["ReviewPair", "review_pairs", "answer", "decided_pairs"]


@attrs.frozen
class ReviewPair:
    """Two mentions, the commitments holding them, the score and the features that decided it."""

    a: Mention
    b: Mention
    commitment_a: str
    commitment_b: str
    score: float
    features: tuple[tuple[str, float], ...]

    @property
    def within(self) -> bool:
        """Both mentions are in one commitment (is the weaker one really a member?)."""
        return self.commitment_a == self.commitment_b


def decided_pairs(decisions: Sequence[Decision]) -> list[tuple[str, str, bool]]:
    """``(mention, mention, same)`` for every decision that names a judged pair (review answers, two-mention pins)."""
    out = []
    for d in decisions:
        if len(d.mentions) == 2 and d.action in ("merge", "pin", "separate"):
            out.append((d.mentions[0], d.mentions[1], d.action != "separate"))
    return out


def review_pairs(ledger: object, *, limit: int = 20, config: MatchConfig | None = None) -> list[ReviewPair]:
    """The ``limit`` pairs whose scores lie closest to ``join``, pairs already decided left out."""
    cfg = config or MatchConfig.from_vocabulary(load_vocabulary())
    holder: dict[str, str] = {}
    mentions: list[Mention] = []
    for c in ledger.commitments:  # type: ignore[attr-defined]
        for m in c.mentions:
            holder[m.id] = c.id
            mentions.append(m)
    decided = {frozenset((a, b)) for a, b, _ in decided_pairs(ledger.decisions)}  # type: ignore[attr-defined]
    ordered = order_mentions(mentions)
    keys = mention_keys(ordered, load_vocabulary())
    found: dict[frozenset[str], tuple[float, int, int]] = {}
    best_in: dict[int, tuple[float, int]] = {}  # member -> (best score with another member, that member)
    slots = score_pairs(keys, cfg).slots  # the template slots the ledger shows, as clustering reads them
    for i, j, r in candidate_pairs(keys, cfg):
        s = pair_score(keys[i], keys[j], cfg, r, slots=slots)
        a, b = ordered[i], ordered[j]
        if holder[a.id] == holder[b.id]:
            for x, y in ((i, j), (j, i)):
                if s > best_in.get(y, (-1.0, -1))[0]:
                    best_in[y] = (s, x)
        elif a.source != b.source and frozenset((a.id, b.id)) not in decided:  # one document states a pledge once
            found[frozenset((a.id, b.id))] = (s, i, j)
    # each commitment's weakest member, against the member it agrees with best
    by_commitment: dict[str, list[int]] = {}
    for y in best_in:
        by_commitment.setdefault(holder[ordered[y].id], []).append(y)
    for members in by_commitment.values():
        y = min(members, key=lambda k: (best_in[k][0], ordered[k].id))
        s, x = best_in[y]
        pair = frozenset((ordered[x].id, ordered[y].id))
        if pair not in decided:
            found[pair] = (s, min(x, y), max(x, y))
    ranked = sorted(found.values(), key=lambda t: (abs(t[0] - cfg.join), ordered[t[1]].id, ordered[t[2]].id))
    out = []
    for s, i, j in ranked[:limit]:
        feats = features_of(keys[i], keys[j], cfg, slots=slots)
        named = tuple((n, round(v, 3)) for n, v in zip(FEATURE_NAMES, feats) if v)
        a, b = ordered[i], ordered[j]
        out.append(ReviewPair(a, b, holder[a.id], holder[b.id], round(s, 1), named))
    return out


def answer(pair: ReviewPair, same: bool, *, date: dt.date | None = None) -> Decision:
    """The decision that records an analyst's answer about ``pair``."""
    ids = (pair.a.id, pair.b.id)
    if not same:
        return Decision("separate", commitment=pair.commitment_a, mentions=ids, reason="review: different pledges", date=date)
    if pair.within:
        return Decision("pin", into=pair.commitment_a, mentions=ids, reason="review: same pledge", date=date)
    return Decision("merge", into=pair.commitment_a, ids=(pair.commitment_b,), mentions=ids, reason="review: same pledge", date=date)
