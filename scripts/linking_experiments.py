"""Two measurements behind docs/matching.md §5g: would a shared rare term, or wider blocking, recover missed links?

    python scripts/linking_experiments.py shared-terms [CORPUS ...] [--low 30] [--show]
    python scripts/linking_experiments.py blocked [CORPUS ...] [--show]
    python scripts/linking_experiments.py same-document [CORPUS ...] [--show]
    python scripts/linking_experiments.py penalties [CORPUS ...] [--show NAME]

CORPUS is a folder with gold.yaml, or ``seeds`` (tests/data/seeds-gold.yaml);
by default the seeds and every used corpus (tests/corpus … tests/corpus8).

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

``same-document`` asks whether two statements of one article that the gold
puts in one commitment (a lede and its body, a summary and its detail) can be
linked without merging an article's distinct pledges.  It takes the extracted
mentions (labelled as for ``blocked``), scores every pair of one document
that the clustering does not already make one unit (near-verbatim repeats),
and counts same-pledge / different-pledge / ``related`` pairs by score band.
Then it clusters each corpus twice, as shipped (one unit per document) and
with no document boundary at all (every mention offered on its own, so a
mention may join a commitment a mention of its own article started or
joined), and prints pairwise P / R / F1 of both (``train``'s scoring: the
corpus's extracted mentions, no manifest order).

``penalties`` counts, for every rule penalty, the labelled pairs of different
documents that it alone keeps under ``join`` (the rule score reaches ``join``
with that penalty set to 0): same-pledge pairs it loses against
different-pledge pairs it keeps apart.  ``--show NAME`` lists the pairs of
one penalty (e.g. subject_penalty).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import itertools
import sys
from pathlib import Path

import attrs
from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policy_tracker.evaluate import _load, gold_mentions, read_gold  # noqa: E402
import policy_tracker.matching.cluster as cluster_module  # noqa: E402
from policy_tracker.matching.candidates import candidate_pairs  # noqa: E402
from policy_tracker.matching.cluster import order_mentions  # noqa: E402
from policy_tracker.matching.config import MatchConfig  # noqa: E402
from policy_tracker.matching.keys import load_vocabulary, mention_keys  # noqa: E402
from policy_tracker.matching.score import overlap, pair_score, rule_score, score_pairs  # noqa: E402
from policy_tracker.training import corpus_scores, load_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
USED = ("seeds", "corpus", "corpus2", "corpus3", "corpus4", "corpus5", "corpus6", "corpus7", "corpus8")


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


def _labelled(corpus) -> tuple[list, list, list]:
    """The corpus's extracted mentions in clustering order, their keys and gold labels (None: no anchor covered)."""
    ordered = order_mentions(corpus.mentions)
    return ordered, mention_keys(ordered, load_vocabulary()), [corpus.labels.get(m.id) for m in ordered]


def _kind(corpus, la, lb) -> str:
    if la is None or lb is None:
        return "unl"
    if la == lb:
        return "same"
    return "related" if frozenset((la, lb)) in corpus.gold.related else "different"


SCORE_BANDS = ((0, 30), (30, 40), (40, 55), (55, 70), (70, 101))


def same_document(names: list[str], show: bool) -> None:
    cfg = MatchConfig.from_vocabulary(load_vocabulary(), scorer="rules")
    total: collections.Counter = collections.Counter()
    for name in names:
        corpus = load_corpus(*_paths(name), name)
        ordered, keys, labels = _labelled(corpus)
        pairs = score_pairs(keys, cfg)
        counts: collections.Counter = collections.Counter()
        for i, j in itertools.combinations(range(len(ordered)), 2):
            if ordered[i].source != ordered[j].source or (i, j) in pairs.repeats:
                continue
            kind = _kind(corpus, labels[i], labels[j])
            if kind == "unl":
                continue
            s = pair_score(keys[i], keys[j], cfg, slots=pairs.slots)
            band = next(b for b in SCORE_BANDS if b[0] <= s < b[1])
            counts[(band, kind)] += 1
            total[(band, kind)] += 1
            if show and s >= 40:
                print(f"   {name} {kind} {s:.1f} {ordered[i].source} {keys[i].core} | {keys[j].core}")
        _print_bands(f"{name}: pairs of one document (not one unit), by rule score", counts)
    _print_bands("all", total)
    print("== pairwise P / R / F1: one unit per document (shipped) | no document boundary")
    for name in names:
        corpus = load_corpus(*_paths(name), name)
        shipped = corpus_scores(corpus, cfg)
        with _no_document_boundary():
            open_ = corpus_scores(corpus, cfg)
        print(f"   {name:8s} {_prf(shipped)} | {_prf(open_)}")


def _print_bands(title: str, counts: collections.Counter) -> None:
    print(f"== {title}")
    for band in SCORE_BANDS:
        row = "  ".join(f"{k} {counts[(band, k)]:3d}" for k in ("same", "different", "related"))
        print(f"   score {band[0]:3d}–{min(band[1], 100):3d}: {row}")


def _prf(s) -> str:
    return f"{s.pairwise_precision:.3f} / {s.pairwise_recall:.3f} / {s.pairwise_f1:.3f}"


@contextlib.contextmanager
def _no_document_boundary():
    """Cluster as if every mention were an article of its own (no unit, no one-unit-per-document rule)."""
    saved = cluster_module._documents
    cluster_module._documents = lambda ordered: [[i] for i in range(len(ordered))]
    try:
        yield
    finally:
        cluster_module._documents = saved


PENALTIES = (
    "programme_penalty", "kind_penalty", "topic_penalty", "target_penalty", "unit_penalty", "subject_penalty",
    "short_penalty", "strong_penalty", "scope_penalty", "template_penalty",
)


def penalties(names: list[str], show: str | None) -> None:
    cfg = MatchConfig.from_vocabulary(load_vocabulary(), scorer="rules")
    total: collections.Counter = collections.Counter()
    for name in names:
        corpus = load_corpus(*_paths(name), name)
        ordered, keys, labels = _labelled(corpus)
        slots = score_pairs(keys, cfg).slots
        counts: collections.Counter = collections.Counter()
        for i, j in itertools.combinations(range(len(ordered)), 2):
            if ordered[i].source == ordered[j].source:
                continue
            kind = _kind(corpus, labels[i], labels[j])
            if kind not in ("same", "different"):
                continue
            r = fuzz.ratio(keys[i].core, keys[j].core)
            s = rule_score(keys[i], keys[j], cfg, r, slots=slots)
            if s >= cfg.join:
                continue
            for p in PENALTIES:
                freed = rule_score(keys[i], keys[j], attrs.evolve(cfg, **{p: 0.0}), r, slots=slots)
                if freed >= cfg.join:
                    counts[(p, kind)] += 1
                    total[(p, kind)] += 1
                    if p == show:
                        print(f"   {name} {kind} {s:.0f} → {freed:.0f} without it: {keys[i].core} | {keys[j].core}")
        _print_penalties(name, counts)
    _print_penalties("all", total)


def _print_penalties(title: str, counts: collections.Counter) -> None:
    row = ", ".join(f"{p} {counts[(p, 'same')]}/{counts[(p, 'different')]}" for p in PENALTIES if counts[(p, "same")] or counts[(p, "different")])
    print(f"== {title}: pairs a penalty alone keeps under join, same / different pledge: {row or 'none'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("experiment", choices=("shared-terms", "blocked", "same-document", "penalties"))
    ap.add_argument("corpora", nargs="*", default=list(USED))
    ap.add_argument("--low", type=float, default=30.0, help="lowest rule score counted (shared-terms)")
    ap.add_argument("--show", nargs="?", const=True, default=False, help="list the pairs (penalties: of the penalty named)")
    args = ap.parse_args(argv)
    if args.experiment == "shared-terms":
        shared_terms(args.corpora, args.low, bool(args.show))
    elif args.experiment == "blocked":
        blocked(args.corpora, bool(args.show))
    elif args.experiment == "same-document":
        same_document(args.corpora, bool(args.show))
    else:
        penalties(args.corpora, args.show if isinstance(args.show, str) else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
