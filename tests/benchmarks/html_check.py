"""Render the HTML overview and diff of synthetic ledgers in headless Chromium: screenshots and a DOM check.

Run from the repository root (not part of the test suite; ``tests/test_render_html.py``
runs the DOM check on one size when Chromium is installed)::

    .venv/bin/python -m tests.benchmarks.html_check /tmp/shots            # 5, 12 and 40 briefings
    .venv/bin/python -m tests.benchmarks.html_check /tmp/shots --briefings 12 --width 1400

For each size it builds a synthetic ledger (``ledger_io.synthetic_parts``,
40 mentions per briefing, a few analyst verdicts, notes and tags), writes
``overview-N.html`` and ``diff-N.html`` (the last two briefings), takes
a screenshot of each (``*.png``, the window size given; ``overview-N-grid.png``
starts at the grid) and prints the DOM check as JSON: the page's scroll width against the viewport, elements outside
the viewport (the grid scrolls inside its own box, so its cells do not
count), whether the header row and the first column stay put when the grid
box is scrolled, how many commitment ids wrap, whether every grid row links
to a card on the page; and which CJK fonts named by the CSS are installed (``fc-list``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from policy_tracker.reports import html as render_html
from policy_tracker.reports import report
from policy_tracker.ledger import Ledger
from tests.benchmarks.ledger_io import synthetic_parts

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run")  # fmt: skip

# Measured in the page after load; the result is written to <body data-check> and read back with --dump-dom.
CHECK_JS = """
<script>
window.addEventListener('load', function () {
  var vw = document.documentElement.clientWidth, bad = [];
  document.querySelectorAll('body *').forEach(function (el) {
    if (el.closest('.gridwrap') && !el.classList.contains('gridwrap')) return;
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') return;
    var r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 1 || r.left < -1)) bad.push(el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || ''));
  });
  var res = {viewport: vw, scroll_width: document.documentElement.scrollWidth, outside: bad.length, outside_examples: bad.slice(0, 5)};
  var g = document.querySelector('.gridwrap');
  if (g) {
    var ids = document.querySelectorAll('.grid td.name a.id, .grid td.name span.id');
    res.grid_rows = ids.length;
    res.wrapped_ids = Array.prototype.filter.call(ids, function (a) { return a.getClientRects().length > 1; }).length;
    res.unlinked_rows = Array.prototype.filter.call(document.querySelectorAll('.grid td.name a.id'), function (a) {
      return !document.getElementById(a.getAttribute('href').slice(1)); }).length;
    res.name_column_px = Math.round(document.querySelector('.grid th.name').getBoundingClientRect().width);
    res.grid_box_px = Math.round(g.getBoundingClientRect().width);
    var gt = g.getBoundingClientRect();
    g.scrollTop = 400; g.scrollLeft = 400;
    var th = document.querySelector('.grid thead th.c'), name = document.querySelector('.grid tbody td.name');
    res.header_sticky = Math.abs(th.getBoundingClientRect().top - gt.top) < 3;
    res.first_column_sticky = Math.abs(name.getBoundingClientRect().left - gt.left) < 3;
  }
  document.body.setAttribute('data-check', JSON.stringify(res));
});
</script>
"""


def synthetic_ledger(n_briefings: int, per_briefing: int = 40, seed: int = 7) -> Ledger:
    """A synthetic ledger over ``n_briefings`` briefings with a few analyst verdicts, notes and tags."""
    ledger = Ledger(synthetic_parts(per_briefing * n_briefings, seed=seed, briefings=n_briefings))
    for i, c in enumerate(ledger.commitments[:: max(1, len(ledger) // 6)]):
        status = ("fulfilled", "partially_fulfilled", "broken")[i % 3]
        ledger.set(c.id, status=status, note=f"verdict note {i}", tags=["watch"], notes=f"analyst notes {i} <b>not bold</b>",
                   date=dt.date(2025, 1, 1))  # fmt: skip
    return ledger


def pages(ledger: Ledger) -> dict[str, str]:
    """The overview and the diff of the first against the last briefing."""
    o = report.overview(ledger)
    b = report._ordered_briefings(ledger)  # noqa: SLF001
    return {"overview": render_html.overview_page(o), "diff": render_html.diff_page(report.diff_briefings(ledger, b[-2].id, b[-1].id))}


# Headless screenshots ignore scrolling; to show the grid, the page is cut to start at it.
CUT_TO_GRID = '<script>var g=document.getElementById("grid");while(g.previousElementSibling){g.previousElementSibling.remove();}</script>'


def cjk_fonts() -> list[str]:
    """CJK font families the CSS names that fontconfig has (empty when fc-list is missing)."""
    fc = shutil.which("fc-list")
    if fc is None:
        return []
    listed = subprocess.run([fc, ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    named = re.findall(r'"([^"]+)"', render_html.CSS.split("body{", 1)[1].split("}", 1)[0])
    return [f for f in named if f in listed]


def screenshot(page: Path, png: Path, width: int = 1400, height: int = 1800) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={profile}", f"--screenshot={png}",
                        f"--window-size={width},{height}", "--hide-scrollbars", page.as_uri()],
                       capture_output=True, timeout=120, check=False)  # fmt: skip


def dom_check(html: str, width: int = 1400, height: int = 900) -> dict[str, Any]:
    """Load ``html`` (with :data:`CHECK_JS` added) in headless Chromium and return the measurements."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html.replace("</body>", CHECK_JS + "</body>"), encoding="utf-8")
        proc = subprocess.run([CHROMIUM or "chromium", *FLAGS, f"--user-data-dir={tmp}/profile", "--dump-dom",
                               f"--window-size={width},{height}", "--virtual-time-budget=5000", page.as_uri()],
                              capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    found = re.search(r'data-check="([^"]*)"', proc.stdout)
    if not found:
        raise RuntimeError(f"no DOM check in Chromium's output: {proc.stderr[-500:]}")
    import html as html_module

    return json.loads(html_module.unescape(found.group(1)))  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.html_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="where to write the pages and screenshots")
    parser.add_argument("--briefings", type=int, action="append", help="sizes (default 5, 12, 40)")
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print("chromium is not installed (apt-get install -y chromium fonts-noto-cjk)", file=sys.stderr)
        return 2
    out = Path(args.folder)
    out.mkdir(parents=True, exist_ok=True)
    for n in args.briefings or [5, 12, 40]:
        for kind, html in pages(synthetic_ledger(n)).items():
            path = out / f"{kind}-{n}.html"
            path.write_text(html, encoding="utf-8")
            screenshot(path, path.with_suffix(".png"), args.width)
            if kind == "overview":
                cut = out / f"{kind}-{n}-grid.html"
                cut.write_text(html.replace("</body>", CUT_TO_GRID + "</body>"), encoding="utf-8")
                screenshot(cut, out / f"{kind}-{n}-grid.png", args.width, 1000)
            result = dom_check(html, args.width)
            print(json.dumps({"page": path.name, "bytes": len(html.encode()), **result}, ensure_ascii=False), flush=True)
    print(json.dumps({"cjk_fonts_installed": cjk_fonts()}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
