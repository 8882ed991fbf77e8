"""The console examples in the docs print what they show (scripts/check_docs.py).

The three files are checked side by side, in one run of about 5 s, so the test
runs by default; the matching rules of the checker are tested on small tables.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("docs/usage.md", "docs/ledger.md", "README.md")


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_docs", ROOT / "scripts" / "check_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_docs"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


check_docs = _load_checker()
TODAY = frozenset({"2026-11-22"})


def _check(expected: list[str], output: list[str], today: frozenset[str] = TODAY) -> Any:
    example = check_docs.Example(Path("doc.md"), 1, "policy-tracker x", tuple(expected))
    return check_docs.check(example, check_docs.Run(tuple(output), 0, today))


@pytest.fixture(scope="module")
def doc_results() -> dict[str, tuple[int, list[Any]]]:
    results = check_docs.check_files([ROOT / name for name in DOCS])
    return dict(zip(DOCS, results, strict=True))


@pytest.mark.parametrize("name", DOCS)
def test_documented_console_output_is_real(name: str, doc_results: dict[str, tuple[int, list[Any]]]) -> None:
    """Every ```console example in the file prints what the file shows; paste the real output when this fails."""
    count, mismatches = doc_results[name]
    assert count > 0, f"{name} has no console examples"
    assert not mismatches, "\n".join(check_docs.describe(m) for m in mismatches)


@pytest.mark.parametrize(
    ("expected", "output", "matches"),
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b  "], ["a", "b", "", ""], True),
        (["a", "…", "d"], ["a", "b", "c", "d"], True),
        (["a", "...", "d"], ["a", "d"], True),
        (["…", "c"], ["a", "b", "c"], True),
        (["a", "…"], ["a", "b", "c"], True),
        (["…", "x"], ["x", "y", "x"], True),
        (["a", "…", "b", "…", "c"], ["a", "b", "z", "c"], True),
        ([], [], True),
        (["a", "c"], ["a", "b", "c"], False),
        (["a"], ["a", "b"], False),
        (["b", "…"], ["a", "b"], False),
        (["…", "a"], ["a", "b"], False),
        (["a", "…", "c", "…", "b"], ["a", "b", "c"], False),
        ([], ["printed"], False),
        (["a", "b"], ["a"], False),
    ],
)
def test_matching_rules(expected: list[str], output: list[str], matches: bool) -> None:
    """Documented lines must be the printed lines in order; a line of … or ... stands for any number of lines."""
    assert (_check(expected, output) is None) is matches


@pytest.mark.parametrize(
    ("documented", "printed", "matches"),
    [
        ("- **fulfilled** 2026-11-01 (analyst)", "- **fulfilled** 2026-11-22 (analyst)", True),
        ("- **fulfilled** 2026-11-01 (analyst)", "- **fulfilled** 2026-11-21 (analyst)", False),
        ("- **new** 2023-04-20", "- **new** 2023-04-21", False),
        ("date 2026-11-01 x", "date 2026-11-22 y", False),
    ],
)
def test_documented_date_matches_today_only(documented: str, printed: str, matches: bool) -> None:
    """A documented ISO date also matches the day the check runs (curation stamps today), and no other date."""
    assert (_check([documented], [printed]) is None) is matches


def test_report_names_first_wrong_line_and_what_was_printed() -> None:
    """A mismatch reports the first documented line that differs and the line printed in its place."""
    mismatch = _check(["a", "…", "commitments: 321 new", "updated"], ["a", "x", "commitments: 329 new", "updated"])
    report = check_docs.describe(mismatch)
    assert "doc.md:1: $ policy-tracker x" in report
    assert "documented (line 4): commitments: 321 new" in report
    assert "printed:    commitments: 329 new" in report


def test_examples_are_read_from_console_blocks_only() -> None:
    """Commands come from ```console blocks, each with the lines up to the next $ line as its output."""
    text = "```bash\n$ not-run\n```\n\n```console\n$ policy-tracker a  # note\nout 1\n…\n$ head -2 f.csv\n```\n"
    examples = check_docs.parse_examples(Path("doc.md"), text)
    assert [(e.line, e.command, e.expected) for e in examples] == [
        (6, "policy-tracker a  # note", ("out 1", "…")),
        (9, "head -2 f.csv", ()),
    ]


@pytest.mark.parametrize(
    ("command", "shell"),
    [
        ("policy-tracker show nev-2023-02", False),
        ('policy-tracker merge a b --reason "x | y"  # comment', False),
        ("policy-tracker report | head -2", True),
        ("head -2 grid.csv", True),
        ("sed 's/a/b/' ledger.yaml > broken.yaml", True),
    ],
)
def test_only_pipes_redirections_and_other_programs_use_the_shell(command: str, shell: bool) -> None:
    """A plain policy-tracker command runs without a shell; pipes, redirections and other programs need one."""
    assert check_docs.needs_shell(command) is shell
