"""Reports as Markdown: readable in a terminal, renders cleanly on GitHub or in any Markdown viewer.

Character diffs are marked git-word-diff style, ``[-deleted-]{+inserted+}``,
so they stay legible on a plain terminal.  Every piece of ledger text is
escaped so that a quote can never turn into markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence

from ..ledger.records import StatusChange
from ..models import DIFF_HEADING, OVERVIEW_HEADING, TIMELINES_HEADING, UNDATED, Briefing, Mention, iso_date
from .data import deadlines_text, targets_text
from .fulfilment import ALL_TOPICS, Fulfilment, days_text, share_text
from .labels import CELL_CLASSES
from .overview import Overview, Row
from .report import BriefingDiff, DiffEntry, Timeline, briefing_label

# `_` only where it could open or close emphasis (intraword underscores are literal in CommonMark)
_SPECIAL = re.compile(r"([\\`*{}\[\]<>|#~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
CELL_SYMBOLS = {
    "new": "●",
    "advanced": "▲",
    "changed": "◆",
    "reworded": "✎",
    "regressed": "▼",
    "unchanged": "=",
    "gap": "·",
}
DIFF_LEGEND = "Diff marks: `[-deleted-]` only in the earlier statement, `{+inserted+}` only in the later one."


def esc(text: str | None) -> str:
    """Escape Markdown syntax and fold line breaks, so ledger text shows verbatim."""
    if not text:
        return ""
    text = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", text) if _SPECIAL.search(text) else text  # most text has nothing to escape: no substitution


def change_label(change: str) -> str:
    return change.replace("_", " ")


def changes_text(changes: Iterable[str]) -> str:
    return ", ".join(change_label(c) for c in changes)


def diff_md(ops: Iterable[tuple[str, str]]) -> str:
    parts = []
    for op, text in ops:
        t = esc(text)
        parts.append(t if op == "=" else f"[-{t}-]" if op == "-" else f"{{+{t}+}}")
    return "".join(parts)


def _date(d: dt.date | None) -> str:
    return iso_date(d, UNDATED)  # type: ignore[return-value]


def _facts(m: Mention) -> list[str]:
    """The stage, targets and deadlines a mention states, escaped (only those it has)."""
    facts = []
    if m.stage:
        facts.append(f"stage {esc(m.stage)}")
    if m.targets:
        facts.append(f"targets {esc(targets_text(m))}")
    if m.deadlines:
        facts.append(f"deadlines {esc(deadlines_text(m))}")
    return facts


def _statement(tag: str, m: Mention) -> str:
    facts = [_date(m.date), esc(m.speaker) or "speaker unknown", *_facts(m)]
    return f"- **{tag}** · {' · '.join(facts)}: 「{esc(m.quote)}」"


def verdict_text(v: StatusChange | None) -> str:
    """``fulfilled 2024-02-01: pilot cities announced`` for an analyst verdict ("" for none)."""
    if v is None:
        return ""
    when = f" {_date(v.date)}" if v.date else ""
    return f"{esc(v.status)}{when}" + (f": {esc(v.note)}" if v.note else "")


def analyst_lines(tags: Iterable[str], notes: str | None, verdict: StatusChange | None) -> list[str]:
    """List items for what an analyst set: verdict (with its note), tags, notes."""
    lines = []
    if verdict is not None:
        lines.append(f"- **verdict**: {verdict_text(verdict)}")
    if tags:
        lines.append(f"- **tags**: {esc(', '.join(tags))}")
    if notes:
        lines.append(f"- **notes**: {esc(notes)}")
    return lines


def _entry(e: DiffEntry) -> list[str]:
    title = f" — {esc(e.title)}" if e.title and e.title != e.commitment else ""
    lines = [f"### `{e.commitment}`{title}", ""]
    meta = [f"changes: {changes_text(e.changes)}"]
    if e.first_seen:
        meta.append(f"first seen {_date(e.first_seen)}")
    if e.section == "not_restated" and e.last_seen:
        meta.append(f"last seen {_date(e.last_seen)}")
    lines.append(f"- {' · '.join(meta)}")
    lines += analyst_lines(e.tags, e.notes, e.verdict)
    if e.before:
        lines.append(_statement("A", e.before))
    if e.after:
        lines.append(_statement("B", e.after))
    if e.diff and any(op != "=" for op, _ in e.diff):
        lines.append(f"- **diff**: {diff_md(e.diff)}")
    lines.append("")
    return lines


def _briefing_line(tag: str, b: Briefing) -> str:
    speakers = f" · speakers {esc(', '.join(b.speakers))}" if b.speakers else ""
    event = f" · {esc(b.event)}" if b.event else ""
    return f"- **{tag}**: `{b.id}`{event}{speakers}"


def diff_markdown(d: BriefingDiff) -> str:
    """The diff between two briefings as Markdown."""
    lines = [f"{DIFF_HEADING}{esc(briefing_label(d.a))} → {esc(briefing_label(d.b))}", ""]
    lines += [_briefing_line("A", d.a), _briefing_line("B", d.b), ""]
    lines += ["| Section | Commitments |", "|---|---:|"]
    lines += [f"| {heading} | {len(entries)} |" for _, heading, entries in d.sections()]
    lines += ["", DIFF_LEGEND, ""]
    for key, heading, entries in d.sections():
        lines += [f"## {heading} ({len(entries)})", ""]
        if not entries:
            lines += ["_None._", ""]
        elif key in ("new", "not_restated"):
            lines += _one_sided_table(key, entries)
        else:
            for e in entries:
                lines += _entry(e)
    return "\n".join(lines).rstrip() + "\n"


def _one_sided_table(key: str, entries: Sequence[DiffEntry]) -> list[str]:
    """New in B / not restated in B: one table row per commitment, as there is nothing to compare."""
    side = "B" if key == "new" else "A"
    lines = [f"| Commitment | Date | Speaker | Statement in {side} | Notes |", "|---|---|---|---|---|"]
    for e in entries:
        m = e.after if key == "new" else e.before
        if m is None:
            continue
        notes = []
        if "resumed" in e.changes and e.first_seen:
            notes.append(f"resumed (first seen {_date(e.first_seen)})")
        if key == "not_restated" and e.last_seen and e.last_seen != m.date:
            notes.append(f"last stated {_date(e.last_seen)}")
        notes += _facts(m)
        if e.verdict:
            notes.append(f"verdict {verdict_text(e.verdict)}")
        if e.tags:
            notes.append(f"tags {esc(', '.join(e.tags))}")
        if e.notes:
            notes.append(f"notes: {esc(e.notes)}")
        lines.append(f"| `{e.commitment}` | {_date(m.date)} | {esc(m.speaker) or '–'} | {esc(m.quote)} | {'; '.join(notes)} |")
    return [*lines, ""]


def _timeline_section(t: Timeline) -> list[str]:
    c = t.commitment
    title = f" — {esc(c.title)}" if c.title and c.title != c.id else ""
    lines = [f"## `{c.id}`{title}", ""]
    facts = []
    if t.status:
        facts.append(f"status **{esc(t.status)}**")
    if c.topics:
        facts.append(f"topics {esc(', '.join(c.topics))}")
    if c.first_seen:
        facts.append(f"first seen {_date(c.first_seen.date)}")
    if c.last_seen:
        facts.append(f"last seen {_date(c.last_seen.date)}")
    facts.append(f"stated in {len(t.entries)} briefing{'s' if len(t.entries) != 1 else ''}")
    if c.tags:
        facts.append(f"tags {esc(', '.join(c.tags))}")
    lines += [" · ".join(facts), ""]
    if c.notes:
        lines += [f"Notes: {esc(c.notes)}", ""]
    lines += ["| Date | Speaker | Change | Stage | Targets | Deadlines | Statement |", "|---|---|---|---|---|---|---|"]
    for e in t.entries:
        m = e.mention
        statement = diff_md(e.diff) if e.diff and any(op != "=" for op, _ in e.diff) else esc(m.quote)
        lines.append(
            f"| {_date(m.date)} | {esc(m.speaker) or '–'} | {changes_text(e.changes)} | {esc(m.stage) or '–'} "
            f"| {esc(targets_text(m)) or '–'} | {esc(deadlines_text(m)) or '–'} | {statement} |"
        )
    lines.append("")
    if t.missing:
        lines += [f"Not restated in: {', '.join(esc(briefing_label(b)) for b in t.missing)}", ""]
    if t.evidence:
        lines += ["Evidence of progress:", ""]
        lines += [f"- {_date(ev.date)} · {esc(ev.speaker) or 'speaker unknown'}: 「{esc(ev.quote)}」" for ev in t.evidence]
        lines.append("")
    if t.suggested:
        lines += [f"Possible evidence (machine suggestions; confirm with `policy-tracker set {c.id} --evidence ID`):", ""]
        lines += [
            f"- {_date(ev.date)} · `{ev.id}` · score {score:.0f}: 「{esc(ev.quote)}」" for ev, score in t.suggested
        ]
        lines.append("")
    if t.status_history:
        lines += ["Status history:", ""]
        for s in t.status_history:
            when = f" {_date(s.date)}" if s.date else ""
            by = " (analyst)" if s.by == "analyst" else ""
            note = f": {esc(s.note)}" if s.note else ""
            lines.append(f"- **{esc(s.status)}**{when}{by}{note}")
        lines.append("")
    return lines


def timelines_markdown(ts: Sequence[Timeline], heading: str = TIMELINES_HEADING) -> str:
    """One or more commitment histories as Markdown."""
    lines = [f"# {esc(heading)}", "", DIFF_LEGEND + " Each restatement is compared with the previous briefing's.", ""]
    if not ts:
        lines += ["_No commitment matches._", ""]
    for t in ts:
        lines += _timeline_section(t)
    return "\n".join(lines).rstrip() + "\n"


def _id_list(rows: Sequence[Row]) -> list[str]:
    if not rows:
        return ["_None._", ""]
    out = []
    for r in rows:
        last = _date(r.last_seen) if r.last_seen else "undated"
        title = f" — {esc(r.title)}" if r.title and r.title != r.id else ""
        out.append(f"- `{r.id}`{title} (last stated {last})")
    return [*out, ""]


def fulfilment_markdown(f: Fulfilment) -> list[str]:
    """The time-to-fulfilment section: median days per status, then the survival table by topic."""
    lines = ["## Time to fulfilment", ""]
    lines += ["Median days from a pledge's first statement to the analyst's verdict (fulfilled, broken …) "
              "or, for the other statuses, to its last restatement.", ""]  # fmt: skip
    if not f.statuses:
        return [*lines, "_None._", ""]
    lines += ["| Status | Commitments | Median days | Measured to |", "|---|---:|---:|---|"]
    for s in f.statuses:
        lines.append(f"| {esc(s.status)} | {s.count} | {days_text(s.median_days)} | {s.to} ({s.measured}) |")
    heads = " | ".join(f"+{k}" for k in f.horizons)
    lines += ["", "Still restated *k* briefings after first appearing: share of the pledges observable that long "
              "(in brackets: how many).", ""]  # fmt: skip
    lines += [f"| Topic | {heads} |", "|---" + "|---:" * len(f.horizons) + "|"]
    for v in f.survival:
        name = "**all pledges**" if v.topic == ALL_TOPICS else esc(v.topic)
        cells = " | ".join(f"{share_text(x)} ({n})" for x, n in zip(v.shares, v.at_risk, strict=True))
        lines.append(f"| {name} | {cells} |")
    return [*lines, ""]


def _finished(lines: Iterable[str | bytes]) -> Iterator[bytes]:
    """``"\n".join(lines).rstrip() + "\n"`` UTF-8 encoded, in pieces as the lines come (the overview at 10⁵ mentions is 125 MB of text).

    A ``bytes`` line is grid rows, already encoded, each ending in its newline: never blank, nothing to strip.
    """
    held: str | None = None  # the latest line with text, written once the next one comes
    blank: list[str] = []  # whitespace-only lines since: kept only if text follows
    text = False  # any line with text yet
    for line in lines:
        if isinstance(line, bytes):
            if held is not None or blank:
                yield _lines(held, blank)
            held, blank, text = None, [], True
            yield line
            continue
        if not line.strip():
            blank.append(line)
            continue
        if held is not None or blank:
            yield _lines(held, blank)
        held, blank, text = line, [], True
    yield ("\n" if not text else "" if held is None else held.rstrip() + "\n").encode()


def _lines(held: str | None, blank: list[str]) -> bytes:
    """The held line and the blank lines after it, each with its newline, encoded."""
    return "".join(f"{line}\n" for line in (*(() if held is None else (held,)), *blank)).encode()


def overview_markdown(o: Overview, *, rows: int = 0, columns: int = 0) -> str:
    """The whole-ledger overview as Markdown, with a text grid of commitments × briefings.

    ``rows``/``columns`` limit the grid to the most recently stated commitments and the latest briefings, and the
    report says so (:meth:`Overview.window`); 0, the default, shows it all.
    """
    return b"".join(overview_bytes(o, rows=rows, columns=columns)).decode("utf-8")


def overview_bytes(o: Overview, *, rows: int = 0, columns: int = 0) -> Iterator[bytes]:
    """:func:`overview_markdown` UTF-8 encoded, in pieces that join to it: a caller can write them as they come."""
    return _finished(_overview_lines(o, rows, columns))


_GRID_BATCH = 5 * 256  # grid rows are passed on 256 at a time (about 1 MB at 10⁵ mentions)


def _overview_lines(o: Overview, rows: int = 0, columns: int = 0) -> Iterator[str | bytes]:
    lines = [OVERVIEW_HEADING, ""]
    lines += ["## Briefings", "", "Pledges per briefing; the last columns count restatements by what changed since the previous statement.", ""]
    lines += [
        "| Briefing | Held | Period | Mentions | Commitments | New | Advanced | Target/deadline | Reworded | Regressed | Unchanged | Not restated |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for bc, counts in zip(o.briefings, o.column_counts(), strict=True):
        b = bc.briefing
        moves = " | ".join(str(counts[k]) for k in ("advanced", "changed", "reworded", "regressed", "unchanged", "gap"))
        lines.append(f"| `{b.id}` | {_date(b.held)} | {esc(b.period) or '–'} | {bc.mentions} | {bc.commitments} | {bc.new} | {moves} |")
    lines.append("")
    for title, pairs in (("Topics", o.topics), ("Speakers", o.speakers)):
        lines += [f"## {title}", ""]
        lines += [", ".join(f"{esc(name)} ({n})" for name, n in pairs) if pairs else "_None._", ""]
    groups = (
        ("Newest pledges", "first stated in the latest briefing", o.newest),
        ("Advanced", "latest restatement moved up the action ladder", o.advanced),
        ("Stalled", "restated at the same stage briefing after briefing", o.stalled),
        ("Dormant", "no longer restated in its series of briefings", o.dormant),
    )
    for title, explain, ts in groups:
        lines += [f"## {title} ({len(ts)})", "", f"_{explain}_", ""]
        lines += _id_list(ts)
    if o.notes:
        lines += [f"## Analyst notes ({len(o.notes)})", "", "_verdicts, tags and notes set with `policy-tracker set`_", ""]
        for r in o.notes:
            bits = [b for b in (verdict_text(r.verdict), esc(", ".join(r.tags)), esc(r.notes)) if b]
            lines.append(f"- `{r.id}`: {' · '.join(bits)}")
        lines.append("")
    if o.fulfilment is not None:
        lines += fulfilment_markdown(o.fulfilment)
    lines += ["## Grid", ""]
    lines.append("Legend: " + ", ".join(f"{CELL_SYMBOLS[key]} {label}" for key, label in CELL_CLASSES))
    lines.append("")
    keep, lo = o.window(rows, columns)
    limited = len(keep) < len(o.rows)
    if limited or lo:
        what = [f"the {len(keep):,} most recently stated of {len(o.rows):,} commitments"] if limited else []
        what += [f"the latest {len(o.briefings) - lo:,} of {len(o.briefings):,} briefings"] if lo else []
        lines += [f"Showing {' and '.join(what)}: `--grid-rows 0 --grid-columns 0` shows the whole grid, `--format csv` every cell.", ""]
    shown = [o.rows[i] for i in keep] if limited else o.rows
    header = " | ".join(_date(bc.briefing.held)[2:] if bc.briefing.held else "undated" for bc in o.briefings[lo:])
    symbols = {**{key: CELL_SYMBOLS.get(key, " ").encode() for key, _ in CELL_CLASSES}, None: b" "}
    for title, several in (("Restated in several briefings", True), ("Stated once", False)):
        count = sum((len(r.statements) > 1) == several for r in shown)
        if not count:
            continue
        lines += [f"### {title} ({count})", "", f"| Commitment | {header} |", "|---" + "|:-:" * (len(o.briefings) - lo) + "|"]
        yield from lines
        lines = []
        pieces: list[bytes] = []
        section = o.marks(
            symbols, b" | ", lambda r: (len(r.statements) > 1) == several, rows=keep if limited else None, first_column=lo  # noqa: B023 - used at once
        )
        for r, marks in section:
            pieces += (b"| `", r.id.encode(), b"` | ", marks, b" |\n")
            if len(pieces) >= _GRID_BATCH:
                yield b"".join(pieces)
                pieces = []
        if pieces:
            yield b"".join(pieces)
        lines.append("")
    yield from lines
