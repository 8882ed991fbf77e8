"""Rewrites of the folded text that may change its length, each with a map back to the original.

Two tables drive them, both editable under ``data/`` and extendable with
``POLICY_TRACKER_DATA``:

- ``artefacts.yaml`` — what mirror sites leave in a text: pinyin inserted
  after characters (技術(shù)研究), HTML tags and entities, advertising runs
  (``|亚洲一区…``).  Matches are deleted (or replaced, for entities and block
  tags).
- ``regional_terms.txt`` — Hong Kong / Taiwan vocabulary → mainland usage
  (訊號 → 信号, 雲端運算 → 云计算), applied to texts that had Traditional
  characters.

Every rewrite is a list of ``(start, end, replacement)`` edits applied by
:func:`apply_edits`, which carries two arrays along: for each character of the
new text, the start and the end of the ORIGINAL span it comes from.  A
replacement of the same length maps character by character; one of another
length maps each of its characters to the whole replaced span, so a quote
taken from the map is always a whole original term.
"""

from __future__ import annotations

import functools
import html
import os
import re
from array import array
from collections.abc import Iterable

from .characters import fold_chars
from ..errors import DataError
from ..resources import ENV_VAR, load_table, text_table_lines

__all__ = ["Edit", "apply_edits", "artefact_edits", "clean", "identity_map", "regional_edits", "regional_terms"]

Edit = tuple[int, int, str]


def identity_map(n: int) -> tuple[array, array]:
    """Start and end arrays of a text of length ``n`` that is its own original."""
    return array("l", range(n)), array("l", range(1, n + 1))


def apply_edits(
    text: str, starts: array | None, ends: array | None, edits: Iterable[Edit]
) -> tuple[str, array | None, array | None]:
    """``text`` with ``edits`` (sorted, not overlapping, each ``end > start``) applied, and the composed map.

    ``starts = ends = None`` stands for the identity map (a text that is its
    own original); it stays ``None`` while there are no edits.
    """
    edits = list(edits)
    if not edits:
        return text, starts, ends
    if starts is None or ends is None:
        starts, ends = identity_map(len(text))
    out: list[str] = []
    new_starts = array("l")
    new_ends = array("l")
    pos = 0
    for s, e, rep in edits:
        out.append(text[pos:s])
        new_starts.extend(starts[pos:s])
        new_ends.extend(ends[pos:s])
        if rep:
            if len(rep) == e - s:
                new_starts.extend(starts[s:e])
                new_ends.extend(ends[s:e])
            else:
                new_starts.extend([starts[s]] * len(rep))
                new_ends.extend([ends[e - 1]] * len(rep))
            out.append(rep)
        pos = e
    out.append(text[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return "".join(out), new_starts, new_ends


def rewrite(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with ``edits`` applied (no map)."""
    out: list[str] = []
    pos = 0
    for s, e, rep in edits:
        out.append(text[pos:s])
        out.append(rep)
        pos = e
    out.append(text[pos:])
    return "".join(out)


# ---------------------------------------------------------------- artefacts


@functools.lru_cache(maxsize=4)
def _artefacts(env: str) -> tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], str | None], ...]]:
    """All patterns in one (a quick test for short texts), and ``(pattern, replacement)`` per entry of
    artefacts.yaml; ``None`` replaces an HTML entity by its character."""
    table = load_table("artefacts.yaml") or {}
    entries = table.get("artefacts") if isinstance(table, dict) else None
    if not isinstance(entries, list):
        raise DataError("artefacts.yaml: expected a list under 'artefacts'; see the shipped file")
    out: list[tuple[re.Pattern[str], str | None]] = []
    for i, entry in enumerate(entries):
        where = f"artefacts.yaml: artefacts[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
            raise DataError(f"{where}: expected a mapping with a 'pattern' (a regular expression); got {entry!r}")
        name = str(entry.get("name") or f"artefact {i}")
        replace = entry.get("replace", "")
        if not isinstance(replace, str):
            raise DataError(f"{where} ({name}): 'replace' must be text (nothing deletes the match); got {replace!r}")
        entity = entry.get("html_entity", False)
        if not isinstance(entity, bool):
            raise DataError(f"{where} ({name}): 'html_entity' must be true or false; got {entity!r}")
        try:
            compiled = re.compile(entry["pattern"], re.MULTILINE)
        except re.error as exc:
            raise DataError(f"{where} ({name}): invalid regular expression ({exc}); fix the pattern") from exc
        if compiled.fullmatch(""):
            raise DataError(f"{where} ({name}): the pattern matches the empty string; it must match at least one character")
        out.append((compiled, None if entity else replace))
    try:
        # The quick test needs no group: several entries may each name one `artefact`.
        joined = "|".join(f"(?:{p.pattern})".replace(f"(?P<{_GROUP}>", "(?:") for p, _ in out)
        anywhere = re.compile(joined or "(?!)", re.MULTILINE)
    except re.error as exc:  # e.g. a group name used in two entries
        raise DataError(f"artefacts.yaml: the patterns do not combine ({exc}); rename the groups in them") from exc
    return anywhere, tuple(out)


# A pattern may match context around the artefact (the clause around a stray space) and name the
# part to remove with this group; without it the whole match is the artefact.
_GROUP = "artefact"


def _span(m: re.Match[str]) -> tuple[int, int]:
    if _GROUP in m.re.groupindex and m.start(_GROUP) >= 0:
        return m.start(_GROUP), m.end(_GROUP)
    return m.start(), m.end()


def _entity(text: str) -> str:
    # Character folding has already turned the entity's ';' into '；'.
    decoded = html.unescape(text.replace("；", ";"))
    return " " if decoded == "\xa0" else decoded


# Below this length one search of all patterns together decides whether there is anything to do.
_QUICK_TEST_BELOW = 2000
# Removing an artefact can expose another (技<b>(shù): the tag, then the annotation now after 技;
# &amp;nbsp;; 业(shù)(shù)(shù)…): artefacts are removed again until none is left.  Every pass
# shortens the text (each artefact is replaced by less than itself), so len(text) passes always suffice.
def artefact_passes(text: str) -> range:
    """The passes the artefact removal may take on ``text``: enough to reach a text without artefacts."""
    return range(len(text) + 1)


def artefact_edits(text: str, *, env: str | None = None) -> list[Edit]:
    """Edits that remove the mirror-site artefacts of ``data/artefacts.yaml`` from ``text`` (already folded).

    Each entry is searched on its own (one alternation of all of them would be
    several times slower); where matches overlap, the one that starts first
    wins, and at the same start the earlier entry.  Where a pattern has a
    group named ``artefact``, only that group is removed (the rest of the
    match is context).  An HTML entity is
    replaced by the character it stands for (folded).
    """
    anywhere, entries = _artefacts(os.environ.get(ENV_VAR, "") if env is None else env)
    if len(text) < _QUICK_TEST_BELOW and not anywhere.search(text):
        return []
    found: list[tuple[int, int, int, str]] = []
    for rank, (pattern, replace) in enumerate(entries):
        for m in pattern.finditer(text):
            start, stop = _span(m)
            if start == stop:
                continue
            if replace is None:
                decoded = _entity(text[start:stop])
                if decoded == text[start:stop].replace("；", ";"):
                    continue  # not an entity html knows: leave the text alone
                found.append((start, rank, stop, fold_chars(decoded)))
            else:
                found.append((start, rank, stop, replace))
    edits: list[Edit] = []
    end = 0
    for start, _rank, stop, replace in sorted(found):
        if start >= end:
            edits.append((start, stop, replace))
            end = stop
    return edits


# ---------------------------------------------------------------- regional vocabulary


@functools.lru_cache(maxsize=4)
def _regional(env: str) -> tuple[dict[str, str], re.Pattern[str]]:
    terms: dict[str, str] = {}
    for path, lineno, line in text_table_lines("regional_terms.txt"):
        parts = line.split()
        if len(parts) != 2:
            raise DataError(f"{path}:{lineno}: expected 'regional-term mainland-term' separated by whitespace, got {line!r}")
        key, value = fold_chars(parts[0]), fold_chars(parts[1])
        terms[key] = value
    pattern = "|".join(sorted(map(re.escape, terms), key=lambda w: (-len(w), w))) or "(?!)"
    return terms, re.compile(pattern)


def regional_terms(*, env: str | None = None) -> tuple[dict[str, str], re.Pattern[str]]:
    """The pairs of ``data/regional_terms.txt`` (plus user files; later files win), both sides folded, and their pattern."""
    return _regional(os.environ.get(ENV_VAR, "") if env is None else env)


def regional_edits(text: str, *, env: str | None = None) -> list[Edit]:
    """Edits that turn the regional terms in ``text`` (already folded) into mainland ones."""
    terms, pattern = regional_terms(env=env)
    return [(m.start(), m.end(), terms[m.group(0)]) for m in pattern.finditer(text) if terms[m.group(0)] != m.group(0)]


def clean(folded: str, traditional: bool, *, env: str | None = None) -> str:
    """``folded`` (character layer applied) without artefacts and, if ``traditional``, with mainland terms; no map."""
    text = folded
    for _ in artefact_passes(text):
        edits = artefact_edits(text, env=env)
        if not edits:
            break
        text = rewrite(text, edits)
    if traditional:
        text = rewrite(text, regional_edits(text, env=env))
    return text
