"""Check a ledger file: structure (on load), the quote invariant against the documents, and loose ends.

Structure errors (bad YAML, unknown schema, wrong types, a quote whose
length does not fit its offsets …) are raised by :meth:`Ledger.load` as one
:class:`~policy_tracker.errors.LedgerError` naming file, line and field.
With the documents at hand, :func:`validate` also compares every quote with
the document text at its offsets and reports each mismatch with the line of
its ``quote:`` field.  Warnings (documents changed since ingest, dangling
evidence links, decisions that name unknown ids) do not make a ledger invalid.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs
import yaml

from . import folder
from . import yaml_io
from ..errors import LedgerError
from .ledger import Ledger
from ..sources.load import expand_paths, read_text


@attrs.frozen
class Validation:
    """What :func:`validate` found."""

    path: str
    commitments: int
    mentions: int
    decisions: int
    checked: int = 0
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _quote_lines(text: str, spans: Sequence[tuple[str, str, int, int]]) -> dict[tuple[str, str, int, int], int]:
    """Line of the ``quote:`` of each (section, source, start, end), found in the node tree."""
    wanted = set(spans)
    found: dict[tuple[str, str, int, int], int] = {}
    root = yaml.compose(text, Loader=yaml_io.loader())  # noqa: S506 - composing only
    if not isinstance(root, yaml.MappingNode):
        return found

    def scan(section: str, node: yaml.Node) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        fields = {k.value: v for k, v in node.value if isinstance(v, yaml.ScalarNode)}
        try:
            key = (section, fields["source"].value, int(fields["start"].value), int(fields["end"].value))
        except (KeyError, ValueError):
            return
        if key in wanted:
            quote = next((k for k, _ in node.value if k.value == "quote"), None)
            found[key] = (quote or node).start_mark.line + 1

    for k, v in root.value:
        if k.value == "commitments" and isinstance(v, yaml.SequenceNode):
            for c in v.value:
                if isinstance(c, yaml.MappingNode):
                    for ck, cv in c.value:
                        if ck.value == "mentions" and isinstance(cv, yaml.SequenceNode):
                            for m in cv.value:
                                scan("commitments", m)
        elif k.value == "evidence" and isinstance(v, yaml.SequenceNode):
            for e in v.value:
                scan("evidence", e)
    return found


def _structure_errors(path: Path, first: LedgerError) -> list[str]:
    """Every structure error of a ledger that failed to load (loading stops at the first)."""
    try:
        text = yaml_io.decode(path.read_bytes(), str(path))
        plain = yaml_io.parse(text, str(path))
    except (LedgerError, OSError):
        return [str(first)]
    problems = yaml_io.all_problems(plain)
    return [str(yaml_io.field_error(str(path), text, p)) for p in problems] or [str(first)]


def validate(path: str | os.PathLike[str], docs: Iterable[str | os.PathLike[str]] = ()) -> Validation:
    """Load ``path`` (raising on structure errors) and check quotes against the documents in ``docs``."""
    name = str(path)
    try:
        ledger = Ledger.load(path)
    except LedgerError as exc:
        return Validation(path=name, commitments=0, mentions=0, decisions=0, errors=tuple(_structure_errors(Path(path), exc)))
    warnings = [f"{name}: {p}" for p in ledger.problems()]
    errors: list[str] = []
    checked = 0
    docs = list(docs)
    if docs:
        files, missing = expand_paths(docs)
        if missing:
            raise LedgerError(missing[0])
        texts = {f.stem: read_text(f) for f in files}
        warnings.extend(
            f"{doc_id}: the document changed since it was ingested; re-ingest it to refresh its mentions"
            for doc_id in ledger.changed_documents(texts)
        )
        bad: list[tuple[str, str, int, int, str]] = []
        for c in ledger:
            for m in c.mentions:
                if m.source in texts:
                    checked += 1
                    if texts[m.source][m.start : m.end] != m.quote:
                        bad.append(("commitments", m.source, m.start, m.end, f"commitment {c.id}: mention {m.id}"))
        for e in ledger.evidence:
            if e.source in texts and texts[e.source][e.start : e.end] != e.quote:
                bad.append(("evidence", e.source, e.start, e.end, f"evidence {e.id}"))
        if bad:
            layered = Path(path).is_dir()  # a ledger folder: name the file of the commitment or document
            lines = {} if layered else _quote_lines(Path(path).read_text(encoding="utf-8-sig"), [b[:4] for b in bad])
            for section, source, start, end, what in bad:
                line = lines.get((section, source, start, end))
                where = f"{name}:{line}" if line else name
                if layered:
                    where = str(Path(path) / (folder.evidence_rel(source) if section == "evidence" else folder.commitment_rel(what.split()[1].rstrip(":"))))
                errors.append(
                    f"{where}: {what}: quote is not the document text at {start}:{end}; "
                    "restore the quote or re-ingest the document"
                )
    return Validation(
        path=name,
        commitments=len(ledger),
        mentions=len(ledger.mentions),
        decisions=len(ledger.decisions),
        checked=checked,
        errors=tuple(errors),
        warnings=tuple(warnings),
    )
