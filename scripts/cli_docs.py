"""Regenerate docs/cli.md: every subcommand's --help and a real run on the seed briefings.

    .venv/bin/python scripts/cli_docs.py            # rewrite docs/cli.md
    .venv/bin/python scripts/cli_docs.py --check    # exit 1 if docs/cli.md is out of date

The examples run in a scratch folder holding a copy of ``seeds/`` and a fresh
``ledger.yaml``, in the order an analyst would use them; ids used by the
curation examples are looked up in that ledger, so the commands shown are
the commands that were run.  A subcommand without an example below still
gets its --help section (and ``tests/test_cli_docs.py`` notices it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
MAX_LINES = 40

sys.path.insert(0, str(ROOT))

from policy_tracker import cli  # noqa: E402

Ctx = dict[str, Any]
Example = tuple[str, Callable[[Ctx], list[str] | None]]


def _ledger(ctx: Ctx) -> Any:
    from policy_tracker.ledger import Ledger

    return Ledger.load(Path(ctx["cwd"]) / "ledger.yaml")


def _commitment_with(text: str) -> Callable[[Ctx], str | None]:
    def find(ctx: Ctx) -> str | None:
        for c in _ledger(ctx).commitments:
            if any(text in (m.text or m.quote) for m in c.mentions):
                return str(c.id)
        return None

    return find


def _several_mentions(ctx: Ctx) -> Any:
    return next((c for c in _ledger(ctx).commitments if len({m.briefing for m in c.mentions}) >= 2), None)


FLEET = _commitment_with("公共领域车辆全面电动化")
FACTORIES = _commitment_with("5G工厂")

# (command, argv builder): the builder returns the arguments after the command name, or None to skip.
EXAMPLES: list[Example] = [
    ("sources", lambda ctx: ["seeds"]),
    ("extract", lambda ctx: ["seeds/003_fbae4528c08ed477.txt"]),
    ("ingest", lambda ctx: ["seeds", "--ledger", "ledger.yaml"]),
    ("validate", lambda ctx: ["ledger.yaml", "--docs", "seeds"]),
    ("report", lambda ctx: ["--ledger", "ledger.yaml"]),
    ("report", lambda ctx: ["--html", "overview.html"]),
    ("timeline", lambda ctx: ["--speaker", "金壮龙"]),
    ("show", lambda ctx: [FLEET(ctx)] if FLEET(ctx) else None),
    ("diff", lambda ctx: ["2023-04-20", "2024-01-19"]),
    ("diff", lambda ctx: ["2023-07-19", "2023-11-04", "--format", "csv"]),
    ("set", lambda ctx: [FACTORIES(ctx), "status=partially_fulfilled", "notes=首批300个5G工厂名录已发布"] if FACTORIES(ctx) else None),
    ("split", lambda ctx: [c.id, "--mention", c.mentions[-1].id, "--reason", "example: a different pledge"] if (c := _several_mentions(ctx)) else None),
    ("merge", lambda ctx: _merge_args(ctx)),
    ("pin", lambda ctx: _pin_args(ctx)),
    ("reject", lambda ctx: _reject_args(ctx)),
    ("review", lambda ctx: ["--limit", "2"]),
    ("train", lambda ctx: ["tests/data/seeds-gold.yaml:seeds", "-o", "model", "--no-loo"]),
    ("eval", lambda ctx: ["tests/data/seeds-gold.yaml", "--docs", "seeds", "--ledger", "ledger.yaml"]),
    ("eval", lambda ctx: ["tests/data/seeds-gold.yaml", "--docs", "seeds", "--dates", "--no-manifest", "--verbose"]),
    ("migrate", lambda ctx: ["ledger.yaml", "ledger/"]),
    ("migrate", lambda ctx: ["ledger/", "ledger-again.yaml"]),
]


def _merge_args(ctx: Ctx) -> list[str] | None:
    # undo the split example: merge the commitment it created back
    ledger = _ledger(ctx)
    split = [d for d in ledger.decisions if d.action == "split"]
    if not split or not split[-1].into or not split[-1].commitment:
        return None
    return [split[-1].commitment, split[-1].into, "--reason", "example: same pledge after all"]


def _pin_args(ctx: Ctx) -> list[str] | None:
    c = _several_mentions(ctx)
    return [c.mentions[0].id, c.id, "--reason", "example: checked by hand"] if c else None


def _reject_args(ctx: Ctx) -> list[str] | None:
    ledger = _ledger(ctx)
    single = [c for c in ledger.commitments if len(c.mentions) == 1]
    return [single[-1].mentions[0].id, "--reason", "example: background, not a pledge"] if single else None


def _run(argv: list[str], cwd: Path) -> tuple[int, str]:
    env = {**os.environ, "COLUMNS": "100", "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "policy_tracker", *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    return proc.returncode, (proc.stdout + proc.stderr).replace(str(cwd) + os.sep, "")


def _clip(text: str) -> str:
    lines = text.rstrip("\n").splitlines()
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"… ({len(lines) - MAX_LINES} more lines)"]
    return "\n".join(lines)


def _fence(text: str, lang: str = "text") -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}{lang}\n{text}\n{fence}"


def generate() -> str:
    parser = cli.build_parser()
    commands = dict(cli.COMMANDS)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    runs: dict[str, list[tuple[list[str], int, str]]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        shutil.copytree(ROOT / "seeds", cwd / "seeds")
        (cwd / "tests" / "data").mkdir(parents=True)
        shutil.copy(ROOT / "tests" / "data" / "seeds-gold.yaml", cwd / "tests" / "data" / "seeds-gold.yaml")
        ctx: Ctx = {"cwd": cwd}
        for name, build in EXAMPLES:
            if name not in commands:
                continue
            try:
                args = build(ctx)
            except Exception as exc:  # noqa: BLE001 - a failed lookup only drops the example
                print(f"{name}: example skipped ({exc})", file=sys.stderr)
                continue
            if args is None:
                continue
            code, output = _run([name, *args], cwd)
            runs[name].append((args, code, output))
    lines = [
        "# Command-line reference",
        "",
        "Generated by `scripts/cli_docs.py` from the registered subcommands; every example was run on the",
        "five seed briefings (`seeds/`) in a scratch folder, in this order, and its real output is shown",
        f"(long outputs cut after {MAX_LINES} lines). Regenerate with `.venv/bin/python scripts/cli_docs.py`.",
        "",
        "Every command that reads a ledger takes `--ledger PATH` (default `ledger.yaml`). Errors print",
        "`Error: …` on stderr. Exit status: 0 success; 1 an error (nothing was written); 2 a usage error",
        "(a missing or unknown option, printed by argparse); 3 `ingest` wrote the ledger but some documents",
        "could not be loaded (each named in an `Error:` line).",
        "",
        "Dates: a document's date held comes from a manifest, its front matter, its own text, the dated press",
        "conference of the same period, another report of the same event ingested with it, or (last) an ISO",
        "date at the start of its file name; `sources` shows which (`date from …`). An undated document is",
        "ingested with a warning naming the missing clue, sorts after every dated briefing (by content, not by",
        "file name) and is never the latest briefing; with `--strict`, `ingest` and `sources` refuse it before",
        "writing anything, naming the file and what to add (`held: YYYY-MM-DD` in its front matter or in a",
        "`briefings.yaml` beside it). See docs/ledger.md, \"Dates and undated briefings\".",
        "",
        "Bad input never costs data: where a choice was ours, the command refuses and says what to do.",
        "A document larger than 2 MB (a briefing article is 5-50 KB) is refused unread; `--max-size 40MB`",
        "(or `0`) reads it anyway. A document with a NUL byte or UTF-8 with a few damaged bytes is refused",
        "at its byte offset and line rather than decoded as nonsense; `-` (standard input) is not read: save",
        "the text as a `.txt` file. `--manifest FILE` adds to the shipped manifest and any `briefings.yaml`",
        "beside the documents, field by field; an entry naming no document read is a warning. `--output`",
        "never replaces a ledger, an article or a hand-written `.md`/`.yaml` (a report may replace a report).",
        "Ctrl-C ends any command with `Interrupted` (exit 130), even during its first second, and a save",
        "either completed or left the ledger as it was. The 96 kinds of bad input tried, and what each gives:",
        "[bad-inputs.md](bad-inputs.md)",
        "(`scripts/bad_inputs.py`).",
        "",
        "| Command | What it does |",
        "|---|---|",
    ]
    order = [name for name, _ in EXAMPLES if name in commands]
    order = list(dict.fromkeys([*order, *sorted(commands)]))
    lines += [f"| [`{n}`](#{n}) | {commands[n][0]} |" for n in order]
    lines.append("")
    for name in order:
        lines += [f'<a id="{name}"></a>', "", f"## `{name}`", "", commands[name][0] + ".", ""]
        helptext = sub.choices[name].format_help()
        lines += [_fence(helptext.rstrip()), ""]
        if not runs[name]:
            lines += ["_No example run on the seeds._", ""]
        for args, code, output in runs[name]:
            shown = " ".join(a if a and " " not in a else repr(a) for a in args)
            lines += ["Example:", "", _fence(f"$ policy-tracker {name} {shown}", "console"), ""]
            status = "" if code == 0 else f" (exit status {code})"
            lines += [f"Output{status}:", "", _fence(_clip(output) or "(no output)"), ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="only report whether docs/cli.md is up to date")
    args = ap.parse_args()
    text = generate()
    if args.check:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        print("docs/cli.md is up to date" if current == text else "docs/cli.md is out of date")
        return 0 if current == text else 1
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
