"""Who is speaking: Q&A prefixes (``辛国斌：``, ``答:``) and reported speech (``X表示``).

Driven by ``data/speakers.yaml`` (people → role, titles) and the speech verbs
of ``data/stages.yaml``.  All functions take normalised text.
"""

from __future__ import annotations

import functools
import re

import attrs

from .attributes import ladder
from .errors import DataError
from .models import Document
from .normalize import fold_chars
from .resources import load_table

QUESTION_MARKERS = ("记者", "问", "主持人", "提问", "Q")
ANSWER_MARKERS = ("答", "A")
# Words that look like a name before 表示 but are not people.
_NOT_NAMES = frozenset({"负责人", "相关负责人", "有关负责人", "发言人", "新闻发言人", "专家", "业内人士", "分析人士", "记者", "工信部", "该部", "他", "她", "其"})


@attrs.frozen
class Speakers:
    """People (name → role) and speaker titles from ``data/speakers.yaml``."""

    people: tuple[tuple[str, str], ...]
    titles: tuple[str, ...]

    def role(self, name: str | None) -> str | None:
        for n, r in self.people:
            if n == name:
                return r
        return None

    def known(self, name: str) -> bool:
        return any(n == name for n, _ in self.people)


@functools.lru_cache(maxsize=1)
def speakers_table() -> Speakers:
    table = load_table("speakers.yaml") or {}
    people = table.get("people") or {}
    titles = table.get("titles") or []
    if not isinstance(people, dict):
        raise DataError("data/speakers.yaml: people: expected a mapping of name -> role")
    if not isinstance(titles, list):
        raise DataError("data/speakers.yaml: titles: expected a list of title words")
    return Speakers(
        people=tuple((str(k), str(v)) for k, v in people.items()),
        titles=tuple(sorted((str(t) for t in titles), key=len, reverse=True)),
    )


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    table = speakers_table()
    verbs = "|".join(sorted(map(re.escape, ladder().speech_verbs), key=len, reverse=True))
    names = "|".join(sorted((re.escape(n) for n, _ in table.people), key=len, reverse=True)) or "(?!)"
    titles = "|".join(map(re.escape, table.titles)) or "(?!)"
    # 陶青表示 / 赵志国今日在新闻发布会上表示 / 运行监测协调局局长陶青指出 / 相关负责人强调
    reported = re.compile(
        rf"(?:(?P<title>[^，。：；！？\n]{{0,40}}?(?:{titles}))?(?P<name>{names}|相关负责人|有关负责人)"
        rf"|(?P<title2>[^，。：；！？\n]{{0,40}}?(?:{titles}))(?P<name2>[\u4e00-\u9fff]{{2,3}}?))"
        rf"(?:今日|今天|日前|近日|当天|也|还|进一步|在[^，。：；\n]{{0,24}}?[上时中]){{0,2}}(?:{verbs})"
    )
    # 辛国斌： / 记者： / 中央广播电视总台央视记者： / 问: / 【答】 / 工业和信息化部电子信息司司长某某：
    prefix = re.compile(
        rf"^[【\[]?(?:(?P<lead>[^：:，。；！？\n]{{0,30}}?)(?P<name>{names}|记者|主持人|提问|问|答|Q|A)"
        rf"|(?P<title>[^：:，。；！？\n]{{0,30}}?(?:{titles}))(?P<uname>[\u4e00-\u9fff]{{2,3}}))(?:[】\]]\s*[：:]?|\s*[：:])"
    )
    interviewee = re.compile(rf"(?P<title>[^，。：；！？\n]{{0,40}}?(?:{titles}))?(?P<name>{names}|[\u4e00-\u9fff]{{2,3}})接受[^。\n]{{0,20}}(?:采访|专访)")
    return reported, prefix, interviewee


@functools.lru_cache(maxsize=1)
def _speech_verbs() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, ladder().speech_verbs), key=len, reverse=True)))


@attrs.frozen
class Turn:
    """A Q&A prefix at the start of a paragraph: who speaks and where the body starts."""

    speaker: str | None
    role: str | None
    is_question: bool
    body_start: int


def qa_prefix(paragraph: str, document: Document | None = None) -> Turn | None:
    """``记者：…`` (question), ``辛国斌：…`` / ``答：…`` (answer), or None."""
    _, prefix, _ = _patterns()
    m = prefix.match(paragraph)
    if not m:
        return None
    table = speakers_table()
    if m["uname"]:
        return Turn(m["uname"], m["title"].strip("，、 ") or None, False, m.end())
    name = m["name"]
    if name in QUESTION_MARKERS:
        return Turn(None, None, True, m.end())
    if name in ANSWER_MARKERS:
        who, role = interviewee(document) if document is not None else (None, None)
        return Turn(who, role, False, m.end())
    return Turn(name, table.role(name), False, m.end())


def reported_speaker(paragraph: str) -> tuple[str, str | None, int] | None:
    """The first ``X表示/指出/强调…`` frame in ``paragraph``: (name, role, position) or None."""
    reported, _, _ = _patterns()
    # Look only just before each speech verb: the full pattern is costly on long paragraphs.
    m = None
    for v in _speech_verbs().finditer(paragraph):
        lo = max(0, v.start() - 60)
        m = reported.search(paragraph[lo : v.end()])
        if m:
            offset = lo
            break
    if not m:
        return None
    name = m["name"] or m["name2"]
    title = m["title"] or m["title2"]
    table = speakers_table()
    role = table.role(name)
    if role is None and title:
        role = title.strip("，、 ")
    if name in _NOT_NAMES and not name.endswith("负责人"):
        return None
    return name, role, offset + m.start()


def interviewee(document: Document | None) -> tuple[str | None, str | None]:
    """The person an interview is with: ``X接受新华社记者采访``, else the document's only speaker."""
    if document is None:
        return None, None
    return _interviewee(document)


@functools.lru_cache(maxsize=64)
def _interviewee(document: Document) -> tuple[str | None, str | None]:
    table = speakers_table()
    _, _, pattern = _patterns()
    m = pattern.search(fold_chars(document.text[:3000]))
    if m and (table.known(m["name"]) or m["title"]):
        return m["name"], table.role(m["name"]) or (m["title"] or "").strip("，、 ") or None
    if len(document.speakers) == 1:
        return document.speakers[0], table.role(document.speakers[0])
    return None, None
