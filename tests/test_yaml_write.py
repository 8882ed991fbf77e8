"""The ledger's YAML writer (policy_tracker.ledger.yaml_write) writes exactly the bytes PyYAML's dumper writes."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_tracker.ledger import Ledger, files, yaml_io, yaml_write
from policy_tracker.ledger.records import TrackedCommitment
from policy_tracker.models import Mention, Target

LIBYAML = [True, False] if yaml_io.HAVE_LIBYAML else [False]

# Pieces that each change how YAML must write a string: indicators, quotes, line breaks of every
# kind, controls, characters beyond the BMP, BOM, look-alikes of numbers/booleans/null/dates, long runs.
PIECES = [
    "'", '"', ":", ": ", " :", "#", " #", "# ", "-", "- ", "--", "---", "...", "?", "? ", "!", "&", "*", "|", ">",
    "%", "@", "`", ",", "[", "]", "{", "}", " ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", "\x85", "\u2028", "\u2029",
    "\ufeff", "\x00", "\x07", "\x7f", "\xa0", "\u3000", "中文", "推进", "：", "😀", "𠀀", "\ue000", "\ufffd", "\ufffe",
    "yes", "no", "No", "off", "null", "~", "true", "2023", "1.10", "0x1F", "0o17", "1_000", "2023-01-05",
    "2023-01-05 10:00:00", "=", "<<", ".inf", ".NaN", "+1", "-1", "1e3", "a", "1", "x" * 90, "word " * 20, "\\",
]  # fmt: skip
KEYS = ["id", "quote", "notes", "a", "b-c", "x_y"]


def _reference(data: Any, libyaml: bool) -> str:
    return yaml.dump(data, Dumper=yaml_io.dumper(libyaml), **yaml_write.DUMP_OPTIONS)  # type: ignore[no-any-return]


def _random_text(r: random.Random) -> str:
    return "".join(r.choice(PIECES) for _ in range(r.choice([0, 1, 1, 2, 3, 5, 8])))


def _random_value(r: random.Random, depth: int) -> Any:
    roll = r.random()
    if depth > 3 or roll < 0.6:
        return r.choice(
            [_random_text(r)] * 8
            + [None, True, False, r.randint(-(10**6), 10**6), r.uniform(-1e6, 1e6), 1e20, 3.0, -0.0, float("nan"), dt.date(2023, 1, 5)]
        )
    if roll < 0.8:
        return [_random_value(r, depth + 1) for _ in range(r.choice([0, 1, 2, 3]))]
    return {r.choice(KEYS): _random_value(r, depth + 1) for _ in range(r.choice([0, 1, 2, 3]))}


@pytest.mark.parametrize("libyaml", LIBYAML)
def test_random_awkward_documents_are_written_as_pyyaml_writes_them(libyaml: bool) -> None:
    """Seeded random documents of awkward strings, numbers and nesting: the writer's text equals yaml.dump's."""
    for seed in range(1500):
        r = random.Random(seed)
        if r.random() < 0.7:
            data: Any = {"schema": "x", "commitments": [_random_value(r, 1) for _ in range(r.randint(0, 4))], "z": _random_value(r, 1)}
        else:
            data = [_random_value(r, 1) for _ in range(r.randint(0, 3))]
        assert yaml_write.dump(data, yaml_io.dumper(libyaml), libyaml=libyaml) == _reference(data, libyaml), seed


awkward_text = st.one_of(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), st.text(max_size=30))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(awkward_text, awkward_text, awkward_text), min_size=1, max_size=4))
def test_ledger_shaped_data_with_any_text(rows: list[tuple[str, str, str]]) -> None:
    """Commitment-shaped mappings holding any text (notes, titles, tags): same bytes as yaml.dump, libyaml and pure Python."""
    data = {
        "schema": yaml_io.SCHEMA,
        "commitments": [
            {"id": "x-1", "title": title, "tags": [tag, title], "notes": notes, "mentions": [{"quote": notes, "speaker": tag, "targets": []}]}
            for title, tag, notes in rows
        ],
        "evidence": [],
    }
    for libyaml in LIBYAML:
        assert yaml_write.dump(data, yaml_io.dumper(libyaml), libyaml=libyaml) == _reference(data, libyaml)


@pytest.mark.parametrize(
    ("before", "after", "ends_open"),
    [
        ("x\ny\n\n", "plain", True),  # libyaml keeps '...' pending across later values
        ("x\ny\n\n", "a\nb", False),  # until its next block scalar
        ("x\ny\n\n", "it's\n", True),
        ("plain", "x\ny\n\n", True),
    ],
)
def test_document_end_marker_after_a_block_scalar_keeping_its_line_breaks(before: str, after: str, ends_open: bool) -> None:
    """A '|+' note makes the document end with '...' exactly when PyYAML writes it, for libyaml and pure Python."""
    data = {"commitments": [{"notes": before}, {"notes": after}], "evidence": []}
    for libyaml in LIBYAML:
        assert yaml_write.dump(data, yaml_io.dumper(libyaml), libyaml=libyaml) == _reference(data, libyaml)
    if yaml_io.HAVE_LIBYAML:
        assert _reference(data, True).endswith("...\n") is ends_open


@pytest.mark.parametrize("data", [{}, [], {"a": {1: "x"}}, {"a": [("t",)]}, {"a": {"k": {2, 3}}}, {"a b": 1}])
def test_what_the_writer_leaves_to_pyyaml_is_still_written_or_refused_as_pyyaml_does(data: Any) -> None:
    """Empty documents, odd keys, tuples and sets: the writer's result (or error) is PyYAML's."""
    try:
        expected: Any = _reference(data, True)
    except yaml.YAMLError as exc:
        expected = type(exc)
    try:
        got: Any = yaml_write.dump(data, yaml_io.dumper(True))
    except yaml.YAMLError as exc:
        got = type(exc)
    assert got == expected


def _awkward_ledger() -> Ledger:
    r = random.Random(7)
    commitments = []
    for i in range(40):
        quote = _random_text(r) or "推进工作"
        mention = Mention(
            source=f"doc{i}", start=0, end=len(quote), quote=quote, text="推进工作", date=dt.date(2023, 1, 1 + i % 28),
            speaker=r.choice(["no", "2023", None, "王 #1", "- x"]), targets=(Target(1.5 * i, "%", "1.5%"),),
        )  # fmt: skip
        commitments.append(
            TrackedCommitment(
                id=f"c-{i}", title=_random_text(r) or "t", mentions=[mention], notes=r.choice([None, _random_text(r), "a\nb\n\n"]),
                tags=tuple(t for t in (_random_text(r), _random_text(r)) if t),
            )  # fmt: skip
        )
    return Ledger(yaml_io.LedgerParts(commitments=tuple(commitments)))


def test_saved_ledger_is_byte_identical_to_pyyaml_and_streamed(tmp_path: Path) -> None:
    """A ledger of awkward titles, notes, tags and speakers: dumps and the streamed save give yaml.dump's bytes."""
    led = _awkward_ledger()
    parts = led._parts()
    expected = yaml_io.HEADER + _reference(yaml_io.to_data(parts), True) + yaml_io.FOOTER
    assert led.dumps() == expected
    assert b"".join(yaml_io.dump_chunks(parts)) == expected.encode()
    path = led.save(tmp_path / "ledger.yaml")
    assert path.read_bytes() == expected.encode()
    assert Ledger.load(path).dumps() == expected


def test_save_falls_back_to_the_whole_text_when_the_streamed_writer_gives_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the streamed writer meets data it leaves to PyYAML after writing some pieces, the file is still the whole ledger."""
    led = _awkward_ledger()
    expected = led.dumps().encode()

    def gives_up(parts: Any, *, libyaml: bool = True) -> Any:
        yield b"half a ledger\n"
        raise yaml_write.Unsupported("a set")

    monkeypatch.setattr(yaml_io, "dump_chunks", gives_up)
    path = led.save(tmp_path / "ledger.yaml")
    assert path.read_bytes() == expected
    assert led._loaded_digest == files.digest(expected)
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.yaml"]


def test_pieces_that_fail_midway_leave_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    """write_atomic of pieces: an error while making them keeps the old file and removes the temporary file."""
    path = tmp_path / "ledger.yaml"
    path.write_bytes(b"old\n")

    def pieces() -> Any:
        yield b"new"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        files.write_atomic(path, pieces())
    assert path.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.yaml"]
    assert files.write_atomic(path, iter([b"ne", b"w\n"])) == files.digest(b"new\n")
