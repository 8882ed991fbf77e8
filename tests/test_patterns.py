"""compile_fast: the cue tables' patterns with a first-character lookahead find exactly what re finds (issue 15)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_tracker.extraction import clauses, facets, segment
from policy_tracker.extraction.normalize import _boilerplate
from policy_tracker.extraction.patterns import compile_fast, first_characters
from policy_tracker.extraction.segment import cues
from policy_tracker.resources import load_table

ROOT = Path(__file__).resolve().parent


_MODULE_PATTERNS = {
    "segment._SPACE_BREAK": segment._SPACE_BREAK,
    "clauses._YEAR": clauses._YEAR,
    "facets._TARGET": facets._TARGET,
    "facets._SHARE": facets._SHARE,
    "facets._WITHIN": facets._WITHIN,
}


def _shipped() -> list[tuple[str, str]]:
    cue_table = load_table("cues.yaml") or {}
    out = []
    for key, value in cue_table.items():
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value) and key != "programme_nouns":
            out.append((key, "|".join(f"(?:{p})" for p in value)))
    out.append(("verbs", facets.verb_pattern().pattern))
    for name, compiled in _MODULE_PATTERNS.items():
        lead = re.match(r"\(\?=\[(?:\\.|[^\]])*\]\)\(\?:", compiled.pattern)
        assert lead is not None, name
        out.append((name, compiled.pattern[lead.end() : -1]))  # the pattern as written in the module
    return out


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    ("source", "first"),
    [
        (r"(?:下一步)|(?:(?<![必])将(?![近]))", "(?=[下将])"),
        (r"(?:今年|年内|2\d{3}年)[，]?(?:我们)?要", r"(?=[今年2])"),
        (r"^[^，]{0,16}召开|会议$", "(?:^|(?=[会]))"),
        (r"a?b", "(?=[ab])"),
        (r"\d+个|十", r"(?=[\d十])"),
        (r"(?:x)?", None),  # may match the empty string
        (r".将", None),  # any character
        (r"[^，]将", None),  # a negated class
        (r"(?i:a)b", None),  # flags inside a group
    ],
)
def test_first_characters(source: str, first: str | None) -> None:
    """The lookahead names every character a match can begin with (or ^), and gives up where it cannot know."""
    assert first_characters(source) == first


def test_plain_prefixes_are_left_to_re() -> None:
    """A pattern re already skips ahead on (a literal prefix, a class of first literals, an anchor) is compiled as written."""
    for source in ["下一步", "下一步|后续|今后", "[一二三]是", "^一是"]:
        assert compile_fast(source).pattern == source
    assert compile_fast("(?<!必)将|下一步").pattern != "(?<!必)将|下一步"


def test_errors_are_re_errors() -> None:
    """An invalid pattern raises re.error as re.compile does (the cue loaders turn it into a DataError)."""
    with pytest.raises(re.error):
        compile_fast("(?:下一步")


@pytest.mark.parametrize(("name", "source"), _shipped())
def test_shipped_patterns_find_the_same_on_the_corpora(name: str, source: str) -> None:
    """Every shipped cue alternation finds the same matches, spans and groups with and without the lookahead on real articles."""
    plain, fast = re.compile(source), compile_fast(source)
    texts = [p.read_text(encoding="utf-8") for corpus in ("corpus", "corpus4", "corpus8") for p in sorted((ROOT / corpus).glob("*.txt"))]
    assert texts
    for text in texts:
        assert _spans(fast, text) == _spans(plain, text)
        assert fast.search(text, 7) is None if plain.search(text, 7) is None else fast.search(text, 7).span() == plain.search(text, 7).span()  # type: ignore[union-attr]


_COMPILED = [(re.compile(source), compile_fast(source)) for _, source in _shipped()]
_ALPHABET = "下一步将要已了年内今后续会议召开是的，。；：\n 12020年必须拟力争《》AB个三十百%以上 至"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60), st.integers(min_value=0, max_value=60))
def test_shipped_patterns_find_the_same_on_random_text(text: str, pos: int) -> None:
    """On random text of cue characters, finditer, search from a position and match agree for every shipped pattern."""
    for plain, fast in _COMPILED:
        assert _spans(fast, text) == _spans(plain, text)
        a, b = plain.search(text, pos), fast.search(text, pos)
        assert (a and a.span()) == (b and b.span())
        a, b = plain.match(text, pos), fast.match(text, pos)
        assert (a and a.span()) == (b and b.span())


def test_loaders_use_it() -> None:
    """The cue table, the boilerplate lines and the verb vocabulary are compiled with the lookahead where it applies."""
    for pattern in (cues().forward, _boilerplate(), facets.verb_pattern()):
        assert pattern.pattern.startswith(("(?=[", "(?:^|(?=["))
