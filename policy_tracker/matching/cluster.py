"""Clustering: scored mentions → commitments, in chronological order (the matcher's last step).

Mentions are taken in chronological order (date, document, offset, id; never
input order).  A mention joins the existing commitment it agrees with *as a
whole* (best member score ≥ ``join`` and mean score over all members ≥
``agree``), else starts a new one.  Because the mean runs over every member,
a boilerplate pair cannot chain two pledges through a middle one.  A
commitment takes at most one mention per document unless the second is a
near-verbatim repeat (lede and body, headline and text); two pledges of one
article sharing words never merge.  Analyst ``must_link``/``cannot_link``
pairs of mention ids win over scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import LedgerError
from ..models import Mention
from .config import MatchConfig
from .keys import MatchKey, Vocabulary, load_vocabulary, mention_keys
from .features import target_conflict
from .score import PairScores, pair_score, score_pairs


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
        # the distinct keys of each commitment's members that state targets (see slot_conflict)
        self.measured: list[dict[int, MatchKey]] = []
        self.assigned: dict[int, int] = {}
        self.placed_root: dict[str, int] = {}

    def new(self) -> int:
        self.members.append([])
        return len(self.members) - 1

    def add(self, unit: Sequence[int], target: int, forced: _Components) -> None:
        while len(self.by_briefing) <= target:
            self.by_briefing.append({})
            self.measured.append({})
        for i in unit:
            key = self.keys[i]
            if key.targets:
                self.measured[target].setdefault(id(key), key)
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
                found = self.by_key[ident] = pair_score(a, b, self.cfg, slots=self.pairs.slots)
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
                if self.slot_conflict(unit, c):
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

    def slot_conflict(self, unit: Sequence[int], c: int) -> bool:
        """A mention of ``unit`` states targets in another measure than a member of commitment ``c`` (100个 vs 50家).

        Cannot-link grade: such a pair already loses ``unit_penalty``, but a commitment is joined on its
        best member and its mean, so without this check a mention stating no target (区块链产业集群培育)
        bridges 打造300家区块链产业集群 and 打造50个区块链产业集群 into one commitment.  (Places need no
        such check: a mention naming none is itself penalised against both.)
        """
        measured = self.measured[c]
        if not measured:
            return False
        factor = self.cfg.target_factor
        return any(
            target_conflict(self.keys[i], other, factor) == "unit"
            for i in unit
            if self.keys[i].targets
            for other in measured.values()
        )

    def check_forbidden(self, unit: Sequence[int], target: int) -> None:
        for i in unit:
            clash = self.forbidden.get(i, set()).intersection(self.members[target])
            if clash:
                raise LedgerError(
                    f"curation: {self.ordered[i].id} is must-linked into the commitment of "
                    f"{self.ordered[self.members[target][0]].id} but cannot-linked to "
                    f"{self.ordered[min(clash)].id}; remove one of the two decisions"
                )
