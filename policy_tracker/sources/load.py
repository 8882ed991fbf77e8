"""Load briefing documents and their metadata.

Authority, highest first: a manifest (``briefings.yaml``), YAML front matter in
the document, then detection from the text (:mod:`policy_tracker.sources.metadata`).
Bytes become text in :mod:`policy_tracker.sources.text` (encodings, size limit,
damaged files).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import warnings as _warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

import attrs
import yaml

from . import metadata
from ..errors import DocumentError, ManifestError
from ..models import BRIEFING_KINDS, LEDGER_MARK, REPORT_HEADINGS, Briefing, Document
from ..resources import SafeLoader, data_dir
from .batch import LINKED, is_inferred, is_linked, link_batch  # noqa: F401 - is_inferred: for the ledger
from .text import MAX_DOCUMENT_BYTES, decode, read_text  # noqa: F401 - decode: still importable from here
from .held import disagreement

DOCUMENT_SUFFIXES = (".txt", ".md")
MANIFEST_NAMES = ("briefings.yaml", "manifest.yaml")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MANIFEST_KEYS = {"briefing", "event", "held", "kind", "period", "outlet", "url", "published", "speakers", "title"}


class MetadataWarning(UserWarning):
    """Some metadata could not be determined (it stays ``None``)."""


@attrs.frozen
class LoadResult:
    """Documents that loaded, and one error message per file that did not."""

    documents: tuple[Document, ...]
    errors: tuple[str, ...] = ()


def _yaml_error(where: str, exc: yaml.YAMLError, line_offset: int = 0) -> ManifestError:
    mark = getattr(exc, "problem_mark", None)
    loc = f"{where}:{mark.line + 1 + line_offset}" if mark is not None else where
    return ManifestError(f"{loc}: invalid YAML ({getattr(exc, 'problem', None) or exc}); fix the file")


def _check_entry(where: str, key: str, entry: Any) -> dict[str, Any]:
    if not isinstance(entry, Mapping):
        raise ManifestError(f"{where}: entry {key!r}: expected a mapping of fields; got {type(entry).__name__}")
    unknown = set(entry) - _MANIFEST_KEYS
    if unknown:
        raise ManifestError(
            f"{where}: entry {key!r}: unknown field(s) {', '.join(sorted(map(str, unknown)))}; "
            f"expected {', '.join(sorted(_MANIFEST_KEYS))}"
        )
    out = dict(entry)
    for field in ("held", "published"):
        if out.get(field) not in (None, "", "unknown"):
            date = metadata.parse_date(out[field])
            if date is None:
                raise ManifestError(f"{where}: entry {key!r}: {field}: expected YYYY-MM-DD; got {out[field]!r}")
            out[field] = date
        elif field in out:  # stated as unknown (or left empty): kept, so that no warning is given
            out[field] = None
    if "kind" in out and out["kind"] not in BRIEFING_KINDS:
        raise ManifestError(f"{where}: entry {key!r}: kind: expected one of {', '.join(BRIEFING_KINDS)}; got {out['kind']!r}")
    if "speakers" in out and not isinstance(out["speakers"], list):
        raise ManifestError(f"{where}: entry {key!r}: speakers: expected a list of names")
    for field in ("period", "event", "outlet", "url", "briefing", "title"):
        if out.get(field) is not None:
            out[field] = str(out[field])
    return out


def read_manifest(stream: TextIO | str, name: str = "<manifest>") -> dict[str, dict[str, Any]]:
    """Parse a manifest: ``documents: {doc-id: {held, kind, period, …}}``."""
    text = stream if isinstance(stream, str) else stream.read()
    try:
        raw = yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader only
    except yaml.YAMLError as exc:
        raise _yaml_error(name, exc) from exc
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not isinstance(raw.get("documents", {}), Mapping):
        raise ManifestError(f"{name}: expected a top-level mapping with 'documents:'; see data/briefings.yaml")
    unknown = [str(k) for k in raw if k != "documents"]
    if unknown:  # e.g. `briefings:` — silently reading nothing would drop every date the file states
        raise ManifestError(
            f"{name}: unknown top-level key(s) {', '.join(map(repr, unknown))}; expected only 'documents:' "
            "mapping document ids (file names without extension) to their fields; see data/briefings.yaml"
        )
    return {str(k): _check_entry(name, str(k), v) for k, v in (raw.get("documents") or {}).items()}


def load_manifest(path: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """Read a manifest file."""
    p = Path(path)
    try:
        with p.open(encoding="utf-8-sig") as fh:
            return read_manifest(fh, str(p))
    except OSError as exc:
        raise ManifestError(f"{p}: cannot read manifest ({exc.strerror}); check the path") from exc


def shipped_manifest() -> dict[str, dict[str, Any]]:
    """The manifest shipped in ``data/briefings.yaml`` (facts about the seed briefings)."""
    return load_manifest(data_dir() / "briefings.yaml")


def split_front_matter(text: str, name: str = "<document>") -> dict[str, Any]:
    """The YAML front matter of a document (``---`` … ``---`` at the top), or ``{}``."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}
    try:
        raw = yaml.load(m.group(1), Loader=SafeLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise _yaml_error(name, exc, line_offset=1) from exc
    if not isinstance(raw, Mapping):
        return {}
    known = {k: v for k, v in raw.items() if k in _MANIFEST_KEYS}
    return _check_entry(name, "front matter", known)


def briefing_id(held: dt.date | None, kind: str, doc_id: str) -> str:
    """Default briefing id: ``2023-04-20-press-conference``; ``undated-<doc>`` when the date is unknown."""
    if held is None:
        return f"undated-{doc_id}"
    return f"{held.isoformat()}-{kind.replace('_', '-')}"


def make_document(
    doc_id: str,
    text: str,
    path: str | None = None,
    manifest_entry: Mapping[str, Any] | None = None,
) -> Document:
    """Build a :class:`Document` from decoded text, merging manifest, front matter and detection."""
    detected, prov, warns = metadata.detect(text)
    front = split_front_matter(text, path or doc_id)
    values: dict[str, Any] = dict(detected)
    date_source = values.pop("date_source", None)
    for source_name, layer in (("front matter", front), ("manifest", manifest_entry or {})):
        for key, value in layer.items():
            if value is not None and value != "":
                values[key] = value
                prov[key] = source_name
                if key == "held":
                    date_source = source_name
    if values.get("held") is None and "held" not in {*front, *(manifest_entry or {})}:
        named = date_from_name(doc_id)
        against = disagreement(metadata._fold(text)[0], named, values.get("published")) if named is not None else None
        if named is not None and against is not None:
            warns.append(f"date held unknown: the file name's date {named.isoformat()} does not fit the text ({against})")
        elif named is not None:  # the last resort: a date the file was named with, when no clue of the text disagrees
            values["held"], prov["held"], date_source = named, f"file name {doc_id}", "file name"
            warns = [*[w for w in warns if "date held" not in w], f"date held {named.isoformat()} taken from the file name (the text does not give it)"]
    if values.get("held") is None:
        date_source = None
    if "held" in values and values.get("held") is not None:
        warns = [w for w in warns if "held" not in w]
    stated = {*front, *(manifest_entry or {})}  # a manifest saying `published: unknown` needs no warning
    for key, label in (("held", "date held"), ("published", "publication date")):
        if values.get(key) is None and key in stated:
            warns = [w for w in warns if label not in w]
        elif values.get(key) is None and not any(label in w for w in warns):
            warns.append(f"{label} unknown")
    if not values.get("period"):
        warns.append("reporting period unknown")
    kind = str(values.get("kind") or "other")
    speakers = values.get("speakers") or metadata.find_speakers(text)
    held = values.get("held")
    return Document(
        id=doc_id,
        text=text,
        path=path,
        title=values.get("title"),
        outlet=values.get("outlet"),
        url=values.get("url"),
        published=values.get("published"),
        held=held,
        kind=kind,
        period=values.get("period"),
        event=values.get("event"),
        speakers=tuple(str(s) for s in speakers),
        briefing_id=values.get("briefing") or briefing_id(held, kind, doc_id),
        provenance=prov,
        warnings=tuple(warns),
        date_source=date_source,
    )


_NAME_DATE = re.compile(r"\A(20\d\d)-(\d\d)-(\d\d)(?!\d)")


def date_from_name(doc_id: str) -> dt.date | None:
    """An ISO date at the start of a file name (``2025-07-18_工信部发布会``), else ``None``."""
    m = _NAME_DATE.match(doc_id)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def document_id(path: str | os.PathLike[str]) -> str:
    """A document's id: its file name without the extension."""
    return Path(path).stem


def load_document(
    path: str | os.PathLike[str],
    manifest: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    max_bytes: int | None = MAX_DOCUMENT_BYTES,
) -> Document:
    """Load one file; ``manifest`` maps document ids to metadata entries; larger than ``max_bytes``: refused."""
    doc_id = document_id(path)
    text = read_text(path, max_bytes)
    entry = (manifest or {}).get(doc_id)
    return make_document(doc_id, text, str(path), entry)


# Files a folder scan leaves alone: a project's own notes are not articles.
_PROJECT_FILES = ("readme", "changelog", "changes", "license", "licence", "contributing", "authors", "notice")


def _head(path: Path, size: int) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(size)
    except OSError:
        return ""
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff")


def _first_line(path: Path) -> str:
    return _head(path, 512).split("\n", 1)[0]


def written_by_us(path: Path) -> str | None:
    """``"ledger"`` or ``"report"`` when the file is one policy-tracker wrote (a Markdown report), else ``None``.

    A YAML file holding the ledger schema line counts as a ledger even
    without the header comment (a hand-made or older ledger).
    """
    first = _first_line(path)
    if first.startswith(LEDGER_MARK):
        return "ledger"
    if first.startswith(REPORT_HEADINGS):
        return "report"
    if path.suffix.lower() in (".yaml", ".yml") and "schema: policy-tracker/ledger" in _head(path, 4096):
        return "ledger"
    return None


def _skip_in_folder(path: Path) -> str | None:
    """Why a folder scan leaves ``path`` out, or ``None`` to read it."""
    made = written_by_us(path)
    if made is not None:
        return f"a policy-tracker {made}, not an article"
    if path.stem.lower().split(".")[0] in _PROJECT_FILES:
        return "a project file, not an article; name it on the command line to read it anyway"
    return None


def _check_named_file(path: Path) -> None:
    """A file named on the command line must be a document: not a ledger, not a .pdf or .docx."""
    if written_by_us(path) == "ledger":
        raise DocumentError(
            f"{path}: is a policy-tracker ledger, not a document; nothing was read or written. "
            f"To write to it, pass it as --ledger {path}"
        )
    if path.suffix.lower() not in DOCUMENT_SUFFIXES:
        raise DocumentError(
            f"{path}: only {' and '.join(DOCUMENT_SUFFIXES)} documents are read (this is {path.suffix or 'a file without extension'}); "
            "nothing was read or written. Save the article as UTF-8 text (or rename it, if it is text)"
        )


def expand_paths(paths: Iterable[str | os.PathLike[str]], *, quiet: bool = False) -> tuple[list[Path], list[str]]:
    """Files named directly plus the ``.txt``/``.md`` files of named folders (sorted), and errors.

    A named file that is a ledger or not ``.txt``/``.md`` raises
    :class:`DocumentError` (nothing is read).  A folder scan skips the files
    policy-tracker wrote (ledgers, Markdown reports) and project files such as
    README.md, with a :class:`MetadataWarning` each (none when ``quiet``).
    """
    files: list[Path] = []
    errors: list[str] = []
    for raw in paths:
        p = Path(raw)
        if str(raw) == "-":
            errors.append(
                "-: documents are not read from standard input (each needs a file name as its id, and validate "
                "re-reads the file); save the text as a UTF-8 .txt file and name that file"
            )
        elif p.is_dir():
            found = []
            skipped = []
            for c in sorted(c for c in p.iterdir() if c.is_file() and c.suffix.lower() in DOCUMENT_SUFFIXES):
                why = _skip_in_folder(c)
                if why is None:
                    found.append(c)
                else:
                    skipped.append(c.name)
                    if not quiet:
                        _warnings.warn(f"{c}: skipped: {why}", MetadataWarning, stacklevel=2)
            if not found:
                also = f" (skipped {', '.join(skipped)}: not articles)" if skipped else ""
                errors.append(f"{p}: folder holds no .txt or .md documents{also}")
            files.extend(found)
        elif p.is_file():
            _check_named_file(p)
            files.append(p)
        elif p.exists():
            errors.append(f"{p}: not a regular file (a device, pipe or socket); name a .txt or .md document or a folder of them")
        else:
            errors.append(f"{p}: no such file or folder")
    return files, errors


def overlay(base: Mapping[str, Mapping[str, Any]], extra: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """``extra`` over ``base``, field by field: a user's ``held:`` keeps the shipped ``period:`` of that document."""
    out = {k: dict(v) for k, v in base.items()}
    for doc_id, entry in extra.items():
        out.setdefault(doc_id, {}).update(entry)
    return out


def find_manifests(
    paths: Iterable[str | os.PathLike[str]], extra: str | os.PathLike[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Shipped manifest, overlaid by any ``briefings.yaml``/``manifest.yaml`` in the named folders, then by ``extra``.

    An entry naming no document in its manifest's folder (or, for ``extra``,
    none of the documents in ``paths``) is a :class:`MetadataWarning`: a typo
    in a document id would otherwise drop the dates it states without a word.
    """
    paths = [Path(p) for p in paths]
    manifest = shipped_manifest()
    seen: set[Path] = set()
    for p in paths:
        folder = p if p.is_dir() else p.parent
        for name in MANIFEST_NAMES:
            candidate = folder / name
            if candidate.is_file() and candidate.resolve() not in seen:
                seen.add(candidate.resolve())
                found = load_manifest(candidate)
                present = {document_id(f) for f in folder.iterdir() if f.suffix.lower() in DOCUMENT_SUFFIXES}
                _warn_unknown_entries(candidate, found, present, f"no .txt/.md file of that name in {folder}")
                manifest = overlay(manifest, found)
    if extra is not None:
        found = load_manifest(extra)
        present = {document_id(f) for f in expand_paths(paths, quiet=True)[0]}
        _warn_unknown_entries(Path(extra), found, present, "no document of that name among those read")
        manifest = overlay(manifest, found)
    return manifest


def _warn_unknown_entries(path: Path, found: Mapping[str, Any], present: set[str], why: str) -> None:
    for doc_id in sorted(set(found) - present):
        _warnings.warn(
            f"{path}: entry {doc_id!r} is not used: {why}; check the id (the file name without extension)",
            MetadataWarning,
            stacklevel=3,
        )


def load_documents(
    paths: Iterable[str | os.PathLike[str]],
    manifest: Mapping[str, Mapping[str, Any]] | str | os.PathLike[str] | None = None,
    *,
    strict: bool = False,
    max_bytes: int | None = MAX_DOCUMENT_BYTES,
) -> LoadResult:
    """Load files and folders.

    ``manifest`` is a mapping (used as it is), or a manifest path, or ``None``:
    the shipped manifest plus any ``briefings.yaml`` beside the documents, and
    a path's entries over those, field by field.  A file that
    cannot be read is reported in ``errors`` and the others still load, unless
    ``strict``, when the first error is raised; ``strict`` also refuses a
    document whose date held is unknown (:func:`undated_message`).
    A file larger than ``max_bytes`` (default :data:`MAX_DOCUMENT_BYTES`; 0 or
    ``None``: no limit) is such an error.
    """
    paths = list(paths)
    if manifest is None or not isinstance(manifest, Mapping):
        manifest = find_manifests(paths, manifest)
    files, errors = expand_paths(paths)
    if errors and strict:
        raise DocumentError(errors[0])
    documents: list[Document] = []
    seen: dict[str, Path] = {}
    for f in files:
        doc_id = document_id(f)
        if doc_id in seen:
            msg = f"{f}: document id {doc_id!r} already loaded from {seen[doc_id]}; rename one of them"
            if strict:
                raise DocumentError(msg)
            errors.append(msg)
            continue
        try:
            documents.append(load_document(f, manifest, max_bytes=max_bytes))
        except (DocumentError, ManifestError) as exc:
            if strict:
                raise
            errors.append(str(exc))
            continue
        seen[doc_id] = f
    documents = link_undated(documents)
    if strict:
        for doc in documents:
            if doc.held is None:
                raise DocumentError(undated_message(doc))
    for doc in documents:
        for w in doc.warnings:
            _warnings.warn(f"{doc.path or doc.id}: {w}", MetadataWarning, stacklevel=2)
    return LoadResult(tuple(documents), tuple(errors))


def undated_message(doc: Document) -> str:
    """Why --strict refuses an undated document, and what to add."""
    why = next((w.split(": ", 1)[1] for w in doc.warnings if w.startswith("date held unknown: ")), "the text does not give it")
    return (
        f"{doc.path or doc.id}: date held unknown ({why}); --strict refuses undated documents. "
        f"Add 'held: YYYY-MM-DD' to its front matter or to a briefings.yaml beside it (entry {doc.id!r}), "
        "or ingest without --strict (an undated briefing is never the latest one)"
    )


def link_undated(
    documents: Iterable[Document], dated: Mapping[str, set[tuple[str, dt.date]]] | None = None
) -> list[Document]:
    """Attach an undated press-conference report to the one dated conference on the same period.

    Two outlets often report one press conference and only one gives the date
    (an article that says only 近日).  When exactly one dated press conference
    covers the same reporting period — in the batch, or in ``dated`` (period →
    {(briefing id, date held)}, the ledger's) — and was held by the document's
    publication date (when known), the undated document joins it;
    the inference is recorded in its date_source, provenance and warnings.  A
    document linked before is judged again (and becomes undated again when the
    match is no longer unique), so the result depends on the set of documents
    only, not on how they were batched.  A document still undated then takes
    the date of another report of the same event (:func:`.batch.link_batch`).
    """
    documents = [_unlinked(d) if is_linked(d.date_source) else d for d in documents]
    found: dict[str, set[tuple[str, dt.date]]] = {k: set(v) for k, v in (dated or {}).items()}
    for d in documents:
        if d.held is not None and d.period and d.kind == "press_conference":
            found.setdefault(d.period, set()).add((d.briefing_id or "", d.held))
    out = []
    for d in documents:
        matches = found.get(d.period or "", set())
        if d.held is None and d.kind == "press_conference" and len(matches) == 1 and held_by(d.published, matches):
            (bid, held), = matches
            prov = dict(d.provenance)
            prov["held"] = f"inferred: same period {d.period} as briefing {bid}"
            notes = tuple(w for w in d.warnings if "date held" not in w)
            d = attrs.evolve(
                d,
                held=held,
                briefing_id=bid,
                date_source=f"{LINKED}same period as briefing {bid}",
                provenance=prov,
                warnings=(*notes, f"date held inferred from briefing {bid} (same period {d.period})"),
            )
        out.append(d)
    return link_batch(out, dated)


def held_by(published: dt.date | None, matches: set[tuple[str, dt.date]]) -> bool:
    """Whether every candidate conference (briefing id, date held) was held by a report's publication date: a report cannot precede its event."""
    return published is None or all(held <= published for _, held in matches)


def _unlinked(d: Document) -> Document:
    prov = {k: v for k, v in d.provenance if k != "held"}
    notes = tuple(w for w in d.warnings if "date held" not in w)
    return attrs.evolve(
        d,
        held=None,
        briefing_id=briefing_id(None, d.kind, d.id),
        date_source=None,
        provenance=prov,
        warnings=(*notes, f"date held unknown: more than one dated press conference reports period {d.period}"),
    )


def briefings_from(documents: Iterable[Document]) -> list[Briefing]:
    """Group documents into the briefings they report, in chronological order (undated last)."""
    groups: dict[str, list[Document]] = {}
    for doc in documents:
        groups.setdefault(doc.briefing_id or briefing_id(doc.held, doc.kind, doc.id), []).append(doc)
    out = []
    for bid, docs in groups.items():
        docs.sort(key=lambda d: d.id)
        speakers: list[str] = []
        for d in docs:
            speakers.extend(s for s in d.speakers if s not in speakers)
        first = docs[0]
        out.append(
            Briefing(
                id=bid,
                held=next((d.held for d in docs if d.held), None),
                kind=first.kind,
                period=next((d.period for d in docs if d.period), None),
                event=next((d.event for d in docs if d.event), None),
                speakers=tuple(speakers),
                documents=tuple(d.id for d in docs),
            )
        )
    when = {
        b.id: b.held or min((d.published for d in groups[b.id] if d.published), default=None) for b in out
    }
    out.sort(key=lambda b: (when[b.id] is None, when[b.id] or dt.date.max, b.id))
    return out
