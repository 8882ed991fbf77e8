"""What the mirror-site artefacts of ``data/artefacts.yaml`` cost and find at scale.

Concatenates the texts of the given folders (default: the seeds and every
``tests/corpus*`` folder but corpus9), repeated ``--times`` times, and prints

- one line per artefacts.yaml entry: the time one search of the folded text
  takes and how many matches it finds (an entry that starts with a lookbehind,
  or a lazy run checked at every step, shows here);
- the time of ``normalize`` over the whole text, best of ``--runs``.

    python scripts/artefact_cost.py                      # seeds + tests/corpus*, 3 times, best of 3
    python scripts/artefact_cost.py tests/corpus8 --times 10

Timings depend on the machine's load: quote ``uptime`` with them.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from policy_tracker.extraction import rewrites
from policy_tracker.extraction.characters import fold_chars
from policy_tracker.extraction.normalize import normalize
from policy_tracker.resources import load_table

ROOT = Path(__file__).resolve().parent.parent


def _texts(folders: list[Path]) -> str:
    files = sorted(f for d in folders for f in d.iterdir() if f.suffix in (".txt", ".md"))
    return "\n".join(f.read_text(encoding="utf-8") for f in files if f.stem not in ("FIRST-CONTACT", "SOURCES", "README"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--times", type=int, default=3, help="repeat the text this many times (default 3)")
    parser.add_argument("--runs", type=int, default=3, help="best of this many normalize runs (default 3)")
    args = parser.parse_args()
    folders = args.folders or [ROOT / "seeds", *sorted(d for d in (ROOT / "tests").glob("corpus*") if d.name != "corpus9")]
    text = ("\n".join([_texts(folders)] * args.times)) + "\n"
    folded = fold_chars(text)
    _, entries = rewrites._artefacts("")
    names = [str(e.get("name")) for e in (load_table("artefacts.yaml") or {}).get("artefacts", [])]
    print(f"{len(text) / 1e6:.2f} M characters from {len(folders)} folders x {args.times}")
    print("| ms | matches | artefact |")
    print("|---:|---:|---|")
    for (pattern, _), name in zip(entries, names):
        start = time.perf_counter()
        found = sum(1 for _ in pattern.finditer(folded))
        print(f"| {(time.perf_counter() - start) * 1000:.1f} | {found} | {name} |")
    best = float("inf")
    for _ in range(args.runs):
        start = time.perf_counter()
        normalize(text)
        best = min(best, time.perf_counter() - start)
    print(f"normalize: {best:.2f} s (best of {args.runs})")


if __name__ == "__main__":
    main()
