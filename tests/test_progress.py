"""Tests for policy_tracker.progress: count and rate on stderr, only on a terminal."""

from __future__ import annotations

import io
import itertools

import pytest

from policy_tracker.progress import format_line, progress, should_show


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "quiet", "expected"),
    [(FakeTTY(), False, True), (FakeTTY(), True, False), (io.StringIO(), False, False)],
)
def test_should_show(stream: io.StringIO, quiet: bool, expected: bool) -> None:
    """Progress is shown only on a terminal and never with --quiet."""
    assert should_show(stream, quiet=quiet) is expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("extracting", 1200, 2500, 2.0, "documents"), "extracting 1,200/2,500 documents (600/s)"),
        (("matching", 10, None, 0.0, ""), "matching 10"),
    ],
)
def test_format_line(args: tuple, expected: str) -> None:
    """The line gives count, total when known, unit and rate."""
    assert format_line(*args) == expected


def test_progress_passes_items_through_and_reports() -> None:
    """Items come through unchanged; the stream gets redraws and a final line with the time."""
    stream = io.StringIO()
    ticks = itertools.count(0.0, 1.0)
    items = list(progress(range(5), label="ingest", enabled=True, stream=stream, interval=0.5, clock=lambda: next(ticks)))
    assert items == [0, 1, 2, 3, 4]
    out = stream.getvalue()
    assert "\ringest 5/5" in out
    assert out.endswith("s\n")


@pytest.mark.parametrize("enabled", [False, None])
def test_progress_silent_when_disabled_or_not_a_tty(enabled: bool | None) -> None:
    """Nothing is written when disabled or when the stream is not a terminal."""
    stream = io.StringIO()
    assert list(progress(iter("abc"), label="x", enabled=enabled, stream=stream)) == ["a", "b", "c"]
    assert stream.getvalue() == ""
