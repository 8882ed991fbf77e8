"""Every gold anchor the extractor misses, and every gold evidence statement it extracts as a pledge, with context and a reason.

    python scripts/extraction_misses.py tests/corpus5 [--gold GOLD] [--manifest] [--context N]

Documents are loaded as ``scripts/corpus_figures.py`` ingests them (no manifest
unless ``--manifest``) and extracted one by one.  For each missed anchor the
script prints the normalised paragraph it sits in (and the paragraphs before
it) and a reason:

- ``evidence``: the anchor was taken as a past-tense statement;
- ``partial``: a mention covers part of it (less than the scoring share);
- ``no forward context``: the paragraph yields the anchor when forward
  context is forced on (the frame did not carry or open);
- ``clause rejected``: even in forward context no clause covers it (no action
  verb, a skip/purpose/copula rule, trimming);
- ``heading``: the paragraph was read as a heading.

For studying first-contact misses; it changes nothing.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from policy_tracker.evaluate import COVER, read_gold
from policy_tracker.extraction import clauses, segment
from policy_tracker.extraction.extract import extract_all
from policy_tracker.extraction.normalize import normalize
from policy_tracker.sources.load import load_documents


def _cover(a0: int, a1: int, spans: list[tuple[int, int]]) -> float:
    best = 0.0
    for s, e in spans:
        overlap = min(a1, e) - max(a0, s)
        if overlap > 0:
            best = max(best, overlap / (a1 - a0))
    return best


def _reason(doc, a0: int, a1: int, mentions, evidence) -> tuple[str, list[str]]:
    """Why the anchor at original [a0, a1) was not extracted, and the normalised paragraphs up to it."""
    ev = [(e.start, e.end) for e in evidence]
    part = _cover(a0, a1, [(m.start, m.end) for m in mentions])
    nt = normalize(doc.text)
    n0 = nt.to_normalized(a0)
    paras = [p for p in segment.paragraphs(nt.text)]
    idx = next((i for i, p in enumerate(paras) if p.start <= n0 < p.end + 1), None)
    shown = [nt.text[p.start : p.end] for p in paras[max(0, (idx or 0) - 2) : (idx or 0) + 1]] if idx is not None else []
    if _cover(a0, a1, ev) >= COVER:
        return "evidence", shown
    if idx is None:
        return "not in any paragraph (normalisation dropped it)", shown
    para = paras[idx]
    text = nt.text[para.start : para.end]
    if segment.is_heading(text):
        return "heading", shown
    body = segment.strip_markup(nt.text, para)
    year = (doc.held or doc.published).year if (doc.held or doc.published) else None
    forced = clauses.pledge_clauses(nt.text, body, True, year)
    spans = [nt.to_original(sp.start, sp.end) for g in forced.pledges for sp in g.spans]
    if _cover(a0, a1, spans) >= COVER:
        return "no forward context" + (f" (partial {part:.2f})" if part else ""), shown
    return "clause rejected" + (f" (partial {part:.2f})" if part else ""), shown


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--gold", type=Path)
    ap.add_argument("--manifest", action="store_true", help="use the corpus's briefings.yaml")
    ap.add_argument("--context", type=int, default=2, help="paragraphs shown before the anchor's")
    args = ap.parse_args(argv)
    gold = read_gold((args.gold or args.corpus / "gold.yaml").read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = {d.id: d for d in load_documents([args.corpus], None if args.manifest else {}).documents}
    out = {d: extract_all(doc) for d, doc in docs.items()}
    n = missed = 0
    for gc, anchors in gold.commitments:
        for doc_id, anchor in anchors:
            n += 1
            doc = docs[doc_id]
            mentions, evidence = out[doc_id]
            occ = [i for i in range(len(doc.text)) if doc.text.startswith(anchor, i)]
            if any(_cover(a, a + len(anchor), [(m.start, m.end) for m in mentions]) >= COVER for a in occ):
                continue
            missed += 1
            a0 = occ[0]
            why, shown = _reason(doc, a0, a0 + len(anchor), mentions, evidence)
            print(f"MISS {doc_id} [{gc}] {anchor}\n  why: {why}")
            for p in shown[-args.context - 1 :]:
                print(f"  | {p[:300]}")
    hits = 0
    for doc_id, anchor in gold.evidence:
        doc = docs[doc_id]
        mentions, _ = out[doc_id]
        a0 = doc.text.find(anchor)
        if a0 >= 0 and _cover(a0, a0 + len(anchor), [(m.start, m.end) for m in mentions]) >= COVER:
            hits += 1
            texts = [m.text for m in mentions if min(a0 + len(anchor), m.end) > max(a0, m.start)]
            print(f"EVIDENCE-AS-PLEDGE {doc_id} {anchor}\n  mentions: {texts}")
    print(f"missed {missed}/{n} anchors, evidence extracted as pledges {hits}/{len(gold.evidence)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
