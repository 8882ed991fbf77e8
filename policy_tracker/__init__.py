"""policy_tracker: track Chinese industrial-policy pledges across briefings.

Load briefing articles, extract every forward-looking pledge with verbatim
provenance, match restatements into :class:`Commitment` objects, keep them in
a curated YAML ledger and report how they evolved.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import DataError, DocumentError, LedgerError, ManifestError, PolicyTrackerError
from .ledger import Ledger
from .load import LoadResult, briefings_from, load_document, load_documents, load_manifest
from .models import Briefing, Commitment, Deadline, Document, Evidence, Mention, Target

__all__ = [
    "Briefing",
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
    "load_document",
    "load_documents",
    "load_manifest",
]
