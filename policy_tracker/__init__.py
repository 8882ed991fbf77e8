"""policy_tracker: track Chinese industrial-policy pledges across briefings.

Load briefing articles, extract every forward-looking pledge with verbatim
provenance, match restatements into :class:`Commitment` objects, keep them in
a curated YAML ledger and report how they evolved.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import DataError, DocumentError, LedgerError, ManifestError, PolicyTrackerError
from .frame import to_dataframe, to_records
from .ledger import Ledger
from .load import LoadResult, briefings_from, load_document, load_documents, load_manifest
from .models import Briefing, Commitment, Deadline, Document, Evidence, Mention, Target
from .report import BriefingDiff, diff_briefings, overview, timeline

__all__ = [
    "Briefing",
    "BriefingDiff",
    "Commitment",
    "DataError",
    "Deadline",
    "Document",
    "DocumentError",
    "Evidence",
    "Ledger",
    "LedgerError",
    "LoadResult",
    "ManifestError",
    "Mention",
    "PolicyTrackerError",
    "Target",
    "__version__",
    "briefings_from",
    "diff_briefings",
    "load_document",
    "load_documents",
    "load_manifest",
    "overview",
    "timeline",
    "to_dataframe",
    "to_records",
]
