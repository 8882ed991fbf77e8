"""Reports as one self-contained HTML page each: inline CSS, no script, nothing fetched.

Every piece of ledger text passes through :func:`e` (``html.escape``), so a
quote containing ``<script>`` is shown as text.  Colours always come with a
symbol or a label, and ``<del>``/``<ins>`` keep strike-through and underline,
so the pages stay readable in black-and-white print.

The overview uses the window's width; its grid scrolls inside its own box
with a sticky header row and first column, each row links to the
commitment's card below it, and large ledgers are limited to
:data:`GRID_ROWS` commitments × :data:`GRID_COLUMNS` briefings with the count
stated (the CSV holds every cell).  :mod:`.notebook` gives the same content
with the CSS scoped to one ``div``, for notebooks (``_repr_html_``); the
time-to-fulfilment section is :mod:`.html_fulfilment`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence

from ..ledger.records import StatusChange
from ..models import TIMELINES_HEADING, UNDATED, Briefing, Mention, iso_date
from .data import deadlines_text
from .html_fulfilment import fulfilment_html
from .markdown import CELL_SYMBOLS, change_label
from .labels import CELL_CLASSES, GRID_COLUMNS, GRID_ROWS, cell_class
from .overview import Overview, Row
from .report import BriefingDiff, DiffEntry, Timeline, briefing_label

CELL_LABELS = dict(CELL_CLASSES)
SECTION_CELL = {"new": "new", "advanced": "advanced", "changed": "changed", "reworded": "reworded",
                "unchanged": "unchanged", "not_restated": "gap"}  # fmt: skip

CSS = """
:root{--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--soft:#f8fafc;
--new:#2563eb;--advanced:#15803d;--changed:#c2410c;--reworded:#7c3aed;--regressed:#b91c1c;--unchanged:#64748b;--gap:#cbd5e1}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#f3f4f6;color:var(--ink);font:15px/1.65 "PingFang SC","Hiragino Sans GB","Noto Sans CJK SC",
"Noto Sans SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei","WenQuanYi Zen Hei","SimHei",
system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1120px;margin:0 auto;padding:32px 28px 48px;background:#fff;min-height:100vh}
main.wide{max-width:none}
h1{font-size:26px;line-height:1.3;margin:0 0 4px;letter-spacing:-.01em}
h2{font-size:19px;margin:36px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line);display:flex;align-items:center;gap:10px}
h3{font-size:15px;margin:0}
.sub{color:var(--muted);margin:0 0 20px}
code,.id{font-family:"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
.id{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:1px 6px;color:#334155;white-space:nowrap}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:14px;margin:18px 0 8px}
.bcard{border:1px solid var(--line);border-radius:10px;padding:12px 16px;background:var(--soft)}
.bcard .tag{font-weight:700;color:var(--muted);font-size:12px;letter-spacing:.08em}
.bcard .when{font-size:17px;font-weight:650}
.bcard .meta{color:var(--muted);font-size:13px}
.chips{display:flex;flex-wrap:wrap;gap:8px;margin:14px 0 6px;padding:0;list-style:none}
.chip{display:inline-flex;align-items:center;gap:6px;border:1px solid var(--line);border-radius:999px;padding:3px 12px 3px 8px;
font-size:13px;text-decoration:none;color:var(--ink);background:#fff}
.chip b{font-variant-numeric:tabular-nums}
.dot{display:inline-block;width:11px;height:11px;border-radius:50%;background:var(--c);flex:none}
.sec-count{font-weight:500;color:var(--muted);font-size:14px}
.entry{border:1px solid var(--line);border-left:5px solid var(--c);border-radius:8px;padding:12px 16px;margin:12px 0;break-inside:avoid}
.entry-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:8px 10px;margin-bottom:8px}
.entry-head .title{font-weight:600}
.move{font-size:12.5px;color:#334155;background:#fff7ed;border:1px solid #fed7aa;border-radius:4px;padding:0 7px}
.badge{display:inline-block;font-size:11.5px;line-height:1.5;padding:0 8px;border-radius:4px;color:#fff;background:var(--c);white-space:nowrap}
.badge.plain{background:#eef2f7;color:#334155}
.quotes{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.quote{margin:0;padding:8px 12px;background:var(--soft);border-radius:6px;font-size:15.5px}
.quote.absent{color:var(--muted);font-style:italic;display:flex;align-items:center}
.one-sided{border-left:5px solid var(--c);font-size:14.5px}
.one-sided td{padding:6px 10px}
.one-sided td.who{white-space:nowrap;color:#475569;font-size:13px}
.one-sided .facts{display:inline;margin:0 0 0 10px}
.entry.one{padding:8px 16px 10px;margin:8px 0}
.entry.one .entry-head{margin-bottom:4px}
.entry.one .quote{background:none;padding:0}
.entry.one .quote .who{display:inline;margin-right:8px}
.quote .who{display:block;font-size:12.5px;color:var(--muted);margin-bottom:2px}
.quote .who b{color:var(--ink);font-weight:600;margin-right:4px}
.facts{font-size:12.5px;color:#475569;margin-top:4px}
.diff{margin:10px 0 0;padding:8px 12px;border:1px dashed var(--line);border-radius:6px;font-size:15.5px}
.diff .label{font-size:12px;color:var(--muted);margin-right:8px}
del{background:#fee2e2;color:#991b1b;text-decoration:line-through;text-decoration-thickness:1.5px;border-radius:2px;padding:0 1px}
ins{background:#dcfce7;color:#14532d;text-decoration:underline;text-decoration-thickness:1.5px;text-underline-offset:3px;border-radius:2px;padding:0 1px}
.none{color:var(--muted);font-style:italic}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px;color:#374151;margin:8px 0 14px;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:6px}
.sym{display:inline-flex;width:20px;height:20px;border-radius:4px;align-items:center;justify-content:center;
background:var(--c);color:#fff;font-size:11px;font-weight:700}
.sym.gap{color:#475569}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.n0{color:#cbd5e1}
table.briefings th .sym{width:18px;height:18px}
.bar{height:8px;border-radius:4px;background:#93c5fd;min-width:2px}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:18px 0}
.stat{border:1px solid var(--line);border-radius:10px;padding:10px 14px}
.stat .n{font-size:26px;font-weight:700;font-variant-numeric:tabular-nums}
.stat .l{font-size:12.5px;color:var(--muted)}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:28px}
.gridwrap{overflow:auto;max-height:80vh;border:1px solid var(--line);border-radius:8px}
.grid{width:auto;border-collapse:separate;border-spacing:0}
.grid td{padding:2px;border-bottom:1px solid #f1f5f9;text-align:center;vertical-align:middle;font-size:12px;font-weight:700;
width:40px;min-width:40px;height:26px}
.grid td.new,.grid td.advanced,.grid td.changed,.grid td.reworded,.grid td.regressed,.grid td.unchanged{color:#fff;
background-clip:content-box;border-radius:6px}
.grid td.new{background-color:var(--new)}.grid td.advanced{background-color:var(--advanced)}
.grid td.changed{background-color:var(--changed)}.grid td.reworded{background-color:var(--reworded)}
.grid td.regressed{background-color:var(--regressed)}.grid td.unchanged{background-color:var(--unchanged)}
.grid td.gap{color:#94a3b8}
.grid th.c{text-align:center;text-transform:none;letter-spacing:0;white-space:nowrap;font-size:11px;line-height:1.3;padding:4px}
.grid th.name,.grid td.name{position:sticky;left:0;z-index:1;background:#fff;text-align:left;font-weight:400;font-size:13px;
width:auto;min-width:16em;max-width:36em;border-right:1px solid var(--line)}
.grid td.name a{white-space:nowrap;text-decoration:none}
.grid td.name .t{color:#475569;display:block;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.grid tr.group th{position:sticky;left:0;padding:14px 4px 6px;font-size:13px;color:var(--ink);text-transform:none;letter-spacing:0;
border-bottom:2px solid var(--line);text-align:left;background:#fff}
.grid thead th{position:sticky;top:0;z-index:2;background:#fff}
.grid thead th.name{z-index:3}
.limit{font-size:13px;color:#92400e;background:#fffbeb;border:1px solid #fde68a;border-radius:6px;padding:6px 10px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:10px}
.card{border:1px solid var(--line);border-left:5px solid var(--c);border-radius:8px;padding:8px 12px;font-size:13.5px;scroll-margin-top:12px}
.card:target{box-shadow:0 0 0 3px #fde68a}
.card .quote{font-size:14px;padding:4px 8px;margin-top:4px}
.analyst{margin:6px 0 0;padding:6px 10px;background:#fffbeb;border:1px solid #fde68a;border-radius:6px;font-size:13.5px}
.analyst b{font-weight:600}
.notes li{margin:4px 0}.notes li .analyst{display:inline-block;margin:0 0 0 8px;padding:2px 10px}
.chart{max-width:100%;height:auto}
.lists{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:14px}
.list{border:1px solid var(--line);border-top:4px solid var(--c);border-radius:8px;padding:10px 14px}
.list h3{margin-bottom:6px}
.list ul{margin:0;padding-left:18px;font-size:13.5px}
.tl{list-style:none;margin:10px 0 0;padding:0 0 0 22px;border-left:2px solid var(--line)}
.tl li{position:relative;margin:0 0 14px}
.tl li::before{content:"";position:absolute;left:-30px;top:6px;width:12px;height:12px;border-radius:50%;background:var(--c);border:2px solid #fff;box-shadow:0 0 0 1px var(--c)}
.tl li.gap::before{background:#fff;box-shadow:0 0 0 1px #94a3b8}
.tl .when{font-weight:600;margin-right:8px}
.tl li.gap{color:var(--muted);font-size:13px}
.evidence{margin:4px 0 8px;padding-left:18px;font-size:14px}
.evidence.suggested{color:#475569}
.entry h3{margin-top:10px}
h3 .facts{font-weight:400;margin-left:6px}
footer{margin-top:40px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:10px}
@media print{body{background:#fff;font-size:12px}main{padding:0;max-width:none}.entry,.list,.bcard{break-inside:avoid}
h2{break-after:avoid}a{color:inherit;text-decoration:none}}
@media (max-width:720px){.pair,.quotes,.cols{grid-template-columns:1fr}}
"""


_ANCHOR = re.compile(r"[^0-9A-Za-z_.-]")


def anchor(cid: str) -> str:
    """The fragment id of a commitment's card: ``c-`` + the id (characters outside [0-9A-Za-z_.-] hex-escaped)."""
    return "c-" + _ANCHOR.sub(lambda m: f"_{ord(m.group()):x}_", cid)


def e(text: object) -> str:
    """Escape any value for HTML text and attribute context."""
    return html.escape("" if text is None else str(text), quote=True)


def _var(cls: str) -> str:
    return f'style="--c:var(--{e(cls)})"'


def _date(d: dt.date | None) -> str:
    return iso_date(d, UNDATED)  # type: ignore[return-value]


def page(title: str, body: str, *, wide: bool = False) -> str:
    """Wrap a body in a complete, self-contained HTML document (``wide``: use the window's width)."""
    main = '<main class="wide">' if wide else "<main>"
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{main}\n{body}\n"
        "<footer>Generated by policy-tracker from the ledger. Quotes are verbatim from the source documents.</footer>\n"
        "</main>\n</body>\n</html>\n"
    )


def diff_html(ops: Iterable[tuple[str, str]]) -> str:
    """A character diff with ``<del>`` for text only in the earlier and ``<ins>`` only in the later statement."""
    parts = []
    for op, text in ops:
        parts.append(e(text) if op == "=" else f"<del>{e(text)}</del>" if op == "-" else f"<ins>{e(text)}</ins>")
    return "".join(parts)


def badges(changes: Iterable[str]) -> str:
    out = []
    for c in changes:
        cls = {"first": "new", "new": "new", "resumed": "new", "not_restated": "gap"}.get(c) or cell_class((c,))
        plain = " plain" if cls in ("unchanged", "gap") or c in ("reworded", "instrument_renamed") else ""
        out.append(f'<span class="badge{plain}" {_var(cls)}>{e(change_label(c))}</span>')
    return " ".join(out)


def legend(keys: Sequence[str] | None = None) -> str:
    items = []
    for key, label in CELL_CLASSES:
        if keys is None or key in keys:
            items.append(f'<li><span class="sym {key}" {_var(key)}>{e(CELL_SYMBOLS[key])}</span>{e(label)}</li>')
    return f'<ul class="legend">{"".join(items)}</ul>'


def verdict_html(v: StatusChange) -> str:
    when = f" {e(_date(v.date))}" if v.date else ""
    return f"<b>{e(v.status)}</b>{when}" + (f": {e(v.note)}" if v.note else "")


def analyst(tags: Sequence[str], notes: str | None, verdict: StatusChange | None) -> str:
    """What an analyst set (verdict with its note, tags, notes) as one highlighted block; "" when nothing."""
    parts = []
    if verdict is not None:
        parts.append(f"verdict {verdict_html(verdict)}")
    if tags:
        parts.append("tags " + " ".join(f'<span class="badge plain">{e(t)}</span>' for t in tags))
    if notes:
        parts.append(f"notes: {e(notes)}")
    return f'<div class="analyst">{" · ".join(parts)}</div>' if parts else ""


def _facts(m: Mention) -> str:
    facts = []
    if m.stage:
        facts.append(f"stage <b>{e(m.stage)}</b>")
    if m.targets:
        facts.append("targets " + "、".join(f"<b>{e(t.raw)}</b>" for t in m.targets))
    if m.deadlines:
        facts.append(f"deadline <b>{e(deadlines_text(m))}</b>")
    return f'<div class="facts">{" · ".join(facts)}</div>' if facts else ""


def _quote(m: Mention | None, tag: str, absent: str) -> str:
    if m is None:
        return f'<blockquote class="quote absent">{e(absent)}</blockquote>'
    who = f"<b>{e(tag)}</b>{e(_date(m.date))} · {e(m.speaker or 'speaker unknown')}"
    return f'<blockquote class="quote"><span class="who">{who}</span>「{e(m.quote)}」{_facts(m)}</blockquote>'


def _title(title: str | None, cid: str, mentions: Iterable[Mention | None]) -> str:
    """The commitment title, unless it only repeats the id or a quote shown right below."""
    core = (title or "").strip().rstrip("，。；、,.;:：")
    if not core or core == cid or any(m is not None and core in (m.quote, m.text or m.quote, m.quote.rstrip("，。；")) for m in mentions):
        return ""
    return f'<span class="title">{e(title)}</span>'


def _entry(x: DiffEntry, a: Briefing, b: Briefing) -> str:
    cls = SECTION_CELL[x.section]
    title = _title(x.title, x.commitment, (x.before, x.after))
    seen = ""
    if x.section == "new" and x.first_seen and x.after and x.first_seen != x.after.date:
        seen = f'<span class="facts">first seen {e(_date(x.first_seen))}</span>'
    if x.section == "not_restated" and x.last_seen:
        seen = f'<span class="facts">last stated {e(_date(x.last_seen))}</span>'
    moves = ""
    if x.before and x.after:
        pairs = [("stage", x.before.stage or "–", x.after.stage or "–")]
        pairs.append(("targets", "、".join(t.raw for t in x.before.targets) or "none", "、".join(t.raw for t in x.after.targets) or "none"))
        pairs.append(("deadline", deadlines_text(x.before) or "none", deadlines_text(x.after) or "none"))
        moves = "".join(f'<span class="move">{e(k)} <b>{e(a)}</b> → <b>{e(b)}</b></span>' for k, a, b in pairs if a != b)
    head = f'<div class="entry-head"><span class="id">{e(x.commitment)}</span>{title}{badges(x.changes)}{seen}{moves}</div>'
    notes = analyst(x.tags, x.notes, x.verdict)
    if x.before is None or x.after is None:  # one-sided: new in B, or not restated in B
        side = "B " if x.after is not None else "A "
        return f'<article class="entry one" {_var(cls)}>{head}{_quote(x.after or x.before, side, "")}{notes}</article>'
    quotes = _quote(x.before, "A ", "") + _quote(x.after, "B ", "")
    diff = ""
    if x.diff and any(op != "=" for op, _ in x.diff):
        diff = f'<div class="diff"><span class="label">wording A → B</span>{diff_html(x.diff)}</div>'
    return f'<article class="entry" {_var(cls)}>{head}<div class="quotes">{quotes}</div>{diff}{notes}</article>'


def _one_sided_table(key: str, entries: Sequence[DiffEntry]) -> str:
    """New in B / not restated in B: one compact row per commitment (there is nothing to compare)."""
    rows = []
    for x in entries:
        m = x.after if key == "new" else x.before
        if m is None:
            continue
        note = ""
        if "resumed" in x.changes and x.first_seen:
            note = f'<span class="badge" {_var("new")}>resumed</span> <span class="facts">first seen {e(_date(x.first_seen))}</span>'
        elif key == "not_restated" and x.last_seen and m.date != x.last_seen:
            note = f'<span class="facts">last stated {e(_date(x.last_seen))}</span>'
        rows.append(
            f'<tr><td><span class="id">{e(x.commitment)}</span></td><td class="who">{e(m.speaker or "–")}</td>'
            f'<td>「{e(m.quote)}」 {note}{_facts(m)}{analyst(x.tags, x.notes, x.verdict)}</td></tr>'
        )
    side = "B" if key == "new" else "A"
    return (
        f'<table class="one-sided" {_var(SECTION_CELL[key])}><thead><tr><th>Commitment</th><th>Speaker</th>'
        f'<th>Statement in {side}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _bcard(tag: str, b: Briefing) -> str:
    meta = [b.kind.replace("_", " ")]
    if b.period:
        meta.append(f"period {b.period}")
    if b.speakers:
        meta.append("、".join(b.speakers))
    event = f'<div class="meta">{e(b.event)}</div>' if b.event else ""
    return (
        f'<div class="bcard"><div class="tag">{e(tag)}</div><div class="when">{e(_date(b.held))}</div>'
        f'{event}<div class="meta">{e(" · ".join(meta))}</div><div class="meta"><code>{e(b.id)}</code></div></div>'
    )


def diff_page(d: BriefingDiff) -> str:
    """The diff between two briefings as a self-contained HTML page."""
    return page(f"Briefing diff {_date(d.a.held)} → {_date(d.b.held)}", diff_body(d))


def diff_body(d: BriefingDiff) -> str:
    """The diff page's content: what changed first (advanced, target/deadline, reworded, dropped), then what is new."""
    chips = "".join(
        f'<li><a class="chip" href="#{key}"><span class="dot" {_var(SECTION_CELL[key])}></span>{e(heading)} <b>{len(entries)}</b></a></li>'
        for key, heading, entries in d.sections()
    )
    body = [
        f"<h1>Briefing diff</h1><p class=\"sub\">What {e(briefing_label(d.b))} says compared with {e(briefing_label(d.a))}</p>",
        f'<div class="pair">{_bcard("A · EARLIER", d.a)}{_bcard("B · LATER", d.b)}</div>',
        f'<ul class="chips">{chips}</ul>',
        '<p class="facts">Wording marks: <del>deleted</del> only in A, <ins>inserted</ins> only in B.</p>',
    ]
    for key, heading, entries in d.sections():
        body.append(
            f'<h2 id="{key}"><span class="dot" {_var(SECTION_CELL[key])}></span>{e(heading)}'
            f' <span class="sec-count">{len(entries)}</span></h2>'
        )
        if not entries:
            body.append('<p class="none">None.</p>')
        elif key in ("new", "not_restated"):
            body.append(_one_sided_table(key, entries))
        else:
            body.extend(_entry(x, d.a, d.b) for x in entries)
    return "\n".join(body)


def _timeline_block(t: Timeline) -> str:
    c = t.commitment
    title = f'<span class="title">{e(c.title)}</span>' if c.title and c.title != c.id else ""
    status = f'<span class="badge plain">status: {e(t.status)}</span>' if t.status else ""
    topics = "".join(f'<span class="badge plain">{e(tp)}</span>' for tp in c.topics)
    items: list[tuple[str, str]] = []
    for x in t.entries:
        m = x.mention
        body = diff_html(x.diff) if x.diff and any(op != "=" for op, _ in x.diff) else e(m.quote)
        items.append(
            (
                _date(m.date),
                f'<li {_var(x.cell)}><span class="when">{e(_date(m.date))}</span>{e(m.speaker or "speaker unknown")} '
                f'{badges(x.changes)}<div class="quote">「{body}」{_facts(m)}</div></li>',
            )
        )
    for b in t.missing:
        what = f"{b.kind.replace('_', ' ')}{f' ({b.period})' if b.period else ''}"
        items.append((_date(b.held), f'<li class="gap"><span class="when">{e(_date(b.held))}</span>not restated in the {e(what)}</li>'))
    items.sort(key=lambda kv: kv[0])
    extra = ""
    if t.evidence:
        ev = "".join(f"<li>{e(_date(x.date))} · {e(x.speaker or '')} 「{e(x.quote)}」</li>" for x in t.evidence)
        extra += f'<h3>Evidence of progress</h3><ul class="evidence">{ev}</ul>'
    if t.suggested:
        sg = "".join(
            f"<li>{e(_date(x.date))} · 「{e(x.quote)}」 <span class=\"facts\">score {score:.0f} · <code>{e(x.id)}</code></span></li>"
            for x, score in t.suggested
        )
        extra += (
            f'<h3>Possible evidence <span class="facts">machine suggestions; confirm with '
            f"<code>policy-tracker set {e(c.id)} --evidence ID</code></span></h3><ul class=\"evidence suggested\">{sg}</ul>"
        )
    if t.status_history:
        steps = " → ".join(
            f"<b>{e(s.status)}</b> {e(_date(s.date) if s.date else '')}{' (analyst)' if s.by == 'analyst' else ''}"
            f"{': ' + e(s.note) if s.note else ''}"
            for s in t.status_history
        )
        extra += f'<p class="facts">Status history: {steps}</p>'
    notes = analyst(c.tags, c.notes, t.verdict)
    return (
        f'<article class="entry" {_var(t.latest_change)}><div class="entry-head"><span class="id">{e(c.id)}</span>'
        f'{title}{status}{topics}</div>{notes}<ol class="tl">{"".join(h for _, h in items)}</ol>{extra}</article>'
    )


def timelines_page(ts: Sequence[Timeline], heading: str = TIMELINES_HEADING) -> str:
    """One or more commitment histories as a self-contained HTML page."""
    return page(heading, timelines_body(ts, heading))


def timelines_body(ts: Sequence[Timeline], heading: str = TIMELINES_HEADING) -> str:
    """The timelines page's content."""
    body = [f"<h1>{e(heading)}</h1>", f'<p class="sub">{len(ts)} commitment{"s" if len(ts) != 1 else ""}; each restatement compared with the previous briefing</p>']
    body.append(legend())
    body.append('<p class="facts">Wording marks: <del>deleted</del> since the previous statement, <ins>inserted</ins>.</p>')
    body.extend(_timeline_block(t) for t in ts)
    if not ts:
        body.append('<p class="none">No commitment matches.</p>')
    return "\n".join(body)


def _bars(pairs: Sequence[tuple[str, int]], limit: int = 15) -> str:
    if not pairs:
        return '<p class="none">None.</p>'
    top = max(n for _, n in pairs)
    rows = "".join(
        f'<tr><td>{e(name)}</td><td class="num">{n}</td><td style="width:45%"><div class="bar" style="width:{100 * n / top:.1f}%"></div></td></tr>'
        for name, n in pairs[:limit]
    )
    return f"<table>{rows}</table>"


def _count(n: int) -> str:
    return '<span class="n0">0</span>' if n == 0 else str(n)


def overview_page(o: Overview, *, rows: int = GRID_ROWS, columns: int = GRID_COLUMNS) -> str:
    """The whole-ledger overview as a self-contained HTML page using the window's width, with the commitments × briefings grid.

    ``rows``/``columns`` limit the grid (and the commitment cards) on large
    ledgers to the most recently stated commitments and the latest briefings;
    the page says how many it shows.  0 means no limit.
    """
    return page("Ledger overview", overview_body(o, rows=rows, columns=columns), wide=True)


def _card(t: Row) -> str:
    c = t
    status = f'<span class="badge plain">status: {e(t.status)}</span>' if t.status else ""
    topics = "".join(f'<span class="badge plain">{e(tp)}</span>' for tp in c.topics)
    title = f'<span class="title">{e(c.title)}</span>' if c.title and c.title != c.id else ""
    seen = []
    if c.statements:  # it has mentions (undated ones too)
        seen.append(f"first seen {e(_date(c.first_seen))}")
        seen.append(f"last seen {e(_date(c.last_seen))}")
    seen.append(f"stated in {len(t.statements)} briefing{'s' if len(t.statements) != 1 else ''}")
    quote = f'<blockquote class="quote">「{e(c.latest_quote)}」</blockquote>' if c.latest_quote is not None else ""
    return (
        f'<article class="card" id="{anchor(c.id)}" {_var(t.latest_change)}><div class="entry-head"><span class="id">{e(c.id)}</span>'
        f'{status}{topics}</div>{title}<div class="facts">{" · ".join(seen)}</div>{analyst(c.tags, c.notes, t.verdict)}{quote}</article>'
    )


def overview_body(o: Overview, *, rows: int = GRID_ROWS, columns: int = GRID_COLUMNS) -> str:
    """The overview page's content."""
    total_mentions = sum(bc.mentions for bc in o.briefings)
    stats = [(len(o.briefings), "briefings"), (len(o.rows), "commitments"), (total_mentions, "mentions"),
             (len(o.advanced), "advanced"), (len(o.stalled), "stalled"), (len(o.dormant), "dormant")]  # fmt: skip
    body = ["<h1>Ledger overview</h1>", f'<p class="sub">{len(o.rows)} commitments tracked across {len(o.briefings)} briefings</p>']
    body.append('<div class="stats">' + "".join(f'<div class="stat"><div class="n">{n}</div><div class="l">{e(label)}</div></div>' for n, label in stats) + "</div>")
    moves = ("advanced", "changed", "reworded", "regressed", "unchanged", "gap")
    brows = "".join(
        f'<tr><td><code>{e(bc.briefing.id)}</code></td><td>{e(_date(bc.briefing.held))}</td><td>{e(bc.briefing.period or "–")}</td>'
        f'<td>{e("、".join(bc.briefing.speakers))}</td><td class="num">{bc.mentions}</td><td class="num">{bc.commitments}</td>'
        f'<td class="num">{_count(bc.new)}</td>'
        + "".join(f'<td class="num">{_count(counts[k])}</td>' for k in moves)
        + "</tr>"
        for bc, counts in zip(o.briefings, o.column_counts(), strict=True)
    )
    heads = "".join(
        f'<th class="num" title="{e(CELL_LABELS[k])}"><span class="sym {k}" {_var(k)}>{e(CELL_SYMBOLS[k])}</span></th>' for k in ("new", *moves)
    )
    body.append(
        '<h2>Briefings</h2><table class="briefings"><tr><th>Briefing</th><th>Held</th><th>Period</th><th>Speakers</th>'
        f'<th class="num">Mentions</th><th class="num">Commitments</th>{heads}</tr>{brows}</table>'
        f'<p class="facts">Symbol columns: pledges first stated in the briefing, then restatements by what changed since the previous statement.</p>{legend()}'
    )
    body.append(f'<div class="cols"><div><h2>Topics</h2>{_bars(o.topics)}</div><div><h2>Speakers</h2>{_bars(o.speakers)}</div></div>')

    grid = o.grid()
    total_rows, total_cols = len(grid), len(o.briefings)
    keep, lo = o.window(rows, columns)
    shown = [grid[i] for i in keep]
    linked = {t.id for t, _ in shown}

    def ref(t: Row) -> str:
        cid = t.id
        return f'<a class="id" href="#{anchor(cid)}">{e(cid)}</a>' if cid in linked else f'<span class="id">{e(cid)}</span>'

    groups = (("new", "Newest pledges", o.newest), ("advanced", "Advanced", o.advanced),
              ("unchanged", "Stalled", o.stalled), ("gap", "Dormant", o.dormant))  # fmt: skip
    lists = []
    for cls, title, ts in groups:
        items = "".join(f"<li>{ref(t)} {e(t.title)}</li>" for t in ts[:12])
        more = f"<li>… and {len(ts) - 12} more</li>" if len(ts) > 12 else ""
        inner = f"<ul>{items}{more}</ul>" if ts else '<p class="none">None.</p>'
        lists.append(f'<div class="list" {_var(cls)}><h3>{e(title)} ({len(ts)})</h3>{inner}</div>')
    body.append(f'<h2>Where pledges stand</h2><div class="lists">{"".join(lists)}</div>')
    if o.notes:
        items = "".join(
            f"<li>{ref(t)} {analyst(t.tags, t.notes, t.verdict)}</li>" for t in o.notes
        )
        body.append(f'<h2 id="notes">Analyst notes <span class="sec-count">{len(o.notes)}</span></h2><ul class="evidence notes">{items}</ul>')
    if o.fulfilment is not None:
        body.append(fulfilment_html(o.fulfilment))

    cols = range(lo, total_cols)
    head = "".join(
        f'<th class="c" title="{e(o.briefings[i].briefing.id)}">'
        + (f"{o.briefings[i].briefing.held.year}<br>{o.briefings[i].briefing.held.strftime('%m-%d')}" if o.briefings[i].briefing.held else "undated")
        + "</th>"
        for i in cols
    )
    symbol = {key: e(CELL_SYMBOLS[key]) for key, _ in CELL_CLASSES}
    groups_rows: dict[bool, list[str]] = {True: [], False: []}
    for t, cells in shown:
        tds = "".join(f'<td class="{cells[i]}">{symbol[cells[i]]}</td>' if cells[i] else "<td></td>" for i in cols)  # type: ignore[index]
        title = f'<span class="t">{e(t.title)}</span>' if t.title and t.title != t.id else ""
        groups_rows[len(t.statements) > 1].append(f'<tr><td class="name">{ref(t)}{title}</td>{tds}</tr>')
    width = len(cols) + 1
    tbodies = "".join(
        f'<tbody><tr class="group"><th colspan="{width}">{e(label)} ({len(groups_rows[key])})</th></tr>{"".join(groups_rows[key])}</tbody>'
        for key, label in ((True, "Restated in several briefings"), (False, "Stated once"))
        if groups_rows[key]
    )
    limit = ""
    if len(shown) < total_rows or len(cols) < total_cols:
        what = []
        if len(shown) < total_rows:
            what.append(f"the {len(shown):,} most recently stated of {total_rows:,} commitments")
        if len(cols) < total_cols:
            what.append(f"the latest {len(cols):,} of {total_cols:,} briefings")
        limit = (
            f'<p class="limit">Showing {" and ".join(what)}. Every cell is in <code>policy-tracker report --format csv</code>; '
            "<code>--grid-rows 0 --grid-columns 0</code> shows the whole grid here.</p>"
        )
    body.append(
        f'<h2 id="grid">Commitments × briefings</h2>{legend()}{limit}<div class="gridwrap"><table class="grid"><thead><tr>'
        f'<th class="name">Commitment</th>{head}</tr></thead>{tbodies}</table></div>'
    )
    cards = "".join(_card(t) for t, _ in shown)
    body.append(f'<h2 id="commitments">Commitments <span class="sec-count">{len(shown)}</span></h2><div class="cards">{cards}</div>')
    return "\n".join(body)
