"""The ledger's YAML form: plain data in and out, with validation that names file, line and field.

Reading is two-step and fast in the common case: ``safe_load`` (libyaml's
``CSafeLoader`` when present) builds plain data, then :func:`parse` checks and
converts it.  Only when a check fails is the text composed again into a node
tree to find the line of the offending field, so errors read
``ledger.yaml:42: commitments[3].mentions[0].start: expected an integer; got 'x'``.

Writing is deterministic: keys in a fixed order, lists in a stable order,
``allow_unicode`` (Chinese stays readable), no aliases, no line folding, and
values YAML would coerce (dates, ``no``, ``2023``) quoted by the dumper.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import yaml

from ..errors import LedgerError
from ..models import LEDGER_MARK, Briefing, Evidence, Mention
from . import yaml_write
from .records import CURATED_FIELDS, Decision, DocumentRecord, StatusChange, TrackedCommitment
from .yaml_write import LazyList

SCHEMA = "policy-tracker/ledger/1"
HEADER = (
    f"{LEDGER_MARK} (schema {SCHEMA}); see docs/ledger.md. Its last line is '# end of ledger'.\n"
    "# Edit title, status, notes and tags freely: the machine never overwrites them.\n"
    "# Curate with decisions (merge, split, reject, pin); every later ingest replays them.\n"
)
# The last line the writer emits.  A file whose header promises it but that
# does not end with it was cut short (a partial copy, a bad merge, a full disk).
FOOTER = "# end of ledger\n"
_FOOTER_PROMISE = "Its last line is '# end of ledger'."
TOP_KEYS = ("schema", "briefings", "documents", "decisions", "commitments", "evidence")

try:  # libyaml: same safety, about ten times faster
    from yaml import CSafeDumper as _FastDumper
    from yaml import CSafeLoader as _FastLoader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _FastDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _FastLoader  # type: ignore[assignment]

    HAVE_LIBYAML = False


class _FastNoAliasDumper(_FastDumper):  # type: ignore[misc,valid-type]
    def ignore_aliases(self, data: Any) -> bool:
        return True


class _PureNoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def analyze_scalar(self, scalar: str) -> Any:
        # libyaml treats characters beyond the BMP (emoji, CJK Extension B) and
        # NEL as unprintable and double-quotes the scalar with escapes; do the
        # same so that both dumpers write the same bytes.
        analysis = super().analyze_scalar(scalar)
        if any(ch >= "\U00010000" or ch == "\x85" for ch in scalar):
            return yaml.emitter.ScalarAnalysis(
                scalar=scalar,
                empty=analysis.empty,
                multiline=analysis.multiline,
                allow_flow_plain=False,
                allow_block_plain=False,
                allow_single_quoted=False,
                allow_double_quoted=True,
                allow_block=False,
            )
        return analysis


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Multi-line text (an analyst's notes) as a literal block, so it reads as written."""
    if "\n" in value.rstrip("\n"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


for _cls in (_FastNoAliasDumper, _PureNoAliasDumper):
    _cls.add_representer(str, _represent_str)


def _no_duplicate_keys(base: type) -> type:
    """``base`` refusing a mapping that repeats a key (YAML would keep the last silently: a hand edit lost)."""

    class Loader(base):  # type: ignore[misc,valid-type]
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            mapping = super().construct_mapping(node, deep=deep)
            if len(mapping) != len(node.value):  # one comparison per mapping in the common case
                seen: set[Any] = set()
                for key_node, _ in node.value:
                    key = self.construct_object(key_node)
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            "while reading a mapping", node.start_mark,
                            f"duplicate key {key!r} (YAML would keep only the last one); keep one of them",
                            key_node.start_mark,
                        )
                    seen.add(key)
            return mapping

    Loader.__name__ = Loader.__qualname__ = f"NoDuplicate{base.__name__}"
    return Loader


_SafeLoaders = {True: _no_duplicate_keys(_FastLoader), False: _no_duplicate_keys(yaml.SafeLoader)}


def loader(libyaml: bool = True) -> type:
    """The safe loader (libyaml's when present and wanted, else pure Python), refusing duplicate keys."""
    return _SafeLoaders[bool(libyaml)]


def dumper(libyaml: bool = True) -> type:
    """The safe, alias-free dumper: libyaml's when present and wanted, else pure Python."""
    return _FastNoAliasDumper if libyaml else _PureNoAliasDumper


from ._fields import FieldError, dotted, _date_out, _attrs_out, _expect, _date_in, _str_in, _strs_in, _attrs_in


# ---------------------------------------------------------------- ledger parts

MENTION_KEEP = ("source", "start", "end", "quote", "date", "speaker")


def mention_out(m: Mention, changes: tuple[str, ...] = ()) -> dict[str, Any]:
    """A mention as plain data; ``text`` only when it differs from the quote."""
    out = _attrs_out(m, keep=MENTION_KEEP)
    if out.get("text") == m.quote:
        del out["text"]
    if changes:
        out["changes"] = list(changes)
    return out


def mention_in(data: Any, path: Sequence[str | int]) -> tuple[Mention, tuple[str, ...]]:
    """A mention and its change types from plain data, with the quote checks that need no document."""
    m = _attrs_in(Mention, data, path, skip=("changes",))
    if not m.text:
        m = attrs.evolve(m, text=m.quote)
    check_span(m, path)
    return m, _strs_in(data.get("changes"), (*path, "changes"))


def check_span(m: Mention | Evidence, path: Sequence[str | int]) -> None:
    """The quote invariant as far as it can be checked without the document."""
    if not m.quote:
        raise FieldError((*path, "quote"), "quote is empty; every mention quotes its document verbatim")
    if m.end <= m.start:
        raise FieldError((*path, "end"), f"expected end > start ({m.start}); got {m.end}")
    if m.end - m.start != len(m.quote):
        raise FieldError(
            (*path, "quote"),
            f"quote has {len(m.quote)} characters but end - start = {m.end - m.start}; "
            "the quote must be the document text at [start:end] (restore it, or re-ingest the document)",
        )


def briefing_out(b: Briefing) -> dict[str, Any]:
    return _attrs_out(b, keep=("id", "held", "kind", "documents"))


def history_out(h: StatusChange) -> dict[str, Any]:
    return _attrs_out(h, keep=("status", "by"))


def commitment_out(c: TrackedCommitment) -> dict[str, Any]:
    """A commitment in reading order: what the analyst edits first, mentions last."""
    out: dict[str, Any] = {"id": c.id, "title": c.title, "status": c.status}
    if c.topics:
        out["topics"] = list(c.topics)
    if c.tags:
        out["tags"] = list(c.tags)
    if c.notes is not None:
        out["notes"] = c.notes
    if c.curated:
        out["curated"] = list(c.curated)
    if c.aliases:
        out["aliases"] = list(c.aliases)
    first, last = c.first_seen, c.last_seen
    out["first_seen"] = _date_out(first.date) if first else None
    out["last_seen"] = _date_out(last.date) if last else None
    if c.evidence:
        out["evidence"] = list(c.evidence)
    if c.history:
        out["history"] = [history_out(h) for h in c.history]
    changes = dict(c.changes)
    out["mentions"] = [mention_out(m, changes.get(m.id, ())) for m in c.mentions]
    return out


_COMMITMENT_KEYS = (
    "id", "title", "status", "topics", "tags", "notes", "curated", "aliases",
    "first_seen", "last_seen", "evidence", "history", "mentions",
)  # fmt: skip


def commitment_in(data: Any, path: Sequence[str | int]) -> TrackedCommitment:
    _expect(data, dict, path, "a mapping with id, title, mentions")
    for key in data:
        if key not in _COMMITMENT_KEYS:
            raise FieldError((*path, str(key)), f"unknown field; expected one of {', '.join(_COMMITMENT_KEYS)}")
    for key in ("id", "mentions"):
        if key not in data:
            raise FieldError(path, f"missing field {key!r}")
    cid = _str_in(data["id"], (*path, "id"), optional=False)
    if not cid or any(ch.isspace() for ch in cid):
        raise FieldError((*path, "id"), f"expected an id without spaces; got {cid!r}")
    raw_mentions = _expect(data["mentions"], list, (*path, "mentions"), "a list of mentions")
    mentions, changes = [], {}
    for i, raw in enumerate(raw_mentions):
        m, ch = mention_in(raw, (*path, "mentions", i))
        mentions.append(m)
        if ch:
            changes[m.id] = ch
    history = data.get("history") or []
    _expect(history, list, (*path, "history"), "a list of status changes")
    _date_in(data.get("first_seen"), (*path, "first_seen"))
    _date_in(data.get("last_seen"), (*path, "last_seen"))
    _strs_in(data.get("topics"), (*path, "topics"))
    return TrackedCommitment(
        id=cid,
        title=_str_in(data.get("title"), (*path, "title")) or "",
        mentions=mentions,
        status=_str_in(data.get("status"), (*path, "status")),
        notes=_str_in(data.get("notes"), (*path, "notes")),
        tags=_strs_in(data.get("tags"), (*path, "tags")),
        curated=_curated_in(data.get("curated"), (*path, "curated")),
        aliases=_strs_in(data.get("aliases"), (*path, "aliases")),
        history=[_attrs_in(StatusChange, h, (*path, "history", i)) for i, h in enumerate(history)],
        evidence=_strs_in(data.get("evidence"), (*path, "evidence")),
        changes=changes,
    )


def _curated_in(value: Any, path: Sequence[str | int]) -> tuple[str, ...]:
    names = _strs_in(value, path)
    for i, name in enumerate(names):
        if name not in CURATED_FIELDS:
            raise FieldError((*path, i), f"expected one of {', '.join(CURATED_FIELDS)}; got {name!r}")
    return names


def evidence_out(e: Evidence) -> dict[str, Any]:
    """An evidence statement as plain data, led by its id (what verdicts cite)."""
    out = _attrs_out(e, keep=("source", "start", "end", "quote", "date", "speaker"))
    if out.get("text") == e.quote:
        del out["text"]
    return {"id": e.id, **out}


def evidence_in(data: Any, path: Sequence[str | int]) -> Evidence:
    e = _attrs_in(Evidence, data, path, skip=("id",))
    if "id" in data and data["id"] != e.id:
        raise FieldError((*path, "id"), f"expected {e.id} (SOURCE@START-END of this statement); got {data['id']!r}")
    if not e.text:
        e = attrs.evolve(e, text=e.quote)
    check_span(e, path)
    return e


_MENTION_ID = re.compile(r"^.+@\d+-\d+$")
_NEEDS = {"merge": ("ids",), "split": ("mentions",), "reject": (), "pin": ("mentions", "into"), "separate": ("mentions",)}


def decision_in(data: Any, path: Sequence[str | int]) -> Decision:
    """A decision, with the fields its action needs and mention ids of the form SOURCE@START-END."""
    d: Decision = _attrs_in(Decision, data, path)
    for name in _NEEDS[d.action]:
        if not getattr(d, name):
            raise FieldError(path, f"a {d.action} decision needs {name!r}; see docs/ledger.md#curation")
    if d.action == "reject" and not (d.commitment or d.mentions):
        raise FieldError(path, "a reject decision needs 'commitment' or 'mentions'")
    if d.action == "separate" and len(d.mentions) != 2:
        raise FieldError((*path, "mentions"), "a separate decision names exactly two mentions (the pair judged different pledges)")
    for i, mid in enumerate(d.mentions):
        if not _MENTION_ID.match(mid):
            raise FieldError((*path, "mentions", i), f"expected a mention id SOURCE@START-END; got {mid!r}")
    return d


@attrs.frozen
class LedgerParts:
    """Everything a ledger file holds, checked and converted."""

    briefings: tuple[Briefing, ...] = ()
    documents: tuple[DocumentRecord, ...] = ()
    decisions: tuple[Decision, ...] = ()
    commitments: tuple[TrackedCommitment, ...] = ()
    evidence: tuple[Evidence, ...] = ()


def to_data(parts: LedgerParts, *, lazy: bool = False) -> dict[str, Any]:
    """The ledger as plain data, ready for the dumper (``lazy``: commitments and evidence converted while written)."""
    many = LazyList if lazy else lambda items, convert: [convert(x) for x in items]
    return {
        "schema": SCHEMA,
        "briefings": [briefing_out(b) for b in parts.briefings],
        "documents": [_attrs_out(d, keep=("id", "briefing")) for d in parts.documents],
        "decisions": [_attrs_out(d, keep=("action",)) for d in parts.decisions],
        "commitments": many(parts.commitments, commitment_out),
        "evidence": many(parts.evidence, evidence_out),
    }


def _list_in(data: Mapping[str, Any], key: str, convert: Callable[[Any, tuple[str | int, ...]], Any]) -> list[Any]:
    raw = data.get(key)
    if raw is None:
        return []
    _expect(raw, list, (key,), f"a list of {key}")
    return [convert(item, (key, i)) for i, item in enumerate(raw)]


def from_data(data: Any) -> LedgerParts:
    """Check and convert plain data; raises :class:`FieldError` at the first problem."""
    if not isinstance(data, dict):
        raise FieldError((), f"expected a mapping with 'schema: {SCHEMA}' at the top; got {type(data).__name__}")
    schema = data.get("schema")
    if schema != SCHEMA:
        if schema is None:
            raise FieldError((), f"missing 'schema: {SCHEMA}'; is this a policy-tracker ledger?")
        raise FieldError(("schema",), f"unknown schema version {schema!r}; this version reads {SCHEMA} (upgrade policy-tracker)")
    for key in data:
        if key not in TOP_KEYS:
            raise FieldError((str(key),), f"unknown top-level field; expected {', '.join(TOP_KEYS)}")
    parts = LedgerParts(
        briefings=tuple(_list_in(data, "briefings", lambda v, p: _attrs_in(Briefing, v, p))),
        documents=tuple(_list_in(data, "documents", lambda v, p: _attrs_in(DocumentRecord, v, p))),
        decisions=tuple(_list_in(data, "decisions", decision_in)),
        commitments=tuple(_list_in(data, "commitments", commitment_in)),
        evidence=tuple(_list_in(data, "evidence", evidence_in)),
    )
    _check_unique(parts)
    return parts


def all_problems(data: Any) -> list[FieldError]:
    """Every field problem of plain ledger data (``from_data`` stops at the first)."""
    try:
        from_data(data)
        return []
    except FieldError as first:
        if not isinstance(data, dict) or not first.path or first.path[0] not in TOP_KEYS[1:]:
            return [first]
    problems: list[FieldError] = []
    converters: dict[str, Callable[[Any, tuple[str | int, ...]], Any]] = {
        "briefings": lambda v, p: _attrs_in(Briefing, v, p),
        "documents": lambda v, p: _attrs_in(DocumentRecord, v, p),
        "decisions": decision_in,
        "commitments": commitment_in,
        "evidence": evidence_in,
    }
    good: dict[str, list[Any]] = {}
    for key, convert in converters.items():
        raw = data.get(key)
        good[key] = []
        if raw is None:
            continue
        if not isinstance(raw, list):
            problems.append(FieldError((key,), f"expected a list of {key}; got {type(raw).__name__}"))
            continue
        for i, item in enumerate(raw):
            try:
                good[key].append(convert(item, (key, i)))
            except FieldError as exc:
                problems.append(exc)
    if not problems:
        try:
            _check_unique(LedgerParts(**{k: tuple(v) for k, v in good.items()}))
        except FieldError as exc:
            problems.append(exc)
    return problems


def _check_unique(parts: LedgerParts) -> None:
    """Ids are unique, each mention has one commitment, each commitment a mention, and the briefings and documents they name exist."""
    ids: dict[str, int] = {}
    owner: dict[str, int] = {}
    briefings = {b.id for b in parts.briefings}
    documents = {d.id for d in parts.documents}
    for i, c in enumerate(parts.commitments):
        if not c.mentions:
            raise FieldError(
                ("commitments", i, "mentions"),
                f"commitment {c.id} has no mention; every commitment quotes at least one "
                "(restore its mentions from git, or delete the commitment: `policy-tracker reject` keeps it out for good)",
            )
        for j, m in enumerate(c.mentions):
            if documents and m.source not in documents:
                raise FieldError(
                    ("commitments", i, "mentions", j, "source"),
                    f"document {m.source!r} is not among the ledger's documents:; restore its entry (from git) or re-run ingest on it",
                )
            if briefings and m.briefing is not None and m.briefing not in briefings:
                raise FieldError(
                    ("commitments", i, "mentions", j, "briefing"),
                    f"briefing {m.briefing!r} is not among the ledger's briefings:; restore its entry (from git) or re-run ingest",
                )
        for name in (c.id, *c.aliases):
            if name in ids:
                raise FieldError(("commitments", i, "id"), f"id {name!r} is already used by commitments[{ids[name]}]; ids must be unique")
            ids[name] = i
        for j, m in enumerate(c.mentions):
            if m.id in owner:
                raise FieldError(
                    ("commitments", i, "mentions", j),
                    f"mention {m.id} is also in commitments[{owner[m.id]}]; a mention belongs to one commitment (use a merge or pin decision)",
                )
            owner[m.id] = i


# ---------------------------------------------------------------- text in and out


def dumps(parts: LedgerParts, *, libyaml: bool = True) -> str:
    """The ledger as YAML text (deterministic)."""
    return dump_data(to_data(parts), libyaml=libyaml)


def dump_data(data: dict[str, Any], *, libyaml: bool = True) -> str:
    """Plain ledger data (from :func:`to_data`) as YAML text: what ``yaml.dump`` writes (:mod:`.yaml_write`)."""
    return HEADER + yaml_write.dump(data, dumper(libyaml), libyaml=libyaml) + FOOTER


def dump_chunks(parts: LedgerParts, *, libyaml: bool = True) -> Iterator[bytes]:
    """:func:`dumps` as UTF-8 pieces, each commitment converted as it is written: the text is never whole in memory.

    Raises :class:`~.yaml_write.Unsupported` for data the writer leaves to
    PyYAML (never for what :func:`to_data` makes); then write :func:`dumps`.
    """
    yield HEADER.encode()
    for piece in yaml_write.chunks(to_data(parts, lazy=True), dumper(libyaml), libyaml=libyaml):
        yield piece.encode()
    yield FOOTER.encode()


def check_complete(text: str, name: str) -> None:
    """Refuse a ledger cut short: its header promises the end line and the end line is missing."""
    head = text[:400].lstrip("\ufeff")
    if _FOOTER_PROMISE in head.split("\n", 1)[0] and text.rstrip().splitlines()[-1:] != [FOOTER.strip()]:
        lines = text.count("\n") + (not text.endswith("\n"))
        raise LedgerError(
            f"{name}:{lines}: the ledger is truncated: it does not end with its last line '{FOOTER.strip()}' "
            "(the file was cut short: restore it from git or a backup)"
        )


def decode(data: bytes, name: str) -> str:
    """Ledger bytes to text; a file cut inside a character is said to be truncated, not 'not UTF-8'."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" or (len(data) - exc.start < 4 and _incomplete_tail(data[exc.start :])):
            raise LedgerError(
                f"{name}: the ledger is truncated in the middle of a character at byte {exc.start} "
                "(the file was cut short: restore it from git or a backup)"
            ) from None
        raise LedgerError(f"{name}: not UTF-8 text (byte {exc.start}); re-save it as UTF-8") from None


def _incomplete_tail(tail: bytes) -> bool:
    lead = tail[0]
    need = 2 if lead >> 5 == 0b110 else 3 if lead >> 4 == 0b1110 else 4 if lead >> 3 == 0b11110 else 0
    return need > len(tail) and all(b >> 6 == 0b10 for b in tail[1:])


def line_of(text: str, path: Sequence[str | int]) -> int | None:
    """The 1-based line of the node at ``path`` (or of its nearest existing parent)."""
    try:
        node = yaml.compose(text, Loader=loader())  # noqa: S506 - composing only, nothing is constructed
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == part), None)
            if found is None:
                break
            key_node = next(k for k, v in node.value if v is found)
            node, line = found, key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def yaml_error(name: str, exc: yaml.YAMLError, text: str | None = None) -> LedgerError:
    """A one-line error for invalid YAML, at its line (also for a character YAML refuses, such as NUL)."""
    mark = getattr(exc, "problem_mark", None)
    character = getattr(exc, "character", None)  # a ReaderError (NUL, a control character): no mark
    at = text.find(chr(character)) if isinstance(character, int) and text is not None else -1
    if mark is not None:
        where = f"{name}:{mark.line + 1}"
    elif at >= 0 and text is not None:
        where = f"{name}:{text.count(chr(10), 0, at) + 1}"
    else:
        where = name
    problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
    context = getattr(exc, "context", None)
    if context:
        problem = f"{problem} ({' '.join(str(context).split())})"
    return LedgerError(f"{where}: invalid YAML: {problem}; fix the file (or restore it from git)")


def field_error(name: str, text: str, exc: FieldError) -> LedgerError:
    """A one-line error naming file, line and field."""
    line = line_of(text, exc.path)
    where = f"{name}:{line}" if line is not None else name
    message = " ".join(exc.message.split())
    return LedgerError(f"{where}: {dotted(exc.path)}: {message}")


_CONFLICT_MARK = re.compile(r"^(?:<{7}|>{7})(?: |$)", re.M)


def check_conflict_markers(text: str, name: str) -> None:
    """Refuse a ledger holding git's merge-conflict markers, saying so (YAML would only say 'expected ':'')."""
    m = _CONFLICT_MARK.search(text)
    if m is not None:
        line = text.count("\n", 0, m.start()) + 1
        raise LedgerError(
            f"{name}:{line}: unresolved git merge conflict (lines <<<<<<<, =======, >>>>>>>); "
            "resolve it by keeping one side of each conflict and deleting the marker lines, "
            "then run `policy-tracker validate`"
        )


def parse(text: str, name: str = "<ledger>", *, libyaml: bool = True) -> Any:
    """YAML text to plain data (safe loading); raises :class:`LedgerError` for invalid YAML."""
    check_conflict_markers(text, name)
    try:
        data = yaml.load(text, Loader=loader(libyaml))  # noqa: S506 - safe loaders only
    except yaml.YAMLError as exc:
        raise yaml_error(name, exc, text) from None
    if data is None:
        raise LedgerError(f"{name}:1: the ledger is empty; expected 'schema: {SCHEMA}' (run ingest to create one)")
    check_complete(text, name)
    _refuse_aliases(data, text, name)
    return data


_ALIAS_MARK = re.compile(r"[&*][^\s,\[\]{}]")


def _refuse_aliases(data: Any, text: str, name: str) -> None:
    """Refuse YAML anchors and aliases (``&a`` / ``*a``): the writer never emits them.

    A loaded alias is the same container object reached twice; walking each
    container once finds it in linear time, before anything expands the
    structure (an alias bomb would otherwise exhaust memory when a field is
    checked or quoted in an error message).
    """
    if _ALIAS_MARK.search(text) is None:  # no anchor or alias can be there: skip the walk
        return
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        if id(value) in seen:
            line = line_of(text, path) if path else None
            where = f"{name}:{line}" if line is not None else name
            field = dotted(path) if path else "the ledger"
            raise LedgerError(
                f"{where}: {field}: YAML aliases (&anchor / *alias) are not allowed in a ledger; "
                "write the value out in full (policy-tracker never writes aliases)"
            )
        seen.add(id(value))
        items = value.items() if isinstance(value, dict) else enumerate(value)
        stack.extend((v, (*path, k)) for k, v in items)


def check(data: Any, text: str, name: str = "<ledger>") -> LedgerParts:
    """:func:`from_data`, with a failed check reported at its line of ``text``."""
    try:
        return from_data(data)
    except FieldError as exc:
        raise field_error(name, text, exc) from None


def loads(text: str, name: str = "<ledger>", *, libyaml: bool = True) -> LedgerParts:
    """Parse and check ledger text; raises :class:`LedgerError` naming ``name``, line and field."""
    return check(parse(text, name, libyaml=libyaml), text, name)
