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

from policy_tracker.evaluate import COVER, _best_cover, _load, predictions_from  # noqa: E402
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
    ledger.ingest(_load(folder, True), cluster=functools.partial(cluster, config=cfg, vocab=vocab))
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
    misses, tally, kinds = [], collections.Counter(), collections.Counter()
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
        tally[row["stage"]] += 1
        misses.append(row)
    return {"corpus": folder.name, "gold_pairs": total, "stages": dict(tally), "kinds": dict(kinds), "misses": misses}


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
        for row in sorted(res["misses"], key=lambda r: (r["stage"], r["gold"])):
            print(f"[{row['stage']}] {row['gold']}")
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
