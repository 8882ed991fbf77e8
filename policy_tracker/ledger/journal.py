"""Committing several files of a ledger folder together: temporaries, then a journal of renames, then the renames.

Each new text is written to a temporary file beside its target and fsynced;
then a journal (``.journal``: the writer's pid, the renames and the removals)
is written atomically (by rename); then the renames and removals are done
and the journal is deleted.  A writer killed before the journal exists has
changed nothing (:func:`remove_stale` deletes its temporaries later); one
killed after it leaves a journal that :func:`recover` (called before every
read) or the next writer finishes.  So the folder always holds the old or
the new ledger, whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

from . import files as storage
from ..errors import LedgerLockedError

JOURNAL = ".journal"


def _writer_alive(folder: Path) -> int | None:
    """The pid of a live writer committing a journal, or None."""
    try:
        pid = int(json.loads((folder / JOURNAL).read_text()).get("pid", 0))
    except (OSError, ValueError, AttributeError):
        return None
    return pid if pid and pid != os.getpid() and storage._alive(pid) else None


def recover(folder: Path, lock: Path) -> None:
    """Finish a save whose writer was killed after its journal was written (or wait for a live one)."""
    journal = folder / JOURNAL
    if not journal.exists():
        return
    for _ in range(300):  # a live writer's renames take milliseconds
        if _writer_alive(folder) is None:
            break
        time.sleep(0.05)
    if not journal.exists():
        return
    try:
        with storage.locked(lock):
            roll_forward(folder)
    except LedgerLockedError:
        # another live process holds the lock and will finish the journal; wait for it
        for _ in range(300):
            if not journal.exists():
                return
            time.sleep(0.05)
        raise


def roll_forward(folder: Path) -> None:
    journal = folder / JOURNAL
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        journal.unlink()  # never completed: written by rename, so it cannot be half there
        return
    for tmp, rel in plan.get("renames", []):
        if (folder / tmp).exists():
            os.replace(folder / tmp, folder / rel)
    for rel in plan.get("removes", []):
        with contextlib.suppress(FileNotFoundError):
            (folder / rel).unlink()
    fsync_dirs(folder, [rel for _, rel in plan.get("renames", [])] + plan.get("removes", []))
    journal.unlink()


def fsync_dirs(folder: Path, rels: Iterable[str]) -> None:
    for d in {(folder / rel).parent for rel in rels} | {folder}:
        with contextlib.suppress(OSError):
            fd = os.open(d, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def write_temp(path: Path, data: bytes, mode: int | None) -> Path:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        if mode is not None:
            os.fchmod(fh.fileno(), mode)
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def remove_stale(folder: Path, rels: Iterable[str] = ()) -> None:
    """Temporaries of writers that were killed before their journal (their pid is gone), beside the files ``rels``.

    Temporaries are only ever written beside their target, so the folders
    about to be written to are the ones to look in (not the whole ledger).
    """
    for d in {(folder / rel).parent for rel in rels} | {folder}:
        try:
            entries = [e.name for e in os.scandir(d) if e.name.startswith(".") and e.name.endswith(".tmp")]
        except OSError:
            continue
        for name in entries:
            pid = name.rsplit(".", 2)[-2]
            if pid.isdigit() and int(pid) != os.getpid() and not storage._alive(int(pid)):
                with contextlib.suppress(OSError):
                    (d / name).unlink()


def commit(folder: Path, files: dict[str, tuple[bytes, int | None]], removes: list[str]) -> None:
    """Write ``files`` (path → bytes, mode) and remove ``removes``, all or nothing; the caller holds the lock."""
    roll_forward(folder)
    remove_stale(folder, [*files, *removes])
    renames: list[tuple[str, str]] = []
    try:
        for rel, (data, mode) in sorted(files.items()):
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            renames.append((write_temp(path, data, mode).relative_to(folder).as_posix(), rel))
        fsync_dirs(folder, [rel for _, rel in renames])
        plan = {"pid": os.getpid(), "renames": renames, "removes": removes}
        os.replace(write_temp(folder / JOURNAL, json.dumps(plan, ensure_ascii=False).encode("utf-8"), None), folder / JOURNAL)
    except OSError:
        for tmp, _ in renames:
            with contextlib.suppress(OSError):
                (folder / tmp).unlink()
        raise
    roll_forward(folder)
