"""The pipeline in one call: load documents → extract → match → ledger file.

Only this module and the CLI chain the stages; each stage stays usable alone.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from . import append, folder
from ..progress import step
from ..errors import PolicyTrackerError
from .ledger import IngestSummary, Ledger
from ..sources.load import MetadataWarning, load_documents
from ..sources.text import MAX_DOCUMENT_BYTES


@attrs.frozen
class IngestResult:
    """What :func:`ingest_paths` did: the ingest summary, load errors and metadata warnings."""

    summary: IngestSummary
    ledger_path: Path
    load_errors: tuple[str, ...] = ()
    load_warnings: tuple[str, ...] = ()
    outcome: str = "updated"  # created, updated or unchanged (with dry_run: what a real run would do)
    notes: tuple[str, ...] = ()  # how it went: why a ledger folder was loaded whole rather than appended to


def ingest_paths(
    paths: Iterable[str | os.PathLike[str]],
    ledger_path: str | os.PathLike[str],
    *,
    manifest: str | os.PathLike[str] | None = None,
    strict: bool = False,
    max_bytes: int | None = MAX_DOCUMENT_BYTES,
    dry_run: bool = False,
    rematch: bool = False,
    incremental: bool = True,
    show_progress: bool = False,
) -> IngestResult:
    """Load documents, ingest them into the ledger at ``ledger_path`` (created if missing) and save it.

    ``max_bytes`` is the document size limit of :func:`load_documents`;
    ``incremental`` and ``rematch`` are passed to :meth:`Ledger.ingest`;
    ``show_progress`` reports extraction and matching on stderr (see :mod:`policy_tracker.progress`).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MetadataWarning)
        loaded = load_documents(list(paths), manifest, strict=strict, max_bytes=max_bytes)
    if not loaded.documents:
        raise PolicyTrackerError("no documents could be loaded" + (f": {loaded.errors[0]}" if loaded.errors else ""))
    prepared: Any = None
    notes: tuple[str, ...] = ()
    if incremental and not rematch and folder.is_folder_path(ledger_path) and folder.check_folder(ledger_path):
        with step("loading what the new documents can change", None, enabled=show_progress):
            prepared = append.prepare(Path(ledger_path), loaded.documents, show_progress)  # an appending ingest: a partial ledger
        if isinstance(prepared, str):
            notes = (f"the whole ledger was loaded, not only what the new documents can change: {prepared}",)
            prepared = None
    if prepared is not None:
        ledger, options, others = prepared
    else:
        with step("loading ledger" + (f" ({notes[0].split(': ', 1)[1]})" if notes else ""), None, enabled=show_progress):
            ledger = Ledger.open(ledger_path)
        options, others = {"incremental": incremental}, 0
    existed = ledger.path is not None and ledger._loaded_digest is not None and (len(ledger) > 0 or others > 0)
    layered = ledger._store is not None  # a ledger folder: compare file by file, not the whole text
    before = ledger.dumps() if existed and not layered else None
    summary = ledger.ingest(loaded.documents, rematch=rematch, show_progress=show_progress, **options)
    summary = attrs.evolve(summary, unchanged=summary.unchanged + others)  # the commitments a partial ledger left on disk
    if not existed:
        outcome = "created"
    elif layered:
        outcome = "updated" if folder.pending(ledger) else "unchanged"
    else:
        outcome = "unchanged" if ledger.dumps() == before else "updated"
    if not dry_run and outcome != "unchanged":
        with step("saving ledger", len(ledger), "commitments", enabled=show_progress):
            ledger.save(ledger_path)
    return IngestResult(
        outcome=outcome,
        summary=summary,
        ledger_path=Path(ledger_path),
        load_errors=loaded.errors,
        load_warnings=tuple(str(w.message) for w in caught if issubclass(w.category, MetadataWarning)),
        notes=notes,
    )
