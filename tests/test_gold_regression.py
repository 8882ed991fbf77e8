"""Regression: matching quality on the hand-annotated seed gold stays above the issue's thresholds."""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import pytest

from policy_tracker.evaluate import Gold, gold_mentions, predictions_from, predictions_from_clusters, read_gold, score
from policy_tracker.sources.load import load_documents
from policy_tracker.matching.cluster import cluster
from policy_tracker.models import Document

GOLD = Path(__file__).parent / "data" / "seeds-gold.yaml"


@pytest.fixture(scope="module")
def gold() -> Gold:
    return read_gold(GOLD.read_text(encoding="utf-8"), str(GOLD))


@pytest.fixture(scope="module")
def documents(seeds_dir_module: Path) -> tuple[Document, ...]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_documents([seeds_dir_module]).documents


@pytest.fixture(scope="module")
def seeds_dir_module() -> Path:
    return Path(__file__).resolve().parent.parent / "seeds"


def test_matching_on_gold_anchors(gold: Gold, documents: tuple[Document, ...]) -> None:
    """Clustering the gold anchors (perfect extraction) reaches P ≥ 0.95, R ≥ 0.85, cross-briefing R ≥ 0.85."""
    mentions = gold_mentions(gold, documents)
    scores = score(gold, {d.id: d.text for d in documents}, predictions_from_clusters(cluster(mentions)))
    assert scores.extraction_recall == 1.0
    assert scores.pairwise_precision >= 0.95
    assert scores.pairwise_recall >= 0.85
    assert scores.cross_briefing_link_recall is not None and scores.cross_briefing_link_recall >= 0.85


def test_gold_anchor_clusters_independent_of_file_order(gold: Gold, documents: tuple[Document, ...]) -> None:
    """The five seeds' mentions in any order give the same commitments."""
    mentions = gold_mentions(gold, documents)
    expected = cluster(mentions)
    rnd = random.Random(4)
    for _ in range(5):
        shuffled = list(mentions)
        rnd.shuffle(shuffled)
        assert cluster(shuffled) == expected


@pytest.fixture(scope="module")
def ingested(documents: tuple[Document, ...]):  # type: ignore[no-untyped-def]
    ledger_module = pytest.importorskip("policy_tracker.ledger.ledger")
    pytest.importorskip("policy_tracker.extraction.extract")
    ledger = ledger_module.Ledger()
    ledger.ingest(documents)
    return ledger


def _groups(ledger) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return sorted(sorted(m.id for m in c.mentions) for c in ledger.commitments)


def test_end_to_end_on_seeds(gold: Gold, documents: tuple[Document, ...], ingested) -> None:  # type: ignore[no-untyped-def]
    """Extraction + matching on the seeds meet the issue's figures (as score_gold.py computes them)."""
    scores = score(gold, {d.id: d.text for d in documents}, predictions_from(ingested.commitments))
    assert scores.extraction_recall >= 0.95
    assert scores.evidence_false_positives == 0
    assert scores.pairwise_precision >= 0.95
    assert scores.pairwise_recall >= 0.85
    assert scores.cross_briefing_link_recall is not None and scores.cross_briefing_link_recall >= 0.85


def test_ingest_independent_of_file_order(documents: tuple[Document, ...], ingested) -> None:  # type: ignore[no-untyped-def]
    """The seeds ingested at once in any order, or one by one then rematched, give the same commitments."""
    from policy_tracker.ledger import Ledger

    expected = _groups(ingested)
    rnd = random.Random(5)
    order = list(documents)
    rnd.shuffle(order)
    at_once = Ledger()
    at_once.ingest(order)
    assert _groups(at_once) == expected
    one_by_one = Ledger()
    for doc in order:
        one_by_one.ingest([doc])
    one_by_one.ingest([], rematch=True)
    assert _groups(one_by_one) == expected


CORPUS = Path(__file__).parent / "corpus"


def test_held_out_corpus_end_to_end() -> None:
    """The held-out corpus (gold reviewed against the seed policy) keeps its measured precision and recall."""
    from policy_tracker.evaluate import evaluate_paths

    scores = evaluate_paths(CORPUS / "gold.yaml", CORPUS)
    assert scores.pairwise_precision >= 0.88
    assert scores.pairwise_recall >= 0.9
    assert scores.cross_briefing_link_recall is not None and scores.cross_briefing_link_recall >= 0.9



@pytest.mark.parametrize(
    ("folder", "min_recall"),
    [
        # 8 briefings 2024-2025; first contact: extraction 0.994, P 1.0, R 0.824
        ("corpus2", 0.84),
        # 6 documents in other genres; first contact: extraction 0.99, P 1.0, R 0.901
        ("corpus3", 0.92),
    ],
)
def test_later_held_out_corpora_end_to_end(folder: str, min_recall: float) -> None:
    """The corpora written by someone who had not seen the code (gold before any run) keep their measured scores."""
    from policy_tracker.evaluate import evaluate_paths

    corpus = Path(__file__).parent / folder
    scores = evaluate_paths(corpus / "gold.yaml", corpus)
    assert scores.extraction_recall == 1.0
    assert scores.evidence_false_positives == 0
    assert scores.pairwise_precision >= 0.95
    assert scores.pairwise_recall >= min_recall
    assert scores.cross_briefing_link_recall is not None and scores.cross_briefing_link_recall >= min_recall
