"""Candidate generation for matching: a character-bigram inverted index.

Scoring every pair of mentions grows as N²: 100,000 mentions are 5 × 10⁹
pairs.  Blocking proposes only the pairs worth scoring: two keys are
candidates when they share at least ``min_shared`` character bigrams that are
*distinctive*, i.e. indexed by at most ``max_postings`` keys.  Bigrams above
that absolute cap (推进, 发展, 工业 …) are ignored: they say nothing about
which pledge a clause states, and with a cap relative to the corpus size the
candidate count would still grow quadratically.

Only the candidates are then scored with rapidfuzz (:func:`verify`).  The
index is incremental: :meth:`CandidateIndex.query` scores a new briefing's
keys against what is already indexed, without revisiting old pairs, and a
ledger's index is rebuilt from its mention keys in well under a second per
100,000 keys, so nothing needs persisting.

Everything here is deterministic: candidate lists come back sorted.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from typing import Any

from rapidfuzz import fuzz, process

Scorer = Callable[..., float]

DEFAULT_MAX_POSTINGS = 500
DEFAULT_MIN_SHARED = 1


def grams(key: str) -> set[str]:
    """The blocking grams of a key: its character bigrams (a one-character key is its own gram)."""
    if len(key) < 2:
        return {key} if key else set()
    return {key[i : i + 2] for i in range(len(key) - 1)}


class CandidateIndex:
    """An inverted index from character bigrams to the positions of the keys holding them.

    Keys are identified by their position (0, 1, 2 … in the order added).
    A bigram indexed by more than ``max_postings`` keys is *dropped*: it no
    longer proposes candidates.  Keys must share at least ``min_shared``
    non-dropped bigrams to be candidates.
    """

    def __init__(
        self,
        keys: Iterable[str] = (),
        *,
        max_postings: int = DEFAULT_MAX_POSTINGS,
        min_shared: int = DEFAULT_MIN_SHARED,
    ) -> None:
        if max_postings < 2:
            raise ValueError(f"max_postings: expected >= 2 (a bigram must be able to pair two keys); got {max_postings}")
        if min_shared < 1:
            raise ValueError(f"min_shared: expected >= 1; got {min_shared}")
        self.max_postings = max_postings
        self.min_shared = min_shared
        self._keys: list[str] = []
        self._grams: list[tuple[str, ...]] = []
        self._postings: dict[str, list[int]] = {}
        self.extend(keys)

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def keys(self) -> Sequence[str]:
        """The indexed keys, by position."""
        return self._keys

    def add(self, key: str) -> int:
        """Index one key; return its position."""
        pos = len(self._keys)
        gs = tuple(sorted(grams(key)))
        self._keys.append(key)
        self._grams.append(gs)
        postings = self._postings
        for g in gs:
            p = postings.get(g)
            if p is None:
                postings[g] = [pos]
            else:
                p.append(pos)
        return pos

    def extend(self, keys: Iterable[str]) -> range:
        """Index several keys; return their positions."""
        start = len(self._keys)
        for key in keys:
            self.add(key)
        return range(start, len(self._keys))

    def dropped(self) -> list[str]:
        """The bigrams currently too frequent to propose candidates, most frequent first."""
        cap = self.max_postings
        return sorted((g for g, p in self._postings.items() if len(p) > cap), key=lambda g: (-len(self._postings[g]), g))

    def query(self, key: str, *, before: int | None = None) -> list[int]:
        """Positions of indexed keys that are candidates for ``key``, ascending.

        ``before`` limits the answer to positions below it (used to pair a key
        with the keys indexed before it).
        """
        cap = self.max_postings
        lists = []
        for g in grams(key):
            p = self._postings.get(g)
            if p is None or len(p) > cap:
                continue
            if before is not None:
                p = p[: bisect_right(p, before - 1)]
            if p:
                lists.append(p)
        return _shared(lists, self.min_shared)

    def candidates(self) -> Iterator[tuple[int, list[int]]]:
        """For every key ``i`` with candidates, ``(i, [j, …])`` with every ``j > i``, ascending.

        The streaming form of :meth:`candidate_pairs`: at 10⁵ keys the pairs
        run to millions, so consume them a key at a time (see :func:`link`).
        """
        cap = self.max_postings
        postings = self._postings
        usable = {g: p for g, p in postings.items() if 1 < len(p) <= cap}
        for i, gs in enumerate(self._grams):
            lists = []
            for g in gs:
                p = usable.get(g)
                if p is None:
                    continue
                k = bisect_right(p, i)
                if k < len(p):
                    lists.append(p[k:] if k else p)
            if lists:
                found = _shared(lists, self.min_shared)
                if found:
                    yield i, found

    def candidate_pairs(self) -> list[tuple[int, int]]:
        """All candidate pairs ``(i, j)`` with ``i < j``, sorted."""
        return [(i, j) for i, js in self.candidates() for j in js]


def _shared(lists: list[list[int]], min_shared: int) -> list[int]:
    """Positions occurring in at least ``min_shared`` of ``lists``, ascending."""
    if not lists:
        return []
    if min_shared <= 1:
        if len(lists) == 1:
            return list(lists[0])
        return sorted(set().union(*lists))
    counts = Counter(chain.from_iterable(lists))
    return sorted(j for j, n in counts.items() if n >= min_shared)


def verify(
    groups: Iterable[tuple[int, Sequence[int]]],
    keys: Sequence[str],
    *,
    scorer: Scorer = fuzz.ratio,
    cutoff: float = 70.0,
    queries: Sequence[str] | None = None,
) -> list[tuple[int, int, float]]:
    """Score candidate groups ``(i, [j, …])`` with rapidfuzz; keep ``(i, j, score)`` with score ≥ cutoff.

    ``keys[j]`` are the choices; the query is ``queries[i]`` when given (new
    keys scored against an existing index), else ``keys[i]``.  Each group is
    one ``process.extract`` call, so the query is preprocessed once.
    """
    out: list[tuple[int, int, float]] = []
    qs = keys if queries is None else queries
    for i, js in groups:
        if not js:
            continue
        choices = [keys[j] for j in js]
        for _, score, k in process.extract(qs[i], choices, scorer=scorer, score_cutoff=cutoff, limit=None):
            out.append((i, js[k], score))
    out.sort(key=lambda t: (t[0], t[1]))
    return out


def link(
    keys: Sequence[str],
    *,
    scorer: Scorer = fuzz.ratio,
    cutoff: float = 70.0,
    max_postings: int = DEFAULT_MAX_POSTINGS,
    min_shared: int = DEFAULT_MIN_SHARED,
) -> list[tuple[int, int, float]]:
    """Blocked linking: every pair ``(i, j, score)``, ``i < j``, that blocking proposes and scores ≥ cutoff."""
    index = CandidateIndex(keys, max_postings=max_postings, min_shared=min_shared)
    return verify(index.candidates(), index.keys, scorer=scorer, cutoff=cutoff)


def link_new(
    index: CandidateIndex,
    new_keys: Sequence[str],
    *,
    scorer: Scorer = fuzz.ratio,
    cutoff: float = 70.0,
) -> list[tuple[int, int, float]]:
    """Add ``new_keys`` to ``index`` and link them: ``(i, j, score)`` with ``j < i``, ``i`` a new position.

    Each new key is scored against the keys indexed before it (old keys and
    earlier new ones), never old against old: the cost of one briefing is
    independent of how many pairs the ledger already holds.
    """
    out: list[tuple[int, int, float]] = []
    for key in new_keys:
        pos = index.add(key)
        js = index.query(key, before=pos)
        for i, j, score in verify([(0, js)], index.keys, scorer=scorer, cutoff=cutoff, queries=[key]):
            out.append((pos, j, score))
    return out


def all_pairs(
    keys: Sequence[str],
    *,
    scorer: Scorer = fuzz.ratio,
    cutoff: float = 70.0,
    rows: Iterable[int] | None = None,
) -> list[tuple[int, int, float]]:
    """Reference linking without blocking: every pair ``i < j`` scoring ≥ cutoff (N²/2 scores).

    ``rows`` restricts the outer loop (to split the work between processes).
    """
    out: list[tuple[int, int, float]] = []
    extract: Any = process.extract
    for i in range(len(keys)) if rows is None else rows:
        tail = keys[i + 1 :]
        for _, score, k in extract(keys[i], tail, scorer=scorer, score_cutoff=cutoff, limit=None):
            out.append((i, i + 1 + k, score))
    out.sort(key=lambda t: (t[0], t[1]))
    return out
