"""The time-to-fulfilment section in HTML: median days per status, the survival table and a small inline SVG chart.

Split from :mod:`.html` (which places it in the overview); no script, every
text escaped (:func:`html.escape`), numbers formatted by
:func:`~policy_tracker.reports.fulfilment.days_text` and ``share_text`` like
the Markdown section.
"""

from __future__ import annotations

import html

from .fulfilment import ALL_TOPICS, Fulfilment, days_text, share_text


def e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def survival_svg(f: Fulfilment) -> str:
    """A small bar chart (inline SVG, no script): share of all pledges still restated k briefings on."""
    v = next((x for x in f.survival if x.topic == ALL_TOPICS), None)
    if v is None:
        return ""
    bar, gap, top, height = 46, 26, 18, 110
    width = 44 + len(f.horizons) * (bar + gap)
    parts = [f'<svg class="chart" role="img" aria-label="share of pledges still restated k briefings after first appearing" '
             f'width="{width}" height="{top + height + 40}" viewBox="0 0 {width} {top + height + 40}" xmlns="http://www.w3.org/2000/svg">']  # fmt: skip
    for y, label in ((0, "100%"), (0.5, "50%"), (1, "0%")):
        yy = top + height * y
        parts.append(f'<line x1="38" x2="{width}" y1="{yy:.0f}" y2="{yy:.0f}" stroke="#e5e7eb"/>'
                     f'<text x="34" y="{yy + 4:.0f}" font-size="10" text-anchor="end" fill="#6b7280">{label}</text>')  # fmt: skip
    for i, (k, share, n) in enumerate(zip(f.horizons, v.shares, v.at_risk, strict=True)):
        x = 44 + i * (bar + gap)
        h = height * (share or 0)
        label = share_text(share)
        parts.append(
            f'<rect x="{x}" y="{top + height - h:.1f}" width="{bar}" height="{h:.1f}" fill="#2563eb">'
            f"<title>+{k} briefings: {e(label)} of {n}</title></rect>"
            f'<text x="{x + bar / 2:.0f}" y="{top + height - h - 4:.0f}" font-size="11" text-anchor="middle" fill="#1f2937">{e(label)}</text>'
            f'<text x="{x + bar / 2:.0f}" y="{top + height + 16}" font-size="11" text-anchor="middle" fill="#374151">+{k}</text>'
            f'<text x="{x + bar / 2:.0f}" y="{top + height + 30}" font-size="10" text-anchor="middle" fill="#6b7280">n={n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def fulfilment_html(f: Fulfilment) -> str:
    """Time to fulfilment: median days per status, the survival table by topic, and its chart."""
    out = ['<h2 id="fulfilment">Time to fulfilment</h2>',
           '<p class="facts">Median days from a pledge\'s first statement to the analyst\'s verdict (fulfilled, broken …) '
           "or, for the other statuses, to its last restatement.</p>"]  # fmt: skip
    if not f.statuses:
        return "".join([*out, '<p class="none">None.</p>'])
    rows = "".join(
        f'<tr><td>{e(s.status)}</td><td class="num">{s.count}</td><td class="num">{days_text(s.median_days)}</td>'
        f"<td>{e(s.to)} ({s.measured})</td></tr>"
        for s in f.statuses
    )
    out.append(f'<table class="fulfil"><tr><th>Status</th><th class="num">Commitments</th><th class="num">Median days</th>'
               f"<th>Measured to</th></tr>{rows}</table>")  # fmt: skip
    heads = "".join(f'<th class="num">+{k}</th>' for k in f.horizons)
    body = "".join(
        f'<tr><td>{"<b>all pledges</b>" if v.topic == ALL_TOPICS else e(v.topic)}</td>'
        + "".join(f'<td class="num">{share_text(x)} <span class="facts">({n})</span></td>' for x, n in zip(v.shares, v.at_risk, strict=True))
        + "</tr>"
        for v in f.survival
    )
    out.append(
        '<h3 style="margin-top:18px">Still restated k briefings after first appearing</h3>'
        '<p class="facts">Share of the pledges observable that long (in brackets: how many); all series of briefings counted in order.</p>'
        f'<div class="cols"><div><table class="survival"><tr><th>Topic</th>{heads}</tr>{body}</table></div><div>{survival_svg(f)}</div></div>'
    )
    return "".join(out)
