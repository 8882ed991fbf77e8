"""Tests for policy_tracker.progress: count and rate on stderr, only on a terminal."""

from __future__ import annotations

import datetime as dt
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


def test_step_reports_count_time_and_rate() -> None:
    """A one-call stage (matching) prints its count first, then time and rate."""
    from policy_tracker.progress import step

    out = FakeTTY()
    ticks = iter([0.0, 2.0])
    with step("matching", 1000, "mentions", enabled=True, stream=out, clock=lambda: next(ticks)):
        assert out.getvalue() == "\rmatching 1,000 mentions…"
    assert out.getvalue().endswith(" in 2.0s (500/s)\n")


def test_step_silent_when_disabled() -> None:
    """Without enabled=True a step writes nothing."""
    from policy_tracker.progress import step

    out = FakeTTY()
    with step("matching", 10, enabled=False, stream=out):
        pass
    assert out.getvalue() == ""


def test_ingest_shows_progress_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    """Ledger.ingest(show_progress=True) reports extraction and matching on stderr; by default nothing."""
    from policy_tracker.ledger import Ledger
    from policy_tracker.sources.load import make_document

    doc = make_document("001_a", "我们将加快推进新能源汽车下乡活动。", None, {"held": dt.date(2024, 1, 2)})
    Ledger().ingest([doc])
    assert capsys.readouterr().err == ""
    Ledger().ingest([doc], show_progress=True)
    err = capsys.readouterr().err
    assert "extracting 1/1 documents" in err and "matching" in err


def test_step_without_a_count() -> None:
    """A step with nothing to count (loading a ledger) prints its label, then only the time."""
    from policy_tracker.progress import step

    out = FakeTTY()
    ticks = iter([0.0, 1.5])
    with step("loading ledger", None, enabled=True, stream=out, clock=lambda: next(ticks)):
        assert out.getvalue() == "\rloading ledger…"
    assert out.getvalue().endswith("… in 1.5s\n")


def test_fork_imap_counts_finished_work_in_order() -> None:
    """fork_imap yields every result in input order while the pool works, forked or not."""
    from policy_tracker.parallel import fork_imap

    it = fork_imap(lambda x: x * x, list(range(50)), 2, chunksize=3)
    assert next(it) == 0  # a result is there before the pool has finished everything
    assert list(it) == [x * x for x in range(1, 50)]
    assert list(fork_imap(lambda x: -x, [1, 2, 3], 1)) == [-1, -2, -3]


def test_ingest_paths_shows_load_match_and_save_steps(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI's ingest reports loading, extracting, matching and saving when progress is on, nothing when off."""
    from policy_tracker.ledger.ingest import ingest_paths

    doc = tmp_path / "001_a.txt"
    doc.write_text("2024-01-02\n我们将加快推进新能源汽车下乡活动。", encoding="utf-8")
    ingest_paths([doc], tmp_path / "ledger.yaml", show_progress=False)
    assert capsys.readouterr().err == ""
    ingest_paths([doc], tmp_path / "ledger2.yaml", show_progress=True)
    err = capsys.readouterr().err
    for label in ("loading ledger", "extracting 1/1 documents", "matching", "saving ledger"):
        assert label in err, label
