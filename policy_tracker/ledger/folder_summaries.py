"""A ledger folder's commitment summaries (:mod:`policy_tracker.ledger.summary`), served from its index for the overview."""

from __future__ import annotations

import json
from typing import Any

from . import summary
from . import yaml_io as serialize
from ..errors import LedgerLockedError
from .folder import FolderState, commitment_rel
from .folder_index import FolderIndex


def summaries(state: FolderState, order: Any) -> list[dict[str, Any]]:
    """The summary of every commitment of the folder the ledger was loaded from (``order``: its briefings, a ``status.Chronology``).

    Read from the index; those it lacks (or computed under another stage
    ladder, :func:`policy_tracker.ledger.summary.stamp`) are computed from the
    files' data and kept.  A folder changed since the load is refused.
    """
    index = FolderIndex(state.folder)
    try:
        if index.digest() != state.digest:
            raise LedgerLockedError(f"{state.folder}: the ledger was changed by another process while it was read; re-run the command")
        stamp = summary.stamp()
        rows = index.summaries(stamp)
        missing = [rel for rel, data in rows if data is None]
        computed = {rel: summary.summarize(serialize.commitment_in(plain, ()), hand_edits=True) for rel, plain in index.data(missing).items()}
        if computed:
            index.store_summaries(stamp, computed.items())
        # one JSON document for all of them: 31,759 json.loads calls at 10⁵ mentions cost as much again as the decoding
        stored = iter(json.loads(f"[{','.join(data for _, data in rows if data is not None)}]"))
        out = [computed[rel] if data is None else next(stored) for rel, data in rows if data is not None or rel in computed]
        for i, s in enumerate(out):
            if not s["history"]:  # none in the file: derived from the briefings, as a timeline derives it
                plain = index.data([commitment_rel(s["id"])])[commitment_rel(s["id"])]
                out[i] = summary.with_history(s, serialize.commitment_in(plain, ()), order)
        return out
    finally:
        index.close()
