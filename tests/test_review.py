"""Tests for policy-tracker review / train: answers become decisions every ingest keeps; train learns from them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from policy_tracker.ledger.ledger import Ledger
from policy_tracker.ledger.review import decided_pairs, review_pairs

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policy_tracker", *args], input=stdin, capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def seed_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review") / "ledger.yaml"
    assert _cli("ingest", str(SEEDS), "--ledger", str(path), "-q").returncode == 0
    return path


def _holders(ledger: Ledger) -> dict[str, str]:
    return {m.id: c.id for c in ledger.commitments for m in c.mentions}


def test_review_pairs_lie_closest_to_the_join_threshold(seed_ledger: Path) -> None:
    """review_pairs ranks pairs by how near their score is to join, never two mentions of one document across commitments."""
    pairs = review_pairs(Ledger.load(seed_ledger), limit=10)
    assert len(pairs) == 10
    gaps = [abs(p.score - 55) for p in pairs]
    assert gaps == sorted(gaps) or max(gaps) < 15
    assert all(p.within or p.a.source != p.b.source for p in pairs)


def test_twenty_answers_survive_reingest_and_rematch(seed_ledger: Path, tmp_path: Path) -> None:
    """Answering 20 pairs (alternating y/n) then re-ingesting, even with --rematch, keeps every answer."""
    path = tmp_path / "ledger.yaml"
    path.write_bytes(seed_ledger.read_bytes())
    answers = "".join("y\n" if i % 2 == 0 else "n\n" for i in range(20))
    run = _cli("review", "--ledger", str(path), "--limit", "20", stdin=answers)
    assert run.returncode == 0, run.stderr
    assert "20 answer(s) recorded" in run.stdout
    judged = decided_pairs(Ledger.load(path).decisions)
    assert len(judged) == 20
    for extra in ([], ["--rematch"]):
        assert _cli("ingest", str(SEEDS), "--ledger", str(path), "-q", *extra).returncode == 0
        holders = _holders(Ledger.load(path))
        for a, b, same in judged:
            assert (holders[a] == holders[b]) == same, (a, b, same)


def test_review_quits_and_skips(seed_ledger: Path, tmp_path: Path) -> None:
    """s skips a pair, q (or end of input) stops; nothing answered leaves the ledger untouched."""
    path = tmp_path / "ledger.yaml"
    path.write_bytes(seed_ledger.read_bytes())
    run = _cli("review", "--ledger", str(path), "--limit", "5", stdin="s\nmaybe\ns\nq\n")
    assert run.returncode == 0
    assert "no answer recorded" in run.stdout and "answer y, n, s or q" in run.stderr
    assert path.read_bytes() == seed_ledger.read_bytes()


def test_separate_decision_needs_two_mentions(tmp_path: Path, seed_ledger: Path) -> None:
    """A hand-written separate decision naming one mention is refused with the field named."""
    data = yaml.safe_load(seed_ledger.read_text(encoding="utf-8"))
    mid = data["commitments"][0]["mentions"][0]["id"] if "id" in data["commitments"][0]["mentions"][0] else None
    text = seed_ledger.read_text(encoding="utf-8").replace(
        "decisions: []", f"decisions:\n- action: separate\n  mentions:\n  - {mid or '001_d101504f9048af62@1038-1049'}\n", 1
    )
    path = tmp_path / "ledger.yaml"
    path.write_text(text, encoding="utf-8")
    run = _cli("validate", str(path))
    assert run.returncode != 0 and "separate decision names exactly two mentions" in (run.stdout + run.stderr)
    assert "Traceback" not in run.stderr


def test_train_learns_from_review_answers(seed_ledger: Path, tmp_path: Path) -> None:
    """train on the seed gold alone, then again with a ledger's review answers: the weights and printed figures change."""
    path = tmp_path / "ledger.yaml"
    path.write_bytes(seed_ledger.read_bytes())
    assert _cli("review", "--ledger", str(path), "--limit", "20", stdin="n\n" * 20).returncode == 0
    gold = f"{ROOT / 'tests/data/seeds-gold.yaml'}:{SEEDS}"
    plain = _cli("train", gold, "-o", str(tmp_path / "plain"), "--no-loo")
    taught = _cli("train", gold, "--ledger", str(path), "-o", str(tmp_path / "taught"), "--no-loo")
    assert plain.returncode == 0 and taught.returncode == 0, plain.stderr + taught.stderr
    a = yaml.safe_load((tmp_path / "plain" / "pair_model.yaml").read_text(encoding="utf-8"))
    b = yaml.safe_load((tmp_path / "taught" / "pair_model.yaml").read_text(encoding="utf-8"))
    assert a["scorer"] == b["scorer"] == "learned"
    assert b["trained"]["pairs"] > a["trained"]["pairs"] and a["weights"] != b["weights"]
    assert "20 judged pair(s)" in taught.stdout


def test_trained_model_is_used_through_the_data_folder(tmp_path: Path) -> None:
    """POLICY_TRACKER_DATA pointing at a trained folder switches ingest to the learned scorer (and it is deterministic)."""
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "pair_model.yaml").write_text(
        "scorer: learned\nbias: -6\nweights: {ratio: 5, overlap: 4, rules: 2}\nthresholds: {join: 50, agree: 35}\n", encoding="utf-8"
    )
    import os

    env = {**os.environ, "POLICY_TRACKER_DATA": str(folder)}
    runs = []
    for n in range(2):
        out = tmp_path / f"l{n}.yaml"
        subprocess.run([sys.executable, "-m", "policy_tracker", "ingest", str(SEEDS), "--ledger", str(out), "-q"], env=env, check=True, cwd=ROOT)
        runs.append(out.read_bytes())
    default = tmp_path / "default.yaml"
    assert _cli("ingest", str(SEEDS), "--ledger", str(default), "-q").returncode == 0
    assert runs[0] == runs[1] and runs[0] != default.read_bytes()
