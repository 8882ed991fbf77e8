"""Incremental ingest: a later briefing is matched against its candidates only, with the same result."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

from policy_tracker.matching import incremental
from policy_tracker.ledger import Ledger
from policy_tracker.sources.load import load_documents
from policy_tracker.matching.cluster import cluster

pytest.importorskip("policy_tracker.extraction.extract")


@pytest.fixture(scope="module")
def seed_docs(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("seeds")
    for f in (Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"):
        shutil.copy(f, folder / f.name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = load_documents([folder]).documents
    early = [d for d in docs if d.held and d.held.year == 2023]
    late = [d for d in docs if d not in early]
    assert early and late
    return early, late


class Recording:
    """A matcher that records how many mentions it was given."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def __call__(self, mentions, **kwargs):
        self.sizes.append(len(mentions))
        return cluster(mentions, **kwargs)


def _two_batches(early, late, *, incremental_ok: bool, matcher=None) -> Ledger:
    led = Ledger()
    led.ingest(early)
    led = Ledger.loads(led.dumps())
    led.ingest(late, incremental=incremental_ok, cluster=matcher)
    return led


def test_incremental_equals_full_path_on_seeds(seed_docs) -> None:
    """Seeds split 2023 | 2024: the incremental path writes the same ledger as re-matching every mention."""
    early, late = seed_docs
    assert _two_batches(early, late, incremental_ok=True).dumps() == _two_batches(early, late, incremental_ok=False).dumps()


def test_incremental_path_is_taken(seed_docs) -> None:
    """The 2024 briefing is matched with fewer mentions than the ledger holds; incremental=False gives them all."""
    early, late = seed_docs
    fast, full = Recording(), Recording()
    led = _two_batches(early, late, incremental_ok=True, matcher=fast)
    _two_batches(early, late, incremental_ok=False, matcher=full)
    assert fast.sizes and full.sizes
    assert fast.sizes[0] < full.sizes[0] == len(led.mentions)


def test_earlier_document_takes_the_full_path(seed_docs) -> None:
    """A document dated before the ledger's latest briefing is matched against every mention."""
    early, late = seed_docs
    led = Ledger()
    led.ingest(late)
    rec = Recording()
    led.ingest(early, cluster=rec)
    assert rec.sizes == [len(led.mentions)]


def test_sidecar_written_reused_and_stale_ignored(seed_docs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Save writes the keys sidecar (large ledgers); the next ingest reads it; a sidecar of another file is ignored."""
    monkeypatch.setattr(incremental, "SIDECAR_MIN_MENTIONS", 0)
    early, late = seed_docs
    path = tmp_path / "ledger.yaml"
    led = Ledger.open(path)
    led.ingest(early)
    led.save()
    sidecar = incremental.sidecar_path(path)
    assert sidecar.exists()
    _, _, stamp = incremental.vocabulary()
    assert set(incremental.KeyIndex.signatures(sidecar, led._loaded_digest, stamp)) == {m.id for m in led.mentions}
    assert incremental.KeyIndex.signatures(sidecar, "0" * 64, stamp) == {}  # stale: another ledger version
    flat = [m for c in led for m in c.mentions]
    assert incremental.KeyIndex.open(sidecar, "0" * 64, stamp, flat) is None
    assert incremental.KeyIndex.open(sidecar, led._loaded_digest, stamp, flat[::-1]) is None  # other order: probes differ
    opened = incremental.KeyIndex.open(sidecar, led._loaded_digest, stamp, flat)
    built = incremental.KeyIndex.build([incremental.signature(m, incremental.vocabulary()[0]) for m in flat])
    tokens = {t for sig in incremental.KeyIndex.signatures(sidecar, led._loaded_digest, stamp).values() for t in incremental._tokens(sig)}
    assert opened is not None and all(opened.get(t) == built.get(t) for t in tokens)
    again = Ledger.load(path)
    again.ingest(late)
    expected = _two_batches(early, late, incremental_ok=False).dumps()
    assert again.dumps() == expected
    sidecar.write_text("not a sidecar\n", encoding="utf-8")  # garbage: rebuilt silently
    third = Ledger.load(path)
    third.ingest(late)
    assert third.dumps() == expected


def test_small_ledger_writes_no_sidecar(seed_docs, tmp_path: Path) -> None:
    """Below SIDECAR_MIN_MENTIONS no sidecar clutters the ledger's folder."""
    early, _ = seed_docs
    path = tmp_path / "ledger.yaml"
    led = Ledger.open(path)
    led.ingest(early)
    led.save()
    assert not incremental.sidecar_path(path).exists()


def test_vocabulary_stamp_is_the_same_in_every_process() -> None:
    """The sidecar's vocabulary stamp does not depend on hash randomisation (else every new process would rebuild)."""
    import os
    import subprocess
    import sys

    code = "from policy_tracker.matching.incremental import vocabulary; print(vocabulary()[2])"
    stamps = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(stamps) == 1


def test_changed_status_thresholds_are_applied_on_reingest(seed_docs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Statuses are extended, not re-derived, only when the sidecar says they were derived with today's thresholds."""
    from policy_tracker.ledger import status

    monkeypatch.setattr(incremental, "SIDECAR_MIN_MENTIONS", 0)
    early, late = seed_docs
    path = tmp_path / "ledger.yaml"
    led = Ledger.open(path)
    led.ingest([*early, *late])
    led.save()
    again = Ledger.load(path)
    again.ingest(late)
    assert again.dumps() == led.dumps()
    monkeypatch.setattr(status, "thresholds", lambda: (2, 1))  # an analyst edits data/status.yaml
    fresh = Ledger()
    fresh.ingest([*early, *late])
    assert fresh.dumps() != led.dumps()  # the edit changes some statuses
    reloaded = Ledger.load(path)
    reloaded.ingest(late)
    assert [(c.id, c.status, c.history) for c in reloaded] == [(c.id, c.status, c.history) for c in fresh]


def test_related_finds_copies_of_a_core_whose_bigrams_are_all_frequent() -> None:
    """A new key meets old keys of the same core even when blocking would drop every one of its bigrams."""
    from policy_tracker.matching.incremental import KeyIndex, related
    from policy_tracker.matching.config import MatchConfig

    old = [("推进网络建设", (), ())] * 5 + [("推进网络设施", (), ())] * 5
    config = MatchConfig(max_postings=2, rare_postings=1, own_rarest=0)  # the verbatim clause alone (own_rarest would add 推进网络设施)
    assert related(KeyIndex.build(old), [("推进网络建设", (), ())], config) == {0, 1, 2, 3, 4}


def test_related_keeps_signature_partners_past_the_caps() -> None:
    """A new restatement made only of frequent (or new) bigrams still finds its earlier statements through its own rarest bigrams."""
    from policy_tracker.matching.incremental import KeyIndex, related
    from policy_tracker.matching.config import MatchConfig

    old = [("新能源汽车产业集群", (), ()), ("数据中心优秀解决方案", (), ()), ("工业互联网标杆示范", (), ())] * 320  # above the rare cap (300)
    index = KeyIndex.build(old)
    new = [("新能源汽车产业集群培育", (), ())]
    assert related(index, new, MatchConfig(max_postings=5, own_rarest=0)) == set()
    found = related(index, new, MatchConfig(max_postings=5, own_rarest=3, top_k=10))
    assert found and all(old[j][0] == "新能源汽车产业集群" for j in found)


def test_matching_stamp_does_not_depend_on_the_hash_seed() -> None:
    """The stamp of the matching vocabulary is the same in every process (sets are hashed in a random order per process)."""
    import os
    import subprocess
    import sys

    code = "from policy_tracker.matching import incremental; print(incremental.vocabulary()[2])"
    stamps = {
        subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2", "3", "4", "5", "6")
    }
    assert len(stamps) == 1
