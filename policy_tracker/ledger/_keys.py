"""The matching keys of a ledger's mentions across saves (a private mixin of :class:`~policy_tracker.ledger.ledger.Ledger`).

The sidecar (``ledger.yaml.keys``, or ``.keys`` in a ledger folder) holds
them for the ledger exactly as saved (:mod:`policy_tracker.matching.incremental`);
a ledger folder's index also keeps them per mention (:mod:`.folder_keys`), so
that a folder changed since (a ``set``, a ``merge``) still has them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import files
from . import status as lifecycle
from ..models import Mention

if TYPE_CHECKING:
    from ..matching import incremental


class _Keys:
    """Ledger methods that read and write the matching keys; they use the ledger's state (``self._commitments`` …)."""

    _signatures: dict[str, incremental.Signature]

    def _key_index(self, stamp: str, groups: Sequence[Sequence[Mention]], vocab: Any) -> incremental.KeyIndex:
        """The index of the matching keys of the ledger's mentions: the sidecar of the file as loaded, else built now."""
        from ..matching import incremental

        if self._clean is self._commitments and self.path is not None and isinstance(self._loaded_digest, str):
            flat = [m for g in groups for m in g]
            found = incremental.KeyIndex.open(incremental.sidecar_path(self.path), self._loaded_digest, stamp, flat)
            if found is not None:
                return found
        self._reuse_stored_keys(stamp)
        signatures = []
        for g in groups:
            for m in g:
                sig = self._signatures.get(m.id)
                if sig is None:
                    sig = self._signatures[m.id] = incremental.signature(m, vocab)
                signatures.append(sig)
        return incremental.KeyIndex.build(signatures)

    def _save_keys(self, target: Path, old_digest: str | None | bool) -> dict[str, incremental.Signature]:
        """Keep the sidecar of matching keys in step with the file just written (large ledgers, or when one exists)."""
        from ..matching import incremental

        sidecar = incremental.sidecar_path(target)
        count = len(self._by_mention)
        if count < incremental.SIDECAR_MIN_MENTIONS and not sidecar.exists():
            return {}
        vocab, _, stamp = incremental.vocabulary()
        known = incremental.KeyIndex.signatures(sidecar, old_digest, stamp) if isinstance(old_digest, str) else {}
        if not known:
            self._reuse_stored_keys(stamp)
        known.update(self._signatures)  # computed this session: fresh extractions win
        ids, signatures = [], []
        for c in self._commitments:
            for m in c.mentions:
                mid = m.id
                sig = known.get(mid)
                if sig is None:
                    sig = incremental.signature(m, vocab)
                ids.append(mid)
                signatures.append(sig)
        digest = self._loaded_digest if isinstance(self._loaded_digest, str) else None
        incremental.KeyIndex.write(
            sidecar, digest, stamp, ids, signatures, status=lifecycle.stamp() if self._order is not None else None, staging=files.temporary(sidecar)
        )
        self._signatures = {}
        return dict(zip(ids, signatures, strict=True))

    def _reuse_stored_keys(self, stamp: str) -> None:
        """Of a ledger folder: take the keys its index holds for the mentions (current ones only) instead of computing them."""
        if getattr(self, "_store", None) is None or self.path is None:
            return
        from .folder_keys import stored_keys

        loaded = {id(m) for c in self._clean or () for m in c.mentions}  # as read from the files the index describes
        here = {m.id for c in self._commitments for m in c.mentions if id(m) in loaded}
        for mid, sig in stored_keys(self.path, stamp).items():
            if mid in here:
                self._signatures.setdefault(mid, sig)
