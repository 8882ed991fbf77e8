"""Two measurements behind docs/matching.md §5g: would a shared rare term, or wider blocking, recover missed links?

    python scripts/linking_experiments.py shared-terms [CORPUS ...] [--low 30] [--show]
    python scripts/linking_experiments.py blocked [CORPUS ...] [--show]

CORPUS is a folder with gold.yaml, or ``seeds`` (tests/data/seeds-gold.yaml);
by default the seeds and every used corpus (tests/corpus … tests/corpus7).

``shared-terms`` takes the gold anchors as perfect mentions (``eval
--anchors``), scores every pair of anchors of different documents with the
rule scorer, and for the pairs scoring in [low, join) — the ones a bonus
would lift over ``join`` — counts same-pledge and different-pledge pairs by
the longest run of characters the two keys' *content* share (wording blanked,
``MatchKey.content``), by how many keys of the corpus hold that run (its
rarity) and by whether it covers at least half of the shorter key.  Pairs the
gold calls ``related`` are left out.  A bonus for a rare shared term helps
only where same pairs outnumber different ones.

``blocked`` takes the extracted mentions (as ``train`` does: a mention takes
the gold cluster of the anchors it covers) and lists the pairs of different
documents that blocking never proposes (``candidates.candidate_pairs``) but
whose rule score reaches ``join``: what a wider candidate rule would add,
same-pledge or not (``unl``: a mention covering no gold anchor).
"""

from __future__ import annotations

import argparse
import collections
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policy_tracker.evaluate import _load, gold_mentions, read_gold  # noqa: E402
from policy_tracker.matching.candidates import candidate_pairs  # noqa: E402
from policy_tracker.matching.cluster import order_mentions  # noqa: E402
from policy_tracker.matching.config import MatchConfig  # noqa: E402
from policy_tracker.matching.keys import load_vocabulary, mention_keys  # noqa: E402
from policy_tracker.matching.score import overlap, rule_score  # noqa: E402
from policy_tracker.training import load_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
USED = ("seeds", "corpus", "corpus2", "corpus3", "corpus4", "corpus5", "corpus6", "corpus7")


def _paths(name: str) -> tuple[Path, Path]:
    if name == "seeds":
        return ROOT / "tests/data/seeds-gold.yaml", ROOT / "seeds"
    folder = Path(name) if Path(name).is_dir() else ROOT / "tests" / name
    return folder / "gold.yaml", folder


def longest_shared_run(a: str, b: str) -> str:
    """The longest run of characters both strings hold, wording blanks (``_``) excluded; first found on ties."""
    best, end = 0, 0
    row = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        prev = 0
        for j in range(1, len(b) + 1):
            here = row[j]
            if a[i - 1] == b[j - 1] and a[i - 1] != "_":
                row[j] = prev + 1
                if row[j] > best:
                    best, end = row[j], i
            else:
                row[j] = 0
            prev = here
    return a[end - best : end]


def shared_terms(names: list[str], low: float, show: bool) -> None:
    vocab = load_vocabulary()
    cfg = MatchConfig.from_vocabulary(vocab, scorer="rules")
    total: collections.Counter = collections.Counter()
    for name in names:
        gold_path, docs = _paths(name)
        gold = read_gold(gold_path.read_text(encoding="utf-8-sig"), str(gold_path))
        mentions = gold_mentions(gold, _load(docs, True))
        label = {}
        for m, (gc, _) in zip(mentions, ((gc, a) for gc, anchors in gold.commitments for a in anchors), strict=True):
            label[id(m)] = gc
        ordered = order_mentions(mentions)
        labels = [label[id(m)] for m in ordered]
        keys = mention_keys(ordered, vocab)
        cores = [k.core for k in keys]
        counts: collections.Counter = collections.Counter()
        for i, j in itertools.combinations(range(len(keys)), 2):
            if ordered[i].source == ordered[j].source:
                continue
            if labels[i] != labels[j] and frozenset((labels[i], labels[j])) in gold.related:
                continue
            s = rule_score(keys[i], keys[j], cfg)
            if not low <= s < cfg.join:
                continue
            run = longest_shared_run(keys[i].content or keys[i].core, keys[j].content or keys[j].core)
            holders = sum(run in c for c in cores) if run else 0
            shorter = min(len(cores[i]), len(cores[j]))
            bucket = (
                f"run {min(len(run), 6)}{'+' if len(run) >= 6 else ' '}",
                "held by ≤2 keys" if holders <= 2 else "held by 3–4" if holders <= 4 else "held by ≥5",
                "covers ≥½ shorter" if shorter and len(run) / shorter >= 0.5 else "covers <½",
            )
            same = labels[i] == labels[j]
            counts[(bucket, same)] += 1
            total[(bucket, same)] += 1
            if show and len(run) >= 4 and holders <= 2:
                print(f"   {name} {'same' if same else 'diff'} {s:.1f} [{run}] {cores[i]} | {cores[j]}")
        _print_counts(f"{name} ({len(keys)} anchors)", counts)
    _print_counts("all", total)


def _print_counts(title: str, counts: collections.Counter) -> None:
    print(f"== {title}: pairs scoring in [low, join), same / different pledge")
    for bucket in sorted({b for b, _ in counts}):
        print(f"   {' · '.join(bucket):45s} same {counts[(bucket, True)]:4d}   different {counts[(bucket, False)]:4d}")


def blocked(names: list[str], show: bool) -> None:
    vocab = load_vocabulary()
    cfg = MatchConfig.from_vocabulary(vocab, scorer="rules")
    total: collections.Counter = collections.Counter()
    for name in names:
        gold_path, docs = _paths(name)
        corpus = load_corpus(gold_path, docs, name)
        ordered = order_mentions(corpus.mentions)
        keys = mention_keys(ordered, vocab)
        proposed = {(i, j) for i, j, _ in candidate_pairs(keys, cfg)}
        counts: collections.Counter = collections.Counter()
        for i, j in itertools.combinations(range(len(keys)), 2):
            if (i, j) in proposed or ordered[i].source == ordered[j].source:
                continue
            s = rule_score(keys[i], keys[j], cfg)
            if s < cfg.join:
                continue
            li, lj = corpus.labels.get(ordered[i].id), corpus.labels.get(ordered[j].id)
            kind = "unl" if li is None or lj is None else "same" if li == lj else "different"
            short, long = sorted((keys[i].core, keys[j].core), key=len)
            shape = "substring" if short in long else "bigrams contained" if overlap(keys[i], keys[j]) >= 0.99 else "other"
            counts[(kind, shape)] += 1
            total[(kind, shape)] += 1
            if show and kind != "unl":
                print(f"   {name} {kind} {s:.0f} {short} | {long}")
        print(f"== {name}: {len(keys)} mentions, {len(proposed)} candidate pairs; not proposed but ≥ join: {dict(sorted(counts.items()))}")
    print(f"== all: {dict(sorted(total.items()))}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("experiment", choices=("shared-terms", "blocked"))
    ap.add_argument("corpora", nargs="*", default=list(USED))
    ap.add_argument("--low", type=float, default=30.0, help="lowest rule score counted (shared-terms)")
    ap.add_argument("--show", action="store_true", help="list the pairs")
    args = ap.parse_args(argv)
    if args.experiment == "shared-terms":
        shared_terms(args.corpora, args.low, args.show)
    else:
        blocked(args.corpora, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
