"""One source for every matching default: thresholds in data/matching.yaml, read by every path (issue 12)."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import attrs
import pytest
import yaml

from policy_tracker.errors import DataError
from policy_tracker.matching import candidates, cluster, incremental
from policy_tracker.matching.config import MatchConfig
from policy_tracker.matching.keys import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = yaml.safe_load((ROOT / "data" / "matching.yaml").read_text(encoding="utf-8"))["thresholds"]


def test_every_field_comes_from_the_yaml() -> None:
    """MatchConfig() holds exactly the numbers of data/matching.yaml, and every numeric field has an entry there."""
    config = MatchConfig()
    numeric = [f for f in attrs.fields(MatchConfig) if f.name not in ("generic_heads", "goal_nouns", "model")]
    assert {f.metadata["yaml"] for f in numeric} == set(SHIPPED)
    for f in numeric:
        assert getattr(config, f.name) == SHIPPED[f.name], f.name


def test_full_path_uses_the_yaml(seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """cluster() (a full ingest) scores with the configuration MatchConfig() reads from the YAML."""
    from policy_tracker.extraction.extract import extract
    from policy_tracker.sources.load import load_documents

    seen = []
    real = cluster.score_pairs
    monkeypatch.setattr(cluster, "score_pairs", lambda keys, config: seen.append(config) or real(keys, config))
    docs = load_documents([seeds_dir]).documents[:2]
    cluster.cluster([m for d in docs for m in extract(d)])
    assert seen == [MatchConfig()]


def test_incremental_path_uses_the_yaml() -> None:
    """The incremental ingest places new mentions with the same configuration as the full path."""
    assert incremental.vocabulary()[1] == MatchConfig() == MatchConfig.from_vocabulary(load_vocabulary())


def test_candidate_index_and_benchmark_use_the_yaml() -> None:
    """The bigram index and the scaling benchmark default to the YAML's blocking limits (no copy in code)."""
    from tests.benchmarks.run import kernel_options

    options = candidates.CandidateIndex([]).options()
    assert (options["max_postings"], options["min_shared"], options["rare_postings"]) == (
        SHIPPED["max_postings"], SHIPPED["min_shared"], SHIPPED["rare_postings"],
    )  # fmt: skip
    args = argparse.Namespace(max_postings=None, min_shared=None, rare_postings=None, pair_tokens=False)
    assert kernel_options(args)["max_postings"] == SHIPPED["max_postings"]
    assert kernel_options(args)["rare_postings"] == SHIPPED["rare_postings"]


def test_no_threshold_default_in_code() -> None:
    """No parameter or constant in the package gives a threshold of data/matching.yaml a number of its own."""
    found = []
    for path in (ROOT / "policy_tracker").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.arguments):
                params = [*node.posonlyargs, *node.args, *node.kwonlyargs]
                defaults = [*([None] * (len(node.posonlyargs) + len(node.args) - len(node.defaults))), *node.defaults, *node.kw_defaults]
                for p, d in zip(params, defaults, strict=True):
                    if p.arg in SHIPPED and isinstance(d, ast.Constant) and isinstance(d.value, (int, float)):
                        found.append(f"{path.name}: {p.arg}={d.value}")
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(getattr(node, "value", None), ast.Constant):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    name = t.id if isinstance(t, ast.Name) else getattr(t, "attr", "")
                    if name.lower().removeprefix("default_") in SHIPPED and isinstance(node.value.value, (int, float)):
                        found.append(f"{path.name}: {name}={node.value.value}")
    assert found == []


def test_a_bad_threshold_names_the_file() -> None:
    """A negative threshold is a DataError naming data/matching.yaml, not a traceback."""
    with pytest.raises(DataError, match="matching.yaml.*join"):
        MatchConfig.from_vocabulary(load_vocabulary(), join=-1)
