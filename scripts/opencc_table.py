"""OpenCC against the project's old hand-written Traditional → Simplified tables (issue 13).

Prints, as Markdown:

1. every case of ``tests/data/conversion_cases.tsv`` (the issue's characters
   粵 丟 恆 説 閲 鋭 鈎 乾隆 瞭望, tricky phrases 著/着, 乾/干, 後/后, 髮/发 …,
   and Hong Kong / Taiwan vocabulary), converted by the old tables (the
   character table, the 著 rule and the same-length word table as they were at
   ``--old`` in git), by OpenCC's t2s, hk2s, tw2s and tw2s then hk2s alone,
   and by this project now (``characters.fold_chars`` for characters,
   ``normalize.fold`` for vocabulary), with the wrong conversions counted per
   section;
2. the seed briefings converted to Traditional by OpenCC (s2t, s2hk, s2tw)
   and back, old tables against now: characters that differ from the seed.

Cases of the sections "characters" and "vocabulary" are read inside a
Traditional sentence (據報道，…。), as in a Traditional document.

    python scripts/opencc_table.py            # old tables from git commit 1141bb2
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policy_tracker.extraction.characters import fold_chars  # noqa: E402
from policy_tracker.extraction.normalize import fold  # noqa: E402

CASES = ROOT / "tests" / "data" / "conversion_cases.tsv"
OLD_COMMIT = "1141bb2"  # main before OpenCC: data/traditional.txt had 2,382 characters
CONTEXT = ("據報道，", "。", "据报道，", "。")
# The old code's 著 rule (policy_tracker/normalize.py at OLD_COMMIT).
_OLD_ZHE = re.compile(r"著(?=力|重|眼|手|落|陆|急|实)|(?<=[随隨接沿朝向味顺順围圍绕繞伴])著")


def _git_show(commit: str, path: str) -> str:
    try:
        return subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        sys.exit(f"error: cannot read {path} at {commit} from git ({exc}); run inside the repository's git checkout")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def old_converter(commit: str) -> Callable[[str], str]:
    """The old character layer: table, 著 rule, then (in texts with table characters) the same-length word table."""
    chars: dict[str, str] = {}
    for line in _lines(_git_show(commit, "data/traditional.txt")):
        for token in line.split():
            chars[token[0]] = token[1]
    table = {ord(k): v for k, v in chars.items()}
    words = {}
    for line in _lines(_git_show(commit, "data/traditional_words.txt")):
        left, right = line.split()
        words["".join(chars.get(c, c) for c in left)] = right
    pattern = re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))
    detector = re.compile("[" + "".join(map(re.escape, chars)) + "]")

    def convert(text: str) -> str:
        out = _OLD_ZHE.sub("着", text.translate(table))
        if detector.search(text):
            out = pattern.sub(lambda m: words[m.group(0)], out)
        return out

    return convert


def read_cases() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            section, original, expected, why = line.split("\t")
            rows.append((section, original, expected, why))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default=OLD_COMMIT, help=f"git commit holding the old tables (default {OLD_COMMIT})")
    parser.add_argument("--all", action="store_true", help="print every case, not only those some converter gets wrong")
    args = parser.parse_args(argv)
    old = old_converter(args.old)
    cc = {name: opencc.OpenCC(name).convert for name in ("t2s", "hk2s", "tw2s")}
    columns: dict[str, Callable[[str], str]] = {
        "old tables": old,
        "t2s": cc["t2s"],
        "hk2s": cc["hk2s"],
        "tw2s": cc["tw2s"],
        "tw2s→hk2s": lambda s: cc["hk2s"](cc["tw2s"](s)),
    }
    print(f"OpenCC {opencc.__version__}; old tables from git {args.old}; cases from {CASES.relative_to(ROOT)}\n")
    print("| section | original | expected | " + " | ".join(columns) + " | now |")
    print("|---|---|---|" + "---|" * (len(columns) + 1))
    wrong: dict[str, dict[str, int]] = {}
    counts: dict[str, int] = {}
    for section, original, expected, _why in read_cases():
        now_fn = fold_chars if section == "characters" else fold
        if section == "simplified":
            text, want = original, expected
        else:
            text, want = CONTEXT[0] + original + CONTEXT[1], CONTEXT[2] + expected + CONTEXT[3]
        counts[section] = counts.get(section, 0) + 1
        cells = []
        any_wrong = False
        for name, fn in [*columns.items(), ("now", now_fn)]:
            out = fn(text)
            ok = out == want
            if not ok:
                wrong.setdefault(section, {}).setdefault(name, 0)
                wrong[section][name] += 1
                any_wrong = True
            shown = out[len(CONTEXT[2]) : len(out) - len(CONTEXT[3])] if section != "simplified" and out.startswith(CONTEXT[2]) else out
            cells.append(shown if ok else f"**{shown}** ✗")
        if any_wrong or args.all:
            print(f"| {section} | {original} | {expected} | " + " | ".join(cells) + " |")
    print("\nWrong conversions per section (cases):\n")
    print("| section | cases | " + " | ".join(columns) + " | now |")
    print("|---|---:|" + "---:|" * (len(columns) + 1))
    for section, n in counts.items():
        row = [str(wrong.get(section, {}).get(name, 0)) for name in [*columns, "now"]]
        print(f"| {section} | {n} | " + " | ".join(row) + " |")
    print("\n(vocabulary is not OpenCC's job: its columns there show what characters alone give.)\n")

    print("Seeds converted to Traditional by OpenCC and back: characters differing from the seed\n")
    print("| seed | chars | back by | s2t | s2hk | s2tw |")
    print("|---|---:|---|---:|---:|---:|")
    to_trad = {name: opencc.OpenCC(name).convert for name in ("s2t", "s2hk", "s2tw")}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        seed = path.read_text(encoding="utf-8")
        for label, back in (("old tables", old), ("now", fold_chars)):
            diffs = []
            for name, forward in to_trad.items():
                trad = forward(seed)
                back_text = back(trad)
                # fold_chars also folds punctuation: compare with the seed folded the same way.
                reference = fold_chars(seed) if label == "now" else seed
                diffs.append(sum(1 for a, b in zip(back_text, reference) if a != b) + abs(len(back_text) - len(reference)))
            print(f"| {path.name} | {len(seed)} | {label} | " + " | ".join(map(str, diffs)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
