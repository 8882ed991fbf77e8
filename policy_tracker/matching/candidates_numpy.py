"""Blocking with numpy: each posting list of the bigram index scored as one block with ``process.cdist``.

:mod:`policy_tracker.matching.candidates` proposes candidate pairs through an inverted
index of character bigrams and verifies them key by key with
``process.extract``.  When numpy is installed (the ``fast`` extra),
rapidfuzz's ``process.cdist`` can instead score every distinct posting list
(the keys holding one distinctive bigram) as a block, in C++ with SIMD and
no Python per pair: :func:`link_blocks` for plain linking, and
:func:`candidate_arrays` for the matcher's candidate rule (``min_shared``,
``rare_postings``, ``top_k``).  Both return exactly the pairs and ratios of
the key-by-key path (tested against it); docs/scaling.md has the costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz, process

from .. import parallel
from .rule import Scorer, is_candidate, limits, own_rarest_limit

_BAND = 128  # rows of a posting list scored in one cdist call


def has_numpy() -> bool:
    """Whether numpy is importable (``process.cdist`` needs it); see the ``fast`` extra."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


def link_blocks(
    keys: Sequence[str],
    *,
    scorer: Scorer = fuzz.ratio,
    cutoff: float,
    max_postings: int | None = None,
    workers: int = 1,
) -> tuple[Any, Any, Any]:
    """Pairs of ``keys`` sharing a bigram held by at most ``max_postings`` keys and scoring ≥ cutoff, as numpy arrays.

    Returns ``(rows, cols, scores)``: ``rows[k] < cols[k]`` are key positions,
    sorted; ``scores`` are float32 (rescore with ``scorer`` where exact values
    matter, as :func:`policy_tracker.matching.candidates.link` does).  The pairs are those of
    ``verify(CandidateIndex(keys, min_shared=1).candidates(), keys)``.

    Each posting list (the keys holding one distinctive bigram, at most
    ``max_postings`` of them) is scored against itself with
    ``process.cdist``, a band of rows at a time over the upper triangle, in
    C++ with SIMD (bigrams held by the same keys are scored once); a pair
    found under several bigrams is kept once.  Needs
    numpy.  ``workers`` forked processes share the posting lists.
    """
    import numpy as np

    max_postings = limits(max_postings, 1, 0)[0]
    n = len(keys)
    # bigrams of one word often have the same holders (揭榜, 榜挂, 挂帅): score each list of holders once
    distinct = {p.tobytes(): p for p in _posting_arrays(keys, max_postings)}
    lists = sorted(distinct.values(), key=lambda p: (-len(p), p.tolist()))
    # deal the lists round-robin, largest first, so that the parts weigh about the same
    parts = max(1, workers) * 4 if workers > 1 else 1
    shares = [lists[k::parts] for k in range(parts)]

    # fuzz.ratio = 200·LCS/(la + lb) ≤ 200·la/(la + lb): a key of length la can only reach
    # the cutoff with keys of length ≤ la·(200 − cutoff)/cutoff, so posting lists are scored
    # shortest key first and each band of rows only against the keys it can reach
    reach = (200.0 - cutoff) / cutoff if scorer is fuzz.ratio and cutoff > 0 else None
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=n) if reach is not None else None

    def run(share: list[Any]) -> tuple[Any, Any]:
        codes, values = [], []
        for p in share:
            if lengths is not None:
                size = lengths[p]
                order = np.argsort(size, kind="stable")
                p, size = p[order], size[order]
            strs = [keys[i] for i in p.tolist()]
            for lo in range(0, len(p) - 1, _BAND):
                hi = min(lo + _BAND, len(p))
                end = len(p) if lengths is None else int(np.searchsorted(size, size[hi - 1] * reach + 1e-9, side="right"))
                hits = _band_hits(strs, lo, hi, end, scorer, cutoff, np.float32)
                if hits is not None:
                    a, b = p[hits[0]], p[hits[1]]
                    codes.append(np.minimum(a, b) * n + np.maximum(a, b))  # the block is in length order
                    values.append(hits[2])
        if not codes:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        return _first_of_each(np.concatenate(codes), np.concatenate(values))

    found = parallel.fork_map(run, shares, workers if workers > 1 else 1) if shares else []
    if not found:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=np.float32)
    codes, values = _first_of_each(np.concatenate([c for c, _ in found]), np.concatenate([v for _, v in found]))
    rows, cols = np.divmod(codes, n)
    return rows, cols, values


def candidate_arrays(
    keys: Sequence[str],
    *,
    cutoff: float,
    max_postings: int | None = None,
    min_shared: int | None = None,
    rare_postings: int | None = None,
    own_rarest: int | None = None,
    top_k: int | None = None,
    workers: int = 1,
) -> tuple[Any, Any, Any]:
    """The candidates of :class:`CandidateIndex` whose ``fuzz.ratio`` reaches ``cutoff``, best ``top_k`` per key, as numpy arrays.

    Returns ``(rows, cols, ratios)`` (``rows < cols``, ratios float64, exact),
    ordered by row, then ratio descending, then column: for every row the
    answer of ``process.extract(keys[i], [keys[j] for j in js],
    score_cutoff=cutoff, limit=top_k or None)`` over the row's candidates ``js``
    from ``CandidateIndex(keys, max_postings=…, min_shared=…,
    rare_postings=…, own_rarest=…).candidates()``: the same pairs, ratios and order.  The
    matcher uses it when numpy is installed (:func:`policy_tracker.matching.score.score_pairs`).

    Each distinct posting list is scored whole with ``process.cdist``
    (see :func:`link_blocks`); a pair's shared distinctive bigrams are counted
    as the number of lists it is found in, which is exact because a pair
    below the cutoff is below it in every list.  The keys whose signatures
    (``own_rarest``, :func:`policy_tracker.matching.rule.signature`) share a
    frequent bigram form one more list each, which counts for nothing but
    qualifies its pairs as a rare list does.  ``cutoff`` must be above 0.
    """
    import numpy as np

    if cutoff <= 0:
        raise ValueError(f"cutoff: expected > 0 (pairs scoring 0 are not found by cdist); got {cutoff}")
    max_postings, min_shared, rare_postings = limits(max_postings, min_shared, rare_postings)
    own_rarest = own_rarest_limit(own_rarest)
    n = len(keys)
    lists, sizes, signatures = _postings_and_sizes(keys, max_postings, own_rarest, rare_postings)
    weight: dict[bytes, list[Any]] = {}  # identical holder lists: scored once, counted once per bigram
    for p in lists:
        entry = weight.get(p.tobytes())
        if entry is None:
            weight[p.tobytes()] = [p, 1]
        else:
            entry[1] += 1
    entries = [(p, count, len(p) <= rare_postings, [keys[i] for i in p.tolist()]) for p, count in weight.values()]
    entries += [(p, 0, True, [keys[i] for i in p.tolist()]) for p in signatures]
    # the work is shared out by row: a task owns the pairs whose first key lies in its range of positions,
    # so it sees every list such a pair is in, and can count, filter and rank its rows on its own
    tasks = max(1, workers) * 8 if workers > 1 else 1
    bounds = [n * k // tasks for k in range(tasks + 1)]

    def run(span: tuple[int, int]) -> tuple[Any, Any, Any]:
        lo_pos, hi_pos = span
        codes, ratios, counts, rares = [], [], [], []
        for p, bigram_count, rare, strs in entries:
            first, last = int(np.searchsorted(p, lo_pos)), int(np.searchsorted(p, hi_pos))
            for lo in range(first, min(last, len(p) - 1), _BAND):
                hi = min(lo + _BAND, last)
                hits = _band_hits(strs, lo, hi, len(p), fuzz.ratio, cutoff, np.float64)
                if hits is not None:
                    codes.append(p[hits[0]] * n + p[hits[1]])  # the block is in position order
                    ratios.append(hits[2])
                    counts.append(np.full(len(hits[2]), bigram_count, dtype=np.int64))
                    rares.append(np.full(len(hits[2]), rare, dtype=bool))
        if not codes:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0)
        code, ratio, count, rare_any = _merge_hits(np.concatenate(codes), np.concatenate(ratios), np.concatenate(counts), np.concatenate(rares))
        rows, cols = np.divmod(code, n)
        keep = is_candidate(count, sizes[rows], sizes[cols], rare_any, min_shared)
        rows, cols, ratio = rows[keep], cols[keep], ratio[keep]
        order = np.lexsort((-ratio, rows))  # stable: ties stay in column order
        rows, cols, ratio = rows[order], cols[order], ratio[order]
        if top_k and len(rows):
            first_of_row = np.empty(len(rows), dtype=bool)
            first_of_row[0] = True
            np.not_equal(rows[1:], rows[:-1], out=first_of_row[1:])
            index = np.arange(len(rows))
            best = index - np.maximum.accumulate(np.where(first_of_row, index, 0)) < top_k
            rows, cols, ratio = rows[best], cols[best], ratio[best]
        return rows, cols, ratio

    spans = [(bounds[k], bounds[k + 1]) for k in range(tasks) if bounds[k] < bounds[k + 1]]
    found = parallel.fork_map(run, spans, workers if workers > 1 else 1) if entries else []
    if not found:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0)
    return tuple(np.concatenate([f[k] for f in found]) for k in range(3))  # type: ignore[return-value]


def _band_hits(strs: Sequence[str], lo: int, hi: int, end: int, scorer: Scorer, cutoff: float, dtype: Any) -> tuple[Any, Any, Any] | None:
    """Rows ``lo:hi`` of a block scored with ``process.cdist`` against its keys ``lo:end``: the cells of the upper
    triangle (a row's key against the keys after it) reaching ``cutoff``, as (row, column, score) arrays of
    offsets into the block; ``None`` when there are none."""
    import numpy as np

    scores = process.cdist(strs[lo:hi], strs[lo:end], scorer=scorer, score_cutoff=cutoff, dtype=dtype, workers=1)
    r, c = np.nonzero(scores)
    keep = c > r  # column c is key lo + c
    if not keep.any():
        return None
    r, c = r[keep], c[keep]
    return lo + r, lo + c, scores[r, c]


def _merge_hits(codes: Any, ratios: Any, counts: Any, rares: Any) -> tuple[Any, Any, Any, Any]:
    """One entry per pair code: its ratio, the sum of its counts, whether any list was rare."""
    import numpy as np

    # equal codes carry equal ratios, and counts and flags are summed: any order within a run will do
    order, starts = _runs(codes)
    codes, ratios, counts, rares = codes[order], ratios[order], counts[order], rares[order]
    if not len(codes):
        return codes, ratios, counts, rares
    return codes[starts], ratios[starts], np.add.reduceat(counts, starts), np.logical_or.reduceat(rares, starts)


def _runs(codes: Any) -> tuple[Any, Any]:
    """The order that sorts ``codes``, and where each run of equal codes starts in that order."""
    import numpy as np

    order = np.argsort(codes)
    ordered = codes[order]
    return order, np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1]))) if len(codes) else np.empty(0, dtype=np.int64)


def _posting_arrays(keys: Sequence[str], cap: int) -> list[Any]:
    """The posting lists (ascending int64 arrays) of the bigrams held by 2 to ``cap`` keys, as :func:`policy_tracker.matching.keys.bigrams` defines them."""
    return _postings_and_sizes(keys, cap)[0]


def _postings_and_sizes(keys: Sequence[str], cap: int, own_rarest: int | None = None, rare: int | None = None) -> tuple[list[Any], Any, list[Any]]:
    """:func:`_posting_arrays`, how many distinct grams each key has (``len(bigrams(key))``, an int64 array), and the
    signature lists: for each gram held by more than ``rare`` keys, the keys holding it in their
    :func:`~policy_tracker.matching.rule.signature` of ``own_rarest`` grams, when two or more do.

    Built in numpy from the keys' code points: about 0.15 s per 10⁵ keys,
    three times faster than :class:`CandidateIndex`.
    """
    import numpy as np

    n = len(keys)
    if not n:
        return [], np.zeros(0, dtype=np.int64), []
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=n)
    chars = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
    same = owner[:-1] == owner[1:]  # a bigram never spans two keys
    codes = ((chars[:-1] << np.uint64(21)) | chars[1:])[same]  # code points fit in 21 bits
    holders = owner[:-1][same]
    single = np.flatnonzero(lengths == 1)  # a one-character key is its own gram
    if len(single):
        starts = np.cumsum(lengths) - lengths
        codes = np.concatenate([codes, chars[starts[single]] | np.uint64(1 << 63)])
        holders = np.concatenate([holders, single])
    order = np.lexsort((holders, codes))
    codes, holders = codes[order], holders[order]
    if not len(codes):
        return [], np.zeros(n, dtype=np.int64), []
    distinct = np.ones(len(codes), dtype=bool)  # a key holding a bigram twice is listed once
    distinct[1:] = (codes[1:] != codes[:-1]) | (holders[1:] != holders[:-1])
    codes, holders = codes[distinct], holders[distinct]
    bounds = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1], [True])))
    sizes = np.diff(bounds)
    lists = [holders[bounds[k] : bounds[k + 1]] for k in np.flatnonzero((sizes > 1) & (sizes <= cap)).tolist()]
    return lists, np.bincount(holders, minlength=n), _signature_lists(codes, holders, sizes, own_rarest or 0, rare or 0)


def _signature_lists(codes: Any, holders: Any, sizes: Any, own_rarest: int, rare: int) -> list[Any]:
    """The signature lists of :func:`_postings_and_sizes`, from its (gram code, holder) entries sorted by code
    and the run lengths ``sizes`` (holders per gram): :func:`~policy_tracker.matching.rule.signature` in arrays."""
    import numpy as np

    if not own_rarest or not len(codes):
        return []
    df = np.repeat(sizes, sizes)  # holders of each entry's gram
    held = df > 1
    codes, holders, df = codes[held], holders[held], df[held]
    # a key's grams are all bigrams or one single character, and bigram codes sort as the bigrams do
    # (first character, then second): (holders, code) is signature()'s (holders, bigram) order
    order = np.lexsort((codes, df, holders))
    codes, holders, df = codes[order], holders[order], df[order]
    first = np.ones(len(holders), dtype=bool)
    first[1:] = holders[1:] != holders[:-1]
    index = np.arange(len(holders))
    rank = index - np.maximum.accumulate(np.where(first, index, 0))
    keep = (rank < own_rarest) & (df > rare)
    codes, holders = codes[keep], holders[keep]
    order = np.lexsort((holders, codes))
    codes, holders = codes[order], holders[order]
    if not len(codes):
        return []
    bounds = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1], [True])))
    return [holders[bounds[k] : bounds[k + 1]] for k in range(len(bounds) - 1) if bounds[k + 1] - bounds[k] > 1]


def _first_of_each(codes: Any, values: Any) -> tuple[Any, Any]:
    """``codes`` sorted and made distinct, with the value of each (equal codes carry equal values)."""
    order, starts = _runs(codes)
    return codes[order][starts], values[order][starts]
