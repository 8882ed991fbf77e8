"""Import graph of the policy_tracker package (every import, also those inside functions), and its cycles.

    python scripts/import_graph.py            # modules, edges, stage-package edges, cycles (exit 1 if any)

Modules are nodes; ``from .x import y`` and ``from . import x`` are edges.
Stage packages (sources, extraction, matching, ledger, reports, cli) are also
checked as single nodes, so that data flows one way between stages.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "policy_tracker"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def edges() -> dict[str, set[str]]:
    """``{module: {modules it imports}}`` within the package (``TYPE_CHECKING`` imports left out)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        is_pkg = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join([*base, *([node.module] if node.module else [])])
                targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in modules else mod for a in node.names]
            elif isinstance(node, (ast.ImportFrom, ast.Import)):
                raw = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                targets = [r for r in raw if r and r.startswith("policy_tracker")]
            for t in targets:
                while t not in modules and "." in t:
                    t = t.rsplit(".", 1)[0]
                if t in modules and t != name:
                    graph[name].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


STAGES = ("sources", "extraction", "matching", "ledger", "reports", "cli")


def stage_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph with each stage package folded into one node (``policy_tracker.ledger`` …)."""

    def fold(m: str) -> str:
        parts = m.split(".")
        return ".".join(parts[:2]) if len(parts) > 1 and parts[1] in STAGES else m

    folded: dict[str, set[str]] = {}
    for a, bs in graph.items():
        folded.setdefault(fold(a), set()).update(fold(b) for b in bs if fold(b) != fold(a))
    return folded


def main() -> int:
    graph = edges()
    stages = stage_graph(graph)
    n_edges = sum(len(v) for v in graph.values())
    print(f"modules: {len(graph)}, import edges: {n_edges}")
    print(f"modules and stage packages: {len(stages)}, edges between them: {sum(len(v) for v in stages.values())}")
    found = cycles(graph) + cycles(stages)
    for c in found:
        print("cycle: " + " <-> ".join(c))
    print(f"cycles: {len(found)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
