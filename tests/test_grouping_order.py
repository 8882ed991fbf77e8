"""The grouping of quotes does not depend on file names or on how documents are batched (issue 20)."""

from __future__ import annotations

import functools
import hashlib
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_tracker.extraction.extract import extract, extract_evidence
from policy_tracker.models import Document
from tests.benchmarks import renaming

pytestmark = pytest.mark.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parent.parent


def _cached(fn: Callable[[Document], Any]) -> Callable[[Document], list[Any]]:
    """An extractor memoised by the document's text (its results re-labelled with the document's id)."""
    memo: dict[tuple[str, str | None, Any], list[Any]] = {}

    def run(doc: Document) -> list[Any]:
        key = (hashlib.sha256(doc.text.encode()).hexdigest(), doc.briefing_id if doc.held else None, doc.held)
        if key not in memo:
            memo[key] = [(m, m.source) for m in fn(doc)]
        return [attrs.evolve(m, source=doc.id, **({"briefing": doc.briefing_id} if getattr(m, "briefing", None) else {})) for m, _ in memo[key]]

    return run


EXTRACT = {"extract": _cached(extract), "extract_evidence": _cached(extract_evidence)}


@functools.cache
def _corpus() -> tuple[tuple[str, str], ...]:
    """Seeds and tests/corpus, dates stripped from about half.

    No stripped press conference shares a period with a dated one: a report read
    while undated keeps the pledges read without its date until it is ingested
    again (tested below), which the random batches here would not do.
    """
    docs = [d for d in renaming.corpus(synthetic=0, seed=3) if not d[0].startswith(("k", "m"))]
    return tuple(docs)


@functools.cache
def _reference() -> renaming.Grouping:
    return renaming.ingest(_corpus(), **EXTRACT)[1]


def test_the_corpus_has_undated_documents() -> None:
    """The corpus of the property test below holds undated documents (else it would test nothing new)."""
    undated = [name for name, text in _corpus() if renaming._undated(text)]
    assert len(undated) >= 5, undated


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), batches=st.integers(1, 3))
def test_renamings_and_batches_give_the_same_grouping(seed: int, batches: int) -> None:
    """Random file names and random batch splits (ingests into one ledger) group the same quotes as one ingest."""
    docs = _corpus()
    rng = random.Random(seed)
    renamed = [(new, text) for new, (_, text) in zip(renaming.random_names(len(docs), rng), docs, strict=True)]
    split = [rng.randrange(batches) for _ in docs]
    _, grouping = renaming.ingest(renamed, split, **EXTRACT)
    assert renaming.compare(_reference(), grouping) == 0


def test_two_namings_of_a_mixed_corpus_agree() -> None:
    """Seeds and corpora 1-3 with dates stripped from half, under their names and random ones, give identical groupings."""
    docs = renaming.corpus(synthetic=0, seed=1)
    renamed = [(new, text) for new, (_, text) in zip(renaming.random_names(len(docs), random.Random(7)), docs, strict=True)]
    assert renaming.compare(renaming.ingest(docs, **EXTRACT)[1], renaming.ingest(renamed, **EXTRACT)[1]) == 0


def test_an_undated_report_joins_the_dated_one_of_its_period_whatever_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingested before the dated report of its period, an undated report joins that briefing when it arrives; re-ingested, it groups as in one ingest."""
    from policy_tracker.ledger import Ledger
    from policy_tracker.sources import recurring
    from policy_tracker.sources.load import load_documents

    monkeypatch.setattr(recurring, "calendar_entry", lambda event, key: None)  # a period the event calendar does not list (yet)

    k01 = renaming.strip_dates((ROOT / "tests/corpus2/k01_scio_2024q1_chinanews.txt").read_text(encoding="utf-8"))
    k02 = (ROOT / "tests/corpus2/k02_scio_2024q1_cctv.txt").read_text(encoding="utf-8")
    assert renaming._undated(k01) and not renaming._undated(k02)
    for name, text in (("k01", k01), ("k02", k02)):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.txt").write_text(text, encoding="utf-8")
    ledger = Ledger()
    ledger.ingest(load_documents([tmp_path / "k01"], manifest={}).documents, **EXTRACT)
    assert [b.held for b in ledger.briefings] == [None]
    summary = ledger.ingest(load_documents([tmp_path / "k02"], manifest={}).documents, **EXTRACT)
    record = {r.id: r for r in ledger.documents}["k01"]
    assert record.briefing == {r.id: r for r in ledger.documents}["k02"].briefing
    assert record.date_source is not None and record.date_source.startswith("linked: ")
    assert all(m.date is not None for c in ledger.commitments for m in c.mentions)
    assert any("k01: joined briefing" in w and "ingest the document again" in w for w in summary.warnings)
    ledger.ingest(load_documents([tmp_path / "k01"], manifest={}).documents, **EXTRACT)
    together = renaming.ingest([("k01", k01), ("k02", k02)], **EXTRACT)[1]
    grouping = frozenset(
        frozenset((hashlib.sha256((k01 if m.source == "k01" else k02).encode()).hexdigest(), m.start, m.end) for m in c.mentions)
        for c in ledger.commitments
    )
    assert renaming.compare(together, grouping) == 0
