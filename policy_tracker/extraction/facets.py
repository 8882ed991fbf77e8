"""Attributes of a pledge mention: stage, strength, targets, deadlines, instruments, topics.

Every function takes NORMALISED text (see :mod:`policy_tracker.extraction.normalize`)
and is driven by the tables in ``data/stages.yaml``, ``data/cues.yaml`` and
``data/topics.yaml``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import attrs

from ..errors import DataError
from ..models import Deadline, Target
from .patterns import compile_fast
from .numerals import APPROX_BEFORE, DIGITS, NUMBER, NUMERAL_CHARS, chinese_count, chinese_number, quantity
from ..resources import load_table

# ---------------------------------------------------------------- tables


@attrs.frozen(cache_hash=True)  # stage_of looks its index up by the ladder for every verb
class Ladder:
    """The action-stage ladder, strength order and verb vocabulary from ``data/stages.yaml``."""

    stages: tuple[str, ...]
    verb_stage: tuple[tuple[str, str], ...]  # (verb, stage), longest verbs first
    intensifiers: frozenset[str]
    continuation: tuple[str, ...]
    strengths: tuple[tuple[str, tuple[str, ...]], ...]  # strongest first
    action_verbs: tuple[str, ...]  # every verb (ladder + others + adverbs), longest first
    speech_verbs: tuple[str, ...]
    adverbs: frozenset[str] = frozenset()
    verb_patterns: tuple[str, ...] = ()  # verbs only in context (再建, 建100个): regular expressions, after the words

    def stage_of(self, verb: str) -> str | None:
        return _stage_index(self).get(verb)


def _strings(table: dict[str, Any], key: str, name: str) -> list[str]:
    value = table.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(f"data/{name}: {key}: expected a list of strings; got {value!r}")
    return value


@functools.lru_cache(maxsize=4)
def _stage_index(lad: Ladder) -> dict[str, str]:
    return dict(lad.verb_stage)


@functools.lru_cache(maxsize=1)
def ladder() -> Ladder:
    """The stage ladder loaded from ``data/stages.yaml`` (cached)."""
    table = load_table("stages.yaml") or {}
    rungs = table.get("ladder") or []
    if not isinstance(rungs, list) or not rungs:
        raise DataError("data/stages.yaml: ladder: expected a non-empty list of {stage, verbs}")
    stages: list[str] = []
    verb_stage: dict[str, str] = {}
    for i, rung in enumerate(rungs):
        if not isinstance(rung, dict) or "stage" not in rung:
            raise DataError(f"data/stages.yaml: ladder[{i}]: expected a mapping with 'stage' and 'verbs'")
        stages.append(str(rung["stage"]))
        for verb in rung.get("verbs") or []:
            verb_stage.setdefault(str(verb), str(rung["stage"]))
    strengths = []
    for i, entry in enumerate(table.get("strength") or []):
        if not isinstance(entry, dict) or "strength" not in entry:
            raise DataError(f"data/stages.yaml: strength[{i}]: expected a mapping with 'strength' and 'markers'")
        strengths.append((str(entry["strength"]), tuple(str(m) for m in entry.get("markers") or [])))
    others = _strings(table, "action_verbs", "stages.yaml")
    adverbs = _strings(table, "adverbs", "stages.yaml")
    patterns = _strings(table, "verb_patterns", "stages.yaml")
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise DataError(f"data/stages.yaml: verb_patterns: {p!r} is not a valid regular expression ({exc}); fix it") from exc
    continuation = _strings(table, "continuation_adverbs", "stages.yaml")
    all_verbs = sorted(set(verb_stage) | set(others) | set(adverbs) | set(continuation), key=lambda v: (-len(v), v))
    # 进一步深化 leads a chain like 持续 (top rung), but it ends in a ladder verb: it is a verb,
    # not an adverb (a clause whose only verb is 进一步深化 is an action).
    plain = set(adverbs)
    verbal = {c for c in continuation if c not in plain and any(c.endswith(v) and v not in plain for v in verb_stage)}
    return Ladder(
        stages=tuple(stages),
        verb_stage=tuple(sorted(verb_stage.items(), key=lambda kv: (-len(kv[0]), kv[0]))),
        intensifiers=frozenset(_strings(table, "intensifiers", "stages.yaml")),
        continuation=tuple(continuation),
        strengths=tuple(strengths),
        action_verbs=tuple(all_verbs),
        speech_verbs=tuple(_strings(table, "speech_verbs", "stages.yaml")),
        adverbs=frozenset(adverbs) | (frozenset(continuation) - verbal),
        verb_patterns=tuple(patterns),
    )


@functools.lru_cache(maxsize=1)
def verb_pattern() -> re.Pattern[str]:
    lad = ladder()
    # The words first: at one position a listed compound (建设) wins over a pattern (建).
    return compile_fast("|".join([*(re.escape(v) for v in lad.action_verbs), *(f"(?:{p})" for p in lad.verb_patterns)]))


def stage_rank(stage: str | None) -> int | None:
    """Position of ``stage`` on the ladder (0 = 研究 … 5 = 深化); ``None`` if unknown."""
    if stage is None:
        return None
    try:
        return ladder().stages.index(stage)
    except ValueError:
        return None


def strength_rank(strength: str | None) -> int | None:
    """Position of ``strength`` from the strongest (0 = 确保); ``None`` if unknown."""
    names = [s for s, _ in ladder().strengths]
    return names.index(strength) if strength in names else None


# ---------------------------------------------------------------- verbs, stage, strength

_DEFAULT_STAGE = "实施"
_CHAIN_GLUE = re.compile(r"[和并、好]")


def verb_chain(text: str) -> tuple[str, ...]:
    """The verbs of the first verb chain in ``text`` (``加快制定``, ``研究出台``, ``深入开展``)."""
    pattern = verb_pattern()
    m = pattern.search(text)
    if not m:
        return ()
    verbs = [m.group(0)]
    pos = m.end()
    while pos < len(text):
        nxt = pattern.match(text, pos)
        if nxt is None and pos < len(text) and _CHAIN_GLUE.match(text[pos]):
            nxt = pattern.match(text, pos + 1)
        if nxt is None or (nxt.group(0) in ladder().adverbs and any(v not in ladder().adverbs for v in verbs)):
            break  # an adverb after a real verb starts the object (建立健全常态化…)
        verbs.append(nxt.group(0))
        pos = nxt.end()
    return tuple(verbs)


def action_verbs(text: str) -> tuple[str, ...]:
    """Every known action verb in ``text`` in order of appearance, without repeats."""
    seen: list[str] = []
    for m in verb_pattern().finditer(text):
        if m.group(0) not in seen:
            seen.append(m.group(0))
    return tuple(seen)


def has_action_verb(text: str) -> bool:
    """Whether ``text`` contains a verb of the vocabulary that is not a mere adverb (持续, 不断 …)."""
    adverbs = ladder().adverbs
    return any(m.group(0) not in adverbs for m in verb_pattern().finditer(text))


def first_verb(text: str) -> re.Match[str] | None:
    """The first real verb (not an adverb) in ``text``."""
    adverbs = ladder().adverbs
    for m in verb_pattern().finditer(text):
        if m.group(0) not in adverbs:
            return m
    return None


@functools.lru_cache(maxsize=1)
def _instrument_nouns() -> tuple[str, ...]:
    return tuple(_strings(load_table("stages.yaml") or {}, "instrument_nouns", "stages.yaml"))


def stage_clause(text: str) -> str:
    """The part of a multi-clause mention that carries its action stage.

    A leading theme phrase ("加强政策引导，出台…指导意见") does not decide the
    stage when a later clause names a policy document and the first does not.
    """
    clauses = [c for c in re.split(r"[，；]", text) if c]
    if len(clauses) < 2:
        return text
    nouns = _instrument_nouns()
    if any(n in clauses[0] for n in nouns) or "《" in clauses[0]:
        return text
    for i, clause in enumerate(clauses[1:], 1):
        if "《" in clause or any(n in clause for n in nouns):
            return "，".join(clauses[i:])
    return text


def detect_stage(text: str, chain: tuple[str, ...] | None = None) -> str | None:
    """The ladder stage of a mention: its first non-intensifier ladder verb, 深化 after 持续/深入/继续.

    When the first verb chain holds no ladder verb (联合相关部门研究出台…), the
    next chains are looked at; a pledge with action verbs but no ladder verb
    at all (夯实…) is on the implementation rung.
    """
    lad = ladder()
    if chain is None:
        chain = verb_chain(text)
    if not chain:
        return None
    if chain[0] in lad.continuation:
        return lad.stages[-1]
    rest = text
    for _ in range(3):
        candidates = [(v, s) for v, s in ((v, lad.stage_of(v)) for v in chain) if s is not None]
        for v, s in candidates:
            if v not in lad.intensifiers:
                return s
        if candidates:
            return candidates[0][1]
        rest = rest[rest.find(chain[-1]) + len(chain[-1]) :]
        chain = verb_chain(rest)
        if not chain:
            break
    return _DEFAULT_STAGE if _DEFAULT_STAGE in lad.stages else None


_UNSET = "\0"


def detect_strength(text: str, stage: str | None = _UNSET) -> str | None:
    """The strongest commitment marker in ``text`` (确保 > 力争 > 推动 > 研究); ``None`` without any verb.

    ``stage`` may be passed when already known (it decides 研究 vs 推动).
    """
    lad = ladder()
    if stage == _UNSET:
        stage = detect_stage(text)
    for name, markers in lad.strengths:
        if name == "推动" and stage == lad.stages[0]:
            continue  # 研究出台 is research, not action
        if any(m in text for m in markers):
            return name
    if has_action_verb(text):
        return "推动" if stage != lad.stages[0] else "研究"
    return None


# ---------------------------------------------------------------- numbers

_COMPARATORS = "不少于|不低于|不超过|不高于|超过|高于|达到|达|突破|至少|约|近|力争"
_SUFFIXES = "以上|左右|以内|以下"
# magnitudes belong to the number (一万家, 1.5万辆, 8.1万亿元): values are in the unit after them
_UNITS = (
    "个百分点|元|千瓦|吉瓦时|吉瓦|吨|辆|台|套|户|人次|人|家|个|项|座|条|场|所|款|种|件|部|张|只|公里|平方米|倍|%"
)
# not preceded by a digit or numeral (the tail of 1,000 or 十三五) nor by 第 (第二十条 is an ordinal)
_NOT_INSIDE = rf"(?<![第\d.,{NUMERAL_CHARS}{APPROX_BEFORE}])"
_TARGET = compile_fast(
    rf"(?P<cmp>{_COMPARATORS})?{_NOT_INSIDE}(?P<num>{NUMBER})(?P<unit>{_UNITS})(?P<suffix>{_SUFFIXES})?"
)
# shares: 百分之十 (10%), 三成 (30%; not 三成员), 三分之一 (33.33%); all in %
_SHARE = compile_fast(
    rf"(?P<cmp>{_COMPARATORS})?{_NOT_INSIDE}(?:百分之(?P<pct>{NUMBER})|(?P<den>{NUMBER})分之(?P<nom>{NUMBER})"
    rf"|(?P<tenths>{NUMBER})成(?![员本果为立效功熟绩就型品套交长都分份]))(?P<suffix>{_SUFFIXES})?"
)
_TARGET_HINT = re.compile(rf"[\d{NUMERAL_CHARS}]")
_COUNTED_STOP = re.compile(r"[、，。；：（）“”《》\s]|等|的|和|及")
_INSTRUMENT_SPAN = re.compile(r"《[^《》\n]{1,80}》")
_YEAR_LIKE = re.compile(r"^(?:19|20)\d\d$")


@functools.lru_cache(maxsize=1)
def _target_stopwords() -> tuple[str, ...]:
    return tuple(_strings(load_table("cues.yaml") or {}, "target_stopwords", "cues.yaml"))


def _mask_instruments(text: str) -> str:
    """Blank out 《…》 titles (their years and numbers are not targets or deadlines)."""
    return _INSTRUMENT_SPAN.sub(lambda m: "《" + "＿" * (len(m.group(0)) - 2) + "》", text)


@functools.lru_cache(maxsize=1)
def _idiom_pattern() -> re.Pattern[str] | None:
    idioms = sorted(_strings(load_table("cues.yaml") or {}, "target_idioms", "cues.yaml"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, idioms))) if idioms else None


def _mask_idioms(text: str) -> str:
    """Blank out set phrases whose numerals count nothing (千家万户), keeping offsets."""
    pattern = _idiom_pattern()
    return pattern.sub(lambda m: "＿" * len(m.group(0)), text) if pattern is not None else text


def _counted(text: str) -> str | None:
    stop = _COUNTED_STOP.search(text)
    words = text[: stop.start()] if stop else text
    words = words[:12]
    verb = verb_pattern().search(words, 1)
    if verb:
        words = words[: verb.start()]
    return words or None


def _share(m: re.Match[str]) -> float | None:
    """The percentage a 百分之/成/分之 match states, ``None`` when it is not a plain share."""
    if m["pct"]:
        q = quantity(m["pct"])
        return q[0] if q else None
    if m["tenths"]:
        tenths = chinese_number(m["tenths"])
        # 一成 is skipped like 一家: 统一成…, 唯一成… are words, not shares
        return tenths * 10 if tenths is not None and 2 <= tenths <= 10 and tenths == int(tenths) else None
    den, nom = chinese_number(m["den"]), chinese_number(m["nom"])
    if not den or nom is None or nom > den:
        return None
    return round(100 * nom / den, 2)


def parse_targets(text: str) -> tuple[Target, ...]:
    """Quantitative targets: ``不少于3000家企业`` → 3000 家 (不少于, 企业).

    Chinese numerals too (十个, 百项, 一万家, 一亿三千万户); approximate numbers
    (数十家, 千余家, 十几个) keep their round value with the approximating word
    as comparator; shares (百分之十, 三成, 三分之一) are percentages (unit ``%``).
    Numeral reading is :mod:`policy_tracker.extraction.numerals`.
    """
    if not _TARGET_HINT.search(text):
        return ()
    masked = _mask_idioms(_mask_instruments(text))
    out: list[tuple[int, Target]] = []
    shares: list[tuple[int, int]] = []
    for m in _SHARE.finditer(masked):
        value = _share(m)
        if value is None:
            continue
        shares.append(m.span())
        comparator = m["cmp"] or m["suffix"]
        out.append((m.start(), Target(value=float(value), unit="%", raw=text[m.start() : m.end()], comparator=comparator)))
    for m in _TARGET.finditer(masked):
        if any(m.start() < b and m.end() > a for a, b in shares):
            continue
        num, unit = m["num"], m["unit"]
        q = quantity(num)
        if q is None:
            continue
        value, approx = q
        if num[0].isdigit():
            if _YEAR_LIKE.match(num) and unit in ("个", "项"):
                continue
            prev = masked[m.start() - 1 : m.start()]
            if prev.isascii() and prev.isalpha():
                continue  # R18, B2B …
        elif value < 2:
            continue  # 一个, 一家: an article, not a target
        rest = masked[m.end() :]
        if any(rest.startswith(w) for w in _target_stopwords()):
            continue
        comparator = m["cmp"] or m["suffix"] or approx
        counted = None if unit in ("%", "个百分点", "倍") else _counted(rest)
        out.append(
            (
                m.start(),
                Target(value=float(value), unit=unit, raw=text[m.start() : m.end()], comparator=comparator, counted=counted),
            )
        )
    out.sort(key=lambda x: x[0])
    return tuple(t for _, t in out)


# ---------------------------------------------------------------- deadlines

_FYP = re.compile(r"“?十([一二三四五六])五”?(?:规划)?(?:期间|时期|末|内)?")
_YEAR_RANGE = re.compile(r"(?P<a>20\d\d)\s*[—\-–~至到]+\s*(?P<b>20\d\d)\s*年")
_ZERO_CHARS = "".join(c for c, v in DIGITS.items() if v == 0)
_DIGIT_CHARS = "".join(DIGITS)
# a year: 2025 or 二〇二五 (二○二五, 二零二五)
_YEAR = rf"(?:20\d\d|二[{_ZERO_CHARS}][{_DIGIT_CHARS}]{{2}})"
_ABS = re.compile(
    rf"(?:到|至|在)?(?P<y>{_YEAR})\s*年\s*(?:"
    r"(?P<half>上|下)半年|(?:第)?(?P<q>[一二三四1-4])季度|(?P<m>\d{1,2})\s*月(?P<mend>底|末)?|(?P<yend>底|末|年底)|"
    r")(?P<about>前后|左右)?(?:前|以前|之前|内)?"
)
# within N years / months of the briefing: 三年内, 两年之内, 3个月内 (not 年内 alone: that is this year)
_WITHIN = compile_fast(
    rf"(?<![\d{NUMERAL_CHARS}])(?P<n>\d{{1,2}}|[{NUMERAL_CHARS}]{{1,3}})\s*(?P<u>年|个月)(?:之内|以内|内)"
)
# a span from the briefing on: 今明两年 (this year and next), 未来五年, 今后三年, 未来三个月
_SPAN = re.compile(
    rf"(?P<both>今明两年|明后两年)(?:内|间)?"
    rf"|(?:未来|今后)(?P<n>\d{{1,2}}|[{NUMERAL_CHARS}]{{1,3}})\s*(?P<u>年|个月)(?:内|间|里)?"
)
# the current or next quarter / month of the briefing
_CURRENT = re.compile(r"(?P<w>本季度|下一?季度|本月|下个?月|本年度)(?:底|末)?(?:前|内)?")
_REL = re.compile(
    r"(?P<yr>今年|本年|明年|后年|年内)?\s*(?:"
    r"(?P<half>上|下)半年|(?P<q>[一二三四])季度|(?P<yend>年底|年末|底)前?|(?P<m>\d{1,2})月(?P<mend>底|末)?(?:前)?"
    r")"
    r"|(?P<bare>今年|本年|年内|明年|后年)"
    r"|(?P<vague>近期|尽快|适时|早日|短期内|不久|下一步)"
)
_DEADLINE_HINT = re.compile(r"年|季度|月|近期|尽快|适时|早日|短期内|不久|十[一二三四五六]五")


def _period(year: int, half: str | None, q: str | None, month: str | None, yend: str | None) -> tuple[str, str]:
    if half:
        return f"{year}H{1 if half == '上' else 2}", "half"
    if q:
        return f"{year}Q{chinese_count(q)}", "quarter"
    if month:
        return f"{year}-{int(month):02d}", "month"
    if yend:
        return f"{year}-12", "month"
    return str(year), "year"


def _years(first: int, count: int) -> tuple[str, str]:
    """``count`` years starting with ``first`` (the briefing's year counts as the first)."""
    return (str(first), "year") if count == 1 else (f"{first}-{first + count - 1}", "range")


def _months_ahead(ref: dt.date, months: int) -> str:
    index = ref.year * 12 + ref.month - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


def _relative_span(m: re.Match[str], ref: dt.date | None) -> tuple[str | None, str] | None:
    """Period and precision of 三年内 / 今明两年 / 未来五年 / 3个月内 (period ``None`` without a date)."""
    if "both" in m.re.groupindex and m["both"]:
        first = 0 if m["both"].startswith("今") else 1
        return (None, "range") if ref is None else (f"{ref.year + first}-{ref.year + first + 1}", "range")
    n = chinese_count(m["n"]) if not m["n"][0].isdigit() else int(m["n"])
    if not n or n > 20:
        return None
    if m["u"] == "个月":
        return (None, "month") if ref is None else (_months_ahead(ref, n), "month")
    if ref is None:
        return None, "year" if n == 1 else "range"
    return _years(ref.year, n)


def _current(word: str, ref: dt.date | None) -> tuple[str | None, str]:
    """本季度 → the briefing's quarter, 下季度 the next; 本月 / 下个月; 本年度 → the year."""
    if word == "本年度":
        return (None if ref is None else str(ref.year)), "year"
    if "季度" in word:
        if ref is None:
            return None, "quarter"
        index = ref.year * 4 + (ref.month - 1) // 3 + (0 if word.startswith("本") else 1)
        return f"{index // 4}Q{index % 4 + 1}", "quarter"
    if ref is None:
        return None, "month"
    return _months_ahead(ref, 0 if word.startswith("本") else 1), "month"


def parse_deadlines(text: str, reference_date: dt.date | None) -> tuple[Deadline, ...]:
    """Deadlines resolved against the briefing date.

    今年 → ``2023`` (year); 下半年 → ``2023H2``; 四季度 → ``2023Q4``; 年底前 →
    ``2023-12`` (month); 2025年 / 二〇二五年前 → ``2025``; 2030年前后 →
    ``2030`` (its raw text keeps 前后: around, not before); 2023—2024年 →
    ``2023-2024`` (range); 十四五期间 → ``2021-2025`` (range); 三年内 / 未来三年
    → ``2023-2025`` (range: the briefing's year is the first); 今明两年 →
    ``2023-2024``; 本季度 → ``2023Q3``; 3个月内 → ``2023-10`` (month);
    近期/尽快 → vague (``None``).  Relative phrases get ``period=None`` when the
    reference date is unknown (raw text and precision are kept; no year is
    invented).  Years inside 《…》 titles are ignored.
    """
    if not _DEADLINE_HINT.search(text):
        return ()
    masked = _mask_instruments(text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Deadline]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def past(m: re.Match[str]) -> bool:
        return masked[m.end() : m.end() + 2].startswith(("以来", "来"))

    def add(m: re.Match[str], period: str | None, precision: str) -> None:
        taken.append(m.span())
        found.append((m.start(), Deadline(raw=text[m.start() : m.end()], period=period, precision=precision)))

    for m in _FYP.finditer(masked):
        start = 2001 + 5 * (chinese_count(m.group(1)) or 1)  # the (10+N)th plan 十N五; 十一五 began in 2006
        add(m, f"{start}-{start + 4}", "range")
    for m in _YEAR_RANGE.finditer(masked):
        if free(*m.span()):
            add(m, f"{m['a']}-{m['b']}", "range")
    for m in _ABS.finditer(masked):
        if not free(*m.span()) or past(m):
            continue
        year = int(m["y"]) if m["y"].isdigit() else chinese_count(m["y"])
        if year is None:
            continue
        add(m, *_period(year, m["half"], m["q"], m["m"], m["yend"] or m["mend"]))
    for pattern in (_SPAN, _WITHIN):
        for m in pattern.finditer(masked):
            if not free(*m.span()) or past(m):
                continue
            resolved = _relative_span(m, reference_date)
            if resolved is not None:
                add(m, *resolved)
    for m in _CURRENT.finditer(masked):
        if free(*m.span()) and not past(m):
            add(m, *_current(m["w"], reference_date))
    for m in _REL.finditer(masked):
        if not m.group(0) or not free(*m.span()) or past(m):
            continue
        if m["vague"]:
            if m["vague"] == "下一步":
                taken.append(m.span())
                continue
            add(m, None, "vague")
            continue
        word = m["yr"] or m["bare"] or ""
        offset = {"明年": 1, "后年": 2}.get(word, 0)
        if m["bare"]:
            precision = "year"
        else:
            _, precision = _period(0, m["half"], m["q"], m["m"], m["yend"] or m["mend"])
        if reference_date is None:
            add(m, None, precision)
            continue
        add(m, *_period(reference_date.year + offset, m["half"], m["q"], m["m"], m["yend"] or m["mend"]))
    found.sort(key=lambda x: x[0])
    return tuple(d for _, d in found)


# ---------------------------------------------------------------- instruments, topics

_DOC = re.compile(r"《[^《》\n]{1,80}》")
_PROGRAMME = re.compile(r"“([^“”\n]{1,24})”((?:专项)?(?:行动|工程|计划|活动|服务|试点|示范|平台|体系|机制|品牌|规划|政策|全国行)?)")


def parse_instruments(text: str) -> tuple[str, ...]:
    """Named instruments: 《…》 documents and “…” programmes (with their noun: “信号升格”专项行动)."""
    out: list[str] = []
    for m in _DOC.finditer(text):
        if m.group(0) not in out:
            out.append(m.group(0))
    for m in _PROGRAMME.finditer(text):
        name = m.group(0)
        if name not in out:
            out.append(name)
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _topic_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    table = (load_table("topics.yaml") or {}).get("topics") or {}
    if not isinstance(table, dict):
        raise DataError("data/topics.yaml: topics: expected a mapping of tag -> list of patterns")
    out = []
    for tag, patterns in table.items():
        if not isinstance(patterns, list):
            raise DataError(f"data/topics.yaml: topics.{tag}: expected a list of patterns; got {patterns!r}")
        try:
            out.append((str(tag), re.compile("|".join(f"(?:{p})" for p in map(str, patterns)))))
        except re.error as exc:
            raise DataError(f"data/topics.yaml: topics.{tag}: invalid regular expression ({exc})") from exc
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _topic_index() -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """For each first character, the tags whose patterns can start with it; and the tags to always try."""
    table = (load_table("topics.yaml") or {}).get("topics") or {}
    by_char: dict[str, set[int]] = {}
    always: list[int] = []
    for i, (tag, _) in enumerate(_topic_patterns()):
        firsts: set[str] = set()
        for p in map(str, table.get(tag) or []):
            if p and (p[0].isalnum() or "\u4e00" <= p[0] <= "\u9fff") and p[1:2] not in ("?", "*", "{", "|"):
                firsts.add(p[0])
            else:
                always.append(i)  # starts with regex syntax: cannot be gated by its first character
                break
        else:
            for ch in firsts:
                by_char.setdefault(ch, set()).add(i)
    return {ch: tuple(sorted(v)) for ch, v in by_char.items()}, tuple(always)


@functools.lru_cache(maxsize=8192)
def topics(text: str) -> tuple[str, ...]:
    """Topic tags of ``text`` from ``data/topics.yaml``, sorted (cached: restated pledges repeat)."""
    by_char, always = _topic_index()
    candidates = set(always)
    for ch in set(text):
        hit = by_char.get(ch)
        if hit:
            candidates.update(hit)
    patterns = _topic_patterns()
    return tuple(sorted(patterns[i][0] for i in candidates if patterns[i][1].search(text)))
