"""Do file names or batches change which quotes are grouped together? (issue 20)

Builds a corpus of real articles (seeds, tests/corpus, corpus2, corpus3) plus
synthetic ones from :mod:`tests.benchmarks.generate`, strips the dates from
some of them (so that they are undated), then ingests it without any
manifest under two namings — the documents' own names and random ones, in a
different name order — and, optionally, in random batches into one ledger.
Groupings are compared as sets of frozensets of (document sha256, start,
end): nothing in them depends on the names.

    python -m tests.benchmarks.renaming [--synthetic 1000] [--seed 1] [--batches 3]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from policy_tracker.sources import metadata
from policy_tracker.ledger import Ledger
from policy_tracker.sources.load import load_documents

ROOT = Path(__file__).resolve().parents[2]
REAL = ("seeds", "tests/corpus", "tests/corpus2", "tests/corpus3")

Grouping = frozenset[frozenset[tuple[str, int, int]]]

# Date phrases replaced by 近日 ("recently"): what is left says nothing of the day
_DATES = (
    re.compile(r"(?<!\d)20\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"),
    re.compile(r"(?<![\d年])\d{1,2}月\d{1,2}日"),
    re.compile(r"(?<![\d月])\d{1,2}日(?=[上下]?午?(?:在|举行|召开|電|电|訊|讯|舉行|，))"),
    re.compile(r"今日|今天|当日|当天"),
)


def strip_dates(text: str) -> str:
    """The text with every day it states replaced by 近日."""
    for pattern in _DATES:
        text = pattern.sub("近日", text)
    return text


def _undated(text: str) -> bool:
    values, _, _ = metadata.detect(text)
    return values.get("held") is None


def corpus(synthetic: int = 1000, seed: int = 1, undated_share: float = 0.5) -> list[tuple[str, str]]:
    """(name, text) of the real articles plus ``synthetic`` planted mentions' worth of generated ones.

    Every other document (by a seeded draw, ``undated_share`` of them) has its
    dates stripped; documents whose text still gives a date stay as they are.
    """
    from tests.benchmarks.generate import generate

    docs = [(p.stem, p.read_text(encoding="utf-8-sig")) for folder in REAL for p in sorted((ROOT / folder).glob("*.txt"))]
    if synthetic:
        docs.extend((d.id, d.text) for d in generate(synthetic, seed).documents)
    rng = random.Random(seed)
    out = []
    for name, text in docs:
        if rng.random() < undated_share:
            stripped = strip_dates(text)
            if _undated(stripped):
                text = stripped
        out.append((name, text))
    return out


def random_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct names in an order unrelated to the originals (some Chinese, some ISO-free ASCII)."""
    names: set[str] = set()
    while len(names) < count:
        stem = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz新华社人民网工信部") for _ in range(rng.randint(3, 10)))
        names.add(stem)
    out = sorted(names)
    rng.shuffle(out)
    return out


def ingest(docs: Sequence[tuple[str, str]], batches: Sequence[int] | None = None, **options: Any) -> tuple[Ledger, Grouping]:
    """Ingest ``docs`` (name, text) without any manifest, batch by batch (``batches[i]`` = batch of document i).

    ``options`` go to :meth:`Ledger.ingest` (e.g. cached extractors).
    """
    batches = batches or [0] * len(docs)
    ledger = Ledger()
    sha = {name: hashlib.sha256(text.encode()).hexdigest() for name, text in docs}
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for batch in sorted(set(batches)):
            folder = Path(tmp) / f"batch{batch}"
            folder.mkdir()
            for (name, text), b in zip(docs, batches, strict=True):
                if b == batch:
                    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
            ledger.ingest(load_documents([folder], manifest={}).documents, **options)
    grouping = frozenset(frozenset((sha[m.source], m.start, m.end) for m in c.mentions) for c in ledger.commitments)
    return ledger, grouping


def compare(a: Grouping, b: Grouping) -> int:
    """Commitments of ``a`` that ``b`` does not have exactly (and vice versa), counted once each side."""
    return len(a - b) + len(b - a)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.renaming", description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=1000, help="planted mentions of generated documents to add (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batches", type=int, default=0, help="also ingest the renamed corpus in this many random batches")
    args = parser.parse_args(argv)
    docs = corpus(args.synthetic, args.seed)
    undated = sum(_undated(text) for _, text in docs)
    rng = random.Random(args.seed)
    renamed = [(new, text) for new, (_, text) in zip(random_names(len(docs), rng), docs, strict=True)]
    ledger_a, a = ingest(docs)
    ledger_b, b = ingest(renamed)
    out = sys.stdout.write
    out(f"documents: {len(docs)} ({undated} undated by their text; no manifest)\n")
    out(f"own names:    {len(ledger_a)} commitments, {sum(len(c.mentions) for c in ledger_a.commitments)} mentions\n")
    out(f"random names: {len(ledger_b)} commitments, {sum(len(c.mentions) for c in ledger_b.commitments)} mentions\n")
    out(f"groupings differing between the two namings: {compare(a, b)} ({len(a - b)} only under own names, {len(b - a)} only under random names)\n")
    differing = compare(a, b)
    if args.batches:
        batches = [rng.randrange(args.batches) for _ in docs]
        ledger_c, c = ingest(renamed, batches)
        out(f"random names in {len(set(batches))} random batches: {len(ledger_c)} commitments; groupings differing from one batch: {compare(a, c)}\n")
        differing += compare(a, c)
    return 1 if differing else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
