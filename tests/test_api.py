"""The public API: exactly the names analysts use, each documented in docs/api.md."""

from __future__ import annotations

from pathlib import Path

import policy_tracker

DOCS = Path(__file__).resolve().parent.parent / "docs" / "api.md"

EXPECTED = {
    "Briefing", "BriefingDiff", "Commitment", "DataError", "Deadline", "Document", "DocumentError",
    "Evidence", "Evolution", "Ledger", "LedgerError", "LoadResult", "ManifestError", "Mention",
    "PolicyTrackerError", "Restatement", "Target", "__version__", "briefings_from",
    "cluster", "diff_briefings", "evolve", "extract", "ingest_paths", "load_document",
    "load_documents", "load_manifest", "normalize", "overview", "timeline", "timelines", "to_dataframe",
    "to_records",
}  # fmt: skip


def test_all_is_pinned() -> None:
    """__all__ changes only deliberately (update this test and docs/api.md together)."""
    assert set(policy_tracker.__all__) == EXPECTED
    for name in policy_tracker.__all__:
        assert hasattr(policy_tracker, name), name


def test_every_public_name_is_documented() -> None:
    """Each name in __all__ appears in docs/api.md."""
    text = DOCS.read_text(encoding="utf-8")
    missing = [n for n in policy_tracker.__all__ if n != "__version__" and f"`{n}" not in text]
    assert missing == []


def test_errors_subclass_value_error() -> None:
    """Library errors can be caught as ValueError as well as PolicyTrackerError."""
    for cls in (policy_tracker.DocumentError, policy_tracker.ManifestError, policy_tracker.LedgerError, policy_tracker.DataError):
        assert issubclass(cls, ValueError) and issubclass(cls, policy_tracker.PolicyTrackerError)


def test_stage_modules_are_not_shadowed() -> None:
    """Stage packages and their modules stay importable as modules (no package attribute shadows them)."""
    import functools
    import importlib
    import types

    for name in ("sources.load", "extraction.extract", "extraction.normalize", "matching.cluster", "ledger.ledger",
                 "ledger.evolution", "reports.report", "cli.app"):  # fmt: skip
        module = importlib.import_module(f"policy_tracker.{name}")
        attr = functools.reduce(getattr, name.split("."), policy_tracker)
        assert isinstance(attr, types.ModuleType), name
        assert module is attr


def test_lazy_names_are_exactly_the_public_api() -> None:
    """Every public name is either imported eagerly (errors, version) or listed for lazy import, and nothing else is."""
    lazy = set(policy_tracker._LAZY)  # noqa: SLF001
    eager = {"__version__", "DataError", "DocumentError", "LedgerError", "ManifestError", "PolicyTrackerError"}
    assert lazy | eager == set(policy_tracker.__all__) and not lazy & eager


def test_importing_the_package_imports_no_stage() -> None:
    """`import policy_tracker` stays cheap (the stages load on first use), so the CLI can catch Ctrl-C from its start."""
    import subprocess
    import sys

    code = "import sys, policy_tracker; print(sorted(m for m in sys.modules if m.startswith('policy_tracker.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['policy_tracker.errors']"
