"""Tests for policy_tracker.reports.html: escaping, self-containment, rendering in headless Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

from policy_tracker.reports import html as render_html
from policy_tracker.reports import report
from tests.report_samples import BULK, FLEET, sample_ledger, stage_rank

LEDGER = sample_ledger()
EVIL = "<script>alert('x')</script><img src=http://evil.example/x.png>&amp;"


def _pages(ledger: object = LEDGER) -> dict[str, str]:
    return {
        "diff": render_html.diff_page(report.diff_briefings(ledger, "2023-04-20", "2024-01-19", stage_rank=stage_rank)),  # type: ignore[arg-type]
        "timeline": render_html.timelines_page(report.timelines(ledger, stage_rank=stage_rank)),  # type: ignore[arg-type]
        "overview": render_html.overview_page(report.overview(ledger, stage_rank=stage_rank)),  # type: ignore[arg-type]
    }


class _Audit(HTMLParser):
    """Collects tags and every URL-bearing attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs_ if k in ("src", "href", "srcset", "action", "poster", "data")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _audit(page: str) -> _Audit:
    a = _Audit()
    a.feed(page)
    return a


def _evil_ledger() -> object:
    evil_fleet = attrs.evolve(
        FLEET,
        title=EVIL,
        mentions=[attrs.evolve(m, quote=m.quote + EVIL, text=m.text + EVIL, speaker=EVIL, topics=(EVIL,)) for m in FLEET.mentions],
    )
    return sample_ledger([evil_fleet, BULK])


@pytest.mark.parametrize("kind", ["diff", "timeline", "overview"])
def test_hostile_text_is_escaped(kind: str) -> None:
    """A quote, title, speaker or topic containing <script> or <img> shows as text, never as markup."""
    page = _pages(_evil_ledger())[kind]
    audit = _audit(page)
    assert "script" not in audit.tags and "img" not in audit.tags
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert any("<script>alert('x')</script>" in t for t in audit.text)  # what the reader sees


@pytest.mark.parametrize("kind", ["diff", "timeline", "overview"])
def test_page_is_self_contained(kind: str) -> None:
    """No script, stylesheet link, external URL, web font or CSS import: nothing is fetched."""
    page = _pages()[kind]
    audit = _audit(page)
    assert not {"script", "link", "iframe", "object", "embed", "img"} & set(audit.tags)
    assert all(u.startswith("#") for u in audit.urls), audit.urls
    assert "url(" not in page and "@import" not in page and "@font-face" not in page
    assert "Noto Sans CJK SC" in page and "PingFang SC" in page  # CJK font stack, local fonts only


def test_diff_page_marks_insertions_and_deletions() -> None:
    """The reworded public-fleet pilot shows <del>城市</del> and <ins>开展好</ins>."""
    page = _pages()["diff"]
    assert "<del>启动</del><ins>开展好</ins>公共领域车辆全面电动化<del>城市</del>试点" in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def _chromium(page: Path, png: Path, netlog: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             f"--log-net-log={netlog}", f"--screenshot={png}", "--window-size=1280,1600", page.as_uri()],
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip


def _page_requests(netlog: Path) -> set[str]:
    """URLs the page itself requested (Chromium's own background traffic has another isolation key)."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    urls = set()
    for event in log.get("events", []):
        params = event.get("params") or {}
        if "url" in params and str(params.get("network_isolation_key", "")).startswith("file://"):
            urls.add(params["url"])
    return urls


@needs_chromium
@pytest.mark.parametrize("kind", ["diff", "overview"])
def test_renders_in_headless_chromium_without_network(kind: str, tmp_path: Path) -> None:
    """Chromium renders the page to a non-trivial screenshot and the page requests nothing."""
    page = tmp_path / f"{kind}.html"
    page.write_text(_pages()[kind], encoding="utf-8")
    png, netlog = tmp_path / f"{kind}.png", tmp_path / "net.json"
    _chromium(page, png, netlog)
    assert png.is_file() and png.stat().st_size > 20_000
    assert _page_requests(netlog) == set()


@needs_chromium
def test_network_check_catches_a_page_request(tmp_path: Path) -> None:
    """Control: the net-log check does see a request made by a page."""
    page = tmp_path / "probe.html"
    page.write_text('<p>probe</p><img src="http://127.0.0.1:9/probe.png">', encoding="utf-8")
    _chromium(page, tmp_path / "probe.png", tmp_path / "net.json")
    assert _page_requests(tmp_path / "net.json") == {"http://127.0.0.1:9/probe.png"}


@pytest.mark.parametrize("kind", ["diff", "timeline", "overview"])
def test_hostile_briefing_metadata_is_escaped(kind: str) -> None:
    """Briefing events, periods and speakers from a manifest are escaped too."""
    from tests.report_samples import SampleLedger

    briefings = tuple(attrs.evolve(b, event=EVIL, period=EVIL, speakers=(EVIL,)) for b in LEDGER.briefings)
    audit = _audit(_pages(SampleLedger(LEDGER.commitments, briefings))[kind])
    assert "script" not in audit.tags and "img" not in audit.tags


@needs_chromium
def test_diff_page_prints_to_pdf(tmp_path: Path) -> None:
    """The diff page prints (print stylesheet) to a non-empty PDF."""
    page = tmp_path / "diff.html"
    page.write_text(_pages()["diff"], encoding="utf-8")
    pdf = tmp_path / "diff.pdf"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", f"--user-data-dir={profile}", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}", page.as_uri()],
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
