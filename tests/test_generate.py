"""Tests for the synthetic benchmark corpus (tests/benchmarks/generate.py)."""

from __future__ import annotations

import io

import pytest
import yaml

from tests.benchmarks.generate import Generator, generate, write


@pytest.fixture(scope="module")
def corpus():
    return generate(600, seed=3)


def test_exact_mention_count(corpus) -> None:
    """The corpus plants exactly the number of pledge clauses asked for."""
    assert len(corpus.mentions) == 600


def test_deterministic_by_seed(corpus) -> None:
    """The same seed gives identical documents; another seed different ones."""
    assert generate(600, seed=3) == corpus
    assert generate(600, seed=4).documents[0].text != corpus.documents[0].text


def test_planted_spans_are_verbatim(corpus) -> None:
    """Every planted clause is the document text at its span (the gold anchor is verbatim)."""
    texts = {d.id: d.text for d in corpus.documents}
    for m in corpus.mentions:
        assert texts[m.document][m.start : m.end] == m.text


def test_restatements_and_one_mention_per_document(corpus) -> None:
    """Commitments are restated across documents, at most once per document."""
    by_cluster: dict[str, list[str]] = {}
    for m in corpus.mentions:
        by_cluster.setdefault(m.cluster, []).append(m.document)
    assert all(len(docs) == len(set(docs)) for docs in by_cluster.values())
    restated = [c for c, docs in by_cluster.items() if len(docs) > 1]
    assert len(restated) > len(by_cluster) / 4


def test_dates_are_chronological(corpus) -> None:
    """Documents come in briefing order, dated in their header."""
    held = [d.held for d in corpus.documents]
    assert held == sorted(held)
    assert all(d.held.isoformat() in d.text[:200] for d in corpus.documents)


def test_traditional_outlets(corpus) -> None:
    """Some outlets print in Traditional characters."""
    traditional = [d for d in corpus.documents if d.traditional]
    assert traditional
    assert any(ch in traditional[0].text for ch in "進發業車")


def test_gold_file_format(corpus, tmp_path) -> None:
    """The gold file has the seed-gold layout: documents and commitments of [doc, anchor] mentions."""
    write(corpus, tmp_path)
    gold = yaml.safe_load(io.StringIO((tmp_path / "gold.yaml").read_text(encoding="utf-8")))
    assert set(gold) == {"documents", "commitments"}
    assert sum(len(c["mentions"]) for c in gold["commitments"].values()) == 600
    doc, anchor = next(iter(gold["commitments"].values()))["mentions"][0]
    assert anchor in (tmp_path / f"{doc}.txt").read_text(encoding="utf-8")
    assert len(list(tmp_path.glob("*.txt"))) == len(corpus.documents)


def test_next_document_continues_the_stream() -> None:
    """A generator continues with a new briefing of the requested size (the add-one benchmark)."""
    gen = Generator(seed=5)
    docs = list(gen.documents(200))
    extra = gen.document(40)
    assert len(extra.mentions) == 40
    assert extra.held >= docs[-1].held
    assert extra.id not in {d.id for d in docs}


class _M:
    def __init__(self, id: str) -> None:
        self.id = id


@pytest.mark.parametrize(
    ("predicted", "expected"),
    [
        ([["a", "b"], ["c"]], {"P": 1.0, "R": 1.0, "F1": 1.0, "B3_F1": 1.0, "largest": 2}),
        ([["a", "b", "c"]], {"P": 1 / 3, "R": 1.0, "largest": 3}),
        ([["a"], ["b"], ["c"]], {"P": 1.0, "R": 0.0, "F1": 0.0}),
    ],
)
def test_pairwise_and_b3(predicted: list[list[str]], expected: dict[str, float]) -> None:
    """The benchmark's clustering scores: pairwise and B³ against planted clusters."""
    from tests.benchmarks.run import pairwise_and_b3

    scores = pairwise_and_b3([[_M(i) for i in c] for c in predicted], {"a": "x", "b": "x", "c": "y"})
    for name, value in expected.items():
        assert scores[name] == pytest.approx(value)


def test_benchmark_ingest_reports_quality_against_the_planted_clusters(tmp_path) -> None:
    """The benchmark's ingest step scores its ledger against the planted clusters: the planted matcher scores 1.0."""
    from tests.benchmarks.run import child_ingest

    planted = child_ingest(400, 3, str(tmp_path / "planted.yaml"), matcher="planted")
    assert planted["quality"]["P"] == pytest.approx(1.0) and planted["quality"]["R"] == pytest.approx(1.0)
    matched = child_ingest(400, 3, str(tmp_path / "matched.yaml"))
    assert 0.0 < matched["quality"]["P"] <= 1.0 and matched["quality"]["B3_F1"] < 1.0 + 1e-9
    assert matched["planted_commitments"] == planted["planted_commitments"] < matched["planted"]
