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

import functools
from collections.abc import Iterable, Mapping, Sequence

import attrs
from rapidfuzz import fuzz

from .. import parallel
from .candidates import Source, candidate_source, row_pairs, special_pairs
from .config import MatchConfig
from .features import (
    heads_compatible,
    overlap,
    pair_features,
    restated_as_programme,
    shared_items,
    short_keys_agree,
    subject_changed,
    target_conflict,
)
from .keys import MatchKey
from .fillers import FilledSlots, slot_fillers
from .scorer import percent
from .templates import TemplateSlots, template_slots




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




def list_adjustment(a: MatchKey, b: MatchKey, config: MatchConfig) -> float:
    """Bonus when two enumerations share at least two items and half of the shorter one."""
    if len(a.items) < 2 or len(b.items) < 2:
        return 0.0
    shared = shared_items(a, b)
    if shared < 2 or shared < 0.5 * min(len(a.items), len(b.items)):
        return 0.0
    return config.list_bonus if heads_compatible(a.head, b.head, config.generic_heads) else 0.0












def programme_adjustment(a: MatchKey, b: MatchKey, config: MatchConfig) -> float:
    """Penalty when only one side names a programme (“扬帆”行动) or an instrument type (数字化转型 vs 数字化转型城市试点).

    A general goal and a specific programme serving it are different pledges,
    even when one key contains the other; a programme renamed
    (指导意见 → 政策措施) still names one on both sides.  A programme run under
    the goal's own name (产业基础再造工程 / 产业基础再造: ``restated_as_programme``)
    is the goal restated, and so is a document being carried out (抓好X方案落地 / X:
    ``MatchKey.carried_out``).
    """
    if a.typed != b.typed or a.programmes or b.programmes:
        if restated_as_programme(a, b, config.goal_nouns):
            return 0.0
    # only one names an instrument type, unless that one is a document being carried out (落实X方案 / X)
    if a.typed != b.typed and not (a.carried_out or b.carried_out):
        return -config.programme_penalty
    if a.programmes and not b.programmes and not any(p in b.core for p in a.programmes):
        return -config.programme_penalty
    if b.programmes and not a.programmes and not any(p in a.core for p in b.programmes):
        return -config.programme_penalty
    return 0.0


def target_adjustment(a: MatchKey, b: MatchKey, config: MatchConfig) -> float:
    """Penalty when both state targets but in different measures (100个 vs 50家), or in the same
    unit with values far apart (1万家 vs 3000家): :func:`~policy_tracker.matching.features.target_conflict`.

    A target restated with a moderate change is the same pledge (the evolution
    stage reports it raised or lowered); one several times larger, or one that
    counts something else, is another.
    """
    conflict = target_conflict(a, b, config.target_factor)
    return -config.unit_penalty if conflict == "unit" else -config.target_penalty if conflict == "far" else 0.0


def scope_adjustment(a: MatchKey, b: MatchKey, config: MatchConfig) -> float:
    """Penalty when the two are confined to different places, or only one to a place (在县域X vs X).

    A regional pledge (在长三角地区开展X, scope patterns of data/matching.yaml) is
    carried out and reported apart from the national one and from another
    region's: another commitment, whatever the rest of the wording shares.
    """
    return -config.scope_penalty if set(a.scope) != set(b.scope) else 0.0


def topic_adjustment(a: MatchKey, b: MatchKey, config: MatchConfig) -> float:
    """Penalty when both mentions carry topic tags and share none (different fields of policy)."""
    if a.topics and b.topics and not set(a.topics) & set(b.topics):
        return -config.topic_penalty
    return 0.0


def pair_score(
    a: MatchKey,
    b: MatchKey,
    config: MatchConfig | None = None,
    ratio: float | None = None,
    floor: float = 0.0,
    slots: TemplateSlots | None = None,
) -> float:
    """How likely two keys state the same pledge, 0–100: the configured scorer's score.

    The hand-set :func:`rule_score` unless the config's pair model (data/pair_model.yaml)
    selects the learned scorer (:func:`learned_score`).  With ``floor``, a pair that
    cannot reach it may return an upper bound below ``floor`` at once.  ``slots``: the
    template slots the keys being clustered show (:func:`score_pairs`).
    """
    c = config if config is not None else MatchConfig()
    r = fuzz.ratio(a.core, b.core) if ratio is None else ratio
    if c.model.scorer == "learned":
        return learned_score(a, b, c, r, floor, slots)
    return rule_score(a, b, c, r, floor, slots)


def learned_score(
    a: MatchKey, b: MatchKey, config: MatchConfig, ratio: float, floor: float = 0.0, slots: TemplateSlots | None = None
) -> float:
    """100 · σ(bias + weights · features): the learned probability, in percent, that the pair is one pledge."""
    model = config.model
    if floor > 0:
        # the text similarities are cheap; the other features can at most add their positive weights
        inter = len(a.bigrams & b.bigrams)
        smaller = min(len(a.bigrams), len(b.bigrams))
        union = len(a.bigrams) + len(b.bigrams) - inter
        w, most = model.weights, model.positive
        bound = model.bias + w[0] * ratio / 100 + w[1] * (inter / smaller if smaller else 0.0) + w[2] * (inter / union if union else 0.0)
        bound += sum(most[3:])
        if percent(bound) < floor:
            return percent(bound)
    return model.score(features_of(a, b, config, ratio, slots))


def features_of(
    a: MatchKey, b: MatchKey, config: MatchConfig, ratio: float | None = None, slots: TemplateSlots | None = None
) -> tuple[float, ...]:
    """The learned scorer's features of a pair (:data:`~policy_tracker.matching.features.FEATURE_NAMES`;
    the template slot and the rule score last)."""
    r = fuzz.ratio(a.core, b.core) if ratio is None else ratio
    features = pair_features(
        a,
        b,
        r,
        short_key=config.short_key,
        short_substance=config.short_substance,
        target_factor=config.target_factor,
        generic_heads=config.generic_heads,
        goal_nouns=config.goal_nouns,
    )
    slot = bool(slots) and slots.conflict(a, b)  # type: ignore[union-attr]
    rules = rule_score(a, b, _rule_config(config), r, slots=slots)
    return (*features, float(slot), rules / 100.0, float(rules >= _rule_config(config).join))


@functools.lru_cache(maxsize=8)
def _rule_config(config: MatchConfig) -> MatchConfig:
    """``config`` with the rule scorer's own thresholds (data/matching.yaml): the learned scorer's features
    are the same whatever thresholds the learned model brings (its join and agree replace the rules')."""
    if config.model.scorer == "rules":
        return config
    shipped = MatchConfig(model=config.model)
    return attrs.evolve(config, join=shipped.join, agree=shipped.agree, same_briefing=shipped.same_briefing)


def rule_score(
    a: MatchKey,
    b: MatchKey,
    config: MatchConfig | None = None,
    ratio: float | None = None,
    floor: float = 0.0,
    slots: TemplateSlots | None = None,
) -> float:
    """The hand-set scorer: the mean of the Indel ratio and the bigram overlap, plus bonuses and penalties.

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
    if a.scope or b.scope:
        s += scope_adjustment(a, b, c)
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
    # one template filled with different subjects, as the keys being clustered show (templates.py)
    if slots and s >= max(c.agree, floor) and slots.conflict(a, b):
        s -= c.template_penalty
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
    # the template slots the pairs show: every later score of two of these keys takes them into account
    slots: TemplateSlots = attrs.field(factory=TemplateSlots)

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
    if parallel.current() is not None:
        rows_out = _score_elsewhere(keys, cores, special, config)
        return _with_templates(keys, _collect(rows_out), config)
    workers = _workers(len(keys), config)
    source = candidate_source(cores, config, workers)
    if workers == 1:
        rows_out = _score_rows(keys, cores, source, special, config, None)
    else:
        step = max(256, len(keys) // (workers * 8))  # a few chunks per worker evens out the load
        chunks = [range(lo, min(lo + step, len(keys))) for lo in range(0, len(keys), step)]
        parts = parallel.fork_map(lambda rows: _score_rows(keys, cores, source, special, config, rows), chunks, workers)
        rows_out = [t for part in parts for t in part]
    return _with_templates(keys, _collect(rows_out), config)


def _with_templates(keys: Sequence[MatchKey], pairs: PairScores, config: MatchConfig) -> PairScores:
    """Rescore the joining pairs that fill a template slot differently (:mod:`.templates`), the slots
    read off the joining pairs themselves: a corpus-level fact, so it is applied once all rows are scored."""
    joined = [pair for pair, s in pairs.scores.items() if s >= config.join]
    slots = template_slots(keys, joined, config.template_fillers, config.template_context)
    fillers = slot_fillers(keys, joined, config.filler_places, config.filler_rare, config.filler_inserted)
    if fillers:
        slots = FilledSlots(slots.frames, slots.width, fillers)
    if not slots:
        return attrs.evolve(pairs, slots=slots)
    scores = dict(pairs.scores)
    known: dict[tuple[int, int], float] = {}  # by key object: equal keys are one object (keys.mention_keys)
    for i, j in joined:
        a, b = keys[i], keys[j]
        if slots.conflict(a, b):
            ident = (id(a), id(b))
            found = known.get(ident)
            if found is None:
                found = known[ident] = pair_score(a, b, config, slots=slots)
            scores[(i, j)] = found
    return PairScores(scores, pairs.repeats, pairs.neighbours, slots)


def _collect(rows_out: Iterable[tuple[int, int, float, bool]]) -> PairScores:
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


class _RowScorer:
    """What a worker needs to generate and score the candidates of any rows; scattered once to each worker.

    The candidate source (the bigram index over all keys) is built on the
    worker at its first partition and kept there; it is not pickled.
    """

    def __init__(self, keys: Sequence[MatchKey], special: Mapping[int, set[int]], config: MatchConfig) -> None:
        self.keys, self.special, self.config = keys, special, config
        self._source: Source | None = None

    def __getstate__(self) -> dict[str, object]:
        return {"keys": self.keys, "special": self.special, "config": self.config, "_source": None}

    def rows(self, rows: range) -> list[tuple[int, int, float, bool]]:
        cores = [k.core for k in self.keys]
        if self._source is None:
            self._source = _row_source(cores, self.config)
        return _score_rows(self.keys, cores, self._source, self.special, self.config, rows)


def _row_source(cores: Sequence[str], config: MatchConfig) -> Source:
    """The candidate source a worker queries row range by row range: the same candidates as :func:`candidate_source`."""
    from .candidates import _extract_source

    return _extract_source(cores, config)


def _score_partition(scorer: _RowScorer, rows: range) -> list[tuple[int, int, float, bool]]:
    return scorer.rows(rows)


def _score_elsewhere(
    keys: Sequence[MatchKey], cores: Sequence[str], special: Mapping[int, set[int]], config: MatchConfig
) -> list[tuple[int, int, float, bool]]:
    """Candidates and scores of every row on the active executor (``ingest --dask``), rows in contiguous partitions."""
    executor = parallel.current()
    assert executor is not None
    step = max(256, len(keys) // (executor.workers * 8))
    chunks = [range(lo, min(lo + step, len(keys))) for lo in range(0, len(keys), step)]
    parts = parallel.map_shared(_score_partition, _RowScorer(keys, special, config), chunks, 1)
    return [t for part in parts for t in part]
