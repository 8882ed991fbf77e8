"""Cross-briefing matching: group pledge mentions into commitments.

Three steps, each replaceable on its own:

1. **keys** (:mod:`policy_tracker.keys`): the substance of each mention, with
   generic verbs, intensity adverbs and frames removed and aliases expanded;
2. **candidates and scores**: the character-bigram index of
   :mod:`policy_tracker.blocking` proposes pairs (never all N² pairs), a cheap
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

from collections.abc import Iterable, Mapping, Sequence

import attrs
from rapidfuzz import fuzz

from .errors import DataError, LedgerError
from .keys import MatchKey, Vocabulary, load_vocabulary, mention_key
from .models import Mention


@attrs.frozen
class MatchConfig:
    """Scoring weights and thresholds (0–100 scale), normally read from data/matching.yaml."""

    join: float = 57.0
    agree: float = 40.0
    repeat: float = 90.0
    prefilter: float = 30.0
    strong_bonus: float = 25.0
    strong_penalty: float = 15.0
    ratio_weight: float = 0.5
    max_postings: int = 500

    @classmethod
    def from_vocabulary(cls, vocab: Vocabulary, **overrides: float) -> MatchConfig:
        """The thresholds of ``vocab`` (names as in data/matching.yaml), then ``overrides``."""
        known = {f.name for f in attrs.fields(cls)}
        values: dict[str, float] = dict(vocab.thresholds)
        values.update(overrides)
        unknown = sorted(set(values) - known)
        if unknown:
            raise DataError(
                f"data/matching.yaml: thresholds: unknown name(s) {', '.join(unknown)}; expected {', '.join(sorted(known))}"
            )
        if "max_postings" in values:
            values["max_postings"] = int(values["max_postings"])
        return cls(**values)  # type: ignore[arg-type]


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


def pair_score(a: MatchKey, b: MatchKey, config: MatchConfig | None = None, ratio: float | None = None) -> float:
    """How likely two keys state the same pledge, 0–100 (see the module docstring)."""
    c = config or MatchConfig()
    r = fuzz.ratio(a.core, b.core) if ratio is None else ratio
    s = c.ratio_weight * r + (1 - c.ratio_weight) * 100 * overlap(a, b) + strong_adjustment(a, b, c)
    return max(0.0, min(100.0, s))


def is_repeat(a: MatchKey, b: MatchKey, config: MatchConfig, ratio: float | None = None) -> bool:
    """Near-verbatim: ratio ≥ ``repeat``, or one key inside the other and at least 60% of its length."""
    r = fuzz.ratio(a.core, b.core) if ratio is None else ratio
    if r >= config.repeat:
        return True
    short, long = sorted((a.core, b.core), key=len)
    return len(short) >= 4 and len(short) >= 0.6 * len(long) and short in long


@attrs.frozen
class PairScores:
    """Scores of the candidate pairs: ``scores[(i, j)]`` with ``i < j``, and who neighbours whom."""

    scores: Mapping[tuple[int, int], float]
    repeats: frozenset[tuple[int, int]]
    neighbours: Mapping[int, tuple[int, ...]]

    def get(self, i: int, j: int) -> float:
        return self.scores.get((i, j) if i < j else (j, i), 0.0)


def candidate_groups(keys: Sequence[MatchKey], config: MatchConfig) -> Iterable[tuple[int, list[int]]]:
    """``(i, [j > i …])`` pairs worth scoring: shared distinctive bigrams or a shared strong name."""
    try:
        from .blocking import CandidateIndex
    except ImportError:  # pragma: no cover - the blocking stage ships with the package
        return [(i, list(range(i + 1, len(keys)))) for i in range(len(keys))]
    index = CandidateIndex((k.core for k in keys), max_postings=config.max_postings)
    by_strong: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        for s in k.strong:
            by_strong.setdefault(s, []).append(i)
    extra: dict[int, set[int]] = {}
    for members in by_strong.values():
        if len(members) <= config.max_postings:
            for x, i in enumerate(members):
                extra.setdefault(i, set()).update(members[x + 1 :])
    groups: dict[int, list[int]] = {}
    for i, js in index.candidates():
        groups[i] = js
    for i, js in extra.items():
        groups[i] = sorted(set(groups.get(i, ())) | js)
    return sorted(groups.items())


def score_pairs(keys: Sequence[MatchKey], config: MatchConfig) -> PairScores:
    """Score the candidate pairs of ``keys`` (positions in chronological order)."""
    scores: dict[tuple[int, int], float] = {}
    repeats: set[tuple[int, int]] = set()
    neighbours: dict[int, list[int]] = {}
    ratio = fuzz.ratio
    for i, js in candidate_groups(keys, config):
        a = keys[i]
        for j in js:
            b = keys[j]
            r = ratio(a.core, b.core)
            if r < config.prefilter and not (a.strong and b.strong):
                continue
            s = pair_score(a, b, config, r)
            if is_repeat(a, b, config, r):
                repeats.add((i, j))
            if s >= config.agree or (i, j) in repeats:
                scores[(i, j)] = s
                if s >= config.join or (i, j) in repeats:
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


def order_mentions(mentions: Iterable[Mention]) -> list[Mention]:
    """Chronological order (date, document, offset, id), duplicates by id dropped."""
    unique: dict[str, Mention] = {}
    for m in sorted(mentions, key=lambda m: (*m.sort_key(), m.id, m.text, m.quote)):
        unique.setdefault(m.id, m)
    return list(unique.values())


def cluster(
    mentions: Sequence[Mention],
    *,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    config: MatchConfig | None = None,
    vocab: Vocabulary | None = None,
) -> list[list[Mention]]:
    """Group mentions into commitments; deterministic and independent of input order.

    ``must_link``/``cannot_link`` are pairs of :attr:`Mention.id`; ids not
    among ``mentions`` are ignored.  Raises :class:`LedgerError` when the two
    contradict each other.  Clusters come back in order of their first mention,
    each in chronological order.
    """
    v = vocab or load_vocabulary()
    cfg = config or MatchConfig.from_vocabulary(v)
    ordered = order_mentions(mentions)
    keys = [mention_key(m, v) for m in ordered]
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

    members: list[list[int]] = []
    assigned: list[int] = []
    placed_root: dict[str, int] = {}
    for i, m in enumerate(ordered):
        root = forced.find(m.id)
        target = placed_root.get(root)
        if target is not None:
            clash = forbidden.get(i, set()) & set(members[target])
            if clash:
                other = ordered[min(clash)].id
                raise LedgerError(
                    f"curation: {m.id} must be linked to {root} but cannot be linked to {other}; "
                    "remove one of the two decisions"
                )
        else:
            target = _best_commitment(i, ordered, pairs, members, assigned, forbidden, cfg)
        if target is None:
            target = len(members)
            members.append([])
        members[target].append(i)
        assigned.append(target)
        placed_root.setdefault(root, target)
    return [[ordered[i] for i in group] for group in members]


def _best_commitment(
    i: int,
    ordered: Sequence[Mention],
    pairs: PairScores,
    members: Sequence[Sequence[int]],
    assigned: Sequence[int],
    forbidden: Mapping[int, set[int]],
    cfg: MatchConfig,
) -> int | None:
    """The commitment mention ``i`` should join, or None for a new one."""
    source = ordered[i].source
    no = forbidden.get(i, set())
    best: tuple[float, int] | None = None
    for c in sorted({assigned[j] for j in pairs.neighbours.get(i, ()) if j < i}):
        group = members[c]
        if no.intersection(group):
            continue
        scores = [pairs.get(i, j) for j in group]
        same_doc = [j for j in group if ordered[j].source == source]
        if same_doc:
            # one pledge per document: only a near-verbatim repeat of a member joins
            if any((j, i) in pairs.repeats for j in same_doc):
                return c
            continue
        top, mean = max(scores), sum(scores) / len(scores)
        if top >= cfg.join and mean >= cfg.agree:
            candidate = (top + mean, -c)
            if best is None or candidate > best:
                best = candidate
    return -best[1] if best is not None else None
