"""Matching keys: the substance of a pledge, stripped of how strongly it is said.

``加快推进公共领域车辆全面电动化城市试点`` and ``开展好公共领域车辆全面电动化试点``
differ mostly in verbs and adverbs that say nothing about *what* is pledged.  A
:class:`MatchKey` keeps

* ``core``: the folded text (NFKC, Simplified, lower-case Latin) with aliases
  expanded to their canonical form (``data/aliases.yaml``: 车购税 → 车辆购置税,
  三品 → 增品种提品质创品牌), numbers normalised, punctuation dropped and the
  generic verbs, intensity adverbs and frames of ``data/matching.yaml`` removed;
* ``strong``: instrument titles (《…》) and programme names (“…”) in the same
  canonical form, which identify a pledge far better than the words around them;
* ``bigrams``: the character bigrams of ``core`` (for overlap scoring and blocking).

The vocabulary lives in data files that users extend (see
:func:`policy_tracker.resources.load_table`); nothing here is seed wording.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..errors import DataError
from ..models import Mention
from ..extraction.numerals import MAGNITUDES, NUMERAL_CHARS, chinese_count
from ..resources import load_table

_QUOTED = re.compile(r"[“\"「『‘《〈]([^“”\"「」『』‘’《》〈〉]{1,40})[”\"」』’》〉]")
_NON_WORD = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\-\.%]+")
# a Chinese numeral counting something (十个重点行业, 三千家): converted to digits; its
# magnitude (三万家) stays a character, as in 3万家
_COUNT_CHARS = "".join(c for c in NUMERAL_CHARS if c not in MAGNITUDES)
_CN_COUNT = re.compile(rf"(?<![{_COUNT_CHARS}])([{_COUNT_CHARS}]{{1,6}})(?=[个家项条场类批万亿座])")
# short parentheticals are glosses (RedCap, 2021—2035年): not the substance
_PAREN = re.compile(r"[(（][^()（）]{1,16}[)）]")
# an enumeration: two or more 、 separating short items (5G、人工智能、生物制造等)
_ENUMERATION = re.compile(r"[^，,。；;：:、]{1,20}(?:、[^，,。；;：:、]{1,20}){1,}")
_DASHES = re.compile(r"(?<=\d)\s*[—–－~～至]+\s*(?=\d)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")


def _fold_fallback(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """Fold text for matching: the extraction stage's :func:`normalize.fold` when present, else NFKC."""
    try:
        from ..extraction.normalize import fold as _fold
    except ImportError:  # pragma: no cover - before the normalisation stage exists
        return _fold_fallback(text).lower()
    return str(_fold(text)).lower()


def normalise_numbers(text: str) -> str:
    """Counted Chinese numerals to digits, ranges to ``a-b``, thousands separators dropped."""
    def repl(m: re.Match[str]) -> str:
        value = chinese_count(m.group(1))
        return m.group(1) if value is None else str(value)

    text = _CN_COUNT.sub(repl, text)
    text = _THOUSANDS.sub("", text)
    return _DASHES.sub("-", text)


def _word_list(table: Mapping[str, Any], field: str, where: str) -> tuple[str, ...]:
    words = table.get(field) or []
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise DataError(f"{where}: {field}: expected a list of non-empty strings; fix the list")
    # longest first so that 开展好 is removed before 开展
    return tuple(sorted({fold(w) for w in words}, key=lambda w: (-len(w), w)))


@attrs.frozen(slots=False)  # slots off: the compiled patterns are cached on the instance
class Vocabulary:
    """Words removed from keys, alias table and thresholds (from data/matching.yaml, data/aliases.yaml)."""

    leading: tuple[str, ...]
    removable: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...]
    thresholds: tuple[tuple[str, float], ...]
    weak_strong: tuple[str, ...] = ()
    target_units: tuple[str, ...] = ()
    target_comparators: tuple[str, ...] = ()
    time_patterns: tuple[str, ...] = ()
    frame_patterns: tuple[str, ...] = ()
    generic_heads: tuple[str, ...] = ()
    programme_suffixes: tuple[str, ...] = ()
    programme_nouns: tuple[str, ...] = ()
    generic_terms: tuple[str, ...] = ()
    # (noun, families): what kind of instrument a key ending on the noun names, longest noun first
    instrument_kinds: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # nouns of the instrument family named by goal_family: a programme run under its goal's name (X工程 = X)
    goal_nouns: tuple[str, ...] = ()
    # a document being carried out: carried_out_family, its tails, the ladder stages from carried_out_from on
    carried_family: str = ""
    carried_tails: tuple[str, ...] = ()
    carried_stages: frozenset[str] = frozenset()
    # words that say how or in what form something is pledged, never what (the verbs of
    # data/stages.yaml, generic terms, programme and instrument nouns), longest first: see content()
    wording: tuple[str, ...] = ()
    # where a pledge applies (在长三角地区, 在县域): regular expressions, see scopes()
    scope_patterns: tuple[str, ...] = ()

    @functools.cached_property
    def _kinds(self) -> tuple[dict[str, tuple[str, ...]], tuple[int, ...]]:
        table = dict(self.instrument_kinds)
        return table, tuple(sorted({len(n) for n in table}, reverse=True))

    @functools.cached_property
    def researched(self) -> re.Pattern[str]:
        """A programme noun followed by 研究: the topic of research, not an instrument (国际标准研究 is no standard)."""
        nouns = sorted(self.programme_nouns, key=len, reverse=True)
        return re.compile("(?:" + "|".join(map(re.escape, nouns)) + ")研究") if nouns else re.compile(r"(?!)")

    def kind_of(self, core: str) -> tuple[str, ...]:
        """The instrument families of the noun ``core`` ends with (方案 → documents), else ``()``."""
        table, lengths = self._kinds
        for n in lengths:  # longest noun first: 行动方案 before 方案
            found = table.get(core[-n:]) if len(core) >= n else None
            if found is not None:
                return found
        return ()

    def threshold(self, name: str) -> float:
        """One threshold by name; a DataError naming the file when it is missing."""
        for key, value in self.thresholds:
            if key == name:
                return value
        raise DataError(f"data/matching.yaml: thresholds: missing {name!r}; add it (see docs/matching.md)")

    @functools.cached_property
    def _alias_re(self) -> re.Pattern[str] | None:
        if not self.aliases:
            return None
        return re.compile("|".join(re.escape(v) for v, _ in self.aliases))

    @functools.cached_property
    def _alias_map(self) -> dict[str, str]:
        return dict(self.aliases)

    @functools.cached_property
    def _removable_re(self) -> re.Pattern[str] | None:
        return re.compile("|".join(re.escape(w) for w in self.removable)) if self.removable else None

    @functools.cached_property
    def _leading_re(self) -> re.Pattern[str] | None:
        return re.compile("^(?:" + "|".join(re.escape(w) for w in self.leading) + ")+") if self.leading else None

    @functools.cached_property
    def _quantity_re(self) -> re.Pattern[str] | None:
        if not self.target_units:
            return None
        comparators = "|".join(re.escape(c) for c in self.target_comparators)
        units = "|".join(re.escape(u) for u in self.target_units)
        prefix = f"(?:{comparators})?" if comparators else ""
        return re.compile(rf"{prefix}\d+(?:\.\d+)?(?:{units})(?:以上|左右)?")

    @functools.cached_property
    def _generic_re(self) -> re.Pattern[str] | None:
        return re.compile("|".join(re.escape(w) for w in self.generic_terms)) if self.generic_terms else None

    def substance(self, core: str) -> str:
        """``core`` without the generic terms (技术, 应用, 政策 …): what a short key is really about."""
        return self._generic_re.sub("", core) if self._generic_re is not None else core

    @functools.cached_property
    def _wording_re(self) -> re.Pattern[str] | None:
        return re.compile("|".join(re.escape(w) for w in self.wording)) if self.wording else None

    def content(self, core: str) -> str:
        """``core`` with its wording (verbs, generic terms, instrument nouns) blanked to ``_``, aligned
        with ``core``: which characters of a key name what is pledged (a sector, a subject)."""
        if self._wording_re is None:
            return core
        return self._wording_re.sub(lambda m: "_" * len(m.group(0)), core)

    @functools.cached_property
    def _scope_re(self) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{p})" for p in self.scope_patterns)) if self.scope_patterns else None

    def scopes(self, text: str) -> tuple[str, ...]:
        """The places ``text`` confines its pledge to (在长三角地区, 在县域), compacted, sorted and distinct."""
        if self._scope_re is None:
            return ()
        return tuple(sorted({_compact(m.group(0)) for m in self._scope_re.finditer(text)}))

    def in_time_frame(self, text: str, start: int, end: int) -> bool:
        """``text[start:end]`` opens a time frame (the “十四五” of “十四五”期间): a deadline, not a name."""
        found = self._time_re.match(text, start) if self._time_re is not None else None
        return found is not None and found.end() > end

    @functools.cached_property
    def _time_re(self) -> re.Pattern[str] | None:
        patterns = (*self.frame_patterns, *self.time_patterns)
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    def drop_quantities(self, text: str) -> str:
        """Remove quantified targets (不少于3000家) and time frames (到2025年): attributes, not substance."""
        if self._quantity_re is not None:
            text = self._quantity_re.sub("", text)
        return self._time_re.sub("", text) if self._time_re is not None else text

    def expand_aliases(self, text: str) -> str:
        """Replace every alias variant by its canonical form (longest variant first)."""
        pattern = self._alias_re
        return pattern.sub(lambda m: self._alias_map[m.group(0)], text) if pattern else text

    def strip(self, text: str) -> str:
        """Remove leading frames, then generic verbs, adverbs and frames anywhere."""
        if self._leading_re is not None:
            text = self._leading_re.sub("", text)
        if self._removable_re is not None:
            text = self._removable_re.sub("", text)
        return text


def vocabulary_from(
    matching: Mapping[str, Any],
    aliases: Mapping[str, Any],
    where: str = "data/matching.yaml",
    verbs: Iterable[str] = (),
    stages: Sequence[str] = (),
) -> Vocabulary:
    """Build a :class:`Vocabulary` from the two tables, validating their shape.

    ``verbs`` (the verbs and adverbs of data/stages.yaml) join the generic terms and
    instrument nouns as :attr:`Vocabulary.wording`; ``stages`` is that file's ladder, in order.
    """
    if not isinstance(matching, Mapping):
        raise DataError(f"{where}: expected a mapping with leading/adverbs/verbs/frames/thresholds")
    removable = tuple(
        sorted(
            {w for f in ("adverbs", "verbs", "frames") for w in _word_list(matching, f, where)},
            key=lambda w: (-len(w), w),
        )
    )
    raw_thresholds = matching.get("thresholds") or {}
    if not isinstance(raw_thresholds, Mapping):
        raise DataError(f"{where}: thresholds: expected a mapping of name: number")
    thresholds = []
    for name, value in raw_thresholds.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise DataError(f"{where}: thresholds: {name}: expected a number; got {value!r}")
        thresholds.append((str(name), float(value)))
    table = (aliases or {}).get("aliases") if isinstance(aliases, Mapping) else None
    if table is None:
        table = {}
    if not isinstance(table, Mapping):
        raise DataError("data/aliases.yaml: aliases: expected a mapping canonical: [variants]")
    pairs: dict[str, str] = {}
    for canonical, variants in table.items():
        if isinstance(variants, str):
            variants = [variants]
        if not isinstance(variants, list) or not all(isinstance(v, str) and v for v in variants):
            raise DataError(f"data/aliases.yaml: aliases: {canonical}: expected a list of variant strings")
        canon = _compact(fold(str(canonical)))
        # the canonical form maps to itself so that 智能网联汽车 is not re-expanded via 网联汽车
        pairs.setdefault(canon, canon)
        for v in variants:
            pairs[fold(v)] = canon
    ordered = tuple(sorted(pairs.items(), key=lambda kv: (-len(kv[0]), kv[0])))
    kinds = _families(matching, "instrument_families", where)
    wording = {
        *map(str, verbs),
        *(w for f in ("generic_terms", "programme_nouns", "programme_suffixes", "modifiers") for w in _word_list(matching, f, where)),
        *(noun for noun, _ in kinds),
    }
    return Vocabulary(
        leading=_word_list(matching, "leading", where),
        removable=removable,
        aliases=ordered,
        thresholds=tuple(thresholds),
        weak_strong=_word_list(matching, "weak_strong", where),
        target_units=_word_list(matching, "target_units", where),
        target_comparators=_word_list(matching, "target_comparators", where),
        time_patterns=_patterns(matching, "time_patterns", where),
        frame_patterns=_patterns(matching, "frame_patterns", where),
        generic_heads=_word_list(matching, "generic_heads", where),
        programme_suffixes=_word_list(matching, "programme_suffixes", where),
        programme_nouns=_word_list(matching, "programme_nouns", where),
        generic_terms=_word_list(matching, "generic_terms", where),
        instrument_kinds=kinds,
        goal_nouns=tuple(n for n, families in kinds if str(matching.get("goal_family") or "") in families),
        carried_family=str(matching.get("carried_out_family") or ""),
        carried_tails=_word_list(matching, "carried_out_tails", where),
        carried_stages=_stages_from(stages, matching.get("carried_out_from"), where),
        wording=tuple(sorted(wording, key=lambda w: (-len(w), w))),
        scope_patterns=_patterns(matching, "scope_patterns", where),
    )


def _untailed(text: str, v: Vocabulary) -> str:
    """``text`` without a trailing carried_out_tails word (X方案落地 → X方案)."""
    for tail in sorted(v.carried_tails, key=len, reverse=True):
        if text.endswith(tail) and len(text) > len(tail):
            return text[: -len(tail)]
    return text


def _stages_from(stages: Sequence[str], first: object, where: str) -> frozenset[str]:
    """The ladder stages from ``first`` on (carried_out_from); none when it is not set."""
    if first is None:
        return frozenset()
    if str(first) not in stages:
        raise DataError(f"{where}: carried_out_from: {first!r} is not a stage of data/stages.yaml ({', '.join(stages)})")
    return frozenset(stages[list(stages).index(str(first)) :])


def _families(table: Mapping[str, Any], field: str, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``{family: [nouns]}`` inverted to ``(noun, families)``, longest noun first."""
    raw = table.get(field) or {}
    if not isinstance(raw, Mapping):
        raise DataError(f"{where}: {field}: expected a mapping of family: [nouns]; fix the table")
    kinds: dict[str, set[str]] = {}
    for family in raw:
        for noun in _word_list(raw, family, f"{where}: {field}"):
            kinds.setdefault(noun, set()).add(str(family))
    return tuple((n, tuple(sorted(f))) for n, f in sorted(kinds.items(), key=lambda kv: (-len(kv[0]), kv[0])))


def _patterns(table: Mapping[str, Any], field: str, where: str) -> tuple[str, ...]:
    patterns = table.get(field) or []
    if not isinstance(patterns, list):
        raise DataError(f"{where}: {field}: expected a list of regular expressions")
    for p in patterns:
        try:
            re.compile(str(p))
        except re.error as exc:
            raise DataError(f"{where}: {field}: {p!r} is not a valid regular expression ({exc}); fix it") from exc
    return tuple(str(p) for p in patterns)


@functools.lru_cache(maxsize=8)
def _cached_vocabulary(extra_matching: tuple[str, ...], extra_aliases: tuple[str, ...], env: str) -> Vocabulary:
    from ..extraction.facets import ladder  # the stage vocabulary: one table, read by extraction and matching

    return vocabulary_from(
        load_table("matching.yaml", extra_matching), load_table("aliases.yaml", extra_aliases),
        verbs=ladder().action_verbs,
        stages=ladder().stages,
    )


def load_vocabulary(extra_matching: Iterable[str] = (), extra_aliases: Iterable[str] = ()) -> Vocabulary:
    """The shipped vocabulary merged with user files (and ``POLICY_TRACKER_DATA`` folders)."""
    import os

    from ..resources import ENV_VAR

    return _cached_vocabulary(tuple(map(str, extra_matching)), tuple(map(str, extra_aliases)), os.environ.get(ENV_VAR, ""))


def _compact(text: str) -> str:
    return _NON_WORD.sub("", text)


@attrs.frozen
class MatchKey:
    """What a mention is compared on (see the module docstring)."""

    core: str
    strong: tuple[str, ...] = ()
    bigrams: frozenset[str] = frozenset()
    items: tuple[str, ...] = ()
    head: str = ""
    topics: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()  # generic quoted names (“十四五”): no bonus, but a shared reference
    typed: bool = False  # names a programme or instrument type (试点, 工程, 指导意见 …)
    targets: tuple[tuple[str, float], ...] = ()  # (unit, value) of the mention's quantified targets
    # bigrams of the core without generic terms (技术研发, 应用, 政策): compared for short keys only
    substance: frozenset[str] = frozenset()
    # families of the instrument noun the key ends with (documents, pilots, lists …): see instrument_families
    kind: tuple[str, ...] = ()
    # core with its wording blanked to "_" (Vocabulary.content): the characters that name a subject
    content: str = ""
    # ends on a document noun (carried_out_family) and is at a carrying-out stage: 落实X方案 restates X
    carried_out: bool = False
    # the places the pledge is confined to (Vocabulary.scopes: 在长三角地区): a regional pledge is another pledge
    scope: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.core)


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of ``text`` (the single character when it is one long)."""
    if len(text) < 2:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def key_of_text(
    text: str,
    instruments: Sequence[str] = (),
    vocab: Vocabulary | None = None,
    topics: Sequence[str] = (),
    targets: Sequence[tuple[str, float]] = (),
    stage: str | None = None,
) -> MatchKey:
    """The matching key of one pledge text (plus instrument titles found by extraction)."""
    v = vocab or load_vocabulary()
    folded = normalise_numbers(v.expand_aliases(fold(text)))
    strong: set[str] = set()
    weak: set[str] = set()
    # a quoted period followed by 期间 (“十四五”期间) is a time frame, not a name
    quoted = [m.group(1) for m in _QUOTED.finditer(folded) if not v.in_time_frame(folded, m.start(), m.end())]
    for raw in [*quoted, *(normalise_numbers(v.expand_aliases(fold(i))) for i in instruments)]:
        name = _compact(v.expand_aliases(raw))
        if len(name) >= 2 and name not in v.weak_strong:
            strong.add(name)
        elif name in v.weak_strong:
            weak.add(name)
    compact = _compact(v.drop_quantities(_PAREN.sub("", folded)))
    core = v.strip(compact)
    if len(core) < 2:  # nothing but generic words: keep them rather than an empty key
        core = compact
    items, head = enumerated_items(v.drop_quantities(folded), v)
    # what names an instrument: 国际标准研究 researches standards, it is no standard
    researched = v.researched.sub("", compact) if "研究" in compact else compact
    instrumental = v.strip(researched) if researched != compact else core
    programmes = set()
    for m in _QUOTED.finditer(folded):
        name = _compact(v.expand_aliases(m.group(1)))
        if name in strong and any(folded.startswith(p, m.end()) for p in v.programme_suffixes):
            programmes.add(name)
    named = [p for p in v.programme_nouns if p in instrumental]
    return MatchKey(
        core=core,
        strong=tuple(sorted(strong)),
        bigrams=bigrams(core),
        items=items,
        head=head,
        topics=tuple(sorted(set(topics))),
        programmes=tuple(sorted(programmes)),
        weak=tuple(sorted(weak)),
        typed=bool(named),
        targets=tuple(sorted(set(targets))),
        substance=bigrams(v.substance(core)),
        kind=v.kind_of(instrumental),
        content=v.content(core),
        carried_out=bool(named) and stage in v.carried_stages and v.carried_family in v.kind_of(_untailed(instrumental, v)),
        scope=v.scopes(folded),
    )


def enumerated_items(text: str, vocab: Vocabulary) -> tuple[tuple[str, ...], str]:
    """The items of the enumerations in ``text`` (order ignored) and what the list is of.

    ``加快5G、人工智能、生物制造等战略性新兴产业`` gives items 5g, 人工智能,
    生物制造 and head 战略性新兴产业: the last item stops at 等, generic words are
    stripped from items and head.  The head is empty when the list has no 等.
    """
    items: set[str] = set()
    head = ""
    for run in _ENUMERATION.findall(_PAREN.sub("", text)):
        parts = run.split("、")
        last, _, tail = parts[-1].partition("等")
        parts[-1] = last
        if tail:
            head = vocab.strip(_compact(tail))
        for part in parts:
            item = vocab.strip(_compact(part))
            if len(item) >= 2:
                items.add(item)
    return tuple(sorted(items)), head


def mention_key(mention: Mention, vocab: Vocabulary | None = None) -> MatchKey:
    """The matching key of a mention (its normalised text, else its quote)."""
    targets = [(t.unit, t.value) for t in mention.targets]
    return key_of_text(mention.text or mention.quote, mention.instruments, vocab, mention.topics, targets, mention.stage)


# Signatures remembered per vocabulary (see remembered_signature); forgotten past this many.
_REMEMBER = 2_000_000

Ident = tuple[Any, ...]
# (core, strong names, list items) of one mention: what blocking needs of its key (matching.incremental's sidecar)
Signature = tuple[str, tuple[str, ...], tuple[str, ...]]


def _ident(m: Mention) -> Ident:
    """Everything :func:`mention_key` reads of a mention: equal idents give equal keys."""
    return (m.text or m.quote, m.instruments, m.topics, tuple((t.unit, t.value) for t in m.targets), m.stage)


def key_signature(key: MatchKey) -> Signature:
    """The blocking part of a matching key (core, instrument names, list items): what the keys sidecar keeps."""
    return (key.core, tuple(key.strong), tuple(key.items))


def mention_keys(mentions: Iterable[Mention], vocab: Vocabulary | None = None) -> list[MatchKey]:
    """``[mention_key(m) for m in mentions]``, each distinct key computed once and shared.

    Briefings repeat pledges verbatim (a lede and its body, outlets quoting one
    speaker, a pledge restated word for word a quarter later): mentions with the
    same text, instruments, topics and targets, or whose keys come out equal,
    get the same :class:`MatchKey` object, which also lets the matcher score two such keys once.  Their
    signatures are remembered for :func:`remembered_signature` (the keys
    sidecar written at the next save).
    """
    v = vocab or load_vocabulary()
    idents = []
    first: dict[Ident, Mention] = {}
    for m in mentions:
        ident = _ident(m)
        idents.append(ident)
        first.setdefault(ident, m)
    # mentions that differ in what the key leaves out (wording, stage) often give equal keys: one object
    # each, so that the matcher's caches by key object (pair scores, template conflicts) meet them once
    equal: dict[MatchKey, MatchKey] = {}
    computed = {ident: equal.setdefault(k, k) for ident, m in first.items() for k in (mention_key(m, v),)}
    memo = _remembered(v)
    if len(memo) + len(computed) > _REMEMBER:
        memo.clear()
    memo.update((ident, key_signature(k)) for ident, k in computed.items())
    return [computed[ident] for ident in idents]


def _remembered(v: Vocabulary) -> dict[Ident, Signature]:
    memo: dict[Ident, Signature] | None = v.__dict__.get("_signatures")
    if memo is None:
        memo = v.__dict__["_signatures"] = {}
    return memo


def remembered_signature(mention: Mention, vocab: Vocabulary) -> Signature:
    """``key_signature(mention_key(mention, vocab))``, taken from the keys :func:`mention_keys` computed when it did.

    A full ingest computes every key to match, and the save after it writes
    their signatures to the sidecar: without this they would be computed twice.
    """
    ident = _ident(mention)
    memo = _remembered(vocab)
    found = memo.get(ident)
    if found is None:  # kept too: a ledger repeats pledges word for word
        if len(memo) >= _REMEMBER:
            memo.clear()
        found = memo[ident] = key_signature(mention_key(mention, vocab))
    return found
