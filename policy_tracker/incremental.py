"""Incremental ingest: place a new briefing's mentions without re-clustering the whole ledger.

:meth:`Ledger.ingest <policy_tracker.ledger.Ledger.ingest>` keeps every
mention the ledger already holds where it is and uses the matcher only to
place the *new* mentions.  When the new documents come after everything the
ledger holds (the normal quarterly append), only the existing mentions that
could meet a new one matter: the blocking candidates of the new matching keys
among the old ones (shared distinctive bigrams and an Indel ratio of at least
``prefilter``, a shared instrument or programme name, two shared list items;
the sources of :func:`policy_tracker.match.candidate_pairs`), widened to every
mention of the commitments holding them, so that a new mention is still
judged against a commitment as a whole.  :func:`subset_matcher` wraps the
matcher so it sees those mentions and the new ones; every other commitment
comes back as one cluster of its own mentions, which
:func:`policy_tracker.curation.keep_holders` leaves where it was.

The matching keys of the ledger's mentions are kept in a sidecar file next to
the ledger (``ledger.yaml.keys``, JSON lines) named by the digest of the
ledger bytes and the vocabulary; a missing or stale sidecar is rebuilt
silently (keys of unchanged mentions are reused).  See docs/scaling.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from .models import Mention

FORMAT = "policy-tracker mention keys 1"
SUFFIX = ".keys"
# Below this many mentions no sidecar is written: computing the keys again takes well under a second.
SIDECAR_MIN_MENTIONS = 5000

# (core, strong names, list items) of one mention: what blocking needs of its key
Signature = tuple[str, tuple[str, ...], tuple[str, ...]]


def sidecar_path(ledger_path: str | os.PathLike[str]) -> Path:
    """Where the matching keys of a ledger's mentions are kept: ``<ledger>.keys``."""
    p = Path(ledger_path)
    return p.with_name(p.name + SUFFIX)


def vocabulary() -> tuple[Any, Any, str]:
    """The matching vocabulary, the matcher's configuration, and a stamp of both (a sidecar of other keys is stale)."""
    from .keys import load_vocabulary
    from .match import MatchConfig

    vocab = load_vocabulary()
    config = MatchConfig.from_vocabulary(vocab)
    stamp = hashlib.sha256(repr((vocab, config)).encode()).hexdigest()[:16]
    return vocab, config, stamp


def _text_stamp(m: Mention) -> str:
    """What a mention's key is computed from (the key is reused while this is unchanged)."""
    return repr((m.text or m.quote, m.instruments, m.topics, tuple((t.unit, t.value) for t in m.targets)))


def signature(m: Mention, vocab: Any) -> Signature:
    """The blocking part of a mention's matching key."""
    from .keys import mention_key

    k = mention_key(m, vocab)
    return (k.core, tuple(k.strong), tuple(k.items))


class KeyStore:
    """Matching-key signatures by mention id, tied to one ledger digest and vocabulary."""

    def __init__(self, digest: str | None, stamp: str, entries: dict[str, tuple[str, Signature]] | None = None) -> None:
        self.digest = digest
        self.stamp = stamp
        self.entries: dict[str, tuple[str, Signature]] = entries or {}

    @classmethod
    def read(cls, path: Path, digest: str | None, stamp: str) -> KeyStore | None:
        """The sidecar at ``path`` when it belongs to a ledger with ``digest`` and this vocabulary, else ``None``."""
        try:
            with path.open(encoding="utf-8") as fh:
                header = json.loads(fh.readline())
                if not isinstance(header, dict) or header.get("format") != FORMAT:
                    return None
                if header.get("digest") != digest or header.get("vocabulary") != stamp:
                    return None
                entries: dict[str, tuple[str, Signature]] = {}
                for line in fh:
                    mid, text, core, strong, items = json.loads(line)
                    entries[mid] = (text, (core, tuple(strong), tuple(items)))
        except (OSError, ValueError, TypeError):
            return None  # missing, truncated or foreign: rebuilt from the ledger
        if header.get("count") != len(entries):
            return None
        return cls(digest, stamp, entries)

    def write(self, path: Path) -> None:
        """Write atomically; a failure only costs the next ingest a rebuild."""
        tmp = path.with_name(path.name + ".tmp")
        try:
            with tmp.open("w", encoding="utf-8") as fh:
                fh.write(json.dumps({"format": FORMAT, "digest": self.digest, "vocabulary": self.stamp, "count": len(self.entries)}) + "\n")
                for mid in sorted(self.entries):
                    text, (core, strong, items) = self.entries[mid]
                    fh.write(json.dumps([mid, text, core, list(strong), list(items)], ensure_ascii=False) + "\n")
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def update(self, mentions: Iterable[Mention], vocab: Any) -> dict[str, Signature]:
        """Signatures of ``mentions``, computing only those missing or whose text changed; drops the others."""
        out: dict[str, tuple[str, Signature]] = {}
        for m in mentions:
            stamp = _text_stamp(m)
            held = self.entries.get(m.id)
            out[m.id] = held if held is not None and held[0] == stamp else (stamp, signature(m, vocab))
        self.entries = out
        return {mid: sig for mid, (_, sig) in out.items()}


def related(old: Sequence[Signature], new: Sequence[Signature], config: Any) -> set[int]:
    """Positions in ``old`` that the matcher could pair with a key of ``new`` (see the module docstring).

    As in :func:`policy_tracker.match.candidate_pairs`: bigram candidates
    scoring at least ``prefilter``, the ``top_k`` best per new key; names and
    list items held by at most ``feature_cap`` old keys.
    """
    from .blocking import CandidateIndex

    out: set[int] = set()
    if not old or not new:
        return out
    index = CandidateIndex([s[0] for s in old], max_postings=config.max_postings, min_shared=config.min_shared)
    cutoff, top_k = config.prefilter, int(config.top_k) or None
    for core, _, _ in new:
        scored = sorted((-fuzz.ratio(core, old[j][0]), j) for j in index.query(core))
        out.update(j for score, j in scored[:top_k] if -score >= cutoff)
    names = {name for _, ns, _ in new for name in ns}
    new_items = [set(items) for _, _, items in new if len(items) >= 2]
    by_name: dict[str, list[int]] = {}
    by_item: dict[str, list[int]] = {}
    for j, (_, ns, items) in enumerate(old):
        for name in ns:
            if name in names:
                by_name.setdefault(name, []).append(j)
        if new_items and len(items) >= 2:
            for item in items:
                by_item.setdefault(item, []).append(j)
    cap = config.feature_cap
    for holders in by_name.values():
        if len(holders) <= cap:
            out.update(holders)
    for wanted in new_items:
        shared: dict[int, int] = {}
        for item in wanted:
            holders = by_item.get(item, ())
            if len(holders) <= cap:
                for j in holders:
                    shared[j] = shared.get(j, 0) + 1
        out.update(j for j, n in shared.items() if n >= 2)
    return out


def subset_matcher(cluster: Any, old_groups: Sequence[Sequence[Mention]], signatures: dict[str, Signature], vocab: Any, config: Any, seen: list[int] | None = None) -> Any:
    """A matcher that clusters the new mentions with the old ones related to them; other commitments stay as they are.

    ``old_groups`` are the mentions of each existing commitment; mentions of
    the ``active`` list not in them are new.  ``seen`` (if given) receives the
    number of mentions handed to ``cluster`` (tests check the path was taken).
    """
    group_of: dict[str, int] = {}
    for g, ms in enumerate(old_groups):
        for m in ms:
            group_of[m.id] = g

    def run(active: Sequence[Mention], *, must_link: Iterable[tuple[str, str]] = (), cannot_link: Iterable[tuple[str, str]] = ()) -> list[list[Mention]]:
        new = [m for m in active if m.id not in group_of]
        old = [m for m in active if m.id in group_of]
        old_sigs = [signatures[m.id] for m in old]
        near = related(old_sigs, [signature(m, vocab) for m in new], config)
        touched = {group_of[old[j].id] for j in near}
        chosen = [m for m in old if group_of[m.id] in touched]
        subset = [*chosen, *new]
        ids = {m.id for m in subset}
        must = [(a, b) for a, b in must_link if a in ids and b in ids]
        cannot = [(a, b) for a, b in cannot_link if a in ids and b in ids]
        if seen is not None:
            seen.append(len(subset))
        clusters = [list(c) for c in cluster(subset, must_link=must, cannot_link=cannot)] if subset else []
        rest: dict[int, list[Mention]] = {}
        for m in old:
            g = group_of[m.id]
            if g not in touched:
                rest.setdefault(g, []).append(m)
        return [*clusters, *(rest[g] for g in sorted(rest))]

    return run
