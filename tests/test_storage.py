"""Safe writes: atomic replacement under SIGKILL, the writer lock, and concurrent-writer detection."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policy_tracker.ledger import files as storage
from policy_tracker.errors import LedgerLockedError
from policy_tracker.ledger import Ledger

from .benchmarks.ledger_io import synthetic_parts
from .ledger_fixtures import KW, documents

ROOT = Path(__file__).resolve().parent.parent

# The writer saves two ledgers in turn, as fast as it can, through the same
# atomic write that Ledger.save uses (dumping is done once, so that nearly all
# of the time is spent writing and a kill lands mid-write).
WRITER = """
import sys
from pathlib import Path
from policy_tracker.ledger.files import write_atomic
path, a, b = sys.argv[1:4]
data = [Path(a).read_bytes(), Path(b).read_bytes()]
print("ready", flush=True)
i = 0
while True:
    write_atomic(Path(path), data[i % 2])
    i += 1
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_save_leaves_old_or_new_complete_file(tmp_path: Path) -> None:
    """Killing the writer at random moments never leaves a partial ledger on disk."""
    a = Ledger(synthetic_parts(600, seed=1)).dumps()
    b = Ledger(synthetic_parts(600, seed=2)).dumps()
    assert a != b
    (tmp_path / "a.yaml").write_text(a, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(b, encoding="utf-8")
    path = tmp_path / "ledger.yaml"
    path.write_text(a, encoding="utf-8")
    rng = random.Random(5)
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")],
            stdout=subprocess.PIPE,
            cwd=ROOT,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.005, 0.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        on_disk = path.read_text(encoding="utf-8")
        assert on_disk in (a, b), "partial ledger on disk after SIGKILL"
    # The next save takes over the killed writer's lock and clears its temporary files.
    Ledger.loads(path.read_text(encoding="utf-8")).save(path, force=True)
    assert path.read_text(encoding="utf-8") in (a, b)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", "ledger.yaml"]


def test_lock_held_by_live_process_refuses_with_clear_message(tmp_path: Path) -> None:
    """A save while another live process holds the lock is refused, naming the pid and the lock file."""
    path = tmp_path / "ledger.yaml"
    storage.lock_path(path).write_text(f"{os.getppid()}\n")
    led = Ledger()
    led.ingest(documents("b1_spring"), **KW)
    with pytest.raises(LedgerLockedError, match=rf"process {os.getppid()} is writing this ledger \(lock file .*ledger.yaml.lock\)"):
        led.save(path)
    assert not path.exists()


def test_stale_lock_of_dead_process_is_taken_over(tmp_path: Path) -> None:
    """A lock left by a killed writer does not block the next save."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    path = tmp_path / "ledger.yaml"
    storage.lock_path(path).write_text(f"{dead.pid}\n")
    led = Ledger()
    led.ingest(documents("b1_spring"), **KW)
    led.save(path)
    assert path.exists() and not storage.lock_path(path).exists()


def test_file_changed_since_load_is_not_overwritten(tmp_path: Path) -> None:
    """If another process rewrote the ledger after we loaded it, save refuses and writes nothing."""
    path = tmp_path / "ledger.yaml"
    led = Ledger()
    led.ingest(documents("b1_spring"), **KW)
    led.save(path)
    mine = Ledger.load(path)
    theirs = Ledger.load(path)
    theirs.ingest(documents("b2_summer"), **KW)
    theirs.save()
    written = path.read_bytes()
    mine.ingest(documents("b3_winter"), **KW)
    with pytest.raises(LedgerLockedError, match="changed by another process since it was loaded"):
        mine.save()
    assert path.read_bytes() == written
    mine.save(force=True)  # the analyst may insist


def test_two_new_ledgers_on_the_same_path_second_is_refused(tmp_path: Path) -> None:
    """Two runs creating the same new ledger: the second notices the first."""
    path = tmp_path / "ledger.yaml"
    first, second = Ledger.open(path), Ledger.open(path)
    first.save()
    with pytest.raises(LedgerLockedError):
        second.save()


def test_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    """Only the ledger remains in the folder after a save."""
    path = tmp_path / "ledger.yaml"
    Ledger().save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.yaml"]


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o644])
def test_save_keeps_the_ledgers_permissions(tmp_path: Path, mode: int) -> None:
    """A private (0600) or group-writable (0664) ledger keeps its mode across an atomic save."""
    path = tmp_path / "ledger.yaml"
    path.write_bytes(b"old\n")
    os.chmod(path, mode)
    storage.write_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert path.stat().st_mode & 0o777 == mode


def test_read_only_ledger_is_refused_not_overwritten(tmp_path: Path) -> None:
    """A 0444 ledger is left as it is, with a message that says how to allow changes."""
    path = tmp_path / "ledger.yaml"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o444)
    with pytest.raises(storage.LedgerError, match="read-only.*chmod u\\+w"):
        storage.write_atomic(path, b"new\n")
    os.chmod(path, 0o644)
    assert path.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.yaml"]


def test_save_through_a_symlink_updates_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    """A symlinked ledger stays a link; the file it points to receives the new content."""
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "ledger.yaml"
    target.write_bytes(b"old\n")
    link = tmp_path / "ledger.yaml"
    link.symlink_to(Path("real") / "ledger.yaml")
    storage.write_atomic(link, b"new\n", expected=storage.digest(b"old\n"))
    assert link.is_symlink()
    assert target.read_bytes() == b"new\n"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["ledger.yaml"]


def _dead_pid() -> int:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    return dead.pid


def test_opening_a_ledger_removes_what_a_killed_writer_left(tmp_path: Path) -> None:
    """Temporary files, lock staging files and the lock of a dead writer are gone once any command opened the ledger."""
    path = tmp_path / "ledger.yaml"
    led = Ledger()
    led.ingest(documents(), **KW)
    led.save(path)
    pid = _dead_pid()
    left = [tmp_path / f".ledger.yaml.{pid}.tmp", tmp_path / f".ledger.yaml.keys.{pid}.tmp", tmp_path / f"ledger.yaml.lock.{pid}"]
    for f in left:
        f.write_text("partial")
    storage.lock_path(path).write_text(f"{pid}\n")
    live = tmp_path / f".ledger.yaml.{os.getppid()}.tmp"  # a live writer's file is left alone
    live.write_text("in progress")
    Ledger.load(path)  # a read-only command (report, show, validate) opens it this way
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["ledger.yaml", live.name])


def test_sidecar_is_staged_in_a_hidden_file_named_by_pid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save writes the key sidecar through the same hidden, pid-named temporary file as the ledger (so a killed write is cleaned up)."""
    path = tmp_path / "ledger.yaml"
    (tmp_path / "ledger.yaml.keys").write_text("")  # a sidecar exists: the save keeps it in step
    staged: list[Path] = []
    real = storage.temporary
    monkeypatch.setattr(storage, "temporary", lambda p: staged.append(p) or real(p))
    led = Ledger()
    led.ingest(documents(), **KW)
    led.save(path)
    assert staged == [path, tmp_path / "ledger.yaml.keys"]
    assert real(staged[1]) == tmp_path / f".ledger.yaml.keys.{os.getpid()}.tmp"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.yaml", "ledger.yaml.keys"]
