"""policy_tracker: track Chinese industrial-policy pledges across briefings.

Load briefing articles, extract every forward-looking pledge with verbatim
provenance, match restatements into :class:`Commitment` objects, keep them in
a curated YAML ledger and report how they evolved.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import DataError, DocumentError, LedgerError, ManifestError, PolicyTrackerError
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
