"""Cross-briefing matching: group pledge mentions into commitments.

Three steps, each replaceable on its own:

1. **keys** (:mod:`policy_tracker.matching.keys`): the substance of each mention, with
   generic verbs, intensity adverbs and frames removed and aliases expanded;
2. **candidates and scores**: the character-bigram index of
   :mod:`policy_tracker.matching.candidates` proposes pairs (never all N² pairs), a cheap
   ``fuzz.ratio`` prefilter drops hopeless ones, and :func:`pair_score` scores
   the rest: the mean of the Indel ratio and the bigram overlap coefficient,
   plus a bonus for a shared instrument/programme name (《…》, “…”) or a
   penalty when both name different ones;
3. **clustering** (:func:`cluster`): mentions are taken in chronological
   order (date, document, offset, id; never input order).  A mention joins the
   existing commitment it agrees with *as a whole* (best member score ≥
   ``join`` and mean score over all members ≥ ``agree``), else starts a new
   one.  Because the mean runs over every member, a boilerplate pair cannot
   chain two pledges through a middle one.  A commitment takes at most one
   mention per document unless the second is a near-verbatim repeat (lede and
   body, headline and text); two pledges of one article sharing words never
   merge.  Analyst ``must_link``/``cannot_link`` pairs of mention ids win over
   scores.

Thresholds live in ``data/matching.yaml``; docs/matching.md records how they
were measured.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from .. import parallel
from ..errors import DataError, LedgerError
from .keys import MatchKey, Vocabulary, bigrams, load_vocabulary, mention_keys
from ..models import Mention


@attrs.frozen
class MatchConfig:
    """Scoring weights and thresholds (0–100 scale), normally read from data/matching.yaml."""

    join: float = 57.0
    agree: float = 40.0
    repeat: float = 90.0
    prefilter: float = 30.0
    strong_bonus: float = 25.0
    strong_penalty: float = 15.0
    list_bonus: float = 15.0
    topic_penalty: float = 15.0
    subject_penalty: float = 25.0
    # joining a commitment that already holds a mention of the same briefing (another outlet's report)
    # needs this score with that mention: outlets repeat the speaker's words
    same_briefing: float = 70.0
    # targets in one unit more than target_factor apart make two pledges different
    target_factor: float = 2.5
    target_penalty: float = 20.0
    # targets counted in different measures (100个 vs 50家) are targets of different pledges
    unit_penalty: float = 50.0
    # list heads that say nothing about what a list is of (领域, 方面): from data/matching.yaml
    generic_heads: tuple[str, ...] = ()
    programme_penalty: float = 40.0
    # keys this short (characters, the shorter of the two) must agree on their head noun and substance
    short_key: int = 8
    short_substance: float = 0.5
    short_penalty: float = 30.0
    # both keys end on an instrument noun of disjoint families (行动方案 vs 图谱)
    kind_penalty: float = 30.0
    ratio_weight: float = 0.5
    max_postings: int = 500
    min_shared: int = 2
    # a bigram held by at most this many keys proposes candidates on its own (blocking.CandidateIndex)
    rare_postings: int = 300
    top_k: int = 30
    feature_cap: int = 100
    # agreement with a large commitment is measured on its first 2 and latest members, this many in all
    agree_sample: int = 12
    # pair scoring runs in one forked process per core from this many mentions on (0 = never);
    # max_workers caps the processes (0 = one per core)
    parallel_min: int = 20000
    max_workers: int = 0

    @classmethod
    def from_vocabulary(cls, vocab: Vocabulary, **overrides: float) -> MatchConfig:
        """The thresholds of ``vocab`` (names as in data/matching.yaml), then ``overrides``."""
        known = {f.name for f in attrs.fields(cls)} - {"generic_heads"}
        values: dict[str, float] = dict(vocab.thresholds)
        values.update(overrides)
        unknown = sorted(set(values) - known)
        if unknown:
            raise DataError(
                f"thresholds (data/matching.yaml or an override): unknown name(s) {', '.join(unknown)}; "
                f"expected {', '.join(sorted(known))}"
            )
        for name in ("max_postings", "min_shared", "rare_postings", "top_k", "feature_cap", "agree_sample", "short_key", "parallel_min", "max_workers"):
            if name in values:
                values[name] = int(values[name])
        return cls(generic_heads=vocab.generic_heads, **values)  # type: ignore[arg-type]


_DEFAULT = MatchConfig()


def overlap(a: MatchKey, b: MatchKey) -> float:
    """Bigram overlap coefficient |A∩B| / min(|A|, |B|): a shortened restatement still scores high."""
    if not a.bigrams or not b.bigrams:
        return 0.0
    return len(a.bigrams & b.bigrams) / min(len(a.bigrams), len(b.bigrams))


def strong_adjustment(a: MatchKey, b: MatchKey, config: MatchConfig) -> float:
    """Bonus for a shared instrument/programme name; penalty when both name only different ones."""
    if not a.strong and not b.strong:
        return 0.0
    if set(a.strong) & set(b.strong):
        return config.strong_bonus
    # a name on one side written out in the other's text also counts as shared
    if any(s in b.core for s in a.strong) or any(s in a.core for s in b.strong):
        return config.strong_bonus
    if a.strong and b.strong:
        return -config.strong_penalty
    return 0.0


def shared_items(a: MatchKey, b: MatchKey) -> int:
    """How many enumerated items of the shorter list the other list names (one inside the other counts)."""
    small, large = sorted((a.items, b.items), key=len)
    return sum(1 for x in small if any(x in y or y in x for y in large))


def list_adjustment(a: MatchKey, b: MatchKey, config: MatchConfig) -> float:
    """Bonus when two enumerations share at least two items and half of the shorter one."""
    if len(a.items) < 2 or len(b.items) < 2:
        return 0.0
    shared = shared_items(a, b)
    if shared < 2 or shared < 0.5 * min(len(a.items), len(b.items)):
        return 0.0
    return config.list_bonus if heads_compatible(a.head, b.head, config.generic_heads) else 0.0


def heads_compatible(a: str, b: str, generic: Sequence[str] = ()) -> bool:
    """Two lists are of the same kind of thing: a head unknown or generic (领域), or heads overlapping."""
    if not a or not b or a in generic or b in generic:
        return True
    return a in b or b in a or len(bigrams(a) & bigrams(b)) >= 0.5 * min(len(bigrams(a)), len(bigrams(b)))


def _substantive(key: MatchKey, start: int, end: int, other: MatchKey) -> bool:
    """``key.core[start:end]`` names something: a character that is not wording (MatchKey.content)
    and that the other key does not hold anywhere (a moved list item is no substitution)."""
    content = key.content or key.core
    return any(content[k] != "_" and key.core[k] not in other.core for k in range(start, end))


def subject_changed(a: MatchKey, b: MatchKey) -> bool:
    """True when the two keys fill one template with different subjects (铜…韧性 vs 轻工…韧性).

    The keys are aligned (Indel opcodes) and what differs is read block by
    block; a single character that happens to agree inside a block (行业 vs
    制造业) does not interrupt it.  A block is a *subject substitution* when
    it replaces something by something else (not a pure insertion or
    deletion), both sides name something (:func:`_substantive`: not only
    verbs, generic terms or instrument nouns, and not text the other key holds
    elsewhere) and the common template goes on after it (≥ 2 characters).
    Chinese noun phrases are head-final: the sector or subject stands before
    the part of the template that follows it, wherever that is in the key
    (锂电池典型应用场景 / 炼化…, 绿色建材赋能铜专项行动 / …赋能6g…), whereas a
    restatement renames the tail (城市试点 → 先行区试点, 指导意见 → 政策措施),
    changes a verb (修订 → 严格), a generic word (商用 → 规模化) or inserts
    and drops words, none of which is a substitution of substance.
    """
    x, y = a.core, b.core
    block: list[int] | None = None  # [start_a, end_a, start_b, end_b] of the open block
    for op in Indel.opcodes(x, y):
        if op.tag == "equal":
            if block is None:
                continue
            if op.src_end - op.src_start < 2 and op.src_end < len(x):
                continue  # one agreeing character inside a substitution
            sa, ea, sb, eb = block
            if ea > sa and eb > sb:
                # where the subject stands: before the middle of both keys, or anywhere when it is a small
                # part of each (a long tail renamed, 准入上路通行试点 → 准入车路云一体化应用试点, is no subject)
                first = sa < len(x) / 2 and sb < len(y) / 2
                small = ea - sa <= len(x) / 3 and eb - sb <= len(y) / 3
                named = _substantive(a, sa, ea, b) + _substantive(b, sb, eb, a)
                if (first or small) and named == 2:
                    return True
                # a subject traded for verbs (一体化… / 优化升级…) in the head of both keys
                if first and named == 1 and min(ea - sa, eb - sb) >= 2:
                    return True
            block = None
        elif block is None:
            block = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            block[1], block[3] = op.src_end, op.dest_end
    return False


def heads_agree(a: str, b: str) -> bool:
    """Two keys end on the same head noun (Chinese noun phrases are head-final).

    The last two characters of one key occur anywhere in the other
    (网络覆盖 in 5G网络覆盖广度深度), or the last character of one is among
    the last three of the other (挑大梁 / 当好顶梁柱).  扩大有效投资 and
    扩大有效需求 do not agree: investment is not demand.
    """
    if not a or not b:
        return False
    return a[-2:] in b or b[-2:] in a or a[-1] in b[-3:] or b[-1] in a[-3:]


def short_keys_agree(a: MatchKey, b: MatchKey, min_overlap: float) -> bool:
    """Two short keys say the same thing beyond their generic words: same head noun, and the
    bigrams left after removing generic terms (技术, 应用, 政策 …) overlap by ``min_overlap`` of the
    smaller set.  A key with no substance left (政策, 应用) agrees only with an identical key."""
    if a.core == b.core:
        return True
    if not a.substance or not b.substance or not heads_agree(a.core, b.core):
        return False
    return len(a.substance & b.substance) >= min_overlap * min(len(a.substance), len(b.substance))


def programme_adjustment(a: MatchKey, b: MatchKey, config: MatchConfig) -> float:
    """Penalty when only one side names a programme (“扬帆”行动) or an instrument type (数字化转型 vs 数字化转型城市试点).

    A general goal and a specific programme serving it are different pledges,
    even when one key contains the other; a programme renamed
    (指导意见 → 政策措施) still names one on both sides.
    """
    if a.typed != b.typed:
        return -config.programme_penalty
    if a.programmes and not b.programmes and not any(p in b.core for p in a.programmes):
        return -config.programme_penalty
    if b.programmes and not a.programmes and not any(p in a.core for p in b.programmes):
        return -config.programme_penalty
    return -config.programme_penalty if a.typed != b.typed else 0.0


def target_adjustment(a: MatchKey, b: MatchKey, config: MatchConfig) -> float:
    """Penalty when both state targets but in different measures (100个 vs 50家), or in the same
    unit with values far apart (1万家 vs 3000家).

    A target restated with a moderate change is the same pledge (the evolution
    stage reports it raised or lowered); one several times larger, or one that
    counts something else, is another.
    """
    # the measure (the classifier a count ends on: 家 of 万家, 元 of 亿元) is part of what is pledged
    if not {unit[-1:] for unit, _ in a.targets} & {unit[-1:] for unit, _ in b.targets}:
        return -config.unit_penalty
    units_b = {}
    for unit, value in b.targets:
        units_b.setdefault(unit, []).append(value)
    for unit, value in a.targets:
        for other in units_b.get(unit, ()):
            low, high = sorted((value, other))
            if low > 0 and high / low > config.target_factor:
                return -config.target_penalty
    return 0.0


def topic_adjustment(a: MatchKey, b: MatchKey, config: MatchConfig) -> float:
    """Penalty when both mentions carry topic tags and share none (different fields of policy)."""
    if a.topics and b.topics and not set(a.topics) & set(b.topics):
        return -config.topic_penalty
    return 0.0


def pair_score(
    a: MatchKey, b: MatchKey, config: MatchConfig | None = None, ratio: float | None = None, floor: float = 0.0
) -> float:
    """How likely two keys state the same pledge, 0–100 (see the module docstring).

    With ``floor``, a pair that cannot reach it (no name or list could add
    points) returns its base score at once: an upper bound, below ``floor``.
    """
    c = config or _DEFAULT
    r = fuzz.ratio(a.core, b.core) if ratio is None else ratio
    s = c.ratio_weight * r + (1 - c.ratio_weight) * 100 * overlap(a, b)
    if s < floor and not (a.strong or b.strong) and not (a.items and b.items):
        return s
    # the adjustments are cheap tests first: most keys have no names, lists or topics
    strong = strong_adjustment(a, b, c) if a.strong or b.strong else 0.0
    listed = list_adjustment(a, b, c) if a.items and b.items else 0.0
    s += strong + listed + programme_adjustment(a, b, c)
    # a plan and a map (or a pilot and a standard) of one field are two pledges, unless one name is shared
    if a.kind and b.kind and strong <= 0 and not set(a.kind) & set(b.kind):
        s -= c.kind_penalty
    if a.topics and b.topics:
        s += topic_adjustment(a, b, c)
    if a.targets and b.targets:
        s += target_adjustment(a, b, c)
    # a shared name (even a generic one like 十四五) outweighs a changed scope, reordered lists do not align;
    # the alignment only lowers the score: skip it below agree
    shared_reference = strong > 0 or listed > 0 or bool(a.weak and b.weak and set(a.weak) & set(b.weak))
    if not shared_reference and s >= max(c.agree, floor) and subject_changed(a, b):
        s -= c.subject_penalty
    # short generic pledges (扩大有效投资 / 扩大有效需求) share framing words rather than substance
    if (
        not shared_reference
        and s >= max(c.agree, floor)
        and min(len(a.core), len(b.core)) <= c.short_key
        and not short_keys_agree(a, b, c.short_substance)
    ):
        s -= c.short_penalty
    return max(0.0, min(100.0, s))


def is_repeat(a: MatchKey, b: MatchKey, config: MatchConfig, ratio: float | None = None) -> bool:
    """Near-verbatim: ratio ≥ ``repeat``, or the shorter key (≥ 4 characters, ≥ 60% of the longer)
    read in order inside the longer one, as a headline abbreviates its body (6G研发 / 6G技术研发)."""
    r = fuzz.ratio(a.core, b.core) if ratio is None else ratio
    if r >= config.repeat:
        return True
    short, long = sorted((len(a.core), len(b.core)))
    if short < 4 or short < 0.6 * long:
        return False
    common = r / 100 * (short + long) / 2  # Indel ratio = 2·LCS / (len_a + len_b)
    return round(common) >= short


@attrs.frozen
class PairScores:
    """Scores of the candidate pairs: ``scores[(i, j)]`` with ``i < j``, and who neighbours whom."""

    scores: Mapping[tuple[int, int], float]
    repeats: frozenset[tuple[int, int]]
    neighbours: Mapping[int, tuple[int, ...]]

    def get(self, i: int, j: int) -> float:
        return self.scores.get((i, j) if i < j else (j, i), 0.0)


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


def _special_pairs(keys: Sequence[MatchKey], config: MatchConfig) -> dict[int, set[int]]:
    """Pairs kept whatever their ratio: a shared instrument/programme, or two shared list items."""
    special = _shared_feature_pairs([k.strong for k in keys], config.feature_cap, 1)
    for i, js in _shared_feature_pairs([k.items for k in keys], config.feature_cap, 2).items():
        special.setdefault(i, set()).update(js)
    return special


Source = Callable[[Iterable[int] | None], Iterator[tuple[int, list[tuple[int, float]]]]]


def _extract_source(cores: Sequence[str], config: MatchConfig) -> Source:
    """Candidates row by row: the bigram index proposes, ``process.extract`` keeps the ``top_k`` best ratios ≥ ``prefilter``."""
    from .candidates import CandidateIndex

    index = CandidateIndex(cores, max_postings=config.max_postings, min_shared=config.min_shared, rare_postings=config.rare_postings)
    top_k = int(config.top_k) or None
    extract, ratio = process.extract, fuzz.ratio

    def rows_of(rows: Iterable[int] | None) -> Iterator[tuple[int, list[tuple[int, float]]]]:
        for i, js in index.candidates(rows):
            found = extract(cores[i], [cores[j] for j in js], scorer=ratio, score_cutoff=config.prefilter, limit=top_k)
            yield i, [(js[k], r) for _, r, k in found]

    return rows_of


def _array_source(cores: Sequence[str], config: MatchConfig, workers: int) -> Source:
    """The same candidates as :func:`_extract_source`, computed a posting list at a time in numpy (blocks.candidate_arrays)."""
    import numpy as np

    from .candidates_numpy import candidate_arrays

    found_rows, found_cols, found_ratios = candidate_arrays(
        cores,
        cutoff=config.prefilter,
        max_postings=config.max_postings,
        min_shared=config.min_shared,
        rare_postings=config.rare_postings,
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


def _candidate_source(cores: Sequence[str], config: MatchConfig, workers: int = 1) -> Source:
    """Numpy's posting-list scoring for large inputs when numpy is installed, else key by key: the same candidates either way."""
    from . import candidates_numpy as blocks

    if len(cores) >= ARRAY_MIN and config.prefilter > 0 and blocks.has_numpy():
        return _array_source(cores, config, workers)
    return _extract_source(cores, config)


# from this many keys on, candidates are scored by posting-list blocks when numpy is installed
# (below it, key by key is as fast and spares importing numpy, about 0.1 s)
ARRAY_MIN = 5000


def _row_pairs(
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

    Three sources: keys sharing distinctive character bigrams
    (:class:`policy_tracker.matching.candidates.CandidateIndex`), kept when their Indel
    ratio reaches ``prefilter`` (at most ``top_k`` per key, scored in C by
    rapidfuzz, a posting list at a time when numpy is installed); keys naming
    the same instrument/programme; enumerations sharing two items.  The last
    two are kept whatever their ratio.
    """
    cores = [k.core for k in keys]
    yield from _row_pairs(cores, _candidate_source(cores, config), _special_pairs(keys, config))


def _score_rows(
    keys: Sequence[MatchKey], cores: Sequence[str], source: Source, special: Mapping[int, set[int]], config: MatchConfig, rows: Iterable[int] | None
) -> list[tuple[int, int, float, bool]]:
    """``(i, j, score, repeat)`` for the pairs of ``rows`` that join or repeat."""
    join, repeat_at = config.join, config.repeat
    out = []
    known: dict[tuple[int, int], tuple[float, bool]] = {}  # by key object: verbatim repeats share one (keys.mention_keys)
    for i, j, r in _row_pairs(cores, source, special, rows):
        a, b = keys[i], keys[j]
        ident = (id(a), id(b))
        found = known.get(ident)
        if found is None:
            found = known[ident] = (pair_score(a, b, config, r, floor=join), r >= repeat_at or is_repeat(a, b, config, r))
        s, rep = found
        if s >= join or rep:
            out.append((i, j, s, rep))
    return out


def _workers(n: int, config: MatchConfig) -> int:
    """Processes for pair scoring: one per core for large inputs on a platform that forks, else 1."""
    if not config.parallel_min or n < config.parallel_min or not parallel.can_fork():
        return 1
    return max(1, min(parallel.cpu_count(), int(config.max_workers) or parallel.cpu_count()))


def score_pairs(keys: Sequence[MatchKey], config: MatchConfig) -> PairScores:
    """Score the candidate pairs of ``keys`` (positions in chronological order).

    Large inputs are scored by one forked process per core, rows interleaved
    in chunks; the result does not depend on how the rows were shared out.
    """
    cores = [k.core for k in keys]
    special = _special_pairs(keys, config)
    workers = _workers(len(keys), config)
    source = _candidate_source(cores, config, workers)
    if workers == 1:
        rows_out = _score_rows(keys, cores, source, special, config, None)
    else:
        step = max(256, len(keys) // (workers * 8))  # a few chunks per worker evens out the load
        chunks = [range(lo, min(lo + step, len(keys))) for lo in range(0, len(keys), step)]
        parts = parallel.fork_map(lambda rows: _score_rows(keys, cores, source, special, config, rows), chunks, workers)
        rows_out = [t for part in parts for t in part]
    scores: dict[tuple[int, int], float] = {}
    repeats: set[tuple[int, int]] = set()
    neighbours: dict[int, list[int]] = {}
    for i, j, s, rep in rows_out:
        if rep:
            repeats.add((i, j))
        scores[(i, j)] = s
        neighbours.setdefault(i, []).append(j)
        neighbours.setdefault(j, []).append(i)
    return PairScores(scores, frozenset(repeats), {k: tuple(sorted(v)) for k, v in neighbours.items()})


class _Components:
    """Union-find over mention ids (for must-link decisions)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        self.parent[x] = root
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def order_mentions(mentions: Iterable[Mention], document_order: Mapping[str, str] | None = None) -> list[Mention]:
    """Chronological order (date, document, offset, id), duplicates by id dropped.

    Documents of one date (and undated documents, which come last) follow
    ``document_order`` (document id → a key of the document's own, such as the
    sha256 of its text) when given, so that file names do not decide which
    commitment a borderline mention joins; else their ids.
    """
    unique: dict[str, Mention] = {}
    if document_order:
        def key(m: Mention) -> tuple[Any, ...]:
            date, source, start, end = m.sort_key()
            return (date, document_order.get(source, source), source, start, end, m.id, m.text, m.quote)
    else:
        def key(m: Mention) -> tuple[Any, ...]:
            return (*m.sort_key(), m.id, m.text, m.quote)
    for m in sorted(mentions, key=key):
        unique.setdefault(m.id, m)
    return list(unique.values())


def cluster(
    mentions: Sequence[Mention],
    *,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    config: MatchConfig | None = None,
    vocab: Vocabulary | None = None,
    document_order: Mapping[str, str] | None = None,
) -> list[list[Mention]]:
    """Group mentions into commitments; deterministic and independent of input order.

    Documents are processed in chronological order.  Within a document,
    near-verbatim repeats (and must-linked mentions) form one unit; units are
    matched best-first to the commitments of earlier documents, each
    commitment taking at most one unit per document, so the pledge that
    restates a commitment best gets it rather than whichever came first in
    the text.  ``must_link``/``cannot_link`` are pairs of
    :attr:`Mention.id` (ids not among ``mentions`` are ignored); a
    :class:`LedgerError` reports decisions that contradict each other.
    ``document_order`` orders documents of one date (see :func:`order_mentions`):
    the ledger passes each document's content hash, so that the grouping does not
    depend on file names.  Clusters come back in order of their first mention.
    """
    v = vocab or load_vocabulary()
    cfg = config or MatchConfig.from_vocabulary(v)
    ordered = order_mentions(mentions, document_order)
    keys = mention_keys(ordered, v)
    pairs = score_pairs(keys, cfg)
    position = {m.id: i for i, m in enumerate(ordered)}
    forced = _Components()
    for a, b in must_link:
        if a in position and b in position:
            forced.union(a, b)
    forbidden: dict[int, set[int]] = {}
    for a, b in cannot_link:
        if a in position and b in position:
            forbidden.setdefault(position[a], set()).add(position[b])
            forbidden.setdefault(position[b], set()).add(position[a])

    state = _State(ordered, keys, pairs, forbidden, cfg)
    for doc_positions in _documents(ordered):
        units = _units(doc_positions, ordered, pairs, forced, forbidden)
        taken: set[int] = set()
        pending: list[list[int]] = []
        for unit in units:  # analyst decisions first
            roots = {state.placed_root.get(forced.find(ordered[i].id)) for i in unit} - {None}
            if len(roots) > 1:  # repeats spanning two decided commitments: each follows its decision
                for i in unit:
                    target = state.placed_root.get(forced.find(ordered[i].id))
                    if target is None:
                        pending.append([i])
                    else:
                        state.check_forbidden([i], target)
                        state.add([i], target, forced)
                        taken.add(target)
            elif roots:
                target = roots.pop()
                assert target is not None
                state.check_forbidden(unit, target)
                state.add(unit, target, forced)
                taken.add(target)
            else:
                pending.append(unit)
        offers = sorted(
            (-score, n, c) for n, unit in enumerate(pending) for c, score in state.offers(unit).items() if c not in taken
        )
        placed: set[int] = set()
        for _, n, c in offers:
            if n in placed or c in taken:
                continue
            state.add(pending[n], c, forced)
            placed.add(n)
            taken.add(c)
        for n, unit in enumerate(pending):
            if n not in placed:
                state.add(unit, state.new(), forced)
    groups = [[ordered[i] for i in sorted(group)] for group in state.members]
    return sorted((g for g in groups if g), key=lambda g: (*g[0].sort_key(), g[0].id))


def _documents(ordered: Sequence[Mention]) -> list[list[int]]:
    """Positions grouped by document, documents in order of their first mention."""
    docs: dict[str, list[int]] = {}
    for i, m in enumerate(ordered):
        docs.setdefault(m.source, []).append(i)
    return list(docs.values())


def _units(
    positions: Sequence[int],
    ordered: Sequence[Mention],
    pairs: PairScores,
    forced: _Components,
    forbidden: Mapping[int, set[int]],
) -> list[list[int]]:
    """Mentions of one document that must go together: near-verbatim repeats and must-links."""
    local = _Components()
    inside = set(positions)
    for i in positions:
        for j in pairs.neighbours.get(i, ()):
            if j in inside and ((min(i, j), max(i, j)) in pairs.repeats) and j not in forbidden.get(i, set()):
                local.union(str(i), str(j))
    by_root: dict[str, list[int]] = {}
    for i in positions:
        by_root.setdefault(forced.find(ordered[i].id), []).append(i)
    for group in by_root.values():
        for j in group[1:]:
            local.union(str(group[0]), str(j))
    units: dict[str, list[int]] = {}
    for i in positions:
        units.setdefault(local.find(str(i)), []).append(i)
    return sorted(units.values())


class _State:
    """Commitments built so far (positions of their members)."""

    def __init__(
        self,
        ordered: Sequence[Mention],
        keys: Sequence[MatchKey],
        pairs: PairScores,
        forbidden: Mapping[int, set[int]],
        cfg: MatchConfig,
    ) -> None:
        self.ordered = ordered
        self.keys = keys
        self.lazy: dict[tuple[int, int], float] = {}
        self.by_key: dict[tuple[int, int], float] = {}
        self.pairs = pairs
        self.forbidden = forbidden
        self.cfg = cfg
        self.members: list[list[int]] = []
        self.by_briefing: list[dict[str | None, list[int]]] = []  # members of each commitment by briefing
        self.assigned: dict[int, int] = {}
        self.placed_root: dict[str, int] = {}

    def new(self) -> int:
        self.members.append([])
        return len(self.members) - 1

    def add(self, unit: Sequence[int], target: int, forced: _Components) -> None:
        while len(self.by_briefing) <= target:
            self.by_briefing.append({})
        for i in unit:
            self.members[target].append(i)
            self.by_briefing[target].setdefault(self.ordered[i].briefing, []).append(i)
            self.assigned[i] = target
            self.placed_root.setdefault(forced.find(self.ordered[i].id), target)

    def score(self, i: int, j: int) -> float:
        """The pair score of two mentions: from the candidate scoring, else computed now (and kept)."""
        pair = (i, j) if i < j else (j, i)
        found = self.pairs.scores.get(pair)
        if found is None:
            found = self.lazy.get(pair)
        if found is None:
            a, b = self.keys[i], self.keys[j]
            ident = (id(a), id(b))  # verbatim repeats share one key object (keys.mention_keys)
            found = self.by_key.get(ident)
            if found is None:
                found = self.by_key[ident] = pair_score(a, b, self.cfg)
            self.lazy[pair] = found
        return found

    def offers(self, unit: Sequence[int]) -> dict[int, float]:
        """Commitments this unit may join, with its agreement score (best of the unit's mentions)."""
        out: dict[int, float] = {}
        no: set[int] = set()
        for i in unit:
            no |= self.forbidden.get(i, set())
        for i in unit:
            briefing = self.ordered[i].briefing or self.ordered[i].source
            for c in {self.assigned[j] for j in self.pairs.neighbours.get(i, ()) if j in self.assigned}:
                group = self.members[c]
                if no and no.intersection(group):
                    continue
                same = self.by_briefing[c].get(briefing, ())
                if any(self.score(i, j) < self.cfg.same_briefing for j in same):
                    continue
                sample = group if len(group) <= self.cfg.agree_sample else [*group[:2], *group[2 - self.cfg.agree_sample :]]
                scores = [self.score(i, j) for j in sample]
                top, mean = max(scores), sum(scores) / len(scores)
                if top >= self.cfg.join and mean >= self.cfg.agree:
                    out[c] = max(out.get(c, 0.0), top + mean)
        return out

    def check_forbidden(self, unit: Sequence[int], target: int) -> None:
        for i in unit:
            clash = self.forbidden.get(i, set()).intersection(self.members[target])
            if clash:
                raise LedgerError(
                    f"curation: {self.ordered[i].id} is must-linked into the commitment of "
                    f"{self.ordered[self.members[target][0]].id} but cannot-linked to "
                    f"{self.ordered[min(clash)].id}; remove one of the two decisions"
                )
