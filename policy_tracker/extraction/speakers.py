"""Who is speaking: Q&A prefixes (``辛国斌：``, ``答:``) and reported speech (``X表示``).

Driven by ``data/speakers.yaml`` (people → role, titles) and the speech verbs
of ``data/stages.yaml``.  All functions take normalised text.
"""

from __future__ import annotations

import functools
import re

import attrs

from .facets import ladder
from ..errors import DataError
from ..models import Document
from .normalize import fold_chars
from ..resources import load_table

QUESTION_MARKERS = ("记者", "问", "主持人", "提问", "Q")
ANSWER_MARKERS = ("答", "A")
# Words that look like a name before 表示 but are not people.
_NOT_NAMES = frozenset({"负责人", "相关负责人", "有关负责人", "发言人", "新闻发言人", "专家", "业内人士", "分析人士", "记者", "工信部", "该部", "他", "她", "其"})


@attrs.frozen
class Speakers:
    """People (name → role), speaker titles and the unknown-name rules of ``data/speakers.yaml``."""

    people: tuple[tuple[str, str], ...]
    titles: tuple[str, ...]
    surnames: str = ""
    name_verbs: tuple[str, ...] = ()
    name_lead_ins: tuple[str, ...] = ()
    not_names: frozenset[str] = frozenset()
    not_name_endings: str = ""

    def plausible_name(self, name: str) -> bool:
        """Could ``name`` (2–3 characters after a sentence start) be a person's name?"""
        return (
            2 <= len(name) <= 3
            and name[0] in self.surnames
            and name not in self.not_names
            and name[-1] not in self.not_name_endings
            and name not in _NOT_NAMES
        )

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
        surnames=str(table.get("surnames") or ""),
        name_verbs=tuple(sorted((str(v) for v in table.get("name_verbs") or []), key=len, reverse=True)),
        name_lead_ins=tuple(sorted((str(v) for v in table.get("name_lead_ins") or []), key=len, reverse=True)),
        not_names=frozenset(str(v) for v in table.get("not_names") or []),
        not_name_endings=str(table.get("not_name_endings") or ""),
    )


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
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
    # 辛国斌： / 记者： / 中央广播电视总台央视记者： / 问: / 【答】 / 工业和信息化部电子信息司司长某某： / 部长 某某：
    prefix = re.compile(
        rf"^[【\[]?(?:(?P<lead>[^：:，。；！？\n]{{0,30}}?)(?P<name>{names}|记者|主持人|提问|问|答|Q|A)"
        rf"|(?P<title>[^：:，。；！？\n]{{0,30}}?(?:{titles}))[ \u3000]?(?P<uname>[\u4e00-\u9fff]{{2,3}}))(?:[】\]]\s*[：:]?|\s*[：:])"
    )
    # Unknown names without a title: 许科敏表示 at a sentence start, 。”王江平说, 会上，单忠德指出.
    if table.surnames and table.name_verbs:
        leads = "|".join(map(re.escape, table.name_lead_ins)) or "(?!)"
        name_verbs = "|".join(map(re.escape, table.name_verbs))
        bare = re.compile(
            # after a sentence start, a lead-in (会上，) or a place-and-time frame (在昨天的发布会上，)
            rf"(?:(?<=[。；！？”\n])|^|(?<=[上时]，))(?:(?:{leads})[，、]?)?(?P<name>[{re.escape(table.surnames)}][\u4e00-\u9fff]{{1,2}}?)"
            rf"(?:今日|今天|日前|近日|当天|也|还|进一步|在[^，。：；\n]{{0,24}}?[上时中]){{0,2}}(?:{name_verbs})"
        )
    else:
        bare = re.compile(r"(?!)")
    interviewee = re.compile(rf"(?P<title>[^，。：；！？\n]{{0,40}}?(?:{titles}))?(?P<name>{names}|[\u4e00-\u9fff]{{2,3}})接受[^。\n]{{0,20}}(?:采访|专访)")
    return reported, prefix, interviewee, bare


@functools.lru_cache(maxsize=1)
def _speech_verbs() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, ladder().speech_verbs), key=len, reverse=True)))


_BARE_TURN = re.compile(r"^[【\[]?(?P<name>[\u4e00-\u9fff]{2,3})(?:[】\]]\s*[：:]?|\s*[：:])")


@attrs.frozen
class Turn:
    """A Q&A prefix at the start of a paragraph: who speaks and where the body starts."""

    speaker: str | None
    role: str | None
    is_question: bool
    body_start: int


def qa_prefix(paragraph: str, document: Document | None = None) -> Turn | None:
    """``记者：…`` (question), ``辛国斌：…`` / ``答：…`` (answer), or None."""
    _, prefix, _, _ = _patterns()
    m = prefix.match(paragraph)
    table = speakers_table()
    if not m:
        # 王鹏：… — an untitled, unknown name that looks like a person's
        bare = _BARE_TURN.match(paragraph)
        if bare and table.plausible_name(bare["name"]):
            return Turn(bare["name"], None, False, bare.end())
        return None
    if m["uname"]:
        return Turn(m["uname"], m["title"].strip("，、 ") or None, False, m.end())
    name = m["name"]
    if name in QUESTION_MARKERS:
        return Turn(None, None, True, m.end())
    if name in ANSWER_MARKERS:
        who, role = interviewee(document) if document is not None else (None, None)
        return Turn(who, role, False, m.end())
    return Turn(name, table.role(name), False, m.end())


_QUESTION_END = re.compile(r"[？?]\s*")


def answer_inside(paragraph: str, document: Document | None = None) -> int | None:
    """Where an answer turn starts inside a question paragraph (``记者：…下一步有何考虑？罗俊杰：…``), or None.

    Scraped pages often run the question and its answer into one paragraph: the
    answer is a speaker prefix right after a question mark.
    """
    for q in _QUESTION_END.finditer(paragraph):
        turn = qa_prefix(paragraph[q.end() :], document)
        if turn is not None and not turn.is_question:
            return q.end()
    return None


def reported_speaker(paragraph: str) -> tuple[str, str | None, int] | None:
    """The first ``X表示/指出/强调…`` frame in ``paragraph``: (name, role, position) or None."""
    reported, _, _, bare = _patterns()
    table = speakers_table()
    # Look only just before each speech verb: the full pattern is costly on long paragraphs.
    m = None
    for v in _speech_verbs().finditer(paragraph):
        lo = max(0, v.start() - 60)
        m = reported.search(paragraph[lo : v.end()])
        if m:
            offset = lo
            break
        b = bare.search(paragraph, max(0, v.start() - 12), v.end())
        if b and b.end() == v.end() and table.plausible_name(b["name"]):
            return b["name"], table.role(b["name"]), b.start("name")
    if not m:
        return None
    name = m["name"] or m["name2"]
    title = m["title"] or m["title2"]
    role = table.role(name)
    if role is None and title:
        role = title.strip("，、 ")
    if name in _NOT_NAMES and not name.endswith("负责人"):
        return None
    return name, role, offset + m.start()


@functools.lru_cache(maxsize=1)
def _title_before() -> re.Pattern[str]:
    titles = "|".join(map(re.escape, speakers_table().titles)) or "(?!)"
    return re.compile(rf"[^，。：；！？\n、“”（）()]{{0,20}}?(?:{titles})$")


_TITLE_STARTS = ("工业和信息化部", "工信部", "国务院", "国家", "中国")
_TITLE_LEAD_END = re.compile(r"^.*(?:的有|还有|是|由|邀请|请|来到)")


def _tidy_title(title: str) -> str:
    """The title proper of ``出席今天发布会的有工业和信息化部规划司司长``: from the organisation on."""
    starts = [title.rfind(p) for p in _TITLE_STARTS]
    start = max(starts)
    if start > 0:
        title = title[start:]
    elif start < 0:
        title = _TITLE_LEAD_END.sub("", title)
    return title.strip("，、 ")


def role_in(text: str, name: str) -> str | None:
    """The title written right before ``name`` somewhere in ``text`` (运行监测协调局局长许科敏), or None."""
    if not name:
        return None
    pattern = _title_before()
    i = text.find(name)
    for _ in range(20):  # a few occurrences are enough
        if i < 0:
            break
        m = pattern.search(text, max(0, i - 24), i)
        if m:
            return _tidy_title(m.group(0))
        i = text.find(name, i + len(name))
    return None


def interviewee(document: Document | None) -> tuple[str | None, str | None]:
    """The person an interview is with: ``X接受新华社记者采访``, else the document's only speaker."""
    if document is None:
        return None, None
    return _interviewee(document)


@functools.lru_cache(maxsize=64)
def _interviewee(document: Document) -> tuple[str | None, str | None]:
    table = speakers_table()
    _, _, pattern, _ = _patterns()
    m = pattern.search(fold_chars(document.text[:3000]))
    if m and (table.known(m["name"]) or m["title"]):
        return m["name"], table.role(m["name"]) or (m["title"] or "").strip("，、 ") or None
    if len(document.speakers) == 1:
        return document.speakers[0], table.role(document.speakers[0])
    return None, None
