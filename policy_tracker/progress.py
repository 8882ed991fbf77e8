"""Progress on stderr for long runs: a count and a rate, redrawn in place.

Shown only when asked for *and* stderr is a terminal, so logs, pipes, tests
and ``--quiet`` stay clean::

    for doc in progress(documents, total=len(documents), label="extracting"):
        ...

prints ``extracting 1,200/2,500 documents (410/s)`` on one line, redrawn at
most every ``interval`` seconds, and a final line with the total time.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


def should_show(stream: TextIO | None = None, *, quiet: bool = False) -> bool:
    """Whether progress belongs on ``stream`` (default stderr): not quiet, and a terminal."""
    if quiet:
        return False
    s = sys.stderr if stream is None else stream
    isatty = getattr(s, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # closed or detached stream
        return False


def format_line(label: str, done: int, total: int | None, elapsed: float, unit: str = "") -> str:
    """``label done/total unit (rate/s)``; the rate is omitted until time has passed."""
    count = f"{done:,}/{total:,}" if total is not None else f"{done:,}"
    rate = f" ({done / elapsed:,.0f}/s)" if elapsed > 0 else ""
    return f"{label} {count}{' ' + unit if unit else ''}{rate}".strip()


def progress(
    items: Iterable[T],
    total: int | None = None,
    label: str = "",
    enabled: bool | None = None,
    *,
    unit: str = "",
    stream: TextIO | None = None,
    interval: float = 0.2,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[T]:
    """Yield ``items`` unchanged, reporting count and rate on ``stream`` (default stderr).

    ``enabled=None`` decides with :func:`should_show`; ``True``/``False``
    force it (tests pass a ``StringIO`` and ``enabled=True``).
    """
    s = sys.stderr if stream is None else stream
    show = should_show(s) if enabled is None else enabled
    if not show:
        yield from items
        return
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    start = last = clock()
    done = 0
    width = 0

    def draw(final: bool = False) -> None:
        nonlocal width
        line = format_line(label, done, total, clock() - start, unit)
        if final:
            line += f" in {clock() - start:.1f}s"
        s.write("\r" + line.ljust(width) + ("\n" if final else ""))
        s.flush()
        width = len(line)

    try:
        for item in items:
            yield item
            done += 1
            now = clock()
            if now - last >= interval:
                last = now
                draw()
    finally:
        draw(final=True)


class step:
    """One long call shown as ``label count unit…`` then ``… in 3.2s (rate/s)``; silent unless ``enabled``.

    For a stage that is one call (matching), where :func:`progress` has no
    items to count::

        with step("matching", len(mentions), "mentions", enabled=show):
            clusters = cluster(mentions)
    """

    def __init__(
        self,
        label: str,
        count: int | None,
        unit: str = "",
        *,
        enabled: bool = False,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label, self.count, self.unit, self.enabled = label, count, unit, enabled
        self.stream = sys.stderr if stream is None else stream
        self.clock = clock

    def __enter__(self) -> step:
        self.start = self.clock()
        if self.enabled:
            counted = f" {self.count:,}{' ' + self.unit if self.unit else ''}" if self.count is not None else ""
            self.stream.write(f"\r{self.label}{counted}…")
            self.stream.flush()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.enabled:
            return
        elapsed = self.clock() - self.start
        rate = f" ({self.count / elapsed:,.0f}/s)" if elapsed > 0 and self.count is not None else ""
        self.stream.write(f" in {elapsed:.1f}s{rate}\n")
        self.stream.flush()
