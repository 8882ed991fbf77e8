"""The gold pairs a corpus's linking misses, and why: not extracted, not a candidate, scored low (and by what), or
kept apart by the clustering.

    python scripts/linking_misses.py tests/corpus5 [tests/corpus4 ...] [--scorer rules|learned] [--all] [--json]

Each corpus folder is ingested in memory as ``policy-tracker eval GOLD --docs DIR`` does
(its gold file, its own manifest).  For every pair of gold anchors of one
cluster that the clustering did not put together, the pair is put in one
*stage*:

* ``extraction``: one anchor is covered by no extracted mention;
* ``same-mention-split``: (cannot happen: listed for completeness);
* ``same-document``: both anchors lie in one document (one unit per document);
* ``not-candidate``: the blocking never proposed the two keys;
* ``below-join``: a candidate whose score is below ``join``, with the rule
  penalties and features that fired;
* ``clustering``: scored ≥ ``join`` but the commitment as a whole did not
  agree (mean below ``agree``), or another unit won the offer.

and tagged with the *kinds* a reader of the pair would name: ``traditional``
(either text holds Traditional characters), ``years-apart`` (held ≥ 300 days
apart), ``stage`` (the stage verbs differ), ``list`` (an enumeration on either
side), ``programme`` (only one side names a programme or instrument type),
``rename`` (both name programmes/instruments, none shared), ``contained``
(one key inside the other), ``short`` (a key of ≤ short_key characters).
The tags are heuristics to group the misses, not the matcher's decisions.

Each missed pair also gets one *cause* (counted per corpus, docs/matching.md
§5g), the first that applies: ``extraction: not extracted``; ``extraction: cut
differently`` (a mention covering an anchor also covers another gold
commitment's anchor, or its key is more than ``CUT_RATIO`` away from the key
the anchor alone would have); ``same document``; then the matcher's:
clustering refused, blocking (never proposed though it would reach ``join``),
a penalty that alone kept it under ``join``, just under ``join`` (within 10),
an enumeration on either side, broad (ratio < 40 and overlap < 0.5), reworded.
"""

from __future__ import annotations

import argparse
import collections
import functools
import itertools
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import attrs  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402

from policy_tracker.evaluate import COVER, _best_cover, _load, gold_mentions, predictions_from  # noqa: E402
from policy_tracker.ledger.ledger import Ledger  # noqa: E402
from policy_tracker.matching.candidates import candidate_pairs  # noqa: E402
from policy_tracker.matching.cluster import cluster, order_mentions  # noqa: E402
from policy_tracker.matching.config import MatchConfig  # noqa: E402
from policy_tracker.matching.features import FEATURE_NAMES  # noqa: E402
from policy_tracker.matching.keys import load_vocabulary, mention_keys  # noqa: E402
from policy_tracker.matching.score import features_of, pair_score, rule_score  # noqa: E402
from policy_tracker.matching.scorer import load_model  # noqa: E402
from policy_tracker.training import load_corpus  # noqa: E402

PENALTIES = (
    "strong_conflict", "programme_mismatch", "kind_mismatch", "topic_disjoint", "target_far", "target_unit",
    "subject_changed", "short_disagree",
)


_TRADITIONAL = set("發這業國產會們進實與對點動數電網機圖體廣時現開")


def _traditional(text: str) -> bool:
    return sum(c in _TRADITIONAL for c in text) >= 5


def analyse(folder: Path, scorer: str, show_all: bool) -> dict:
    corpus = load_corpus(folder / "gold.yaml", folder, folder.name)
    vocab = load_vocabulary()
    model = attrs.evolve(load_model(), scorer=scorer)
    cfg = attrs.evolve(MatchConfig.from_vocabulary(vocab, scorer=scorer), model=model)
    if scorer == "learned":
        cfg = attrs.evolve(cfg, **{k: v for k, v in model.thresholds.items() if k in ("join", "agree", "same_briefing")})
    # an in-memory ingest, as `policy-tracker eval --docs` scores it
    ledger = Ledger()
    documents = _load(folder, True)
    ledger.ingest(documents, cluster=functools.partial(cluster, config=cfg, vocab=vocab))
    mentions = [m for c in ledger.commitments for m in c.mentions]
    ordered = order_mentions(mentions)
    keys = mention_keys(ordered, vocab)
    pos = {m.id: i for i, m in enumerate(ordered)}
    cand = {(i, j) for i, j, _ in candidate_pairs(keys, cfg)}
    preds = predictions_from(ledger.commitments)
    commit_of = {m.id: c.id for c in ledger.commitments for m in c.mentions}
    by_doc = collections.defaultdict(list)
    for m in mentions:
        by_doc[m.source].append(m)
    preds_by_doc = collections.defaultdict(list)
    for p in preds:
        preds_by_doc[p.document].append(p)
    # each gold anchor: the extracted mention covering it best (as evaluate.score)
    items = []
    for gc, anchors in corpus.gold.commitments:
        for doc, anchor in anchors:
            text = corpus.texts[doc]
            frac, cid = _best_cover(text, anchor, preds_by_doc.get(doc, []))
            mention = None
            if frac >= COVER:
                best = 0.0
                for s in [i for i in range(len(text)) if text.startswith(anchor, i)]:
                    e = s + len(anchor)
                    for m in by_doc[doc]:
                        ov = (min(e, m.end) - max(s, m.start)) / (e - s)
                        if ov > best and commit_of.get(m.id) == cid:
                            best, mention = ov, m
            items.append((gc, doc, anchor, mention))
    # the key each gold anchor would have as a mention of its own (as ``eval --anchors``)
    anchor_keys = dict(zip(((doc, anchor) for _, doc, anchor, _ in items), mention_keys(gold_mentions(corpus.gold, documents), vocab), strict=True))
    holds = collections.defaultdict(set)  # mention id → the gold clusters whose anchors it covers
    for gc, _, _, m in items:
        if m is not None:
            holds[m.id].add(gc)
    key_of = {m.id: keys[pos[m.id]] for _, _, _, m in items if m is not None}

    def cut_differently(doc: str, anchor: str, m) -> bool:
        """The mention covering the anchor also covers another gold commitment's anchor, or its key is not the anchor's."""
        return len(holds[m.id]) > 1 or fuzz.ratio(anchor_keys[(doc, anchor)].core, key_of[m.id].core) < CUT_RATIO

    misses, tally, kinds, causes = [], collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for (g1, d1, a1, m1), (g2, d2, a2, m2) in itertools.combinations(items, 2):
        if g1 != g2:
            continue
        total += 1
        if m1 is not None and m2 is not None and commit_of[m1.id] == commit_of[m2.id] and not show_all:
            continue
        row = {"gold": g1, "a": f"{d1} {a1}", "b": f"{d2} {a2}"}
        if m1 is None or m2 is None:
            row["stage"] = "extraction"
        elif m1.id == m2.id:
            row["stage"] = "linked"
        else:
            i, j = sorted((pos[m1.id], pos[m2.id]))
            ka, kb = keys[i], keys[j]
            r = fuzz.ratio(ka.core, kb.core)
            feats = dict(zip(FEATURE_NAMES, features_of(ka, kb, cfg, r), strict=True))
            s = pair_score(ka, kb, cfg, r)
            row.update(
                key_a=ka.core, key_b=kb.core, score=round(s, 1), rules=round(rule_score(ka, kb, cfg, r), 1), ratio=round(r, 1),
                overlap=round(feats["overlap"], 2), penalties=[p for p in PENALTIES if feats[p]],
                unpenalised=round(rule_score(ka, kb, attrs.evolve(cfg, **_PENALTIES_OFF), r), 1),
                bonuses=[p for p in ("strong_shared", "list_shared", "weak_shared") if feats[p]],
            )
            if commit_of[m1.id] == commit_of[m2.id]:
                row["stage"] = "linked"
            elif m1.source == m2.source:
                row["stage"] = "same-document"
            elif (i, j) not in cand:
                row["stage"] = "not-candidate"
            elif s < cfg.join:
                row["stage"] = "below-join"
            else:
                row["stage"] = "clustering"
            tags = []
            t1, t2 = corpus.texts[d1], corpus.texts[d2]
            if _traditional(t1) or _traditional(t2):
                tags.append("traditional")
            if m1.date and m2.date and abs((m1.date - m2.date).days) >= 300:
                tags.append("years-apart")
            if m1.stage != m2.stage:
                tags.append("stage")
            if ka.items or kb.items:
                tags.append("list")
            if feats["programme_mismatch"]:
                tags.append("programme")
            if feats["strong_conflict"]:
                tags.append("rename")
            if feats["contained"]:
                tags.append("contained")
            if min(len(ka.core), len(kb.core)) <= cfg.short_key:
                tags.append("short")
            row["tags"] = tags
            kinds.update(tags if row["stage"] != "linked" else ())
            if row["stage"] != "linked":
                row["cause"] = _cause(row, cfg, ka, kb, cut_differently(d1, a1, m1) or cut_differently(d2, a2, m2))
                causes[row["cause"]] += 1
        if row["stage"] == "extraction":
            row["cause"] = "extraction: not extracted"
            causes[row["cause"]] += 1
        tally[row["stage"]] += 1
        misses.append(row)
    return {
        "corpus": folder.name, "gold_pairs": total, "stages": dict(tally), "kinds": dict(kinds), "causes": dict(causes), "misses": misses,
    }


# a mention whose key is this far (Indel ratio) from its anchor's own key was cut differently from the gold anchor
CUT_RATIO = 75


def _cause(row: dict, cfg: MatchConfig, ka, kb, cut: bool) -> str:
    """One cause per missed pair, first that applies: extraction (cut differently), the one-unit-per-document rule, then the
    matcher's: clustering, blocking, a penalty that alone kept the pair under ``join``, just under ``join``, and the kind of
    restatement (an enumeration trimmed, extended or reworded; broad: little shared wording; reworded)."""
    if cut:
        return "extraction: cut differently"
    if row["stage"] == "same-document":
        return "same document (one unit per document)"
    if row["stage"] == "clustering":
        return "matcher: clustering refused (commitment as a whole)"
    if row["stage"] == "not-candidate" and row["score"] >= cfg.join:
        return "matcher: blocking (score reaches join)"
    if row["penalties"] and row["unpenalised"] >= cfg.join:
        return "matcher: penalty " + "+".join(row["penalties"])
    if row["score"] >= cfg.join - 10:
        return "matcher: just under join (within 10)"
    if ka.items or kb.items or "、" in row["a"] or "、" in row["b"]:
        return "matcher: list trimmed/extended/reworded"
    if row["ratio"] < 40 and row["overlap"] < 0.5:
        return "matcher: broad (little shared wording)"
    return "matcher: reworded (some shared wording, score < join-10)"


# the rule penalties, zeroed to see whether they alone kept a pair under join
_PENALTIES_OFF = {
    name: 0.0
    for name in (
        "programme_penalty", "kind_penalty", "topic_penalty", "target_penalty", "unit_penalty", "subject_penalty",
        "short_penalty", "strong_penalty", "scope_penalty", "template_penalty",
    )
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="+", type=Path)
    ap.add_argument("--scorer", choices=("rules", "learned"), default=None, help="default: data/pair_model.yaml's")
    ap.add_argument("--all", action="store_true", help="list the linked gold pairs too")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    scorer = args.scorer or load_model().scorer
    results = [analyse(c, scorer, args.all) for c in args.corpora]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1, default=str))
        return 0
    for res in results:
        print(f"== {res['corpus']} ({scorer}): {res['gold_pairs']} gold pairs; missed by stage {res['stages']}; kinds {res['kinds']}")
        for cause, n in sorted(res["causes"].items(), key=lambda x: (-x[1], x[0])):
            print(f"   {n:4d}  {cause}")
        for row in sorted(res["misses"], key=lambda r: (r["stage"], r["gold"])):
            print(f"[{row['stage']}] {row['gold']}  ({row.get('cause', '')})")
            print(f"   a: {row['a'][:90]}")
            print(f"   b: {row['b'][:90]}")
            if "key_a" in row:
                print(f"   keys: {row['key_a']} | {row['key_b']}")
                print(
                    f"   score {row['score']} (rules {row['rules']}), ratio {row['ratio']}, overlap {row['overlap']}, "
                    f"penalties {row['penalties']}, bonuses {row['bonuses']}, tags {row['tags']}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
