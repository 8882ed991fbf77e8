"""policy_tracker: track Chinese industrial-policy pledges across briefings.

Load briefing articles, extract every forward-looking pledge with verbatim
provenance, match restatements into :class:`Commitment` objects, keep them in
a curated YAML ledger and report how they evolved.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from .errors import DataError, DocumentError, LedgerError, ManifestError, PolicyTrackerError

# The public names below are imported on first use (PEP 562): importing the
# stages takes about a second, and the command line must be able to catch
# Ctrl-C from its first moment (policy_tracker.__main__.run) rather than print
# a traceback from the middle of an import.
_LAZY = {
    "extract": "extraction.extract",
    "normalize": "extraction.normalize",
    "Evolution": "ledger.evolution",
    "Restatement": "ledger.evolution",
    "evolve": "ledger.evolution",
    "to_dataframe": "ledger.dataframe",
    "to_records": "ledger.dataframe",
    "Ledger": "ledger.ledger",
    "LoadResult": "sources.load",
    "briefings_from": "sources.load",
    "load_document": "sources.load",
    "load_documents": "sources.load",
    "load_manifest": "sources.load",
    "cluster": "matching.cluster",
    "Briefing": "models",
    "Commitment": "models",
    "Deadline": "models",
    "Document": "models",
    "Evidence": "models",
    "Mention": "models",
    "Target": "models",
    "ingest_paths": "ledger.ingest",
    "BriefingDiff": "reports.report",
    "diff_briefings": "reports.report",
    "overview": "reports.report",
    "timeline": "reports.report",
    "timelines": "reports.report",
}

_NOTEBOOK_NAMES = frozenset({"Ledger", "Commitment", "BriefingDiff", "diff_briefings", "overview", "timeline", "timelines"})


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    if name in _NOTEBOOK_NAMES:  # notebook HTML (_repr_html_) is set by the reports stage: load it with these
        importlib.import_module(".reports.notebook", __name__)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


if TYPE_CHECKING:  # what the lazy names are, for type checkers and readers
    from .extraction.extract import extract
    from .extraction.normalize import normalize
    from .ledger.evolution import Evolution, Restatement, evolve
    from .ledger.dataframe import to_dataframe, to_records
    from .ledger.ledger import Ledger
    from .sources.load import LoadResult, briefings_from, load_document, load_documents, load_manifest
    from .matching.cluster import cluster
    from .models import Briefing, Commitment, Deadline, Document, Evidence, Mention, Target
    from .ledger.ingest import ingest_paths
    from .reports.report import BriefingDiff, diff_briefings, overview, timeline, timelines


__all__ = [
    "Briefing",
    "BriefingDiff",
    "Commitment",
    "DataError",
    "Deadline",
    "Document",
    "DocumentError",
    "Evidence",
    "Evolution",
    "Ledger",
    "LedgerError",
    "LoadResult",
    "ManifestError",
    "Mention",
    "PolicyTrackerError",
    "Restatement",
    "Target",
    "__version__",
    "briefings_from",
    "cluster",
    "diff_briefings",
    "evolve",
    "extract",
    "ingest_paths",
    "load_document",
    "load_documents",
    "load_manifest",
    "normalize",
    "overview",
    "timeline",
    "timelines",
    "to_dataframe",
    "to_records",
]
