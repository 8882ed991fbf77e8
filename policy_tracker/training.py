"""Teach the pair scorer: labelled pairs from gold corpora and analysts' decisions, a fit, thresholds, honest figures.

A *gold corpus* is a folder of briefings with a gold file (``commitments:``
clusters of verbatim anchors, as ``tests/data/seeds-gold.yaml``).  Its
documents are extracted as an ingest would; every extracted mention that
covers a gold anchor gets that anchor's cluster as label; every pair of
labelled mentions is a training example (same cluster = 1, different = 0;
pairs of clusters the gold calls ``related`` are left out).  An analyst's
review answers (``policy-tracker review``) add the pairs they decided.

:func:`train` fits the logistic model of :mod:`policy_tracker.scorer` on all
pairs and then picks the clustering thresholds (``join``, ``agree``) that give
the best mean pairwise F1 over the corpora.  :func:`leave_one_out` does the
same with each corpus held out in turn and scores the held-out corpus: the
honest estimate of first contact with new text.
"""

from __future__ import annotations

import itertools
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs
from .errors import DataError
from .evaluate import COVER, Gold, Scores, predictions_from_clusters, read_gold, score
from .extraction.extract import extract_many
from .matching.cluster import cluster, order_mentions
from .matching.config import MatchConfig
from .matching.score import features_of, score_pairs
from .matching.keys import load_vocabulary, mention_keys
from .matching.scorer import PairModel, fit
from .models import Mention
from .sources.load import load_documents

__all__ = ["GoldCorpus", "load_corpus", "labelled_pairs", "train", "leave_one_out", "corpus_scores"]

# the grid the clustering thresholds are chosen from (probabilities in percent)
JOIN_GRID = tuple(range(10, 81, 5))
AGREE_GAPS = (0, 10, 20)
# negative pairs below this ratio (and bigram overlap) are left out of training
NEAR = 35


@attrs.frozen
class GoldCorpus:
    """One annotated corpus, extracted: its mentions and, for those covering a gold anchor, the gold cluster."""

    name: str
    gold: Gold
    texts: Mapping[str, str]
    mentions: tuple[Mention, ...]
    labels: Mapping[str, str]  # mention id -> gold cluster


def load_corpus(gold_path: str | os.PathLike[str], docs: str | os.PathLike[str], name: str | None = None) -> GoldCorpus:
    """Read a gold file and extract its documents (the folder's own manifest applies, as in ``eval``)."""
    gold_file = Path(gold_path)
    try:
        gold = read_gold(gold_file.read_text(encoding="utf-8-sig"), str(gold_file))
    except OSError as exc:
        raise DataError(f"{gold_file}: cannot read gold file ({exc.strerror}); check the path") from exc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = load_documents([docs])
    documents = [d for d in loaded.documents if d.id in set(gold.documents)]
    if not documents:
        raise DataError(f"{docs}: none of the documents {gold_file} annotates was found; check --docs")
    mentions = tuple(m for ms, _ in extract_many(documents) for m in ms)
    texts = {d.id: d.text for d in documents}
    return GoldCorpus(name or Path(docs).name, gold, texts, mentions, _labels(gold, texts, mentions))


def _labels(gold: Gold, texts: Mapping[str, str], mentions: Sequence[Mention]) -> dict[str, str]:
    """Each mention that covers (≥ COVER of) gold anchors of exactly one cluster, with that cluster."""
    by_doc: dict[str, list[Mention]] = {}
    for m in mentions:
        by_doc.setdefault(m.source, []).append(m)
    found: dict[str, set[str]] = {}
    for cluster_id, anchors in gold.commitments:
        for doc, anchor in anchors:
            text = texts.get(doc)
            if text is None:
                continue
            start = text.find(anchor)
            while start >= 0:
                end = start + len(anchor)
                for m in by_doc.get(doc, ()):
                    if (min(end, m.end) - max(start, m.start)) / (end - start) >= COVER:
                        found.setdefault(m.id, set()).add(cluster_id)
                start = text.find(anchor, start + 1)
    return {mid: next(iter(cs)) for mid, cs in found.items() if len(cs) == 1}


def labelled_pairs(
    corpus: GoldCorpus, config: MatchConfig, decisions: Iterable[tuple[str, str, bool]] = ()
) -> tuple[list[tuple[float, ...]], list[int]]:
    """Feature rows and labels of every pair of labelled mentions (plus decided pairs ``(id, id, same)``)."""
    vocab = load_vocabulary()
    ordered = order_mentions(corpus.mentions)
    keys = mention_keys(ordered, vocab)
    by_id = {m.id: k for m, k in zip(ordered, keys, strict=True)}
    related = corpus.gold.related
    labelled = [(m.id, corpus.labels[m.id]) for m in ordered if m.id in corpus.labels]
    pairs: list[tuple[str, str, int]] = []
    for (ia, ga), (ib, gb) in itertools.combinations(labelled, 2):
        if ga != gb and frozenset((ga, gb)) in related:
            continue
        pairs.append((ia, ib, int(ga == gb)))
    pairs.extend((a, b, int(same)) for a, b, same in decisions if a in by_id and b in by_id)
    slots = score_pairs(keys, config).slots  # the template slots the corpus shows, as clustering it would
    rows, labels = [], []
    for ia, ib, label in pairs:
        a, b = by_id[ia], by_id[ib]
        row = features_of(a, b, config, slots=slots)
        if not label and row[0] < NEAR and row[1] < NEAR / 100:
            continue  # far apart: the clustering never hesitates over such pairs; they would swamp the near ones
        rows.append(row)
        labels.append(label)
    return rows, labels




def corpus_scores(corpus: GoldCorpus, config: MatchConfig) -> Scores:
    """Cluster the corpus's extracted mentions under ``config`` and score them against its gold."""
    clusters = cluster(list(corpus.mentions), config=config)
    return score(corpus.gold, corpus.texts, predictions_from_clusters(clusters))


def _config(model: PairModel, **thresholds: float) -> MatchConfig:
    base = MatchConfig.from_vocabulary(load_vocabulary(), scorer=model.scorer)
    return attrs.evolve(base, model=model, **thresholds)


def tune_thresholds(model: PairModel, corpora: Sequence[GoldCorpus]) -> dict[str, float]:
    """The ``join``/``agree`` pair of the grid with the best mean pairwise F1 over ``corpora`` (ties: higher join)."""
    best: tuple[float, float, float] | None = None
    for join in JOIN_GRID:
        for gap in AGREE_GAPS:
            agree = join - gap
            if agree <= 0:
                continue
            cfg = _config(model, join=float(join), agree=float(agree))
            mean_f1 = sum(corpus_scores(c, cfg).pairwise_f1 for c in corpora) / len(corpora)
            candidate = (mean_f1, float(join), float(agree))
            if best is None or candidate > best:
                best = candidate
    assert best is not None
    return {"join": best[1], "agree": best[2], "same_briefing": max(best[1], 70.0)}


def train(
    corpora: Sequence[GoldCorpus], *, decisions: Mapping[str, Sequence[tuple[str, str, bool]]] | None = None, l2: float = 1.0
) -> PairModel:
    """Fit the pair model on every corpus's labelled pairs and tune its thresholds on the same corpora."""
    base = MatchConfig.from_vocabulary(load_vocabulary(), scorer="rules")
    rows: list[tuple[float, ...]] = []
    labels: list[int] = []
    for c in corpora:
        r, y = labelled_pairs(c, base, (decisions or {}).get(c.name, ()))
        rows.extend(r)
        labels.extend(y)
    weights, bias = fit(rows, labels, l2=l2)
    model = PairModel(weights, bias, "learned")
    thresholds = tune_thresholds(model, corpora)
    meta = {
        "trained": {
            "corpora": [c.name for c in corpora],
            "pairs": len(labels),
            "same": sum(labels),
            "l2": l2,
        }
    }
    return attrs.evolve(model, thresholds=thresholds, meta=meta)


@attrs.frozen
class HeldOut:
    """One line of the leave-one-corpus-out table: the held-out corpus scored by both scorers."""

    corpus: str
    learned: Scores
    rules: Scores


def leave_one_out(
    corpora: Sequence[GoldCorpus], *, l2: float = 1.0, decisions: Mapping[str, Sequence[tuple[str, str, bool]]] | None = None
) -> list[HeldOut]:
    """Train on all corpora but one, score the one left out; for every corpus, next to the rule scorer."""
    rules_cfg = MatchConfig.from_vocabulary(load_vocabulary(), scorer="rules")
    out = []
    for i, held in enumerate(corpora):
        rest = [c for j, c in enumerate(corpora) if j != i]
        model = train(rest, l2=l2, decisions=decisions)
        cfg = _config(model, **model.thresholds)
        out.append(HeldOut(held.name, corpus_scores(held, cfg), corpus_scores(held, rules_cfg)))
    return out
