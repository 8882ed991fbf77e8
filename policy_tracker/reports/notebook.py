"""Reports in notebooks: ``_repr_html_`` for Ledger (a summary), Commitment, Timeline, BriefingDiff and Overview.

The HTML is the report pages' content with their CSS scoped to one ``div``
(:func:`fragment`), so it does not restyle the notebook.  The methods are set
here, in the reports stage, so that the models and the ledger never import
their renderers (data flows one way); importing :mod:`policy_tracker` installs
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..ledger.ledger import Ledger
from ..models import TIMELINES_HEADING, Commitment
from .report import BriefingDiff, Overview, Timeline, build_timeline


def _html() -> Any:
    """The HTML renderer, imported when a notebook first shows something (a command line never needs it here)."""
    from . import html

    return html


def scope_css(css: str, scope: str) -> str:
    """``css`` with every selector placed under ``scope`` (``:root``, ``html`` and ``body`` become ``scope``), for fragments."""
    out, i = [], 0
    while True:
        j = css.find("{", i)
        if j < 0:
            return "".join(out)
        head, depth, k = css[i:j].strip(), 1, j + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[k], 0)
            k += 1
        body = css[j + 1 : k - 1]
        if head.startswith("@"):
            out.append(f"{head}{{{scope_css(body, scope)}}}")
        else:
            sels = [scope if x.strip() in (":root", "html", "body") else f"{scope} {x.strip()}" for x in head.split(",")]
            out.append(f"{','.join(sels)}{{{body}}}")
        i = k


FRAGMENT_CLASS = "policy-tracker"
_FRAGMENT_CSS: list[str] = []


def fragment(body: str) -> str:
    """A body as a ``<div>`` with its own scoped style: for notebooks (``_repr_html_``), not a whole page."""
    if not _FRAGMENT_CSS:
        _FRAGMENT_CSS.append(scope_css(_html().CSS, f".{FRAGMENT_CLASS}") + f".{FRAGMENT_CLASS}{{background:#fff;padding:8px 12px}}")
    return f'<div class="{FRAGMENT_CLASS}"><style>{_FRAGMENT_CSS[0]}</style>{body}</div>'


def diff_fragment(d: BriefingDiff) -> str:
    """The diff for a notebook cell."""
    return fragment(_html().diff_body(d))


def timelines_fragment(ts: Sequence[Timeline], heading: str = TIMELINES_HEADING) -> str:
    """Commitment histories for a notebook cell."""
    return fragment(_html().timelines_body(ts, heading))


def overview_fragment(o: Overview, *, rows: int | None = None, columns: int | None = None) -> str:
    """The overview for a notebook cell (grid limits: those of the HTML page unless given)."""
    html = _html()
    rows = html.GRID_ROWS if rows is None else rows
    columns = html.GRID_COLUMNS if columns is None else columns
    return fragment(html.overview_body(o, rows=rows, columns=columns))


def commitment_fragment(c: Commitment) -> str:
    """One commitment's history for a notebook cell (its own mentions; no briefing list, so no gaps)."""
    class _Alone:
        commitments, briefings = (c,), ()

    return timelines_fragment((build_timeline(_Alone(), c),), f"Commitment {c.id}")


def ledger_summary(ledger: Any) -> str:
    """A ledger at a glance for a notebook cell: counts, statuses, dates, top topics."""
    commitments = tuple(ledger.commitments)
    briefings = tuple(ledger.briefings)
    mentions = sum(len(c.mentions) for c in commitments)
    held = sorted(b.held for b in briefings if b.held)
    span = f"{held[0].isoformat()} – {held[-1].isoformat()}" if held else "undated"
    statuses: dict[str, int] = {}
    topics: dict[str, int] = {}
    for c in commitments:
        statuses[c.status or "new"] = statuses.get(c.status or "new", 0) + 1
        for t in c.topics:
            topics[t] = topics.get(t, 0) + 1
    noted = sum(1 for c in commitments if c.notes or c.tags or getattr(c, "verdict", None))
    where = getattr(ledger, "path", None)
    rows = [("briefings", f"{len(briefings)} ({span})"), ("commitments", str(len(commitments))), ("mentions", str(mentions)),
            ("evidence", str(len(tuple(getattr(ledger, "evidence", ()))))), ("decisions", str(len(tuple(getattr(ledger, "decisions", ()))))),
            ("annotated by an analyst", str(noted)),
            ("statuses", ", ".join(f"{k} {n}" for k, n in sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))) or "–"),
            ("top topics", ", ".join(f"{k} {n}" for k, n in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))[:10]) or "–")]  # fmt: skip
    e = _html().e
    body = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    title = f"Ledger {e(where)}" if where else "Ledger"
    return fragment(f'<h3>{title}</h3><table class="summary">{body}</table>')


def install() -> None:
    """Give the report values and the ledger their notebook HTML."""
    Ledger._repr_html_ = lambda self: ledger_summary(self)  # type: ignore[attr-defined]
    Commitment._repr_html_ = lambda self: commitment_fragment(self)  # type: ignore[attr-defined]
    Timeline._repr_html_ = lambda self: timelines_fragment((self,))  # type: ignore[attr-defined]
    BriefingDiff._repr_html_ = lambda self: diff_fragment(self)  # type: ignore[attr-defined]
    Overview._repr_html_ = lambda self: overview_fragment(self)  # type: ignore[attr-defined]


install()
