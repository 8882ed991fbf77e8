"""The candidate rule, written once: which two matching keys are worth scoring.

Every path that proposes candidates calls :func:`is_candidate`: the
pure-Python bigram index (:class:`policy_tracker.matching.candidates.CandidateIndex`),
its numpy backend (:func:`policy_tracker.matching.candidates_numpy.candidate_arrays`)
and the incremental ingest (:func:`policy_tracker.matching.incremental.related`).
The backends count shared bigrams differently; the rule may not differ.
Its limits default to ``thresholds`` in data/matching.yaml (:func:`limits`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .config import MatchConfig

Scorer = Callable[..., float]


def is_candidate(shared: Any, size_a: Any, size_b: Any, rare: Any, min_shared: int) -> Any:
    """THE candidate rule: two keys are compared when they share ``min_shared`` distinctive bigrams, or one rare one.

    ``shared`` is how many distinctive bigrams (held by at most ``max_postings``
    keys) the two keys share, ``size_a``/``size_b`` how many bigrams each has
    (a key with fewer than ``min_shared`` needs all of its own), ``rare``
    whether one shared bigram is held by at most ``rare_postings`` keys, or
    the two hold one :func:`signature_tokens` token within ``signature_window``
    of each other in its list of holders.
    Written with ``|`` and ``>=`` only, so that it applies to plain numbers
    (pure Python, incremental) and to numpy arrays (one call per block) alike.
    """
    return rare | (shared >= min_shared) | (shared >= size_a) | (shared >= size_b)


def signature(held: Iterable[tuple[int, str]], own_rarest: int) -> list[str]:
    """A key's own rarest bigrams: of its ``(holders, bigram)`` pairs, the ``own_rarest`` bigrams held by at least two
    keys with the fewest holders, ties in bigram order.

    The caps of :func:`is_candidate` are absolute: as a corpus grows, more
    bigrams cross them, and past 10⁵ mentions a key made of common words, even
    a word junction of a popular sector (斗优 in 北斗优秀解决方案), has no
    distinctive bigram left and its restatements stop meeting.  The signature
    is relative to the key's own bigrams, not to the corpus size; blocking uses
    it through :func:`signature_tokens`.  The numpy backend computes the same
    selection with arrays (tested against this).
    """
    return [g for _, g in sorted(h for h in held if h[0] > 1)[:own_rarest]]


def signature_tokens(held: Iterable[tuple[int, str]], own_rarest: int, rare_postings: int) -> list[str]:
    """The blocking tokens of a key's :func:`signature`: every two of its bigrams held by more than ``rare_postings``
    keys, as ``"a|b"`` (``a < b``); a signature of one such bigram alone is its own token.

    Two keys holding one token and lying at most ``signature_window`` apart in
    the token's list of holders (positions ascending) are candidates as
    through a rare bigram (:func:`in_window`).  A token pairs two of a key's
    rarest words, so its holders are keys combining them (卫星互联网 and 虚拟现实,
    whatever the order of the list), far fewer than the holders of either; and
    the window bounds what a token costs however many keys hold it: each key
    meets at most 2 · ``signature_window`` keys per token, at most
    C(``own_rarest``, 2) tokens, whatever the corpus size.  Bigrams held by at
    most ``rare_postings`` keys make no token: keys sharing one are candidates
    already.
    """
    held = list(held)
    sig = signature(held, own_rarest)
    holders = {g: n for n, g in held}
    frequent = sorted(g for g in sig if holders[g] > rare_postings)
    if len(sig) == 1:
        return frequent
    return [a + "|" + b for x, a in enumerate(frequent) for b in frequent[x + 1 :]]


def in_window(rank_a: int, rank_b: int, window: int) -> bool:
    """Whether two holders of a signature token, at these ranks in its list of holders, are within ``window`` of each other."""
    return abs(rank_a - rank_b) <= window


def limits(max_postings: int | None, min_shared: int | None, rare_postings: int | None) -> tuple[int, int, int]:
    """The given limits, the others from data/matching.yaml."""
    if max_postings is None or min_shared is None or rare_postings is None:
        c = MatchConfig()
        max_postings = c.max_postings if max_postings is None else max_postings
        min_shared = c.min_shared if min_shared is None else min_shared
        rare_postings = c.rare_postings if rare_postings is None else rare_postings
    return max_postings, min_shared, rare_postings


def own_rarest_limit(own_rarest: int | None) -> int:
    """The given signature size, else data/matching.yaml's ``own_rarest``."""
    return MatchConfig().own_rarest if own_rarest is None else own_rarest


def window_limit(window: int | None) -> int:
    """The given signature window, else data/matching.yaml's ``signature_window``."""
    return MatchConfig().signature_window if window is None else window
