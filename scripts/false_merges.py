"""The false merges of a ledger against a gold file: which commitments hold several gold commitments, and why.

    python scripts/false_merges.py GOLD.yaml DOCS LEDGER.yaml [--top 20] [--examples 4]

For every commitment of the ledger whose mentions cover anchors of more than
one gold commitment it prints the matching key of each gold commitment it
holds and the *join edges* that crossed gold: for a mention of a gold
commitment not yet in the cluster, its best-scoring earlier member and the
parts of that pair's rule score (base = mean of Indel ratio and bigram
overlap, then the bonuses and penalties of ``score.rule_score``).  Then every
false pair (two mentions of different gold commitments in one ledger
commitment) is put in a *kind*, read from the two matching keys, and the
kinds are counted:

* ``same key``: the keys are equal (targets, deadlines or verbs differ);
* ``list vs single`` / ``list vs list``: one or both enumerate items (、);
* otherwise the aligned difference of the two keys (``matching.features``'
  blocks), each block ``ins`` (words added on one side) or ``sub`` (replaced),
  at the ``head``, ``mid`` or ``tail`` of the keys, ``N`` when both sides name
  something (not only wording, ``MatchKey.content``) else ``w``.

The kinds are then summed into broader classes (:func:`group`): list vs
single, list vs list, a subject slot substituted, the tail substituted,
one named insertion, named insertions in two places, wording only, mixed.

Gold anchors are matched to ledger mentions as ``score_gold.py`` does (a
mention covers ≥ 0.6 of the anchor).  Read-only: nothing is written.
"""

from __future__ import annotations

import argparse
import collections
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz  # noqa: E402

from policy_tracker import evaluate  # noqa: E402
from policy_tracker.ledger import Ledger  # noqa: E402
from policy_tracker.matching import score as sc  # noqa: E402
from policy_tracker.matching.config import MatchConfig  # noqa: E402
from policy_tracker.matching.features import overlap, subject_changed, target_conflict  # noqa: E402
from policy_tracker.matching.keys import MatchKey, load_vocabulary, mention_keys  # noqa: E402
from policy_tracker.matching.templates import differing_blocks  # noqa: E402
from policy_tracker.sources.load import load_documents  # noqa: E402


def gold_of_mentions(gold: evaluate.Gold, texts: dict[str, str], mentions: list) -> dict[str, str]:
    """Mention id → the gold commitment whose anchor it covers best (≥ ``evaluate.COVER``)."""
    anchors: dict[str, list[tuple[int, int, str]]] = collections.defaultdict(list)
    for gc, ms in gold.commitments:
        for doc, anchor in ms:
            for s, e in evaluate._occurrences(texts.get(doc, ""), anchor):
                anchors[doc].append((s, e, gc))
    out = {}
    for m in mentions:
        best, which = 0.0, None
        for s, e, gc in anchors.get(m.source, ()):
            cover = (min(e, m.end) - max(s, m.start)) / (e - s)
            if cover > best:
                best, which = cover, gc
        if which is not None and best >= evaluate.COVER:
            out[m.id] = which
    return out


def reasons(a: MatchKey, b: MatchKey, cfg: MatchConfig) -> str:
    """The parts of the rule score of a pair, as text."""
    r = fuzz.ratio(a.core, b.core)
    parts = [f"base {cfg.ratio_weight * r + (1 - cfg.ratio_weight) * 100 * overlap(a, b):.0f}"]
    for name, value in (
        ("name", sc.strong_adjustment(a, b, cfg)),
        ("list", sc.list_adjustment(a, b, cfg)),
        ("programme", sc.programme_adjustment(a, b, cfg)),
        ("scope", sc.scope_adjustment(a, b, cfg)),
    ):
        if value:
            parts.append(f"{name} {value:+.0f}")
    conflict = target_conflict(a, b, cfg.target_factor)
    if conflict:
        parts.append(f"target {conflict}")
    if subject_changed(a, b):
        parts.append("subject changed")
    return ", ".join(parts)


def blocks(a: MatchKey, b: MatchKey) -> list[tuple[int, int, int, int]]:
    """The aligned differences of two keys as ``subject_changed`` reads them (a lone agreeing character inside a block does not split it)."""
    return list(differing_blocks(a.core, b.core))


def _names(key: MatchKey, start: int, end: int) -> bool:
    content = key.content or key.core
    return any(content[k] != "_" for k in range(start, end))


def kind(a: MatchKey, b: MatchKey) -> str:
    """What distinguishes two keys (see the module docstring)."""
    if a.core == b.core:
        return "same key"
    if len(a.items) >= 2 or len(b.items) >= 2:
        return "list vs list" if len(a.items) >= 2 and len(b.items) >= 2 else "list vs single"
    shapes = []
    for sa, ea, sb, eb in blocks(a, b):
        what = "sub" if ea > sa and eb > sb else "ins"
        where = "head" if sa == 0 and sb == 0 else "tail" if ea == len(a.core) and eb == len(b.core) else "mid"
        named = all(_names(k, s, e) for k, s, e in ((a, sa, ea), (b, sb, eb)) if e > s)
        shapes.append(f"{what}-{where}-{'N' if named else 'w'}")
    return " + ".join(shapes)


def group(kind_: str) -> str:
    """The broad class of a kind (the table of docs/scaling.md): what differs between the two keys."""
    if kind_ == "same key":
        return "same key: targets, measures, deadlines or verbs differ"
    if kind_.startswith("list vs"):
        return kind_
    parts = kind_.split(" + ")
    subs = [p for p in parts if p.startswith("sub")]
    named_ins = [p for p in parts if p.startswith("ins") and p.endswith("-N")]
    if subs and len(subs) == len(parts):
        if all(p.startswith("sub-tail") for p in subs):
            return "substitution at the tail only (the programme renamed or another)"
        if all(p.endswith("-N") for p in subs):
            return "substitution of a subject/sector slot, the rest identical"
        return "substitution of wording, or several"
    if not subs:
        if len(named_ins) >= 2:
            return "named insertions in two places (each key may add its own)"
        return "one named insertion (a scope, subject or list item added)" if named_ins else "insertion of wording only"
    return "substitution and insertion"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("docs", type=Path)
    ap.add_argument("ledger", type=Path)
    ap.add_argument("--top", type=int, default=20, help="clusters shown, most false pairs first")
    ap.add_argument("--examples", type=int, default=4, help="example key pairs per kind")
    args = ap.parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = load_documents([args.docs], None).documents
    texts = {d.id: d.text for d in docs}
    gold = evaluate.read_gold(args.gold.read_text(encoding="utf-8"), str(args.gold))
    commitments = Ledger.load(args.ledger).commitments
    mentions = [m for c in commitments for m in c.mentions]
    vocab = load_vocabulary()
    cfg = MatchConfig.from_vocabulary(vocab)
    key_of = dict(zip((m.id for m in mentions), mention_keys(mentions, vocab)))
    gold_of = gold_of_mentions(gold, texts, mentions)

    bad = []
    for c in commitments:
        held = collections.Counter(gold_of[m.id] for m in c.mentions if m.id in gold_of)
        if len(held) > 1:
            n = sum(held.values())
            bad.append((n * (n - 1) // 2 - sum(k * (k - 1) // 2 for k in held.values()), c, held))
    bad.sort(key=lambda t: (-t[0], t[1].id))
    total = sum(t[0] for t in bad)
    print(f"{len(commitments)} commitments, {len(bad)} hold several gold commitments: {total} false pairs")

    for false, c, held in bad[: args.top]:
        ordered = sorted(c.mentions, key=lambda m: (*m.sort_key(), m.id))
        print(f"\n== {c.id}: {len(ordered)} mentions, {len(held)} gold commitments, {false} false pairs")
        first = {}
        for m in ordered:
            if m.id in gold_of:
                first.setdefault(gold_of[m.id], m)
        for g, m in first.items():
            print(f"   [{g}] ×{held[g]}  {key_of[m.id].core}  ← {m.text[:50]}")
        seen: set[str] = set()
        for n, m in enumerate(ordered):
            g = gold_of.get(m.id)
            if n and g is not None and g not in seen:
                a = key_of[m.id]
                best = max(ordered[:n], key=lambda o: sc.pair_score(a, key_of[o.id], cfg))
                b = key_of[best.id]
                if gold_of.get(best.id) != g:
                    print(f"   joined {sc.pair_score(a, b, cfg):.0f}: {b.core} ~ {a.core}  [{reasons(b, a, cfg)}]")
            if g is not None:
                seen.add(g)

    cost: collections.Counter[str] = collections.Counter()
    examples: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    memo: dict[tuple[int, int], str] = {}
    for _, c, _ in bad:
        members = [m for m in c.mentions if m.id in gold_of]
        for i, x in enumerate(members):
            for y in members[:i]:
                if gold_of[x.id] == gold_of[y.id]:
                    continue
                a, b = key_of[x.id], key_of[y.id]
                ident = (id(a), id(b))
                if ident not in memo:
                    memo[ident] = kind(a, b)
                cost[memo[ident]] += 1
                examples[memo[ident]][(a.core, b.core)] += 1
    print(f"\n{'false pairs':>11}  share  kind (example key pairs: false pairs)")
    for k, n in cost.most_common():
        print(f"{n:11d} {n / total:6.1%}  {k}")
        for (x, y), count in examples[k].most_common(args.examples):
            print(f"{'':20}{x} / {y}: {count}")
    groups: collections.Counter[str] = collections.Counter()
    for k, n in cost.items():
        groups[group(k)] += n
    print(f"\n{'false pairs':>11}  share  class of kinds")
    for g, n in groups.most_common():
        print(f"{n:11d} {n / total:6.1%}  {g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
