"""Candidate generation for matching: a character-bigram inverted index.

Scoring every pair of mentions grows as N²: 100,000 mentions are 5 × 10⁹
pairs.  Blocking proposes only the pairs worth scoring: two keys are
candidates when they share at least ``min_shared`` character bigrams that are
*distinctive*, i.e. indexed by at most ``max_postings`` keys.  Bigrams above
that absolute cap (推进, 发展, 工业 …) are ignored: they say nothing about
which pledge a clause states, and with a cap relative to the corpus size the
candidate count would still grow quadratically.

Only the candidates are then scored with rapidfuzz (:func:`verify`).  The
index is incremental: :meth:`CandidateIndex.query` and :func:`link_new` score
a new briefing's keys against what is already indexed, without revisiting old
pairs.  It persists as its keys (:meth:`CandidateIndex.write`/``read``):
postings are rebuilt from them in about half a second per 100,000 keys.
Measured costs and recall: docs/scaling.md.

The candidate rule itself is :func:`is_candidate`, written once: the
pure-Python index here, the numpy backend
(:mod:`policy_tracker.matching.candidates_numpy`) and the incremental ingest
(:func:`policy_tracker.matching.incremental.related`) all call it.  Its
limits (``max_postings``, ``min_shared``, ``rare_postings``) default to
``thresholds`` in data/matching.yaml (:class:`~policy_tracker.matching.config.MatchConfig`).
:func:`candidate_pairs` is the first of the matcher's three steps
(candidates → :func:`~policy_tracker.matching.score.score_pairs` →
:func:`~policy_tracker.matching.cluster.cluster`).

Everything here is deterministic: candidate lists come back sorted.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, combinations
from typing import Any, TextIO

from rapidfuzz import fuzz, process

from .. import parallel
from ..errors import DataError
from .config import MatchConfig
from .keys import MatchKey, bigrams
from .rule import Scorer, is_candidate, limits, own_rarest_limit, signature_tokens, window_limit

INDEX_FORMAT = "policy-tracker candidate index 1"


class CandidateIndex:
    """An inverted index from blocking tokens to the positions of the keys holding them.

    Keys are identified by their position (0, 1, 2 … in the order added).
    Tokens are a key's character bigrams.  A bigram indexed by more than
    ``max_postings`` keys is *frequent*: it no longer proposes candidates.
    With ``pair_tokens`` every two frequent bigrams of one key also form a
    token (``新能|示范``), used while it indexes at most ``max_pair_postings``
    keys, so restatements whose shared words are all common
    (``新能源汽车…示范``) still meet without indexing the common bigrams
    themselves (useful with a low cap; it costs index time at 10⁵ keys).
    Limits left out come from data/matching.yaml.
    Keys must share at least ``min_shared`` usable tokens to be candidates
    (a key with fewer bigrams needs all of its own), or one *rare* bigram,
    indexed by at most ``rare_postings`` keys (the junction of two words,
    ``车标`` in 新能源汽车标准, often is the only distinctive bigram two
    restatements share); and, when ``min_overlap``
    is set, a fraction ``min_overlap`` of the bigrams of the shorter key (the
    bigram overlap coefficient, counting frequent bigrams too): an exact test,
    about 0.3 µs a candidate, worth it only in front of a slower scorer.
    With ``own_rarest`` = r (0: off; by default data/matching.yaml's), each
    key also holds the tokens of its signature (:func:`rule.signature_tokens`:
    every two of its r rarest bigrams held by two keys or more, when both are
    held by more than ``rare_postings`` keys); two holders of one token at most
    ``signature_window`` apart in its list of holders are candidates as through
    a rare bigram, whatever the token's count.
    """

    def __init__(
        self,
        keys: Iterable[str] = (),
        *,
        max_postings: int | None = None,
        min_shared: int | None = None,
        min_overlap: float = 0.0,
        pair_tokens: bool = False,
        max_pair_postings: int | None = None,
        rare_postings: int | None = None,
        own_rarest: int | None = None,
        signature_window: int | None = None,
    ) -> None:
        max_postings, min_shared, rare_postings = limits(max_postings, min_shared, rare_postings)
        own_rarest, signature_window = own_rarest_limit(own_rarest), window_limit(signature_window)
        if own_rarest < 0:
            raise ValueError(f"own_rarest: expected >= 0; got {own_rarest}")
        if signature_window < 1:
            raise ValueError(f"signature_window: expected >= 1; got {signature_window}")
        self.own_rarest = own_rarest
        self.signature_window = signature_window
        self._signature_cache: dict[str, list[int]] | None = None
        if max_postings < 2:
            raise ValueError(f"max_postings: expected >= 2 (a token must be able to pair two keys); got {max_postings}")
        if min_shared < 1:
            raise ValueError(f"min_shared: expected >= 1; got {min_shared}")
        self.max_postings = max_postings
        if not 0.0 <= min_overlap <= 1.0:
            raise ValueError(f"min_overlap: expected a fraction between 0 and 1; got {min_overlap}")
        self.min_shared = min_shared
        self.min_overlap = min_overlap
        self.pair_tokens = pair_tokens
        self.max_pair_postings = max_postings if max_pair_postings is None else max_pair_postings
        self.rare_postings = rare_postings
        self._keys: list[str] = []
        self._grams: list[tuple[str, ...]] = []
        self._postings: dict[str, list[int]] = {}
        self._pairs: dict[str, list[int]] = {}
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
        self._signature_cache = None
        gs = tuple(sorted(bigrams(key)))
        self._keys.append(key)
        self._grams.append(gs)
        postings, cap = self._postings, self.max_postings
        for g in gs:
            p = postings.get(g)
            if p is None:
                postings[g] = [pos]
                continue
            p.append(pos)
            if len(p) == cap + 1 and self.pair_tokens:
                self._became_frequent(g, p[:-1])
        if self.pair_tokens:
            frequent = [g for g in gs if len(postings[g]) > cap]
            pairs = self._pairs
            for a, b in combinations(frequent, 2):
                pairs.setdefault(a + "|" + b, []).append(pos)
        return pos

    def _became_frequent(self, g: str, holders: list[int]) -> None:
        """``g`` just crossed the cap: pair it with the other frequent bigrams of the keys already holding it."""
        postings, cap, pairs = self._postings, self.max_postings, self._pairs
        for k in holders:
            for h in self._grams[k]:
                if h != g and len(postings[h]) > cap:
                    token = g + "|" + h if g < h else h + "|" + g
                    pairs.setdefault(token, []).append(k)

    def extend(self, keys: Iterable[str]) -> range:
        """Index several keys; return their positions."""
        start = len(self._keys)
        for key in keys:
            self.add(key)
        return range(start, len(self._keys))

    def options(self) -> dict[str, Any]:
        """The parameters the index was built with (to rebuild an equal one)."""
        return {
            "max_postings": self.max_postings,
            "min_shared": self.min_shared,
            "min_overlap": self.min_overlap,
            "pair_tokens": self.pair_tokens,
            "max_pair_postings": self.max_pair_postings,
            "rare_postings": self.rare_postings,
            "own_rarest": self.own_rarest,
            "signature_window": self.signature_window,
        }

    def write(self, stream: TextIO) -> None:
        """Persist the index: a JSON header line with the options, then one key per line.

        Only the keys are stored: postings are rebuilt from them on :meth:`read`
        (linear, about 0.5 s per 10⁵ keys), while computing the keys again from
        mention texts costs several times more.
        """
        stream.write(json.dumps({"format": INDEX_FORMAT, "keys": len(self._keys), **self.options()}) + "\n")
        for key in self._keys:
            stream.write(key.replace("\n", " ") + "\n")

    @classmethod
    def read(cls, stream: TextIO, name: str = "<index>") -> CandidateIndex:
        """An index written by :meth:`write`; raises :class:`DataError` naming ``name`` when it is not one."""
        header = stream.readline()
        try:
            meta = json.loads(header)
        except ValueError:
            meta = None
        if not isinstance(meta, dict) or meta.pop("format", None) != INDEX_FORMAT:
            raise DataError(f"{name}:1: not a candidate index (expected a {INDEX_FORMAT!r} header); rebuild it from the ledger")
        count = meta.pop("keys", None)
        keys = stream.read().split("\n")
        if keys and keys[-1] == "":
            keys.pop()
        if count != len(keys):
            raise DataError(f"{name}: header announces {count} keys, file holds {len(keys)}; the file is truncated, rebuild it")
        return cls(keys, **meta)

    def dropped(self) -> list[str]:
        """The bigrams currently too frequent to propose candidates alone, most frequent first."""
        cap = self.max_postings
        return sorted((g for g, p in self._postings.items() if len(p) > cap), key=lambda g: (-len(self._postings[g]), g))

    def _tokens(self, gs: Iterable[str]) -> Iterator[list[int]]:
        """The postings of the usable tokens of a key with bigrams ``gs``."""
        postings, cap = self._postings, self.max_postings
        frequent = []
        for g in gs:
            p = postings.get(g)
            if p is None:
                continue
            if len(p) <= cap:
                yield p
            else:
                frequent.append(g)
        if self.pair_tokens and len(frequent) > 1:
            pairs = self._pairs
            for a, b in combinations(sorted(frequent), 2):
                p = pairs.get(a + "|" + b)
                if p is not None and len(p) <= self.max_pair_postings:
                    yield p

    def _signature(self, gs: Iterable[str]) -> list[str]:
        postings = self._postings
        return signature_tokens([(len(postings.get(g, ())), g) for g in gs], self.own_rarest, self.rare_postings)

    def _signature_lists(self) -> dict[str, list[int]]:
        """For each signature token (:func:`rule.signature_tokens`): the positions whose key holds it, ascending."""
        if self._signature_cache is None:
            out: dict[str, list[int]] = {}
            for pos, gs in enumerate(self._grams):
                for t in self._signature(gs):
                    out.setdefault(t, []).append(pos)
            self._signature_cache = out
        return self._signature_cache

    def _signature_matches(self, gs: Iterable[str], row: int | None = None, before: int | None = None) -> list[list[int]]:
        """The holders within ``signature_window`` of a key in the lists of its signature tokens: after the key at
        position ``row``, or (a query) before position ``before``, the key standing where ``before`` would be in each
        list (after every holder when ``before`` is None)."""
        if not self.own_rarest:
            return []
        lists, w, out = self._signature_lists(), self.signature_window, []
        for t in self._signature(gs):
            p = lists.get(t)
            if not p:
                continue
            if row is not None:
                r = bisect_left(p, row) + 1
                out.append(p[r : r + w])
            else:
                r = len(p) if before is None else bisect_left(p, before)
                out.append(p[max(0, r - w) : r])
        return out

    def query(self, key: str, *, before: int | None = None) -> list[int]:
        """Positions of indexed keys that are candidates for ``key``, ascending.

        ``before`` limits the answer to positions below it (used to pair a key
        with the keys indexed before it).
        """
        gs = bigrams(key)
        lists, rare = [], []
        for p in self._tokens(gs):
            is_rare = len(p) <= self.rare_postings
            if before is not None:
                p = p[: bisect_right(p, before - 1)]
            if p:
                lists.append(p)
                if is_rare:
                    rare.append(p)
        own = self._signature_matches(gs, before=before)
        found = self._select(lists, len(gs), rare, own)
        return self._overlapping(gs, found) if self.min_overlap and found else found

    def _select(
        self, lists: list[list[int]], size: int, rare: list[list[int]] = (), own: list[list[int]] = ()  # type: ignore[assignment]
    ) -> list[int]:
        """Positions that :func:`is_candidate` keeps among ``lists`` (the usable postings of a key with ``size``
        bigrams) and the signature windows ``own`` (whose positions count as in a rare list), ascending."""
        if not lists and not any(own):
            return []
        counts = Counter(chain.from_iterable(lists))
        in_rare = set().union(*rare, *own)
        for j in in_rare:
            counts.setdefault(j, 0)
        grams_of, need = self._grams, self.min_shared
        return sorted(j for j, n in counts.items() if is_candidate(n, size, len(grams_of[j]), j in in_rare, need))

    def _overlapping(self, gs: set[str] | frozenset[str], found: list[int]) -> list[int]:
        """The positions in ``found`` whose bigram overlap coefficient with ``gs`` reaches ``min_overlap``."""
        t, grams_of, n = self.min_overlap, self._grams, len(gs)
        return [j for j in found if len(gs.intersection(grams_of[j])) >= t * min(n, len(grams_of[j]))]

    def candidates(self, rows: Iterable[int] | None = None) -> Iterator[tuple[int, list[int]]]:
        """For every key ``i`` with candidates, ``(i, [j, …])`` with every ``j > i``, ascending.

        The streaming form of :meth:`candidate_pairs`: at 10⁵ keys the pairs
        run to millions, so consume them a key at a time (see :func:`link`).
        ``rows`` restricts ``i`` (to share the work between processes).
        """
        grams_of = self._grams
        for i in range(len(grams_of)) if rows is None else rows:
            gs = grams_of[i]
            lists, rare = [], []
            for p in self._tokens(gs):
                k = bisect_right(p, i)
                if k < len(p):
                    lists.append(p[k:] if k else p)
                    if len(p) <= self.rare_postings:
                        rare.append(lists[-1])
            own = self._signature_matches(gs, row=i)
            if lists or any(own):
                found = self._select(lists, len(gs), rare, own)
                if found and self.min_overlap:
                    found = self._overlapping(frozenset(gs), found)
                if found:
                    yield i, found

    def candidate_pairs(self) -> list[tuple[int, int]]:
        """All candidate pairs ``(i, j)`` with ``i < j``, sorted."""
        return [(i, j) for i, js in self.candidates() for j in js]


def verify(
    groups: Iterable[tuple[int, Sequence[int]]],
    keys: Sequence[str],
    *,
    scorer: Scorer = fuzz.ratio,
    cutoff: float,
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
    cutoff: float,
    max_postings: int | None = None,
    min_shared: int | None = None,
    min_overlap: float = 0.0,
    workers: int = 1,
) -> list[tuple[int, int, float]]:
    """Blocked linking: every pair ``(i, j, score)``, ``i < j``, that blocking proposes and scores ≥ cutoff.

    With ``min_shared=1`` (keys sharing any distinctive bigram are
    candidates) and numpy installed, candidates are scored a posting list at
    a time with ``process.cdist`` (:func:`policy_tracker.matching.candidates_numpy.link_blocks`), several times faster
    than key by key; the result is the same either way.  ``workers`` forked
    processes share the work.
    """
    from . import candidates_numpy as blocks

    max_postings, min_shared, _ = limits(max_postings, min_shared, None)
    if min_shared == 1 and not min_overlap and blocks.has_numpy():
        import numpy as np

        rows, cols, _ = blocks.link_blocks(keys, scorer=scorer, cutoff=cutoff, max_postings=max_postings, workers=workers)
        a, b = rows.tolist(), cols.tolist()
        exact = process.cpdist([keys[i] for i in a], [keys[j] for j in b], scorer=scorer, dtype=np.float64, workers=max(1, workers))
        return list(zip(a, b, exact.tolist(), strict=True))
    index = CandidateIndex(keys, max_postings=max_postings, min_shared=min_shared, min_overlap=min_overlap)
    n = len(index)
    if workers <= 1 or n < 2 * _ROW_CHUNK:
        return verify(index.candidates(), index.keys, scorer=scorer, cutoff=cutoff)
    chunks = [range(lo, min(lo + _ROW_CHUNK, n)) for lo in range(0, n, _ROW_CHUNK)]
    parts = parallel.fork_map(lambda rows: verify(index.candidates(rows), index.keys, scorer=scorer, cutoff=cutoff), chunks, workers)
    return sorted(chain.from_iterable(parts), key=lambda t: (t[0], t[1]))


_ROW_CHUNK = 2048


def link_new(
    index: CandidateIndex,
    new_keys: Sequence[str],
    *,
    scorer: Scorer = fuzz.ratio,
    cutoff: float,
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
    cutoff: float,
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


# ---------------------------------------------------------------- the matcher's candidates


def _shared_feature_pairs(features: Sequence[Sequence[str]], cap: int, min_shared: int) -> dict[int, set[int]]:
    """``{i: {j > i}}`` for keys sharing at least ``min_shared`` features held by at most ``cap`` keys."""
    postings: dict[str, list[int]] = {}
    for i, fs in enumerate(features):
        for f in fs:
            postings.setdefault(f, []).append(i)
    counts: dict[tuple[int, int], int] = {}
    for members in postings.values():
        if 1 < len(members) <= cap:
            for x, i in enumerate(members):
                for j in members[x + 1 :]:
                    counts[(i, j)] = counts.get((i, j), 0) + 1
    out: dict[int, set[int]] = {}
    for (i, j), n in counts.items():
        if n >= min_shared:
            out.setdefault(i, set()).add(j)
    return out


def verbatim_pairs(cores: Sequence[str]) -> dict[int, set[int]]:
    """Each key paired with the next key of the same core, so that verbatim restatements always meet.

    Blocking ignores bigrams held by more than ``max_postings`` keys; a quote
    repeated that often (a document pasted hundreds of times) would otherwise
    share no usable bigram with its own copies and each copy become a
    commitment of its own.  A chain keeps the pairs linear in the copies.
    """
    last: dict[str, int] = {}
    out: dict[int, set[int]] = {}
    for i, core in enumerate(cores):
        if core in last:
            out.setdefault(last[core], set()).add(i)
        last[core] = i
    return out


def special_pairs(keys: Sequence[MatchKey], config: MatchConfig) -> dict[int, set[int]]:
    """Pairs kept whatever their ratio: the same core, a shared instrument/programme, or two shared list items."""
    special = _shared_feature_pairs([k.strong for k in keys], config.feature_cap, 1)
    for extra in (_shared_feature_pairs([k.items for k in keys], config.feature_cap, 2), verbatim_pairs([k.core for k in keys])):
        for i, js in extra.items():
            special.setdefault(i, set()).update(js)
    return special


Source = Callable[[Iterable[int] | None], Iterator[tuple[int, list[tuple[int, float]]]]]


def _extract_source(cores: Sequence[str], config: MatchConfig) -> Source:
    """Candidates row by row: the bigram index proposes, ``process.extract`` keeps the ``top_k`` best ratios ≥ ``prefilter``."""
    caps = {"max_postings": config.max_postings, "min_shared": config.min_shared, "rare_postings": config.rare_postings}
    index = CandidateIndex(cores, **caps, own_rarest=config.own_rarest, signature_window=config.signature_window)
    top_k = int(config.top_k) or None
    extract, ratio = process.extract, fuzz.ratio

    def rows_of(rows: Iterable[int] | None) -> Iterator[tuple[int, list[tuple[int, float]]]]:
        for i, js in index.candidates(rows):
            found = extract(cores[i], [cores[j] for j in js], scorer=ratio, score_cutoff=config.prefilter, limit=top_k)
            yield i, [(js[k], r) for _, r, k in found]

    return rows_of


def _array_source(cores: Sequence[str], config: MatchConfig, workers: int) -> Source:
    """The same candidates as :func:`_extract_source`, computed a posting list at a time in numpy (candidates_numpy.candidate_arrays)."""
    import numpy as np

    from .candidates_numpy import candidate_arrays

    found_rows, found_cols, found_ratios = candidate_arrays(
        cores,
        cutoff=config.prefilter,
        max_postings=config.max_postings,
        min_shared=config.min_shared,
        rare_postings=config.rare_postings,
        own_rarest=config.own_rarest,
        signature_window=config.signature_window,
        top_k=int(config.top_k),
        workers=workers,
    )

    def rows_of(rows: Iterable[int] | None) -> Iterator[tuple[int, list[tuple[int, float]]]]:
        if rows is None:
            lo, hi, wanted = 0, len(found_rows), None
        elif isinstance(rows, range) and rows.step == 1:
            lo, hi = (int(x) for x in np.searchsorted(found_rows, [rows.start, rows.stop]))
            wanted = None
        else:
            lo, hi, wanted = 0, len(found_rows), set(rows)
        current, pairs = -1, []
        for i, j, r in zip(found_rows[lo:hi].tolist(), found_cols[lo:hi].tolist(), found_ratios[lo:hi].tolist(), strict=True):
            if wanted is not None and i not in wanted:
                continue
            if i != current:
                if pairs:
                    yield current, pairs
                current, pairs = i, []
            pairs.append((j, r))
        if pairs:
            yield current, pairs

    return rows_of


def candidate_source(cores: Sequence[str], config: MatchConfig, workers: int = 1) -> Source:
    """Numpy's posting-list scoring for large inputs when numpy is installed, else key by key: the same candidates either way."""
    from . import candidates_numpy as blocks

    if len(cores) >= ARRAY_MIN and config.prefilter > 0 and blocks.has_numpy():
        return _array_source(cores, config, workers)
    return _extract_source(cores, config)


# from this many keys on, candidates are scored by posting-list blocks when numpy is installed
# (below it, key by key is as fast and spares importing numpy, about 0.1 s)
ARRAY_MIN = 5000


def row_pairs(
    cores: Sequence[str], source: Source, special: Mapping[int, set[int]], rows: Iterable[int] | None = None
) -> Iterator[tuple[int, int, float]]:
    """Candidate pairs ``(i, j, ratio)`` of the given rows (all rows by default), row by row."""
    ratio = fuzz.ratio
    done = set()
    for i, found in source(rows):
        done.add(i)
        seen = set()
        for j, r in found:
            seen.add(j)
            yield i, j, r
        for j in sorted(special.get(i, set()) - seen):
            yield i, j, ratio(cores[i], cores[j])
    wanted = special.keys() if rows is None else set(rows) & special.keys()
    for i in sorted(set(wanted) - done):
        for j in sorted(special[i]):
            yield i, j, ratio(cores[i], cores[j])


def candidate_pairs(keys: Sequence[MatchKey], config: MatchConfig) -> Iterator[tuple[int, int, float]]:
    """``(i, j, ratio)`` with ``i < j``: the pairs worth scoring, never all N² of them.

    Four sources: keys sharing distinctive character bigrams
    (:class:`policy_tracker.matching.candidates.CandidateIndex`), kept when their Indel
    ratio reaches ``prefilter`` (at most ``top_k`` per key, scored in C by
    rapidfuzz, a posting list at a time when numpy is installed); keys naming
    the same instrument/programme; enumerations sharing two items; keys with
    the same core (each with the next copy).  The last three are kept
    whatever their ratio.
    """
    cores = [k.core for k in keys]
    yield from row_pairs(cores, candidate_source(cores, config), special_pairs(keys, config))
