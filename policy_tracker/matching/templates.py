"""Template slots: evidence from the mentions themselves that a pledge is one filling of a template.

MIIT states many pledges in one frame with a different subject (推广N个X优秀解决方案,
建设N家X示范工厂).  Two keys alone cannot tell a subject substituted in such a
frame from a restatement that renames a word; the ledger can.  When the
candidate pairs that would join show one *frame* (the text on both sides of
where two keys differ) filled by ``template_fillers`` or more different
*subjects* (fillers that name something and recur in other frames too), the
place is a *slot* of a template, and two keys that fill it differently (or one
fills it and the other leaves it empty) state different pledges, wherever in
the key the slot stands (``template_penalty``).

Nothing here names a sector or a template: the evidence is counted on the
keys being clustered, so it grows with the ledger (a small corpus rarely
shows a frame filled three ways; a ledger of 10⁴ templated pledges does).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import attrs
from rapidfuzz.distance import Indel

from .features import _substantive
from .keys import MatchKey

__all__ = ["TemplateSlots", "differing_blocks", "template_slots"]

START, END = "^", "$"
# the template goes on after a subject (noun phrases are head-final): a block this close to the end is a renamed tail
TAIL = 2


def differing_blocks(x: str, y: str) -> Iterator[tuple[int, int, int, int]]:
    """The blocks where two strings differ, ``(start_x, end_x, start_y, end_y)``, in order.

    Indel alignment; a single agreeing character inside a difference (行业 vs 制造业)
    does not split it (as :func:`~policy_tracker.matching.features.subject_changed` reads it).
    """
    block: list[int] | None = None
    for op in Indel.opcodes(x, y):
        if op.tag == "equal":
            if block is None:
                continue
            if op.src_end - op.src_start < 2 and op.src_end < len(x):
                continue
            yield block[0], block[1], block[2], block[3]
            block = None
        elif block is None:
            block = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            block[1], block[3] = op.src_end, op.dest_end
    if block is not None:
        yield block[0], block[1], block[2], block[3]


def _slots_of(a: MatchKey, b: MatchKey, width: int) -> Iterator[tuple[tuple[str, str], str, str, bool, bool]]:
    """``(frame, filler_a, filler_b, names_a, names_b)`` for each block where the two keys differ.

    The frame is up to ``width`` agreeing characters on each side of the block
    (``^``/``$`` at the ends of the keys); ``names_*``: that side's filler names something (:func:`~policy_tracker.matching.features._substantive`).
    """
    x, y = a.core, b.core
    previous = 0
    blocks = list(differing_blocks(x, y))
    for n, (sa, ea, sb, eb) in enumerate(blocks):
        following = blocks[n + 1][0] if n + 1 < len(blocks) else len(x)
        left = x[max(previous, sa - width) : sa] if sa else START
        right = x[ea : min(following, ea + width)] if ea < len(x) else END
        previous = ea
        yield (left, right), x[sa:ea], y[sb:eb], _substantive(a, sa, ea, b), _substantive(b, sb, eb, a)


@attrs.frozen
class TemplateSlots:
    """The frames shown to be slots of a template by the pairs seen (:func:`template_slots`)."""

    frames: frozenset[tuple[str, str]] = frozenset()
    width: int = 6
    # answers already given, by what the test reads of the two keys: one pair of cores recurs in many
    # pairs of mentions (restatements), and clustering asks again about the pairs scoring rescored
    _known: dict[tuple[object, ...], bool] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def __bool__(self) -> bool:
        return bool(self.frames)

    def conflict(self, a: MatchKey, b: MatchKey) -> bool:
        """The two keys fill a slot differently (:meth:`_conflict`), remembered per pair of keys."""
        if a.core == b.core or not self:
            return False
        ident = (a.core, a.content, a.kind, b.core, b.content, b.kind)
        found = self._known.get(ident)
        if found is None:
            found = self._known[ident] = self._conflict(a, b)
        return found

    def _conflict(self, a: MatchKey, b: MatchKey) -> bool:
        """The two keys fill a slot differently: a block where they differ, naming something on at least
        one side (a subject against another, or against none), stands in a frame that is a slot, with at
        least :data:`TAIL` characters of the template after it (a renamed tail is no subject) and ``width``
        agreeing characters around it (a short generic key, 中小企业 or 未来产业, is no template: what is
        written around it says what is pledged)."""
        if not self.frames:
            return False
        for frame, _, _, names_a, names_b in _slots_of(a, b, self.width):
            if (names_a or names_b) and frame[1] != END and len(frame[1]) >= TAIL and frame in self.frames:
                if len(frame[0].lstrip(START)) + len(frame[1]) >= self.width:
                    return True
        return False


def distinct_pairs(keys: Sequence[MatchKey], pairs: Iterable[tuple[int, int]]) -> Iterator[tuple[MatchKey, MatchKey]]:
    """The keys of ``pairs`` (positions into ``keys``) whose cores differ, each pair of cores once."""
    done: set[tuple[str, str]] = set()
    for i, j in pairs:
        a, b = keys[i], keys[j]
        if a.core == b.core or (a.core, b.core) in done:
            continue
        done.add((a.core, b.core))
        yield a, b


def template_slots(keys: Sequence[MatchKey], pairs: Iterable[tuple[int, int]], fillers: int, width: int) -> TemplateSlots:
    """The slots shown by ``pairs`` (positions into ``keys``; the pairs that would join).

    A filler is a *subject* when it fills two or more frames, told apart by
    the two characters on each side (the ledger's
    subjects recur from template to template: a sector, a technology; a
    restatement's inserted words, 会同财政部 or 基本实现, rarely do); a frame is
    a *slot* when ``fillers`` or more different subjects fill it.  ``fillers`` = 0
    turns the evidence off.
    """
    if fillers <= 0:
        return TemplateSlots(frozenset(), width)
    seen: dict[tuple[str, str], set[str]] = {}
    for a, b in distinct_pairs(keys, pairs):
        for frame, fa, fb, names_a, names_b in _slots_of(a, b, width):
            got = seen.setdefault(frame, set())
            if names_a:
                got.add(fa)
            if names_b:
                got.add(fb)
    # where a filler stands: the two characters on each side (one frame read at several widths, because the
    # keys it was compared with differ elsewhere too, is one place: 增品种提品 / 增品种提品质)
    where: dict[str, set[tuple[str, str]]] = {}
    for (left, right), fs in seen.items():
        for f in fs:
            where.setdefault(f, set()).add((left[-2:], right[:2]))
    slots = (frame for frame, fs in seen.items() if sum(len(where[f]) >= 2 for f in fs) >= fillers)
    return TemplateSlots(frozenset(slots), width)
