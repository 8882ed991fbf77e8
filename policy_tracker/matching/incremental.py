"""Incremental ingest: place a new briefing's mentions without re-clustering the whole ledger.

:meth:`Ledger.ingest <policy_tracker.ledger.Ledger.ingest>` keeps every
mention the ledger already holds where it is and uses the matcher only to
place the *new* mentions.  When the new documents come after everything the
ledger holds (the normal quarterly append), only the existing mentions that
could meet a new one matter: the blocking candidates of the new matching keys
among the old ones (shared distinctive bigrams and an Indel ratio of at least
``prefilter``, a shared instrument or programme name, two shared list items;
the sources of :func:`policy_tracker.matching.candidates.candidate_pairs`), widened to every
mention of the commitments holding them, so that a new mention is still
judged against a commitment as a whole.  :func:`subset_matcher` wraps the
matcher so it sees those mentions and the new ones; every other commitment
comes back as one cluster of its own mentions, which
:func:`policy_tracker.ledger.curation.keep_holders` leaves where it was.

The blocking part of the matching keys of the ledger's mentions (core,
instrument names, list items) is kept in a sidecar next to the ledger
(``ledger.yaml.keys``, :class:`KeyIndex`): one JSON header line naming the
ledger digest, a stamp of the vocabulary and a few probe ids, then the keys
by position and a token → positions index laid out so that a query reads
only the posting lists it needs.  A missing or stale sidecar is ignored (the
keys are computed from the mentions) and rewritten by the next save, reusing
the keys of unchanged mentions.  See docs/ledger.md, "Incremental ingest".
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
from rapidfuzz import fuzz

from ..models import Mention
from .keys import Signature

FORMAT = "policy-tracker mention keys 2"
SUFFIX = ".keys"
# Below this many mentions no sidecar is written: computing the keys again takes well under a second.
SIDECAR_MIN_MENTIONS = 5000


def sidecar_path(ledger_path: str | os.PathLike[str]) -> Path:
    """Where the matching keys of a ledger's mentions are kept: ``<ledger>.keys``, or ``.keys`` in a ledger folder."""
    p = Path(ledger_path)
    if p.is_dir():
        return p / SUFFIX
    return p.with_name(p.name + SUFFIX)


def vocabulary() -> tuple[Any, Any, str]:
    """The matching vocabulary, the matcher's configuration, and a stamp of both (a sidecar of other keys is stale)."""
    from .keys import load_vocabulary
    from .config import MatchConfig

    vocab = load_vocabulary()
    config = MatchConfig.from_vocabulary(vocab)
    stamp = hashlib.sha256(repr(_canonical((vocab, config))).encode()).hexdigest()[:16]
    return vocab, config, stamp


def _canonical(value: Any) -> Any:
    """``value`` with its sets sorted: the repr of a set follows the process's string hashing, which differs from run to run.

    (A stamp taken from the plain repr changed between processes at random, so an appending ingest in a ledger
    folder found the stored matching keys "stale" about every other run and computed all of them again.)
    """
    if attrs.has(type(value)):
        return (type(value).__name__, tuple((f.name, _canonical(getattr(value, f.name))) for f in attrs.fields(type(value))))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted((_canonical(v) for v in value), key=repr)))
    if isinstance(value, dict):
        return tuple((_canonical(k), _canonical(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    return value


def signature(m: Mention, vocab: Any) -> Signature:
    """The blocking part of a mention's matching key (:func:`policy_tracker.matching.keys.key_signature`)."""
    from .keys import remembered_signature

    return remembered_signature(m, vocab)


def statuses_current(path: Path, digest: str, status: str) -> bool:
    """Whether the sidecar at ``path`` says the ledger with ``digest`` had its statuses derived with the thresholds ``status`` stands for
    (:func:`policy_tracker.ledger.status.stamp`: today's).

    Only then may an ingest that appends briefings extend unchanged
    commitments' statuses instead of deriving them again.
    """
    try:
        with path.open("rb") as fh:
            header = json.loads(fh.readline())
    except (OSError, ValueError):
        return False
    return isinstance(header, dict) and header.get("format") == FORMAT and header.get("digest") == digest and header.get("status") == status


def _tokens(sig: Signature) -> set[str]:
    """Index tokens of a key: its core's bigrams, ``s:`` + each instrument name, ``i:`` + each list item."""
    from .keys import bigrams

    core, strong, items = sig
    out = set(bigrams(core))
    out.update("s:" + n for n in strong)
    if len(items) >= 2:
        out.update("i:" + i for i in items)
    return out


class KeyIndex:
    """Blocking signatures of a ledger's mentions, by position, with an inverted index of their tokens.

    Positions follow the ledger: every mention of every commitment, in file
    order.  Built in memory from signatures, or opened from the sidecar,
    which is laid out so that a query reads only the posting lists it needs.
    """

    def __init__(self, cores: Sequence[str], postings: dict[str, list[int]] | None = None, reader: Any = None) -> None:
        self.cores = cores
        self._postings = postings
        self._reader = reader  # (data bytes, table {token: [offset, count]}) of an opened sidecar

    @classmethod
    def build(cls, signatures: Sequence[Signature]) -> KeyIndex:
        postings: dict[str, list[int]] = {}
        for j, sig in enumerate(signatures):
            for t in _tokens(sig):
                postings.setdefault(t, []).append(j)
        return cls([s[0] for s in signatures], postings)

    def __len__(self) -> int:
        return len(self.cores)

    def count(self, token: str) -> int:
        if self._postings is not None:
            return len(self._postings.get(token, ()))
        entry = self._reader[1].get(token)
        return int(entry[1]) if entry else 0

    def get(self, token: str) -> list[int]:
        if self._postings is not None:
            return self._postings.get(token, [])
        data, table = self._reader
        entry = table.get(token)
        if not entry:
            return []
        start = entry[0]
        line = data[start : data.index(b"\n", start)]
        return [int(x) for x in line.split(b",")]

    # ------------------------------------------------------------ the sidecar

    @staticmethod
    def write(
        path: Path, digest: str | None, stamp: str, ids: Sequence[str], signatures: Sequence[Signature], *, status: str | None = None, staging: Path | None = None
    ) -> None:
        """Write the sidecar atomically; a failure only costs the next ingest a rebuild.

        ``status``: the stamp of the status thresholds every status in the
        ledger was derived with, when they all were (see :func:`statuses_current`).
        ``staging``: where the bytes are written before the rename (default
        ``PATH.tmp``; the ledger passes its writers' hidden pid-named file, which
        is cleaned up when a writer was killed).
        """
        postings: dict[str, list[int]] = {}
        for j, sig in enumerate(signatures):
            for t in _tokens(sig):
                postings.setdefault(t, []).append(j)
        dump = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"  # noqa: E731
        parts = [dump(list(ids)), dump([s[0] for s in signatures]), dump([list(s[1]) for s in signatures]), dump([list(s[2]) for s in signatures])]
        sections = {}
        offset = 0
        for name, part in zip(("ids", "cores", "strong", "items"), parts, strict=True):
            sections[name] = offset
            offset += len(part)
        table: dict[str, list[int]] = {}
        for t in sorted(postings):
            line = ",".join(map(str, postings[t])).encode() + b"\n"
            table[t] = [offset, len(postings[t])]
            parts.append(line)
            offset += len(line)
        sections["table"] = offset
        parts.append(dump(table))
        probes = [[j, ids[j]] for j in sorted({k * (len(ids) - 1) // 15 for k in range(16)})] if ids else []
        header = {"format": FORMAT, "digest": digest, "vocabulary": stamp, "status": status, "count": len(ids), "probes": probes, "sections": sections}
        tmp = staging or path.with_name(path.name + ".tmp")  # the ledger passes its writers' hidden, pid-named file
        try:
            with tmp.open("wb") as fh:
                fh.write(dump(header))
                fh.writelines(parts)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()

    @staticmethod
    def _read(path: Path, digest: str | None, stamp: str) -> tuple[bytes, dict[str, Any]] | None:
        try:
            raw = path.read_bytes()
            end = raw.index(b"\n")
            header = json.loads(raw[:end])
        except (OSError, ValueError):
            return None  # missing or foreign: rebuilt from the ledger
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            return None
        if header.get("digest") != digest or header.get("vocabulary") != stamp:
            return None  # another version of the ledger, or other matching tables
        return raw[end + 1 :], header

    @staticmethod
    def _line(data: bytes, start: int) -> Any:
        return json.loads(data[start : data.index(b"\n", start)])

    @classmethod
    def open(cls, path: Path, digest: str | None, stamp: str, mentions: Sequence[Mention]) -> KeyIndex | None:
        """The sidecar's index when it belongs to the ledger with ``digest`` and this vocabulary.

        ``mentions`` are the ledger's, in the order the index numbers them;
        a few probed positions must hold the same mention ids.
        """
        found = cls._read(path, digest, stamp)
        if found is None:
            return None
        data, header = found
        try:
            if header.get("count") != len(mentions) or any(mentions[j].id != mid for j, mid in header["probes"]):
                return None
            sections = header["sections"]
            cores = cls._line(data, sections["cores"])
            table = cls._line(data, sections["table"])
        except (KeyError, ValueError, TypeError, IndexError):
            return None
        if len(cores) != len(mentions):
            return None
        return cls(cores, reader=(data, table))

    @classmethod
    def signatures(cls, path: Path, digest: str | None, stamp: str) -> dict[str, Signature]:
        """Signatures by mention id from the sidecar (to reuse when it is rewritten); empty when stale."""
        found = cls._read(path, digest, stamp)
        if found is None:
            return {}
        data, header = found
        try:
            sections = header["sections"]
            ids, cores, strong, items = (cls._line(data, sections[k]) for k in ("ids", "cores", "strong", "items"))
            return {mid: (c, tuple(s), tuple(i)) for mid, c, s, i in zip(ids, cores, strong, items, strict=True)}
        except (KeyError, ValueError, TypeError):
            return {}


def related(index: KeyIndex, new: Sequence[Signature], config: Any) -> set[int]:
    """Positions in ``index`` that the matcher could pair with a key of ``new`` (see the module docstring).

    As in :func:`policy_tracker.matching.candidates.candidate_pairs`: the
    candidate rule (:func:`policy_tracker.matching.rule.is_candidate`, limits
    from ``config``), scoring at least ``prefilter``, the ``top_k`` best
    per new key (keys of the same core when every bigram is frequent; the
    signature clause counting the new key as one more holder of its bigrams, its
    window the last ``signature_window`` holders of each token);
    names and pairs of list items held by at most ``feature_cap`` keys.
    """
    from .keys import bigrams
    from .rule import is_candidate, signature_tokens

    out: set[int] = set()
    if not new or not index:  # (a ledger folder's keys answer whether there is one without counting them)
        return out
    cutoff, top_k, cap = config.prefilter, int(config.top_k) or None, config.feature_cap
    max_postings, min_shared, rare_postings = config.max_postings, config.min_shared, config.rare_postings
    cores = index.cores
    for sig in new:
        core, strong, items = sig
        grams = bigrams(core)
        counts: dict[int, int] = {}
        rare: set[int] = set()
        for g in grams:
            n = index.count(g)
            if not n or n > max_postings:
                continue
            holders = index.get(g)
            if n <= rare_postings:
                rare.update(holders)
            for j in holders:
                counts[j] = counts.get(j, 0) + 1
        if config.own_rarest:  # the signature clause (rule.signature_tokens); the new key counts as one more holder
            def tokens(gs: Iterable[str], extra: int) -> list[str]:
                return signature_tokens([(index.count(g) + extra, g) for g in gs], config.own_rarest, rare_postings)

            for t in tokens(grams, 1):  # the new key comes last: its window is the token's last holders
                pair = t.split("|")
                partners: list[int] = []
                for j in reversed(index.get(min(pair, key=index.count))):
                    if len(partners) == config.signature_window:
                        break
                    if all(g in cores[j] for g in pair) and t in tokens(bigrams(cores[j]), 0):
                        partners.append(j)
                rare.update(partners)
                for j in partners:
                    counts.setdefault(j, 0)
        found = [j for j, c in counts.items() if is_candidate(c, len(grams), len(bigrams(cores[j])), j in rare, min_shared)]
        if not counts and grams:  # every bigram frequent: copies of the same core still meet (candidates.verbatim_pairs)
            fewest = min(grams, key=index.count)
            found.extend(j for j in index.get(fewest) if cores[j] == core)
        scored = sorted((-fuzz.ratio(core, cores[j]), j) for j in found)
        out.update(j for score, j in scored[:top_k] if -score >= cutoff)
        for name in strong:
            if index.count("s:" + name) <= cap:
                out.update(index.get("s:" + name))
        if len(items) >= 2:
            shared: dict[int, int] = {}
            for item in items:
                if index.count("i:" + item) <= cap:
                    for j in index.get("i:" + item):
                        shared[j] = shared.get(j, 0) + 1
            out.update(j for j, c in shared.items() if c >= 2)
    return out


def takes_document_order(matcher: Any) -> bool:
    """Whether a matcher accepts ``document_order`` (:func:`policy_tracker.matching.cluster.cluster` does; a custom one may not)."""
    try:
        params = inspect.signature(matcher).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "document_order" for p in params)  # named: a **kwargs wrapper may not pass it on


def subset_matcher(
    cluster: Any,
    groups: Sequence[Sequence[Mention]],
    index: KeyIndex,
    skip: set[str] | frozenset[str],
    vocab: Any,
    config: Any,
    fresh: dict[str, Signature] | None = None,
) -> Any:
    """A matcher that clusters the new mentions with the old ones related to them; other commitments stay as they are.

    ``groups`` are the mentions of each existing commitment, in the order
    ``index`` numbers them; those from documents in ``skip`` (re-ingested)
    are left out.  Mentions of the ``active`` list in no group are new; their
    signatures are added to ``fresh`` (to write the sidecar later).
    """
    flat: list[tuple[int, Mention]] = [(g, m) for g, ms in enumerate(groups) for m in ms]
    passes_order = takes_document_order(cluster)

    def run(
        active: Sequence[Mention],
        *,
        must_link: Iterable[tuple[str, str]] = (),
        cannot_link: Iterable[tuple[str, str]] = (),
        document_order: Any = None,
    ) -> list[list[Mention]]:
        present = {id(m) for m in active}  # object identity: mention ids are computed properties
        kept = [(g, m) for g, m in flat if m.source not in skip and id(m) in present]
        old = {id(m) for _, m in kept}
        new = [m for m in active if id(m) not in old]
        sigs = [signature(m, vocab) for m in new]
        if fresh is not None:
            fresh.update((m.id, sig) for m, sig in zip(new, sigs, strict=True))
        touched = {flat[j][0] for j in related(index, sigs, config)}
        subset = [m for g, m in kept if g in touched]
        subset.extend(new)
        chosen = {m.id for m in subset}
        must = [(a, b) for a, b in must_link if a in chosen and b in chosen]
        cannot = [(a, b) for a, b in cannot_link if a in chosen and b in chosen]
        options = {"document_order": document_order} if passes_order and document_order is not None else {}
        clusters = [list(c) for c in cluster(subset, must_link=must, cannot_link=cannot, **options)] if subset else []
        rest: dict[int, list[Mention]] = {}
        for g, m in kept:
            if g not in touched:
                rest.setdefault(g, []).append(m)
        return [*clusters, *(rest[g] for g in sorted(rest))]

    return run
