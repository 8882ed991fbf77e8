"""An optional cache of parsed ledgers, keyed by the SHA-256 of the file's bytes.

PyYAML needs most of a minute for a 100,000-mention ledger even with libyaml;
JSON of the same plain data loads many times faster.  When
``POLICY_TRACKER_CACHE`` names a folder, :meth:`Ledger.save` and
:meth:`Ledger.load` keep there a JSON copy of the plain data of each ledger
version they wrote or read, named by the digest of the YAML bytes.  A load
whose file bytes have a cached copy skips YAML parsing; every check of
:func:`policy_tracker.ledger.yaml_io.from_data` still runs.  Any edit of the YAML
changes the digest, so a stale copy is never used.  The newest
:data:`KEEP` copies are kept.  Unset (the default), nothing is cached.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

ENV_VAR = "POLICY_TRACKER_CACHE"
KEEP = 8
FORMAT = "ledger1-v1"  # bump when serialize.to_data changes shape


def folder() -> Path | None:
    """The cache folder, or ``None`` when caching is off."""
    value = os.environ.get(ENV_VAR, "").strip()
    return Path(value).expanduser() if value else None


def _file(digest: str) -> Path | None:
    base = folder()
    return base / f"{FORMAT}-{digest}.json" if base is not None else None


def get(digest: str) -> Any | None:
    """The cached plain data for a file with this digest, or ``None``."""
    path = _file(digest)
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def put(digest: str, data: Any) -> None:
    """Cache ``data`` for the file with this digest (best effort: a failure only costs speed)."""
    path = _file(digest)
    if path is None:
        return
    try:
        text = json.dumps(data, ensure_ascii=False, default=_plain)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        copies = sorted(path.parent.glob(f"{FORMAT}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in copies[KEEP:]:
            with contextlib.suppress(OSError):
                old.unlink()
    except (OSError, TypeError, ValueError):
        return
