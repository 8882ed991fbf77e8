"""``policy-tracker migrate SRC DST``: the same ledger as a single file or as a ledger folder."""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from ..errors import LedgerError
from .folder import is_folder_path, write_new
from .ledger import Ledger


@attrs.frozen
class Migrated:
    """What :func:`migrate` wrote."""

    commitments: int
    mentions: int


def migrate(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> Migrated:
    """Write the ledger at ``source`` (file or folder) anew at ``target`` in the other layout (or the same one), losslessly.

    ``target`` is a folder when it ends with ``/`` or is an existing empty
    folder; it must not hold a ledger already.
    """
    dst = Path(target)
    if os.fspath(source) and Path(source).resolve() == dst.resolve():
        raise LedgerError(f"migrate: {target} is the ledger being read; give a new path")
    as_folder = is_folder_path(target)
    if as_folder and dst.exists() and (not dst.is_dir() or any(dst.iterdir())):
        raise LedgerError(f"{target}: exists and is not empty; migrate writes a new ledger: give a new or empty folder")
    if not as_folder and dst.exists() and dst.stat().st_size:
        raise LedgerError(f"{target}: exists; migrate writes a new ledger: give a new path (or delete the file first)")
    ledger = Ledger.load(source)
    if as_folder:
        write_new(ledger._parts(), dst)
    else:
        ledger.save(dst, force=True)
    return Migrated(len(ledger), len(ledger.mentions))
