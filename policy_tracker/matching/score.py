"""Scoring: how likely two matching keys state the same pledge (0–100), and the scores of all candidate pairs.

The second of the matcher's three steps (:func:`policy_tracker.matching.candidates.candidate_pairs`
→ :func:`score_pairs` → :func:`policy_tracker.matching.cluster.cluster`).
:func:`pair_score` is the mean of the Indel ratio and the bigram overlap
coefficient, plus a bonus for a shared instrument/programme name (《…》, “…”)
or shared list items, minus penalties for different names, topics, targets,
subjects, instrument kinds and for short keys that share only framing words.
Weights and thresholds: :class:`~policy_tracker.matching.config.MatchConfig`
(data/matching.yaml).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .. import parallel
from .candidates import Source, candidate_source, row_pairs, special_pairs
from .config import MatchConfig
from .keys import MatchKey, bigrams


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
    c = config if config is not None else MatchConfig()
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



def _score_rows(
    keys: Sequence[MatchKey], cores: Sequence[str], source: Source, special: Mapping[int, set[int]], config: MatchConfig, rows: Iterable[int] | None
) -> list[tuple[int, int, float, bool]]:
    """``(i, j, score, repeat)`` for the pairs of ``rows`` that join or repeat."""
    join, repeat_at = config.join, config.repeat
    out = []
    known: dict[tuple[int, int], tuple[float, bool]] = {}  # by key object: verbatim repeats share one (keys.mention_keys)
    for i, j, r in row_pairs(cores, source, special, rows):
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
    special = special_pairs(keys, config)
    workers = _workers(len(keys), config)
    source = candidate_source(cores, config, workers)
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
