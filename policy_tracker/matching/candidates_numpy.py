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
from .rule import Scorer, is_candidate, limits, own_rarest_limit, window_limit

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
    signature_window: int | None = None,
    top_k: int | None = None,
    workers: int = 1,
    span: int = 50_000,
) -> tuple[Any, Any, Any]:
    """The candidates of :class:`CandidateIndex` whose ``fuzz.ratio`` reaches ``cutoff``, best ``top_k`` per key, as numpy arrays.

    Returns ``(rows, cols, ratios)`` (``rows < cols``, ratios float64, exact),
    ordered by row, then ratio descending, then column: for every row the
    answer of ``process.extract(keys[i], [keys[j] for j in js],
    score_cutoff=cutoff, limit=top_k or None)`` over the row's candidates ``js``
    from ``CandidateIndex(keys, max_postings=…, min_shared=…,
    rare_postings=…, own_rarest=…, signature_window=…).candidates()``: the same pairs, ratios and order.  The
    matcher uses it when numpy is installed (:func:`policy_tracker.matching.score.score_pairs`).

    Each distinct posting list is scored whole with ``process.cdist``
    (see :func:`link_blocks`); a pair's shared distinctive bigrams are counted
    as the number of lists it is found in, which is exact because a pair
    below the cutoff is below it in every list.  The holders of each signature
    token (``own_rarest``, :func:`policy_tracker.matching.rule.signature_tokens`)
    form one more list each, which counts for nothing but qualifies its pairs
    as a rare list does; it is scored only within ``signature_window`` of the
    diagonal (a band of rows against the rows up to the window past it), so a
    list costs at most its length × 2 · ``signature_window`` ratios however
    long it grows.  ``cutoff`` must be above 0.  The rows are shared out in
    ranges of at most ``span`` positions (the hits of one range are held until
    its rows are ranked).
    """
    import numpy as np

    if cutoff <= 0:
        raise ValueError(f"cutoff: expected > 0 (pairs scoring 0 are not found by cdist); got {cutoff}")
    max_postings, min_shared, rare_postings = limits(max_postings, min_shared, rare_postings)
    own_rarest, window = own_rarest_limit(own_rarest), window_limit(signature_window)
    n = len(keys)
    lists, sizes, signatures = _postings_and_sizes(keys, max_postings, own_rarest, rare_postings)
    weight: dict[bytes, list[Any]] = {}  # identical holder lists: scored once, counted once per bigram
    for p in lists:
        entry = weight.get(p.tobytes())
        if entry is None:
            weight[p.tobytes()] = [p, 1]
        else:
            entry[1] += 1
    entries = [(p, count, len(p) <= rare_postings, 0) for p, count in weight.values()]
    windowed = {p.tobytes(): p for p in signatures}  # tokens held by the same keys: one window suffices
    entries += [(p, 0, True, window if len(p) > window + 1 else 0) for p in windowed.values()]
    texts = [[keys[i] for i in p.tolist()] for p, *_ in entries]
    # the work is shared out by row: a task owns the pairs whose first key lies in its range of positions,
    # so it sees every list such a pair is in, and can count, filter and rank its rows on its own
    tasks = max(max(1, workers) * 8 if workers > 1 else 1, -(-n // span))
    bounds = [n * k // tasks for k in range(tasks + 1)]
    pieces = _pieces([p for p, *_ in entries], bounds)

    def run(task: int) -> tuple[Any, Any, Any]:
        codes, ratios, counts, rares = [], [], [], []
        for e, first, last in pieces[task]:
            p, bigram_count, rare, w = entries[e]
            strs, step = texts[e], w or _BAND
            for lo in range(first, min(last, len(p) - 1), step):
                hi = min(lo + step, last)
                hits = _band_hits(strs, lo, hi, min(hi + w, len(p)) if w else len(p), fuzz.ratio, cutoff, np.float64, w)
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

    found = parallel.fork_map(run, [k for k in range(tasks) if pieces[k]], workers if workers > 1 else 1) if entries else []
    if not found:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0)
    return tuple(np.concatenate([f[k] for f in found]) for k in range(3))  # type: ignore[return-value]


def _pieces(lists: Sequence[Any], bounds: Sequence[int]) -> list[list[tuple[int, int, int]]]:
    """For each range of positions ``bounds[k]:bounds[k + 1]``, the lists holding a row of it that has a key after it
    in its list: ``(list, first, last)``, the offsets of the list's positions in the range."""
    import numpy as np

    tasks = len(bounds) - 1
    if not lists:
        return [[] for _ in range(tasks)]
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.concatenate(lists)
    owner = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    span = np.searchsorted(np.asarray(bounds[1:-1], dtype=np.int64), flat, side="right")  # lists are ascending: so are spans
    piece, start, count = np.unique(owner * tasks + span, return_index=True, return_counts=True)
    offset = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    entry, task = np.divmod(piece, tasks)
    first = start - offset[entry]
    keep = first < lengths[entry] - 1  # the last key of a list pairs with none after it
    out: list[list[tuple[int, int, int]]] = [[] for _ in range(tasks)]
    for e, k, lo, n in zip(entry[keep].tolist(), task[keep].tolist(), first[keep].tolist(), count[keep].tolist(), strict=True):
        out[k].append((e, lo, lo + n))
    return out


def _band_hits(
    strs: Sequence[str], lo: int, hi: int, end: int, scorer: Scorer, cutoff: float, dtype: Any, window: int = 0
) -> tuple[Any, Any, Any] | None:
    """Rows ``lo:hi`` of a block scored with ``process.cdist`` against its keys ``lo:end``: the cells of the upper
    triangle (a row's key against the keys after it; with ``window``, at most that many after it) reaching
    ``cutoff``, as (row, column, score) arrays of offsets into the block; ``None`` when there are none."""
    import numpy as np

    scores = process.cdist(strs[lo:hi], strs[lo:end], scorer=scorer, score_cutoff=cutoff, dtype=dtype, workers=1)
    r, c = np.nonzero(scores)
    keep = (c > r) & (c - r <= window) if window else c > r  # column c is key lo + c
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


_SINGLE = (1 << 64) - 1  # second half of the token of a one-bigram signature (rule.signature_tokens)


def _signature_lists(codes: Any, holders: Any, sizes: Any, own_rarest: int, rare: int) -> list[Any]:
    """The signature lists of :func:`_postings_and_sizes`: for each token of :func:`~policy_tracker.matching.rule.signature_tokens`
    held by two keys or more, its holders ascending; from the (gram code, holder) entries sorted by code and the run
    lengths ``sizes`` (holders per gram), in arrays."""
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
    chosen = rank < own_rarest
    codes, holders, df = codes[chosen], holders[chosen], df[chosen]
    length = np.bincount(holders)[holders]  # how many bigrams each entry's key has in its signature
    frequent = df > rare
    alone = frequent & (length == 1)
    first_half, second_half, owners = [codes[alone]], [np.full(int(alone.sum()), _SINGLE, dtype=np.uint64)], [holders[alone]]
    codes, holders = codes[frequent], holders[frequent]
    order = np.lexsort((codes, holders))  # each key's frequent signature bigrams in bigram order: pairs a < b
    codes, holders = codes[order], holders[order]
    for d in range(1, own_rarest):
        same = holders[:-d] == holders[d:]
        first_half.append(codes[:-d][same])
        second_half.append(codes[d:][same])
        owners.append(holders[:-d][same])
    ta, tb, th = np.concatenate(first_half), np.concatenate(second_half), np.concatenate(owners)
    if not len(th):
        return []
    order = np.lexsort((th, tb, ta))
    ta, tb, th = ta[order], tb[order], th[order]
    bounds = np.flatnonzero(np.concatenate(([True], (ta[1:] != ta[:-1]) | (tb[1:] != tb[:-1]), [True])))
    return [th[bounds[k] : bounds[k + 1]] for k in np.flatnonzero(np.diff(bounds) > 1).tolist()]


def _first_of_each(codes: Any, values: Any) -> tuple[Any, Any]:
    """``codes`` sorted and made distinct, with the value of each (equal codes carry equal values)."""
    order, starts = _runs(codes)
    return codes[order][starts], values[order][starts]
