"""Check that the console examples in Markdown files print what they show.

    .venv/bin/python scripts/check_docs.py docs/usage.md docs/ledger.md README.md

For each file, every ```console block is read as a transcript: a line starting
with ``$ `` is a command, the lines after it (up to the next ``$ `` line or the
end of the block) are its documented output.  The commands of one file run in
order in one fresh temporary folder holding a copy of ``seeds/``, so a later
example sees the ledger the earlier ones wrote.  ``policy-tracker`` is the
entry point next to the Python running this script (else the repository's
``.venv``, else ``python -m policy_tracker``); a command with pipes or
redirections, or one that is not ``policy-tracker`` (``head -2 grid.csv``),
runs through ``/bin/sh``.  stdout and stderr are read together, in the order
they were written, as a terminal shows them.

Matching, per command:

- the documented lines must be the printed lines, in order, from the first
  to the last (trailing whitespace and trailing blank lines ignored);
- a documented line that is only ``…`` or ``...`` stands for any number of
  printed lines (zero or more), which is how the docs cut long outputs;
- curation commands stamp records with today's date, so an ISO date in a
  documented line also matches the date of the day the check runs.

Every mismatch is reported (file, line, command, the first documented line
that does not match and what was printed instead); exit status 1 when there
is one, 0 when every example matches, 2 when a file is missing or a console
block has output before its first command.  Nothing touches the network, and
the temporary folders are removed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
WILDCARDS = frozenset({"…", "..."})
FENCE = "```"
TIMEOUT_S = 300
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SHELL_PUNCTUATION = frozenset("();<>|&")


@dataclass(frozen=True)
class Example:
    """One ``$ command`` of a console block and the output documented under it."""

    path: Path
    line: int  # 1-based line of the ``$ `` line in the Markdown file
    command: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Run:
    """What a command printed (stdout and stderr interleaved) and its exit status."""

    output: tuple[str, ...]
    returncode: int
    today: frozenset[str]


@dataclass(frozen=True)
class Mismatch:
    """Why an example's printed output does not match its documented output."""

    example: Example
    run: Run
    expected_index: int | None  # index into example.expected of the first unmatched line, None: extra output
    printed: str  # what was printed instead, for the report


# --- reading the Markdown -------------------------------------------------------------------------


def console_blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (1-based line of the first body line, body lines) of every ```console block."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == FENCE + "console":
            start = i + 1
            end = start
            while end < len(lines) and lines[end].strip() != FENCE:
                end += 1
            yield start + 1, lines[start:end]
            i = end
        i += 1


def parse_examples(path: Path, text: str) -> list[Example]:
    """The commands of every console block in ``text``, in document order, with their documented output."""
    examples: list[Example] = []
    for first_line, body in console_blocks(text):
        command: str | None = None
        command_line = 0
        expected: list[str] = []
        for offset, line in enumerate(body):
            if line.startswith("$ "):
                if command is not None:
                    examples.append(Example(path, command_line, command, tuple(expected)))
                command, command_line, expected = line[2:].strip(), first_line + offset, []
            elif command is None:
                if line.strip():
                    msg = f"{path}:{first_line + offset}: console block output before any '$ ' command: {line!r}"
                    raise ValueError(msg)
            else:
                expected.append(line)
        if command is not None:
            examples.append(Example(path, command_line, command, tuple(expected)))
    return examples


# --- running the commands -------------------------------------------------------------------------


def policy_tracker_argv() -> list[str]:
    """How to start the CLI: the entry point beside this Python, else the repository's venv, else ``-m``."""
    for candidate in (Path(sys.executable).parent / "policy-tracker", ROOT / ".venv" / "bin" / "policy-tracker"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    return [sys.executable, "-m", "policy_tracker"]


def command_env(entry: Sequence[str]) -> dict[str, str]:
    """The environment of every command: unbuffered UTF-8 Python, no user data or cache folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_TRACKER_")}
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr reach the pipe in the order they were written
    env["PYTHONIOENCODING"] = "utf-8"
    env["PATH"] = os.pathsep.join([str(Path(entry[0]).parent), env.get("PATH", "")])
    return env


def needs_shell(command: str) -> bool:
    """Whether ``command`` is anything but a plain ``policy-tracker`` call (pipes, redirections, other programs)."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    if not tokens or tokens[0] != "policy-tracker":
        return True
    return any(token and set(token) <= SHELL_PUNCTUATION for token in tokens)


def today_dates() -> frozenset[str]:
    """Today's date as ISO text (a set: local and UTC can differ around midnight)."""
    return frozenset({dt.date.today().isoformat(), dt.datetime.now(dt.UTC).date().isoformat()})


def run_command(command: str, cwd: Path, entry: Sequence[str], env: dict[str, str]) -> Run:
    """Run one documented command in ``cwd`` and collect what it printed."""
    if needs_shell(command):
        args: str | list[str] = command
    else:
        args = [*entry, *shlex.split(command, comments=True)[1:]]
    before = today_dates()
    try:
        proc = subprocess.run(
            args,
            shell=isinstance(args, str),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Run((f"<timed out after {TIMEOUT_S} s>",), -1, before)
    text = proc.stdout.decode("utf-8", errors="replace")
    return Run(tuple(trim(text.splitlines())), proc.returncode, before | today_dates())


def trim(lines: Sequence[str]) -> list[str]:
    """Lines without trailing whitespace, and without trailing blank lines."""
    out = [line.rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


# --- matching -------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _pattern(documented: str, today: frozenset[str]) -> re.Pattern[str]:
    """``documented`` as a regex in which every ISO date also matches today's date."""
    alternatives = "|".join(re.escape(d) for d in sorted(today))
    parts: list[str] = []
    last = 0
    for m in ISO_DATE.finditer(documented):
        parts += [re.escape(documented[last : m.start()]), f"(?:{re.escape(m.group())}|{alternatives})"]
        last = m.end()
    parts.append(re.escape(documented[last:]))
    return re.compile("".join(parts))


def same_line(documented: str, printed: str, today: frozenset[str]) -> bool:
    """Whether a printed line is the documented line (an ISO date in it may be today's)."""
    if documented == printed:
        return True
    return bool(today) and any(d in printed for d in today) and bool(_pattern(documented, today).fullmatch(printed))


def segments(expected: Sequence[str]) -> list[tuple[int, list[str]]]:
    """The runs of literal documented lines between wildcards, each with the index of its first line."""
    runs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for i, line in enumerate(expected):
        if line.strip() in WILDCARDS:
            if current:
                runs.append((start, current))
            current = []
            start = i + 1
        else:
            current.append(line)
    if current:
        runs.append((start, current))
    return runs


def prefix_match(segment: Sequence[str], output: Sequence[str], at: int, today: frozenset[str]) -> int:
    """How many lines of ``segment`` match ``output`` from position ``at`` on."""
    n = 0
    while n < len(segment) and at + n < len(output) and same_line(segment[n], output[at + n], today):
        n += 1
    return n


def check(example: Example, run: Run) -> Mismatch | None:
    """Match an example's documented lines against what its command printed; None when they match."""
    expected = trim(example.expected)
    output, today = tuple(trim(run.output)), run.today
    runs = segments(expected)
    if not runs:  # nothing documented (then nothing may be printed), or only a wildcard
        return Mismatch(example, run, None, output[0]) if output and not expected else None
    starts_wild = expected[0].strip() in WILDCARDS
    ends_wild = expected[-1].strip() in WILDCARDS
    pos = 0
    for n, (index, segment) in enumerate(runs):
        only_at = pos if n == 0 and not starts_wild else None
        if n == len(runs) - 1 and not ends_wild and only_at is None:
            # the last lines are anchored at the end of the output, which a leftmost search may miss
            end_at = len(output) - len(segment)
            if end_at >= pos and prefix_match(segment, output, end_at, today) == len(segment):
                return None
        found = _find(segment, output, pos, today, only_at)
        if found is None:
            return _first_difference(example, run, index, segment, pos, only_at)
        pos = found + len(segment)
    if not ends_wild and pos < len(output):
        return Mismatch(example, run, None, output[pos])
    return None


def _find(segment: Sequence[str], output: Sequence[str], pos: int, today: frozenset[str], only_at: int | None) -> int | None:
    """The first position at or after ``pos`` (or exactly ``only_at``) where ``segment`` matches whole."""
    candidates = [only_at] if only_at is not None else range(pos, len(output) - len(segment) + 1)
    for at in candidates:
        if prefix_match(segment, output, at, today) == len(segment):
            return at
    return None


def _first_difference(example: Example, run: Run, index: int, segment: Sequence[str], pos: int, at: int | None) -> Mismatch:
    """Report the first documented line of ``segment`` that fails, at ``at`` or where most of it matches after ``pos``."""
    output, today = tuple(trim(run.output)), run.today
    if at is None:  # after a wildcard: align the segment where its longest head, else most of its lines, match
        best = max(
            range(pos, len(output) + 1),
            key=lambda p: (prefix_match(segment, output, p, today), _agreement(segment, output, p, today)),
            default=pos,
        )
        at = best if _agreement(segment, output, best, today) else None
    if at is None:
        close = difflib.get_close_matches(segment[0], output[pos:], n=1, cutoff=0.5)
        printed = f"(not printed; closest line: {close[0]})" if close else "(not printed)"
        return Mismatch(example, run, index, printed)
    k = prefix_match(segment, output, at, today)  # < len(segment): no whole match exists here
    printed = output[at + k] if at + k < len(output) else "(end of output)"
    return Mismatch(example, run, index + k, printed)


def _agreement(segment: Sequence[str], output: Sequence[str], at: int, today: frozenset[str]) -> int:
    """How many lines of ``segment`` equal the output line they face when it is placed at ``at``."""
    return sum(1 for i, line in enumerate(segment) if at + i < len(output) and same_line(line, output[at + i], today))


# --- one file, many files -------------------------------------------------------------------------


def check_file(path: Path, entry: Sequence[str]) -> tuple[int, list[Mismatch]]:
    """Run every console example of ``path`` in a fresh folder; (number of commands, mismatches)."""
    examples = parse_examples(path, path.read_text(encoding="utf-8"))
    env = command_env(entry)
    mismatches: list[Mismatch] = []
    with tempfile.TemporaryDirectory(prefix="check-docs-") as tmp:
        cwd = Path(tmp)
        shutil.copytree(SEEDS, cwd / "seeds")
        for example in examples:
            result = check(example, run_command(example.command, cwd, entry, env))
            if result is not None:
                mismatches.append(result)
    return len(examples), mismatches


def check_files(paths: Sequence[Path]) -> list[tuple[int, list[Mismatch]]]:
    """``check_file`` for each path, in order; the files are independent (a folder each), so checked side by side."""
    entry = policy_tracker_argv()
    with ThreadPoolExecutor(max_workers=max(1, min(4, len(paths)))) as pool:
        return list(pool.map(lambda p: check_file(p, entry), paths))


def describe(m: Mismatch) -> str:
    """A few lines saying which example failed, where, and what was printed instead."""
    ex = m.example
    printed = m.printed or "(blank line)"
    lines = [f"{ex.path}:{ex.line}: $ {ex.command}"]
    if m.expected_index is None:
        lines.append("  documented output ends here, but the command printed more:")
        lines.append(f"  printed:    {printed}")
    else:
        lines.append(f"  documented (line {ex.line + 1 + m.expected_index}): {ex.expected[m.expected_index]}")
        lines.append(f"  printed:    {printed}")
    if m.run.returncode != 0:
        lines.append(f"  (exit status {m.run.returncode})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("files", nargs="+", type=Path, help="Markdown files whose ```console blocks to check")
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        print(f"Error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        results = check_files(args.files)
    except ValueError as exc:  # a console block this script cannot read
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    failed = 0
    for path, (count, mismatches) in zip(args.files, results, strict=True):
        for m in mismatches:
            print(describe(m))
        verdict = "ok" if not mismatches else f"{len(mismatches)} mismatch(es)"
        print(f"{path}: {count} command(s), {verdict}")
        failed += len(mismatches)
    print(f"{'all examples match' if not failed else f'{failed} example(s) do not match'} ({time.perf_counter() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
