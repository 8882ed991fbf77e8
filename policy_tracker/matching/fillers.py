"""Slot fillers: the terms a batch of keys shows standing in for one another, learned from the batch itself.

A templated pledge (推广N个X优秀解决方案, X示范工厂, X在Y领域应用) is stated with
many subjects, and each subject (a sector, a technology, a programme's
tail) recurs in many templates.  Like a Fellegi–Sunter *u*-probability, how
often a term turns up where two otherwise similar keys differ says how
little its agreement and how much its disagreement are worth: a term that
fills a differing place in several different settings is a *slot filler*
(``filler_places`` or more), whereas the words a restatement inserts or
renames (会同财政部, 基本实现, 打击治理 → 技术防范) fill one place, in one pledge.

Two keys that each hold a slot filler the other lacks (钢铁特种合金融合 /
特种合金首版次融合; 工业互联网标识解析数字化转型 / …协同创新) fill the template
differently: they state two pledges.  The end of a key is a slot of its own:
a *template tail* is a tail the batch shows traded for another after
``filler_places`` or more different heads (X揭榜攻关 / X应用活动 for many X), and
two keys that differ only in their template tails (产业用纺织品揭榜攻关 /
产业用纺织品应用活动) are two pledges too, unless both tails are instruments of
one family (指导意见 → 政策措施 renames a document).  One key holding fillers the other
lacks, while the other holds none of its own, is a list trimmed or a scope
added (新能源汽车下乡活动 / 新能源汽车、智能家电、绿色建材下乡活动), which real
restatements do, and is left alone.  Nothing here names a sector or a
template: small real corpora rarely show a term in several places, a
ledger of 10⁴ templated pledges does.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence

import attrs

from .keys import MatchKey
from .templates import TemplateSlots, differing_blocks, distinct_pairs

__all__ = ["FilledSlots", "SlotFillers", "named_runs", "slot_fillers"]

# a run shorter than this names nothing on its own (在, 第, a character the alignment left over)
MIN_RUN = 2
# the place of a run: this many characters on each side of its block
PLACE = 2


@functools.lru_cache(maxsize=1 << 16)
def _blocks(x: str, y: str) -> tuple[tuple[int, int, int, int], ...]:
    """:func:`~policy_tracker.matching.templates.differing_blocks`, remembered: a conflict test reads one
    pair's alignment up to three times (tails, runs, shared stretches), and restatements share keys."""
    return tuple(differing_blocks(x, y))


def named_runs(key: MatchKey, start: int, end: int, other: MatchKey) -> Iterator[str]:
    """The runs of ``key.core[start:end]`` that name something: characters that are not wording
    (``MatchKey.content``) and that ``other`` does not hold anywhere (a moved list item is no filler)."""
    content = key.content or key.core
    run: list[str] = []
    for k in range(start, end):
        if content[k] != "_" and key.core[k] not in other.core:
            run.append(key.core[k])
            continue
        if len(run) >= MIN_RUN:
            yield "".join(run)
        run = []
    if len(run) >= MIN_RUN:
        yield "".join(run)


def _differing_runs(a: MatchKey, b: MatchKey) -> Iterator[tuple[str, tuple[str, str], bool, bool]]:
    """``(run, place, on_a, traded)`` for each named run where the keys differ; the place is the two
    characters on each side of its block (``^``/``$`` at the ends); ``traded``: the other key names
    something else in that block (a substitution, not an insertion)."""
    for sa, ea, sb, eb in _blocks(a.core, b.core):
        runs_a = list(named_runs(a, sa, ea, b)) if ea > sa else []
        runs_b = list(named_runs(b, sb, eb, a)) if eb > sb else []
        for x, s, e, runs, on_a, traded in ((a.core, sa, ea, runs_a, True, bool(runs_b)), (b.core, sb, eb, runs_b, False, bool(runs_a))):
            place = (x[max(0, s - PLACE) : s] or "^", x[e : e + PLACE] or "$")
            for run in runs:
                yield run, place, on_a, traded


def _traded_tails(a: MatchKey, b: MatchKey) -> tuple[str, str] | None:
    """The two tails when the keys differ in one block only, at the end of both, neither empty,
    after a shared head of at least :data:`MIN_RUN` characters (X揭榜攻关 / X应用活动); else None."""
    blocks = list(_blocks(a.core, b.core))
    if len(blocks) != 1:
        return None
    sa, ea, sb, eb = blocks[0]
    if ea != len(a.core) or eb != len(b.core) or sa == ea or sb == eb or sa < MIN_RUN:
        return None
    return a.core[sa:], b.core[sb:]


def _tiled(run: str, terms: frozenset[str]) -> bool:
    """``run`` is one or more of ``terms`` written one after another (基础软件6g: 基础软件 + 6g)."""
    ends = {0}
    for k in range(1, len(run) + 1):
        if any(run[j:k] in terms for j in ends if k - j >= MIN_RUN):
            ends.add(k)
    return len(run) in ends


@attrs.frozen
class SlotFillers:
    """The terms the pairs seen show filling a place in several settings (:func:`slot_fillers`)."""

    fillers: frozenset[str] = frozenset()
    # bigram → how many distinct keys of the batch hold it (the rarity of what two keys share)
    spread: Mapping[str, int] = attrs.field(factory=dict)
    rare: int = 0
    # tails traded for another after several different heads (X揭榜攻关 / X应用活动)
    tails: frozenset[str] = frozenset()
    # fillers seen in ``inserted_places`` or more places: a run made of them on one side only is a subject added
    inserted: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.fillers) or bool(self.tails)

    def tail_conflict(self, a: MatchKey, b: MatchKey) -> bool:
        """The keys differ only in their tails, both template tails, and not as instruments of one family."""
        tails = _traded_tails(a, b)
        if tails is None or (a.kind and b.kind and set(a.kind) & set(b.kind)):
            return False
        return tails[0] in self.tails and tails[1] in self.tails

    def conflict(self, a: MatchKey, b: MatchKey) -> bool:
        """One template filled differently: each key holds, where the two differ, a slot filler the other
        lacks, or one key holds a run made only of widely traded fillers (:attr:`inserted`), or the two
        differ only in template tails; and they share no stretch few keys hold."""
        if a.core == b.core or not self:
            return False
        if not (self.tails and self.tail_conflict(a, b)):
            sides = [False, False]
            added = False
            for run, _, on_a, _ in _differing_runs(a, b):
                if not sides[0 if on_a else 1] and self.holds_filler(run):
                    sides[0 if on_a else 1] = True
                if not added and self.inserted and _tiled(run, self.inserted):
                    added = True
            if not all(sides) and not added:
                return False
        return not self.distinctive_shared(a, b)

    def holds_filler(self, run: str) -> bool:
        """``run`` is a slot filler or starts or ends with one (绿色建材协同 starts with 绿色建材: two words the
        alignment joined into one run)."""
        if run in self.fillers:
            return True
        return any(run[:k] in self.fillers or run[-k:] in self.fillers for k in range(MIN_RUN, len(run)))

    def distinctive_shared(self, a: MatchKey, b: MatchKey) -> bool:
        """The two keys share a stretch few keys of the batch hold (光伏行业内卷式竞争, 产业链长带动强):
        something only this pledge says, which outweighs the fillers they differ in."""
        previous = 0
        for sa, ea, _, _ in (*_blocks(a.core, b.core), (len(a.core), len(a.core), 0, 0)):
            if sa - previous > MIN_RUN and self._rare_stretch(a.core[previous:sa]):
                return True
            previous = ea
        return False

    def _rare_stretch(self, run: str) -> bool:
        """Two consecutive bigrams of ``run`` held by at most ``rare`` keys each: a word of three characters or
        more that few keys use (a junction of two common words, 车协 in 新能源汽车协同, is one bigram)."""
        streak = 0
        for k in range(len(run) - 1):
            streak = streak + 1 if self.spread.get(run[k : k + 2], 0) <= self.rare else 0
            if streak >= 2:
                return True
        return False


def slot_fillers(
    keys: Sequence[MatchKey], pairs: Iterable[tuple[int, int]], places: int, rare: int = 0, inserted_places: int = 0
) -> SlotFillers:
    """The slot fillers ``pairs`` (positions into ``keys``; the pairs that would join) show: named runs
    traded for another where two keys differ, in ``places`` or more different places, and tails traded
    for another after ``places`` or more different heads.  ``places`` = 0 turns it off."""
    if places <= 0:
        return SlotFillers()
    where: dict[str, set[tuple[str, str]]] = {}
    heads: dict[str, set[str]] = {}
    for a, b in distinct_pairs(keys, pairs):
        tails = _traded_tails(a, b)
        if tails is not None:
            for key, tail in zip((a, b), tails, strict=True):
                head = len(key.core) - len(tail)
                heads.setdefault(tail, set()).add(key.core[max(0, head - PLACE) : head])
        for run, place, _, traded in _differing_runs(a, b):
            if traded:  # a term traded for another: inserted words (基本实现, 这一关键任务) fill no slot
                where.setdefault(run, set()).add(place)
    fillers = frozenset(run for run, seen in where.items() if len(seen) >= places)
    inserted = frozenset(run for run, seen in where.items() if inserted_places and len(seen) >= max(places, inserted_places))
    tails = frozenset(t for t, seen in heads.items() if len(seen) >= places)
    if not fillers and not tails:
        return SlotFillers()
    spread: Counter[str] = Counter()
    for key in {k.core: k for k in keys}.values():
        spread.update(key.bigrams)
    return SlotFillers(fillers, spread, rare, tails, inserted)


@attrs.frozen
class FilledSlots(TemplateSlots):
    """Template slots (:class:`~policy_tracker.matching.templates.TemplateSlots`) and slot fillers, tested together:
    a pair conflicts when it fills a slot differently by either test."""

    fillers: SlotFillers = attrs.field(factory=SlotFillers)

    def __bool__(self) -> bool:
        return bool(self.frames) or bool(self.fillers)

    def _conflict(self, a: MatchKey, b: MatchKey) -> bool:
        return self.fillers.conflict(a, b) or TemplateSlots._conflict(self, a, b)
