"""The package layout stays walkable: no import cycles, small modules, one home per rule (issue 12)."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "policy_tracker"
sys.path.insert(0, str(ROOT / "scripts"))

import import_graph  # noqa: E402


def test_no_import_cycles() -> None:
    """No module imports itself round a loop (imports inside functions count), and stage packages depend one way."""
    graph = import_graph.edges()
    assert import_graph.cycles(graph) == []
    assert import_graph.cycles(import_graph.stage_graph(graph)) == []


def test_the_cycle_check_can_fail() -> None:
    """The cycle finder reports a loop when there is one."""
    assert import_graph.cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_over_600_lines() -> None:
    """Every module stays under 600 lines: split by responsibility when one grows."""
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 600} == {}


def _definitions(pattern: str) -> list[str]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(PACKAGE)}:{text[: m.start()].count(chr(10)) + 1}" for m in re.finditer(pattern, text)]
    return found


def test_one_bigram_tokeniser() -> None:
    """Character bigrams are cut in one place (matching/keys.py: bigrams); everyone else calls it."""
    cutters = _definitions(r"\[\s*\w+\s*:\s*\w+\s*\+\s*2\s*\]\s+for\s+\w+\s+in\s+range")
    assert [c.split(":")[0] for c in cutters] == ["matching/keys.py"]
    assert [d.split(":")[0] for d in _definitions(r"def (?:bi)?grams\(")] == ["matching/keys.py"]


def test_one_candidate_rule() -> None:
    """The candidate rule is defined once (matching/rule.py) and the python, numpy and incremental paths all call it."""
    assert [d.split(":")[0] for d in _definitions(r"def is_candidate\(")] == ["matching/rule.py"]
    callers = {p.split(":")[0] for p in _definitions(r"\bis_candidate\(")} - {"matching/rule.py"}
    assert callers == {"matching/candidates.py", "matching/candidates_numpy.py", "matching/incremental.py"}


def test_private_modules_stay_behind_the_face() -> None:
    """No module outside its own package imports another package's private (_name) module."""
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level > 1 and node.module:
                assert not any(part.startswith("_") for part in node.module.split(".")), f"{path}: {node.module}"
