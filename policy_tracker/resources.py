"""Locate and load the editable domain tables shipped under ``data/``.

Tables are YAML mappings.  A user extends or overrides one by passing extra
files, or by setting ``POLICY_TRACKER_DATA`` to a list of folders
(``os.pathsep``-separated) that hold a file of the same name; the user's file
is merged over the shipped one (mappings merged key by key, lists extended
without duplicates, scalars replaced).
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError

try:  # libyaml's C loader when present: same safety, ~10x faster
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader  # type: ignore[assignment]

ENV_VAR = "POLICY_TRACKER_DATA"


def data_dir() -> Path:
    """The folder holding the shipped tables (inside the wheel, or the repo's ``data/``)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "data"):
        if candidate.is_dir():
            return candidate
    raise DataError(f"{here}: shipped data folder not found; reinstall policy-tracker")


def merge(base: Any, extra: Any) -> Any:
    """Merge ``extra`` over ``base``: dicts recursively, lists extended, scalars replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for key, value in extra.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [v for v in extra if v not in base]
    return extra


def read_yaml_file(path: Path) -> Any:
    """Safe-load one YAML file, turning syntax errors into a DataError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror}); check the path") from exc
    try:
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(f"{where}: invalid YAML ({problem}); fix the file") from exc


def _env_files(name: str) -> list[Path]:
    dirs = [d for d in os.environ.get(ENV_VAR, "").split(os.pathsep) if d]
    return [Path(d) / name for d in dirs if (Path(d) / name).is_file()]


@functools.lru_cache(maxsize=64)
def _load_cached(name: str, extra: tuple[str, ...], env: str) -> Any:
    path = data_dir() / name
    table = read_yaml_file(path) if path.is_file() else {}
    for p in [*_env_files(name), *(Path(e) for e in extra)]:
        addition = read_yaml_file(p)
        if addition is None:
            continue
        if not isinstance(addition, type(table)) and table:
            raise DataError(f"{p}: expected a {type(table).__name__} like {path.name}; got {type(addition).__name__}")
        table = merge(table, addition)
    return table


def load_table(name: str, extra: Iterable[str | os.PathLike[str]] = ()) -> Any:
    """Load ``data/<name>`` merged with user extensions. The result is cached: do not mutate it."""
    return _load_cached(name, tuple(str(e) for e in extra), os.environ.get(ENV_VAR, ""))


def tables_digest() -> str:
    """A digest of every table file in effect: the shipped ``data/`` and the folders of ``POLICY_TRACKER_DATA``.

    Two processes with the same digest read the same tables (``ingest --dask``
    compares its workers' digest with its own before it hands them work).
    """
    h = hashlib.sha256()
    dirs = [data_dir(), *(Path(d) for d in os.environ.get(ENV_VAR, "").split(os.pathsep) if d)]
    for k, folder in enumerate(dirs):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else ():
            h.update(f"{k}/{path.relative_to(folder).as_posix()}\0".encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def text_table_lines(name: str) -> Iterator[tuple[Path, int, str]]:
    """``(path, line number, stripped line)`` of the shipped text table ``data/<name>`` and then the user's files of that name.

    Blank lines and ``#`` comments are skipped.  Later files come later, so a
    user's entry for the same key wins.
    """
    for path in (data_dir() / name, *_env_files(name)):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"{path}: cannot read as UTF-8 ({exc}); save it as UTF-8 text") from exc
        for lineno, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if line and not line.startswith("#"):
                yield path, lineno, line
