"""Analysts' ``#`` comments carried over when the tool rewrites a ledger-folder file (PyYAML drops them).

A file that no command changes is never rewritten, so its comments stay as
they are; :func:`carry_comments` puts the comments of a file that is
rewritten back where they were (see docs/ledger.md, "The ledger folder").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from .yaml_io import FOOTER


def _key_of(line: str) -> str | None:
    """``"  status: x"`` → ``"  status:"``: the indented key a line sets, if any."""
    m = re.match(r"^(\s*(?:- )?[\w-]+:)", line)
    return m.group(1) if m else None


def _comment_lines(lines: Sequence[str], header: Collection[str] = ()) -> bool:
    return any((line.lstrip().startswith("#") and line.rstrip("\n") not in header) or " #" in line for line in lines)


def _header(text: str) -> set[str]:
    """The writer's header: the comment lines a file it writes starts with (one for a commitment, two for root.yaml)."""
    out = set()
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        out.add(line)
    return out


def carry_comments(old: str, new: str) -> str:
    """``new`` with the analyst's ``#`` comments of ``old`` put back where they were.

    A comment line stays in front of the line that followed it (the same
    text, else the same key at the same indentation, else the end of the
    file); a comment at the end of a line stays on that line when the line
    is unchanged.  The writer's own header and end lines are not comments of
    the analyst (nor copies of header lines that earlier versions carried over).
    """
    old_lines = old.splitlines(keepends=True)
    header = _header(new)
    if not _comment_lines(old_lines[1:-1], header):
        return new
    new_lines = new.splitlines(keepends=True)
    before: dict[int, list[str]] = {}  # new line index -> comment lines to put before it
    inline: dict[int, str] = {}
    pending: list[str] = []
    cursor = 1
    for n, line in enumerate(old_lines):
        stripped = line.strip()
        if n == 0 or (n == len(old_lines) - 1 and line == FOOTER):
            continue  # the writer's header and end line
        if stripped.startswith("#"):
            if line.rstrip("\n") in header:
                continue  # the writer's header, not the analyst's
            pending.append(line if line.endswith("\n") else line + "\n")
            continue
        code, sep, _ = line.partition(" #")
        code = code.rstrip() if sep else line.rstrip("\n")
        target = next((i for i in range(cursor, len(new_lines)) if new_lines[i].rstrip("\n") == code), None)
        if target is None and (key := _key_of(line)) is not None:
            target = next((i for i in range(cursor, len(new_lines)) if new_lines[i].startswith(key)), None)
        if target is None:
            continue  # the line is gone: its comments wait for the next line found
        if pending:
            before.setdefault(target, []).extend(pending)
            pending = []
        quoted = code.count("'") % 2 or code.count('"') % 2  # the ' #' is inside a quoted value, not a comment
        if sep and not quoted and new_lines[target].rstrip("\n") == code:
            inline[target] = line.rstrip("\n")[len(code) :]
        cursor = target + 1
    out = []
    for i, line in enumerate(new_lines):
        if i == len(new_lines) - 1 and pending:
            out.extend(pending)  # comments whose line is gone stay, before the end line
        out.extend(before.get(i, ()))
        out.append(line.rstrip("\n") + inline[i] + "\n" if i in inline else line)
    return "".join(out)


def has_comments(text: str, new: str = "") -> bool:
    """Whether a file may hold comments beyond the writer's header (that of ``new``, its next text, too) and end line."""
    return _comment_lines(text.splitlines()[1:-1], _header(new))
