"""Tests for policy_tracker.evaluate: the built-in gold scorer agrees with the reference scorer."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

from policy_tracker.cli import main
from policy_tracker.errors import DataError
from policy_tracker.evaluate import (
    Prediction,
    gold_mentions,
    predictions_from_clusters,
    predictions_from_ledger,
    read_gold,
    score,
)
from policy_tracker.sources.load import load_documents
from policy_tracker.matching.cluster import cluster

GOLD_TEXT = """
documents: {a: {}, b: {}}
commitments:
  x:
    mentions: [[a, 甲计划], [b, 甲计划]]
  y:
    mentions: [[a, 乙工程], [b, 乙工程二期]]
  z:
    mentions: [[b, 丙行动]]
related:
  - [x, z]
evidence:
  - [a, 已完成丁, null]
"""
TEXTS = {"a": "实施甲计划。推进乙工程。已完成丁。", "b": "实施甲计划。推进乙工程二期。开展丙行动。"}
REFERENCE = Path("/work/shared/tools/score_gold.py")


def p(doc: str, anchor: str, cid: str) -> Prediction:
    start = TEXTS[doc].find(anchor)
    return Prediction(doc, start, start + len(anchor), cid)


@pytest.mark.parametrize(
    ("preds", "expected"),
    [
        (
            [p("a", "甲计划", "1"), p("b", "甲计划", "1"), p("a", "乙工程", "2"), p("b", "乙工程二期", "2"), p("b", "丙行动", "3")],
            {"extraction_recall": 1.0, "pairwise_precision": 1.0, "pairwise_recall": 1.0, "cross_briefing_link_recall": 1.0},
        ),
        (
            [p("a", "甲计划", "1"), p("b", "甲计划", "1"), p("a", "乙工程", "1"), p("b", "乙工程二期", "2")],
            {"extraction_recall": 0.8, "pairwise_precision": 0.333, "pairwise_recall": 0.5, "cross_briefing_link_recall": 0.5},
        ),
        (
            [p("a", "甲计划", "1"), p("b", "丙行动", "1"), p("a", "已完成丁", "9")],
            {"extraction_recall": 0.4, "pairwise_precision": 0.0, "evidence_false_positives": "1/1"},
        ),
    ],
)
def test_score_figures(preds: list[Prediction], expected: dict) -> None:
    """Recall, pairwise figures, skipped related pairs and evidence hits are computed as specified."""
    figures = score(read_gold(GOLD_TEXT), TEXTS, preds).as_dict()
    assert {k: figures[k] for k in expected} == expected


def test_partial_cover_counts_from_sixty_percent() -> None:
    """A prediction covering 60% of an anchor finds it; less does not."""
    gold = read_gold(GOLD_TEXT)
    start = TEXTS["b"].find("乙工程二期")
    found = score(gold, TEXTS, [Prediction("b", start, start + 3, "1")])
    missed = score(gold, TEXTS, [Prediction("b", start, start + 2, "1")])
    assert found.gold_mentions - len(found.missed) == 1
    assert len(missed.missed) == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("commitments: [1, 2]", "expected a mapping"),
        ("commitments:\n  x: {mentions: [[a]]}", "x: mentions: expected a list of \\[document, anchor\\]"),
        ("commitments: {x: {mentions: [[a, b]]}}\nevidence: [[a]]", "evidence: expected"),
        ("commitments: {x: [", "g.yaml:2: invalid YAML \\(did not find"),
    ],
)
def test_bad_gold_files(text: str, message: str) -> None:
    """Malformed gold files raise a DataError that names the file and the entry."""
    with pytest.raises(DataError, match=message):
        read_gold(text, "g.yaml")


def test_ledger_predictions_fall_back_to_quote() -> None:
    """A ledger mention whose offsets do not match its quote is located by the quote, as the reference does."""
    ledger = {"commitments": [{"id": "c1", "mentions": [{"source": "b.txt", "start": 0, "end": 2, "quote": "丙行动"}]}]}
    assert predictions_from_ledger(ledger, TEXTS) == [p("b", "丙行动", "c1")]


@pytest.mark.skipif(not REFERENCE.is_file(), reason="reference scorer not available")
def test_agrees_with_reference_scorer(tmp_path: Path, seeds_dir: Path) -> None:
    """On the seeds, the library prints exactly what score_gold.py prints for the same ledger."""
    gold_path = Path(__file__).parent / "data" / "seeds-gold.yaml"
    gold = read_gold(gold_path.read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = load_documents([seeds_dir]).documents
    clusters = cluster(gold_mentions(gold, docs))
    ledger = {
        "commitments": [
            {"id": f"c{i}", "mentions": [{"source": m.source, "start": m.start, "end": m.end, "quote": m.quote} for m in c]}
            for i, c in enumerate(clusters)
        ]
    }
    path = tmp_path / "ledger.yaml"
    path.write_text(yaml.safe_dump(ledger, allow_unicode=True), encoding="utf-8")
    ref = subprocess.run(
        [sys.executable, str(REFERENCE), str(gold_path), str(seeds_dir), str(path), "--json"],
        capture_output=True, text=True, check=True,
    )
    expected = json.loads(ref.stdout)
    expected.pop("unlocatable_mentions")
    ours = score(gold, {d.id: d.text for d in docs}, predictions_from_clusters(clusters)).as_dict()
    assert ours == expected


def test_eval_command_reports_figures(tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`policy-tracker eval GOLD --docs DIR --ledger L` prints the figures of a ledger file."""
    gold_path = Path(__file__).parent / "data" / "seeds-gold.yaml"
    pytest.importorskip("policy_tracker.ledger.ledger")
    from policy_tracker.ledger import Ledger

    ledger = Ledger()
    ledger_path = tmp_path / "empty.yaml"
    ledger.save(ledger_path)
    assert main(["eval", str(gold_path), "--docs", str(seeds_dir), "--ledger", str(ledger_path)]) == 0
    printed = capsys.readouterr().out
    assert "pairwise_precision: 0.0" in printed and "extraction_recall: 0.0" in printed


def test_eval_anchors_with_overrides(seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`eval --anchors --set join=N` measures matching alone with a changed threshold."""
    gold_path = str(Path(__file__).parent / "data" / "seeds-gold.yaml")
    assert main(["eval", gold_path, "--docs", str(seeds_dir), "--anchors", "--format", "json"]) == 0
    shipped = json.loads(capsys.readouterr().out)
    assert main(["eval", gold_path, "--docs", str(seeds_dir), "--anchors", "--set", "join=99", "--format", "json"]) == 0
    strict = json.loads(capsys.readouterr().out)
    assert shipped["extraction_recall"] == strict["extraction_recall"] == 1.0
    assert strict["pairwise_recall"] < shipped["pairwise_recall"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--set", "join"], "expected NAME=NUMBER"),
        (["--set", "join=high"], "expected NAME=NUMBER"),
        (["--set", "jion=50"], "unknown name"),
        (["--ledger", "x.yaml", "--anchors"], "--ledger scores a finished ledger"),
    ],
)
def test_eval_rejects_bad_options(argv: list[str], message: str, seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Malformed overrides and contradictory options end with 'Error: …' and status 1."""
    gold_path = str(Path(__file__).parent / "data" / "seeds-gold.yaml")
    assert main(["eval", gold_path, "--docs", str(seeds_dir), "--anchors", *argv] if "--ledger" not in argv else ["eval", gold_path, "--docs", str(seeds_dir), *argv]) == 1
    assert message in capsys.readouterr().err


def test_score_dates_counts_correct_wrong_and_unknown() -> None:
    """score_dates compares each document's held date with the gold's, and reads a gold date given with a comment."""
    import datetime as dt

    from policy_tracker.evaluate import score_dates
    from policy_tracker.models import Document

    gold = read_gold(
        "documents:\n  a: {held: 2024-04-18}\n  b: {held: '2024-12-26 (text gives 12月26日 without a year)'}\n"
        "  c: {held: 2025-01-21}\n  d: {}\ncommitments: {}\n"
    )
    docs = [
        Document("a", "x", held=dt.date(2024, 4, 18)),
        Document("b", "x", held=dt.date(2023, 12, 26)),
        Document("c", "x"),
        Document("d", "x", held=dt.date(2020, 1, 1)),
    ]
    scores = score_dates(gold, docs)
    assert scores.correct == ("a",)
    assert scores.wrong == (("b", dt.date(2023, 12, 26), dt.date(2024, 12, 26)),)
    assert scores.unknown == ("c",)
    assert scores.as_dict() == {"dates_correct": "1/3", "dates_wrong": 1, "dates_unknown": 1, "dates_guessed": 0, "dates_correct_share": 0.333}


def test_score_held_counts_a_date_given_where_the_gold_says_unknown_as_guessed() -> None:
    """A gold `held: unknown` is left out of correct/wrong/unknown, but a date found for it is reported as a guess."""
    import datetime as dt

    from policy_tracker.evaluate import score_held

    gold = read_gold("documents:\n  a: {held: unknown}\n  b: {held: unknown}\n  c: {held: 2024-04-18}\ncommitments: {}\n")
    scores = score_held(gold, {"a": dt.date(2026, 1, 13), "b": None, "c": dt.date(2024, 4, 18)})
    assert scores.guessed == (("a", dt.date(2026, 1, 13)),)
    assert (scores.correct, scores.unknown, scores.total) == (("c",), (), 1)
    assert scores.as_dict()["dates_guessed"] == 1


def test_eval_dates_without_manifest_ignores_the_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """eval --dates --no-manifest scores dates found in the text only: a manifest's wrong date counts with it, not without."""
    import shutil

    docs = tmp_path / "corpus2"
    shutil.copytree("tests/corpus2", docs)
    manifest = yaml.safe_load((docs / "briefings.yaml").read_text(encoding="utf-8"))
    manifest["documents"]["k06_scio_2024_cena"]["held"] = "2025-01-22"  # the conference was on the 21st
    (docs / "briefings.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["eval", "tests/corpus2/gold.yaml", "--docs", str(docs), "--dates", "--format", "json"]) == 0
    with_manifest = json.loads(capsys.readouterr().out)
    assert with_manifest["dates_correct"] == "7/8" and with_manifest["dates_wrong"] == 1
    assert main(["eval", "tests/corpus2/gold.yaml", "--docs", str(docs), "--dates", "--no-manifest", "--verbose"]) == 0
    text = capsys.readouterr().out
    assert "dates_correct: 8/8" in text  # k06 from its text and the event calendar, not from the manifest
    assert "dates_wrong: 0" in text
