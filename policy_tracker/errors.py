"""The exceptions policy_tracker raises.

Every error subclasses :class:`PolicyTrackerError` and a fitting builtin, so
callers can catch either.  Messages name the file (and line or offset where
known), what was expected and what was found, and what to do about it.
"""

from __future__ import annotations


class PolicyTrackerError(Exception):
    """Base class of every error policy_tracker raises on bad input."""


class DocumentError(PolicyTrackerError, ValueError):
    """A document could not be read or decoded."""


class ManifestError(PolicyTrackerError, ValueError):
    """A briefing manifest or front matter is malformed."""


class DataError(PolicyTrackerError, ValueError):
    """A domain data table (aliases, vocabulary, ladder …) is malformed."""


class LedgerError(PolicyTrackerError, ValueError):
    """A ledger file is malformed or violates an invariant."""


class LedgerLockedError(LedgerError):
    """Another process is writing the same ledger."""


class ClusterError(PolicyTrackerError, RuntimeError):
    """A Dask cluster (``ingest --dask``) could not be reached or failed while it worked; nothing was written."""


class LookupFailed(PolicyTrackerError, KeyError):
    """A commitment, mention or briefing id that does not exist was asked for."""

    def __str__(self) -> str:  # KeyError repr()s its message; keep it readable
        return str(self.args[0]) if self.args else ""
