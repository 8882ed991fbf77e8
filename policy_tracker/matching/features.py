"""What two matching keys have in common: the predicates the pair scorers are built on.

Each function compares two :class:`~policy_tracker.keys.MatchKey` (or their
cores) and says one thing: how much of their bigrams they share, whether they
name the same thing at the head of the phrase, whether a subject was
substituted.  :func:`pair_features` gathers them into the named feature vector
the learned scorer (:mod:`policy_tracker.scorer`) weighs; the rule scorer
(:func:`policy_tracker.match.pair_score`) adds fixed points for them.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .keys import MatchKey, bigrams

def overlap(a: MatchKey, b: MatchKey) -> float:
    """Bigram overlap coefficient |A∩B| / min(|A|, |B|): a shortened restatement still scores high."""
    if not a.bigrams or not b.bigrams:
        return 0.0
    return len(a.bigrams & b.bigrams) / min(len(a.bigrams), len(b.bigrams))


def shared_items(a: MatchKey, b: MatchKey) -> int:
    """How many enumerated items of the shorter list the other list names (one inside the other counts)."""
    small, large = sorted((a.items, b.items), key=len)
    return sum(1 for x in small if any(x in y or y in x for y in large))


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


# The features of a pair, in the order of the learned model's weights (data/pair_model.yaml).
# Every feature lies in [0, 1]; the binary ones are 1 when the pair shows the trait.
FEATURE_NAMES: tuple[str, ...] = (
    "ratio",  # Indel ratio of the cores / 100
    "overlap",  # bigram overlap coefficient |A∩B| / min(|A|, |B|)
    "jaccard",  # bigram Jaccard |A∩B| / |A∪B|
    "substance",  # overlap of the bigrams left once generic terms are removed
    "length_ratio",  # shorter core / longer core
    "partial",  # best alignment of the shorter core inside the longer (rapidfuzz partial_ratio) / 100
    "contained",  # the shorter core (≥ 4 characters) is inside the longer
    "heads_agree",  # both end on the same head noun
    "strong_shared",  # both name the same instrument or programme (《…》, “…”)
    "strong_conflict",  # both name instruments/programmes, none shared
    "weak_shared",  # a shared generic reference (“十四五”)
    "list_shared",  # two enumerations sharing ≥ 2 items of the same kind
    "programme_mismatch",  # only one names a programme or instrument type
    "goal_programme",  # the keys differ only by a programme noun run under the goal's name (X / X工程)
    "kind_mismatch",  # instrument nouns of disjoint families (a plan vs a map)
    "topic_shared",  # both carry topic tags and share one
    "topic_disjoint",  # both carry topic tags and share none
    "target_far",  # targets in one unit more than target_factor apart
    "target_unit",  # targets in different measures (100个 vs 50家)
    "subject_changed",  # the subject substituted in a shared template
    "short_disagree",  # short keys with different head nouns or substance
    "wording_diff",  # share of the differing characters that are wording (verbs, instrument nouns, modifiers)
    "programme_wording",  # programme_mismatch · wording_diff: a goal restated as its programme (X / X工程)
    "subject_wording",  # subject_changed · overlap: a substitution inside an otherwise shared key
    "template_slot",  # the keys fill a slot differently that the ledger shows filled by several subjects (templates.py)
    "rules",  # the hand-set rule score (policy_tracker.match.rule_score) / 100
    "rules_join",  # the rule score reaches the rules' own join threshold
)


def _strong_shared(a: MatchKey, b: MatchKey) -> bool:
    if set(a.strong) & set(b.strong):
        return True
    # a name on one side written out in the other's text also counts as shared
    return any(s in b.core for s in a.strong) or any(s in a.core for s in b.strong)


def restated_as_programme(a: MatchKey, b: MatchKey, goal_nouns: Sequence[str]) -> bool:
    """The two keys differ only by programme nouns that carry out a goal under its own name
    (``goal_nouns``, data/matching.yaml's goal_family): 产业基础再造工程 / 产业基础再造,
    计划新建5g基站 / 新建5g基站.  Not a document or pilot about the goal (X指导意见, X城市试点)."""
    if not goal_nouns or a.core == b.core:
        return False
    x, y = a.core, b.core
    for noun in goal_nouns:
        x, y = x.replace(noun, ""), y.replace(noun, "")
    return len(x) >= 2 and x == y


def _programme_mismatch(a: MatchKey, b: MatchKey) -> bool:
    if a.typed != b.typed and not (a.carried_out or b.carried_out):
        return True
    if a.programmes and not b.programmes and not any(p in b.core for p in a.programmes):
        return True
    return bool(b.programmes and not a.programmes and not any(p in a.core for p in b.programmes))


def _list_shared(a: MatchKey, b: MatchKey, generic_heads: Sequence[str]) -> bool:
    if len(a.items) < 2 or len(b.items) < 2:
        return False
    shared = shared_items(a, b)
    if shared < 2 or shared < 0.5 * min(len(a.items), len(b.items)):
        return False
    return heads_compatible(a.head, b.head, generic_heads)


def target_conflict(a: MatchKey, b: MatchKey, factor: float) -> str:
    """How the two keys' targets disagree: "unit" (different measures, 100个 vs 50家), "far" (one unit,
    values more than ``factor`` apart: 1万家 vs 3000家), or "" (they agree, or one states none)."""
    if not a.targets or not b.targets:
        return ""
    # the measure (the classifier a count ends on: 家 of 万家, 元 of 亿元) is part of what is pledged
    if not {unit[-1:] for unit, _ in a.targets} & {unit[-1:] for unit, _ in b.targets}:
        return "unit"
    units_b: dict[str, list[float]] = {}
    for unit, value in b.targets:
        units_b.setdefault(unit, []).append(value)
    for unit, value in a.targets:
        for other in units_b.get(unit, ()):
            low, high = sorted((value, other))
            if low > 0 and high / low > factor:
                return "far"
    return ""


def wording_difference(a: MatchKey, b: MatchKey) -> float:
    """The share of the characters where two keys differ (Indel alignment, both sides) that are wording
    (:attr:`MatchKey.content` blanks verbs, generic terms, programme/instrument nouns and modifiers): 1.0 when
    they differ only in how the pledge is framed (产业基础再造 / 产业基础再造工程), 0.0 when only in substance."""
    ca, cb = a.content or a.core, b.content or b.core
    differing = wording = 0
    for op in Indel.opcodes(a.core, b.core):
        if op.tag == "equal":
            continue
        for k in range(op.src_start, op.src_end):
            differing += 1
            wording += ca[k] == "_"
        for k in range(op.dest_start, op.dest_end):
            differing += 1
            wording += cb[k] == "_"
    return wording / differing if differing else 1.0


def pair_features(
    a: MatchKey,
    b: MatchKey,
    ratio: float,
    *,
    short_key: int,
    short_substance: float,
    target_factor: float,
    generic_heads: Sequence[str] = (),
    goal_nouns: Sequence[str] = (),
) -> tuple[float, ...]:
    """The :data:`FEATURE_NAMES` of a pair of keys, given their Indel ``ratio`` (0–100)."""
    inter = len(a.bigrams & b.bigrams)
    smaller = min(len(a.bigrams), len(b.bigrams))
    union = len(a.bigrams) + len(b.bigrams) - inter
    subst = (
        len(a.substance & b.substance) / min(len(a.substance), len(b.substance)) if a.substance and b.substance else 0.0
    )
    short, long = sorted((a.core, b.core), key=len)
    strong_shared = bool(a.strong or b.strong) and _strong_shared(a, b)
    strong_conflict = bool(a.strong and b.strong) and not strong_shared
    weak_shared = bool(a.weak and b.weak and set(a.weak) & set(b.weak))
    listed = bool(a.items and b.items) and _list_shared(a, b, generic_heads)
    shared_reference = strong_shared or listed or weak_shared
    targets = target_conflict(a, b, target_factor)
    topic_both = bool(a.topics and b.topics)
    topic_common = topic_both and bool(set(a.topics) & set(b.topics))
    programme = _programme_mismatch(a, b)
    wording = wording_difference(a, b)
    subject = not shared_reference and subject_changed(a, b)
    return (
        ratio / 100.0,
        inter / smaller if smaller else 0.0,
        inter / union if union else 0.0,
        subst,
        len(short) / len(long) if long else 0.0,
        fuzz.partial_ratio(short, long) / 100.0 if short else 0.0,
        float(len(short) >= 4 and short in long),
        float(heads_agree(a.core, b.core)),
        float(strong_shared),
        float(strong_conflict),
        float(weak_shared),
        float(listed),
        float(programme),
        float(programme and restated_as_programme(a, b, goal_nouns)),
        float(bool(a.kind and b.kind) and not strong_shared and not set(a.kind) & set(b.kind)),
        float(topic_common),
        float(topic_both and not topic_common),
        float(targets == "far"),
        float(targets == "unit"),
        float(subject),
        float(not shared_reference and len(short) <= short_key and not short_keys_agree(a, b, short_substance)),
        wording,
        programme * wording,
        subject * (inter / smaller if smaller else 0.0),
    )
