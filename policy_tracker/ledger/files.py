"""Safe ledger files: atomic replacement, a writer lock, and detection of a concurrent writer.

A save writes a temporary file in the ledger's folder, flushes and fsyncs it,
then ``os.replace``-s it over the ledger (atomic on POSIX and Windows) and
fsyncs the folder: the file on disk is always the old or the new complete
ledger, even if the process is killed mid-write.

Two writers are kept apart twice: a lock file (``LEDGER.lock``, created with
``O_EXCL``, holding the writer's pid) around the write, and a digest of the
bytes read at load compared with the file on disk just before replacing it,
so that a ledger changed by someone else since it was loaded is never
silently overwritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import LedgerError, LedgerLockedError


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def folder_error(path: Path) -> LedgerError:
    """The one message for a ``--ledger`` that names a folder."""
    return LedgerError(f"{path}: is a folder, not a ledger file; name the file, e.g. --ledger {Path(path) / 'ledger.yaml'}")


def read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise folder_error(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LedgerError(f"{path}: no such ledger; run `policy-tracker ingest DOCS --ledger {path}` to create it") from None
    except OSError as exc:
        raise LedgerError(f"{path}: cannot read ({exc.strerror}); check the path and permissions") from None


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _create_lock(lock: Path) -> None:
    """Create ``lock`` holding our pid, atomically: it never exists empty.

    The pid is written to a private file first, which is then hard-linked to
    the lock name (``link`` fails if the name exists, like ``O_EXCL``).  On a
    file system without hard links the lock is created with ``O_EXCL``.
    """
    own = lock.with_name(f"{lock.name}.{os.getpid()}")
    own.write_text(f"{os.getpid()}\n")
    try:
        os.link(own, lock)
    except FileExistsError:
        raise
    except OSError:  # no hard links here
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        os.write(fd, f"{os.getpid()}\n".encode())
        os.close(fd)
    finally:
        with contextlib.suppress(OSError):
            own.unlink()


def _lock_owner(lock: Path) -> int:
    try:
        return int(lock.read_text().strip() or 0)
    except (OSError, ValueError):
        return 0


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold ``LEDGER.lock`` while writing; a lock left by a dead process is taken over."""
    lock = lock_path(path)
    for attempt in (1, 2):
        try:
            _create_lock(lock)
            break
        except FileExistsError:
            pid = _lock_owner(lock)
            if attempt == 1 and pid and pid != os.getpid() and not _alive(pid):
                with contextlib.suppress(FileNotFoundError):
                    lock.unlink()  # stale: its writer was killed
                continue
            who = f"process {pid}" if pid else "another process"
            raise LedgerLockedError(
                f"{path}: {who} is writing this ledger (lock file {lock}); "
                "wait for it to finish, or delete the lock file if no policy-tracker is running"
            ) from None
        except OSError as exc:
            raise LedgerError(f"{path}: cannot create lock file {lock} ({exc.strerror}); check folder permissions") from None
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()


def temporary(path: Path) -> Path:
    """Where a writer of ``path`` (the ledger or a sidecar of it) stages the new bytes.

    Hidden, in the same folder (so ``os.replace`` is atomic), and named by the
    writer's pid, so that the file of a writer that was killed is recognised
    and removed (:func:`remove_leftovers`) without touching a live writer's.
    """
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def remove_leftovers(path: Path) -> None:
    """Delete what writers of ``path`` that were killed left behind: temporary files, lock staging files, the lock.

    Runs before every save and whenever a ledger is opened, so a killed
    command's files are gone once the next command has run.  Only files
    naming a process that no longer exists are touched.
    """
    folder, name = path.parent if str(path.parent) else Path("."), path.name
    try:
        leftovers = [(t, t.name[:-4].rsplit(".", 1)[-1]) for t in folder.glob(f".{glob_escape(name)}*.tmp")]
        leftovers += [(t, t.name[len(name) + 6 :]) for t in folder.glob(f"{glob_escape(name)}.lock.*")]
    except OSError:
        return
    for tmp, pid in leftovers:
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                tmp.unlink()
    lock = lock_path(path)
    pid = _lock_owner(lock) if lock.exists() else 0
    if pid and pid != os.getpid() and not _alive(pid) and _lock_owner(lock) == pid:
        with contextlib.suppress(OSError):
            lock.unlink()  # stale: its writer was killed (a live writer's lock names a live pid)


def glob_escape(name: str) -> str:
    """``name`` with the characters glob treats specially ([, *, ?) matched literally."""
    return "".join(f"[{ch}]" if ch in "[]*?" else ch for ch in name)


def _resolve_link(path: Path) -> Path:
    """The file a symlinked ledger points to: a save replaces the target and keeps the link."""
    if not path.is_symlink():
        return path
    try:
        return path.resolve(strict=False)
    except (OSError, RuntimeError) as exc:  # a link loop
        raise LedgerError(f"{path}: cannot follow the symbolic link ({exc}); point it at a file or remove it") from None


def _existing_mode(path: Path) -> int | None:
    """The permission bits of the ledger on disk (None: it does not exist yet).

    A read-only ledger is refused rather than replaced: the rename would
    silently overwrite a file the analyst protected.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError:
        return None
    mode = stat.S_IMODE(st.st_mode)
    if not mode & stat.S_IWUSR:
        raise LedgerError(f"{path}: the ledger is read-only (mode {mode:o}); nothing was written. Run `chmod u+w {path}` to allow changes")
    return mode


def write_atomic(path: Path, data: bytes | Iterable[bytes], expected: str | None | bool = False) -> str:
    """Replace ``path`` with ``data`` (bytes, or pieces of it written as they come) atomically; its digest.

    ``expected`` is the digest of the file as it was loaded (``None``: it did
    not exist; ``False``: do not check).  If the file on disk differs, nothing
    is written and :class:`LedgerLockedError` says so.  If making the pieces
    fails, the file is left as it was and the error passes on.
    """
    path = _resolve_link(Path(path))
    folder = path.parent if str(path.parent) else Path(".")
    mode = _existing_mode(path)
    with locked(path):
        if expected is not False:
            try:
                now: str | None = digest(path.read_bytes())
            except FileNotFoundError:
                now = None
            if now != expected:
                raise LedgerLockedError(
                    f"{path}: the ledger was changed by another process since it was loaded; "
                    "nothing was written. Re-run the command to work on the current file"
                )
        remove_leftovers(path)
        tmp = temporary(path)
        sha = hashlib.sha256()
        try:
            with open(tmp, "wb") as fh:
                if mode is not None:  # keep the analyst's permissions (0600 stays private)
                    os.fchmod(fh.fileno(), mode)
                for piece in (data,) if isinstance(data, bytes) else data:
                    sha.update(piece)
                    fh.write(piece)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise LedgerError(f"{path}: cannot write ({exc.strerror}); check free space and permissions") from None
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        with contextlib.suppress(OSError):  # make the rename itself durable
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    return sha.hexdigest()
