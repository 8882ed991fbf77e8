"""Ledger YAML: deterministic dumping, safe values, and one-line errors naming file, line and field."""

from __future__ import annotations

import datetime as dt

import pytest

from policy_tracker.ledger import yaml_io as serialize
from policy_tracker.errors import LedgerError
from policy_tracker.ledger import Ledger
from policy_tracker.models import Deadline, Mention, Target
from policy_tracker.ledger.records import TrackedCommitment

from .ledger_fixtures import KW, documents


@pytest.fixture(scope="module")
def text() -> str:
    led = Ledger()
    led.ingest(documents(), **KW)
    return led.dumps()


def _mention(**kw) -> Mention:
    base = dict(source="d", start=0, end=4, quote="推进工作", text="推进工作", date=dt.date(2023, 1, 2), speaker="no")
    return Mention(**{**base, **kw})


def test_libyaml_and_pure_python_agree(text: str) -> None:
    """The C and pure-Python dumpers and loaders give the same bytes and the same ledger."""
    if not serialize.HAVE_LIBYAML:
        pytest.skip("PyYAML built without libyaml")
    pure = Ledger.loads(text, libyaml=False)
    assert pure.dumps(libyaml=False) == text == pure.dumps(libyaml=True)
    pure.set("factory-2023-01", notes="第一行\n第二行：'引号' #号\n\n第四行")
    noted = pure.dumps(libyaml=True)
    assert "  notes: |" in noted and noted == pure.dumps(libyaml=False)
    assert Ledger.loads(noted)["factory-2023-01"].notes == "第一行\n第二行：'引号' #号\n\n第四行"


def test_no_aliases_and_readable_chinese(text: str) -> None:
    """Shared objects are written out in full (no &anchors), Chinese unescaped."""
    shared = (Target(3.0, "家", "3家"),)
    c = TrackedCommitment(id="x-2023-01", title="t", mentions=[_mention(targets=shared), _mention(start=5, end=9, targets=shared)])
    out = serialize.dumps(serialize.LedgerParts(commitments=(c,)))
    assert "&id" not in out and "*id" not in out
    assert "推进工作" in out and "\\u" not in out


@pytest.mark.parametrize(
    ("field", "value"),
    [("speaker", "no"), ("speaker", "null"), ("speaker", "2023"), ("speaker", "1.10"), ("section", "2023-01-02"), ("role", "yes")],
)
def test_values_yaml_would_coerce_stay_text(field: str, value: str) -> None:
    """Strings that look like booleans, numbers, dates or null round-trip as strings."""
    c = TrackedCommitment(id="x-2023-01", title="t", mentions=[_mention(**{field: value})])
    back = serialize.loads(serialize.dumps(serialize.LedgerParts(commitments=(c,))))
    assert getattr(back.commitments[0].mentions[0], field) == value


def test_nested_attributes_round_trip() -> None:
    """Targets, deadlines and tuples survive dump → load unchanged."""
    m = _mention(targets=(Target(3000.0, "家", "不少于3000家", "不少于", "企业"), Target(2.5, "%", "2.5%")), deadlines=(Deadline("年底前", "2023", "year"),), verbs=("推进",), topics=("b", "a"))
    c = TrackedCommitment(id="x-2023-01", title="t", mentions=[m])
    back = serialize.loads(serialize.dumps(serialize.LedgerParts(commitments=(c,))))
    assert back.commitments[0].mentions[0] == m


def _break(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


MALFORMED = [
    ("bad yaml", lambda t: _break(t, "commitments:\n- id: factory", "commitments:\n- id: [factory"), r"invalid YAML"),
    ("tab indentation", lambda t: t + "\tbroken: here\n", r"invalid YAML"),
    ("unknown schema", lambda t: _break(t, "schema: policy-tracker/ledger/1", "schema: policy-tracker/ledger/9"), r"schema: unknown schema version 'policy-tracker/ledger/9'"),
    ("missing schema", lambda t: _break(t, "schema: policy-tracker/ledger/1\n", ""), r"missing 'schema"),
    ("start not int", lambda t: _break(t, "start: 5", "start: eight"), r"commitments\[0\]\.mentions\[0\]\.start: expected an integer; got 'eight'"),
    ("mentions not list", lambda t: _break(t, "  mentions:\n  - source: b1_spring\n    start: 5", "  mentions: 3\n  x:\n  - source: b1_spring\n    start: 5"), r"commitments\[0\]\.(mentions: expected a list|x: unknown field)"),
    ("quote edited", lambda t: _break(t, "quote: 推进甲类工厂建设", "quote: 推进甲类工厂建设项目"), r"commitments\[0\]\.mentions\[0\]\.quote: quote has 10 characters but end - start = 8"),
    ("quote empty", lambda t: _break(t, "quote: 推进甲类工厂建设", "quote: ''"), r"quote is empty"),
    ("end before start", lambda t: _break(t, "end: 13", "end: 4"), r"mentions\[0\]\.end: expected (end )?>=? start \(5\); got 4"),
    ("bad date", lambda t: _break(t, "date: '2023-03-01'", "date: '2023-13-01'"), r"\.date: expected a date YYYY-MM-DD"),
    ("unknown field", lambda t: _break(t, "  title: 推进甲类工厂建设", "  titel: 推进甲类工厂建设"), r"commitments\[0\]\.titel: unknown field"),
    ("duplicate id", lambda t: _break(t, "- id: standards-2023-01", "- id: factory-2023-01"), r"commitments\[1\]\.id: id 'factory-2023-01' is already used"),
    ("bad curated", lambda t: _break(t, "  title: 推进甲类工厂建设\n", "  title: 推进甲类工厂建设\n  curated: [colour]\n"), r"curated\[0\]: expected one of title"),
    ("bad decision", lambda t: _break(t, "decisions: []", "decisions:\n- action: delete"), r"decisions\[0\]\.action: expected one of merge"),
    ("decision without ids", lambda t: _break(t, "decisions: []", "decisions:\n- action: merge\n  into: factory-2023-01"), r"decisions\[0\]: a merge decision needs 'ids'"),
    ("bad mention id", lambda t: _break(t, "decisions: []", "decisions:\n- action: reject\n  mentions: [b1_spring-5-13]"), r"decisions\[0\]\.mentions\[0\]: expected a mention id SOURCE@START-END"),
    ("evidence id edited", lambda t: _break(t, "- id: b2_summer@18-27", "- id: b2_summer@18-28"), r"evidence\[0\]\.id: expected b2_summer@18-27"),
    ("top level list", lambda t: "- 1\n- 2\n", r"expected a mapping with 'schema"),
    ("duplicate key", lambda t: _break(t, "  title: 推进甲类工厂建设\n", "  title: 推进甲类工厂建设\n  title: 别的标题\n"), r"duplicate key 'title'"),
    ("NUL character", lambda t: _break(t, "  title: 推进甲类工厂建设\n", "  title: 推进甲类\x00工厂建设\n"), r"unacceptable character #x0000"),
    ("conflict markers", lambda t: _break(t, "  title: 推进甲类工厂建设\n", "<<<<<<< HEAD\n  title: 推进甲类工厂建设\n=======\n  title: 别的\n>>>>>>> theirs\n"), r"unresolved git merge conflict"),
    ("no mentions", lambda t: __import__("re").sub(r"(- id: factory-2023-01\n(?:.*\n)*?)  mentions:\n(?:  [- ].*\n)*", r"\1  mentions: []\n", t, count=1), r"commitments\[0\]\.mentions: commitment factory-2023-01 has no mention"),
    ("briefing deleted", lambda t: _break(t, "- id: 2023-06-01-press-conference\n  held: '2023-06-01'\n  kind: press_conference\n  documents:\n  - b2_summer\n", ""), r"mentions\[1\]\.briefing: briefing '2023-06-01-press-conference' is not among the ledger's briefings"),
    ("document deleted", lambda t: _break(t, "- id: b2_summer\n  briefing: 2023-06-01-press-conference\n", "- id: b2_summerx\n  briefing: 2023-06-01-press-conference\n"), r"mentions\[1\]\.source: document 'b2_summer' is not among the ledger's documents"),
]


@pytest.mark.parametrize(("case", "edit", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_ledger_gives_one_line_error_with_file_and_line(text: str, case: str, edit, message: str) -> None:
    """Every malformed ledger raises LedgerError 'FILE:LINE: field: problem' on one line."""
    broken = edit(text)
    with pytest.raises(LedgerError) as info:
        Ledger.loads(broken, "ledger.yaml")
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith("ledger.yaml:"), msg
    line = int(msg.split(":")[1])
    assert 1 <= line <= broken.count("\n") + 1
    assert __import__("re").search(message, msg), msg


def test_error_line_points_at_the_field(text: str) -> None:
    """The reported line is the line of the offending field."""
    broken = _break(text, "start: 5", "start: eight")
    with pytest.raises(LedgerError) as info:
        Ledger.loads(broken, "L.yaml")
    line = int(str(info.value).split(":")[1])
    assert broken.splitlines()[line - 1].strip() == "start: eight"


def test_empty_file_is_a_clear_error() -> None:
    """An empty ledger file says so."""
    with pytest.raises(LedgerError, match=r"^L.yaml:1: the ledger is empty"):
        Ledger.loads("", "L.yaml")


def test_hand_typed_unquoted_date_and_number_are_accepted(text: str) -> None:
    """A date typed without quotes or a numeric period are read as intended."""
    edited = _break(text, "date: '2023-03-01'", "date: 2023-03-01")
    led = Ledger.loads(edited)
    assert led.commitments[0].mentions[0].date == dt.date(2023, 3, 1)


# ---------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TRICKY = st.sampled_from(["no", "yes", "null", "~", "2023", "1.10", "0x1F", "2023-04-20", "- a", "a: b", "#x", "'q'", '"q"', "&a", "*a", "!t", "%", "@", "`", "|", ">", "", " lead", "trail ", "多\n行", "tab\there", "\u3000全角空格", "emoji😀", "\x85", "\u2028"])
_TEXT = st.one_of(_TRICKY, st.text(min_size=1, max_size=30))


@st.composite
def _mentions(draw):
    quote = draw(st.text(min_size=1, max_size=40))
    start = draw(st.integers(min_value=0, max_value=10_000))
    return Mention(
        source=draw(st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True)),
        start=start,
        end=start + len(quote),
        quote=quote,
        text=draw(st.one_of(st.just(quote), _TEXT.filter(bool))),  # an empty text is filled with the quote on load
        date=draw(st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)))),
        speaker=draw(st.one_of(st.none(), _TEXT)),
        section=draw(st.one_of(st.none(), _TEXT)),
        verbs=draw(st.lists(_TEXT, max_size=3)),
        targets=draw(st.lists(st.builds(Target, st.floats(allow_nan=False, allow_infinity=False, width=32), _TEXT, _TEXT, st.one_of(st.none(), _TEXT)), max_size=2)),
        deadlines=draw(st.lists(st.builds(Deadline, _TEXT, st.one_of(st.none(), _TEXT), st.sampled_from(["year", "half", "vague"])), max_size=2)),
        topics=draw(st.lists(_TEXT, max_size=3)),
    )


@settings(max_examples=40, deadline=None)
@given(mentions=st.lists(_mentions(), min_size=1, max_size=4, unique_by=lambda m: m.id), title=_TEXT, notes=st.one_of(st.none(), _TEXT))
def test_round_trip_property(mentions, title: str, notes) -> None:
    """Any mentions and analyst text survive dump → load unchanged, and dumping again is identical."""
    c = TrackedCommitment(id="x-2023-01", title=title, notes=notes, mentions=mentions)
    parts = serialize.LedgerParts(commitments=(c,))
    text = serialize.dumps(parts)
    back = serialize.loads(text)
    got = back.commitments[0]
    assert got.mentions == c.mentions and got.title == title and got.notes == notes
    assert serialize.dumps(back) == text
    if serialize.HAVE_LIBYAML:
        assert serialize.dumps(back, libyaml=False) == text
        assert serialize.loads(text, libyaml=False) == back


def test_alias_bomb_in_a_text_field_is_refused_fast_without_expanding(text: str) -> None:
    """A billion-laughs alias bomb in `notes` is refused at once, naming file and line; the value is never expanded."""
    import time

    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    first = next(line for line in text.split("\ncommitments:\n", 1)[1].splitlines() if line.startswith("- id: "))
    bombed = text.replace(first + "\n", first + "\n  notes: {" + ", ".join(levels) + "}\n", 1)
    start = time.monotonic()
    with pytest.raises(LedgerError, match=r"^bomb\.yaml:\d+: .*aliases .* are not allowed") as info:
        serialize.loads(bombed, "bomb.yaml")
    assert time.monotonic() - start < 5
    assert len(str(info.value)) < 400


def test_an_asterisk_in_chinese_text_is_not_mistaken_for_an_alias(text: str) -> None:
    """Quotes and notes may contain * and & as plain characters; only real YAML aliases are refused."""
    first = next(line for line in text.split("\ncommitments:\n", 1)[1].splitlines() if line.startswith("- id: "))
    edited = text.replace(first + "\n", first + "\n  notes: 研发&试点 *重点* 方案\n", 1)
    serialize.loads(edited, "ok.yaml")


@pytest.mark.parametrize(
    ("edit", "bad_line"),
    [
        (lambda t: _break(t, "  title: 推进甲类工厂建设\n", "  title: 推进甲类工厂建设\n  title: 别的标题\n"), "  title: 别的标题"),
        (lambda t: _break(t, "  title: 推进甲类工厂建设\n", "  title: 推进甲类\x00工厂建设\n"), "  title: 推进甲类\x00工厂建设"),
        (lambda t: _break(t, "  title: 推进甲类工厂建设\n", "<<<<<<< HEAD\n  title: 推进甲类工厂建设\n"), "<<<<<<< HEAD"),
    ],
    ids=["duplicate key", "NUL", "conflict marker"],
)
@pytest.mark.parametrize("libyaml", [True, False])
def test_hand_edit_errors_point_at_their_line(text: str, edit, bad_line: str, libyaml: bool) -> None:
    """A repeated key, a NUL character and a git conflict marker are reported at their own line, by both loaders."""
    broken = edit(text)
    with pytest.raises(LedgerError) as info:
        Ledger.loads(broken, "L.yaml", libyaml=libyaml)
    line = int(str(info.value).split(":")[1])
    assert broken.splitlines()[line - 1] == bad_line
