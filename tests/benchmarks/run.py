"""Scale benchmark: ingest, ledger I/O, one-briefing update, blocked vs all-pairs matching.

    python -m tests.benchmarks.run [--sizes 1000,10000,100000] [--baseline-limit 300]

For each size N (planted pledge clauses in a synthetic corpus, see
``generate.py``) every measurement runs in its own subprocess, so the peak RSS
printed is that measurement's own:

* **ingest**: ``Ledger.ingest`` on the N-mention corpus (extraction +
  matching; the YAML write is excluded), then ``Ledger.save``;
* **load + add one**: ``Ledger.load`` of that file, then one new 40-mention
  briefing: through ``Ledger.ingest`` (which re-matches the whole ledger) and
  through the incremental path (rebuild the bigram index of the ledger's
  matching keys, score only the new briefing's keys, ``blocking.link_new``);
* **kernel**: blocked linking (``blocking.link``) against all-pairs rapidfuzz
  scoring of the same matching keys, with the same scorer and cutoff.  The
  all-pairs run is stopped after ``--baseline-limit`` seconds; above the
  largest size that finished, its time is extrapolated as N² (and marked so).

Then, at ``--quality-size`` (10,000), ``match.cluster`` on the planted
mentions with blocked candidates and with all pairs: links found (the
matcher's own edges), pairwise and B³ precision/recall/F1 against the planted
gold, and the largest cluster.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .generate import Corpus, Generator, PlantedMention, SyntheticDocument

ROOT = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------- helpers


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def corpus_and_next(size: int, seed: int) -> tuple[Corpus, SyntheticDocument]:
    """The N-mention corpus and the 40-mention briefing that follows it."""
    gen = Generator(seed)
    docs = tuple(gen.documents(size))
    return Corpus(docs), gen.document(40)


def to_documents(docs: Iterable[SyntheticDocument]) -> list[Any]:
    from policy_tracker.load import make_document

    return [
        make_document(d.id, d.text, None, {"held": d.held, "published": d.held, "kind": "press_conference", "outlet": d.outlet, "briefing": d.briefing})
        for d in docs
    ]


def fold(text: str) -> str:
    """The extraction stage's normalisation when present, else NFKC."""
    try:
        from policy_tracker.normalize import fold as _fold  # type: ignore[attr-defined]

        return str(_fold(text))
    except ImportError:
        return unicodedata.normalize("NFKC", text)


def planted_mentions(corpus_docs: Iterable[SyntheticDocument]) -> list[Any]:
    """The planted clauses as Mention objects (matching without extraction)."""
    from policy_tracker.models import Mention

    return [
        Mention(source=m.document, start=m.start, end=m.end, quote=m.text, text=fold(m.text), date=d.held, briefing=d.briefing)
        for d in corpus_docs
        for m in d.mentions
    ]


def extractor(corpus_docs: Sequence[SyntheticDocument]) -> tuple[Callable[[Any], Any], str]:
    """``extract`` from the extraction stage, or the planted spans when it is absent."""
    try:
        from policy_tracker.extract import extract

        return extract, "policy_tracker.extract"
    except ImportError:
        by_doc: dict[str, list[Any]] = {}
        for m in planted_mentions(corpus_docs):
            by_doc.setdefault(m.source, []).append(m)
        return (lambda doc: by_doc.get(doc.id, [])), "planted spans (policy_tracker.extract absent)"


def matching_keys(texts: Iterable[str]) -> list[str]:
    from policy_tracker.keys import key_of_text, load_vocabulary

    vocab = load_vocabulary()
    return [key_of_text(fold(t), vocab=vocab).core for t in texts]


def timed(fn: Callable[..., Any], clock: dict[str, float], name: str) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            clock[name] = clock.get(name, 0.0) + time.perf_counter() - t

    return wrapper


# ----------------------------------------------------------------- child measurements


def child_ingest(size: int, seed: int, ledger_path: str) -> dict[str, Any]:
    from policy_tracker.ledger import Ledger
    from policy_tracker.match import cluster

    corpus, _ = corpus_and_next(size, seed)
    documents = to_documents(corpus.documents)
    extract, source = extractor(corpus.documents)
    clock: dict[str, float] = {}
    ledger = Ledger()
    with Timer() as t:
        summary = ledger.ingest(documents, extract=timed(extract, clock, "extract"), extract_evidence=None, cluster=timed(cluster, clock, "match"))
    ingest_rss = peak_rss_mb()
    with Timer() as s:
        ledger.save(ledger_path)
    return {
        "documents": len(documents),
        "extracted": summary.mentions,
        "commitments": len(ledger),
        "extractor": source,
        "ingest_s": t.seconds,
        "extract_s": clock.get("extract", 0.0),
        "match_s": clock.get("match", 0.0),
        "ingest_rss_mb": ingest_rss,
        "save_s": s.seconds,
        "save_rss_mb": peak_rss_mb(),
        "file_mb": os.path.getsize(ledger_path) / 1e6,
    }


def child_update(size: int, seed: int, ledger_path: str) -> dict[str, Any]:
    from policy_tracker import blocking
    from policy_tracker.ledger import Ledger
    from policy_tracker.match import cluster

    corpus, nxt = corpus_and_next(size, seed)
    (new_doc,) = to_documents([nxt])
    extract, _ = extractor([*corpus.documents, nxt])
    base_rss = peak_rss_mb()
    with Timer() as load:
        ledger = Ledger.load(ledger_path)
    load_rss = peak_rss_mb()
    # incremental path: index of the ledger's keys, the new briefing scored against it only
    with Timer() as rebuild:
        old_keys = matching_keys(m.text or m.quote for m in ledger.mentions)
        index = blocking.CandidateIndex(old_keys)
    with Timer() as inc:
        new_mentions = list(extract(new_doc))
        links = blocking.link_new(index, matching_keys(m.text or m.quote for m in new_mentions), cutoff=60.0)
    with Timer() as full:
        summary = ledger.ingest([new_doc], extract=extract, extract_evidence=None, cluster=cluster)
    return {
        "base_rss_mb": base_rss,
        "load_s": load.seconds,
        "load_rss_mb": load_rss,
        "new_mentions": summary.mentions,
        "index_rebuild_s": rebuild.seconds,
        "incremental_s": inc.seconds,
        "incremental_links": len(links),
        "ingest_one_s": full.seconds,
        "update_rss_mb": peak_rss_mb(),
    }


_KEYS: list[str] = []


def _rows(args: tuple[int, int, float]) -> list[tuple[int, int, float]]:
    from policy_tracker.blocking import all_pairs

    start, step, cutoff = args
    return all_pairs(_KEYS, cutoff=cutoff, rows=range(start, len(_KEYS), step))


def child_kernel(size: int, seed: int, cutoff: float, max_postings: int, baseline: bool, workers: int) -> dict[str, Any]:
    import multiprocessing

    from policy_tracker import blocking

    corpus, _ = corpus_and_next(size, seed)
    keys = matching_keys(m.text for m in corpus.mentions)
    out: dict[str, Any] = {"keys": len(keys)}
    with Timer() as t:
        index = blocking.CandidateIndex(keys, max_postings=max_postings)
        groups = index.candidates()
        n_candidates = 0

        def counted() -> Iterable[tuple[int, list[int]]]:
            nonlocal n_candidates
            for i, js in groups:
                n_candidates += len(js)
                yield i, js

        blocked = blocking.verify(counted(), keys, cutoff=cutoff)
    out.update(blocked_s=t.seconds, candidates=n_candidates, blocked_links=len(blocked), blocked_rss_mb=peak_rss_mb())
    if baseline:
        global _KEYS
        _KEYS = keys
        with Timer() as t:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                parts = pool.map(_rows, [(k, workers, cutoff) for k in range(workers)])
        exact = {(i, j) for part in parts for i, j, _ in part}
        found = {(i, j) for i, j, _ in blocked}
        out.update(all_pairs_s=t.seconds, all_pairs_links=len(exact), recall=len(exact & found) / len(exact) if exact else 1.0)
    return out


def pairwise_and_b3(clusters: Sequence[Sequence[Any]], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise and B³ precision/recall/F1 of predicted clusters against planted clusters (by mention id)."""
    pred: dict[str, int] = {}
    for k, c in enumerate(clusters):
        for m in c:
            pred[m.id] = k
    ids = [i for i in gold if i in pred]
    from collections import Counter

    both = Counter((pred[i], gold[i]) for i in ids)
    p_sizes = Counter(pred[i] for i in ids)
    g_sizes = Counter(gold[i] for i in ids)
    tp = sum(n * (n - 1) // 2 for n in both.values())
    pp = sum(n * (n - 1) // 2 for n in p_sizes.values())
    gp = sum(n * (n - 1) // 2 for n in g_sizes.values())
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    b3p = sum(both[(pred[i], gold[i])] / p_sizes[pred[i]] for i in ids) / len(ids)
    b3r = sum(both[(pred[i], gold[i])] / g_sizes[gold[i]] for i in ids) / len(ids)
    f = lambda a, b: 2 * a * b / (a + b) if a + b else 0.0  # noqa: E731
    return {"P": p, "R": r, "F1": f(p, r), "B3_P": b3p, "B3_R": b3r, "B3_F1": f(b3p, b3r), "largest": max(p_sizes.values(), default=0)}


def child_quality(size: int, seed: int) -> dict[str, Any]:
    from policy_tracker import match

    corpus, _ = corpus_and_next(size, seed)
    mentions = planted_mentions(corpus.documents)
    gold = {m.id: p.cluster for m, p in zip(mentions, corpus.mentions, strict=True)}
    blocked_groups = match.candidate_groups

    def all_groups(keys: Sequence[Any], config: Any) -> list[tuple[int, list[int]]]:
        return [(i, list(range(i + 1, len(keys)))) for i in range(len(keys))]

    out: dict[str, Any] = {}
    edges: dict[str, set[tuple[int, int]]] = {}
    for name, groups in (("blocked", blocked_groups), ("all_pairs", all_groups)):
        match.candidate_groups = groups  # type: ignore[assignment]
        try:
            with Timer() as t:
                clusters = match.cluster(mentions)
            vocab = match.load_vocabulary()
            cfg = match.MatchConfig.from_vocabulary(vocab)
            ordered = match.order_mentions(mentions)
            keys = [match.mention_key(m, vocab) for m in ordered]
            pairs = match.score_pairs(keys, cfg)
        finally:
            match.candidate_groups = blocked_groups  # type: ignore[assignment]
        edges[name] = {(i, j) for i, js in pairs.neighbours.items() for j in js if i < j}
        out[name] = {"cluster_s": t.seconds, **pairwise_and_b3(clusters, gold)}
    exact, found = edges["all_pairs"], edges["blocked"]
    out["links_all_pairs"] = len(exact)
    out["links_blocked"] = len(found)
    out["link_recall"] = len(exact & found) / len(exact) if exact else 1.0
    return out


CHILDREN = {"ingest": child_ingest, "update": child_update, "kernel": child_kernel, "quality": child_quality}


# ----------------------------------------------------------------- parent


def run_child(kind: str, params: dict[str, Any], timeout: float | None = None) -> dict[str, Any] | None:
    """Run one measurement in a fresh interpreter; None when it timed out."""
    cmd = [sys.executable, "-m", "tests.benchmarks.run", "--child", kind, "--params", json.dumps(params)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, start_new_session=True, text=True)
    try:
        stdout, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the child and its worker processes
        proc.communicate()
        return None
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step {kind} {params} failed (exit {proc.returncode}); see the traceback above")
    return json.loads(stdout.strip().splitlines()[-1])


def fmt(x: float | None, spec: str = ".2f") -> str:
    return "—" if x is None else format(x, spec)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="mention counts, comma-separated")
    parser.add_argument("--baseline-limit", type=float, default=300.0, help="seconds allowed to one all-pairs run (default 300)")
    parser.add_argument("--quality-size", type=int, default=10000, help="size of the clustering-quality comparison (0 to skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cutoff", type=float, default=60.0, help="fuzz.ratio cutoff of the kernel comparison (default 60)")
    parser.add_argument("--max-postings", type=int, default=None, help="bigram posting cap (default: the matcher's)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for the all-pairs baseline")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = CHILDREN[args.child](**json.loads(args.params))
        sys.stdout.write(json.dumps(result) + "\n")
        return 0

    import rapidfuzz

    from policy_tracker.match import MatchConfig

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    max_postings = args.max_postings or MatchConfig().max_postings
    try:
        import numpy  # noqa: F401

        numpy_note = "numpy present"
    except ImportError:
        numpy_note = "numpy absent, so process.cdist is unavailable: all-pairs = process.extract per row"
    say = lambda s="": (sys.stdout.write(s + "\n"), sys.stdout.flush())  # noqa: E731
    say(
        f"policy_tracker scale benchmark — {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, seed {args.seed}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, rapidfuzz {rapidfuzz.__version__} ({numpy_note}, {args.workers} processes)"
    )
    say(f"command: python -m tests.benchmarks.run {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    say()
    rows: list[tuple[int, dict[str, Any], dict[str, Any], dict[str, Any] | None]] = []
    with tempfile.TemporaryDirectory(prefix="pt-bench-") as tmp:
        baseline_ok = True
        last_baseline: tuple[int, float] | None = None
        for n in sizes:
            path = str(Path(tmp) / f"ledger-{n}.yaml")
            ingest = run_child("ingest", {"size": n, "seed": args.seed, "ledger_path": path})
            update = run_child("update", {"size": n, "seed": args.seed, "ledger_path": path})
            # skip all-pairs where the previous size predicts more than twice the limit
            predicted = last_baseline[1] * (n / last_baseline[0]) ** 2 if last_baseline else 0.0
            run_baseline = baseline_ok and predicted <= 2 * args.baseline_limit
            params = {"size": n, "seed": args.seed, "cutoff": args.cutoff, "max_postings": max_postings, "workers": args.workers}
            kernel = run_child("kernel", {**params, "baseline": run_baseline}, timeout=args.baseline_limit + 120 if run_baseline else None)
            if kernel is None:  # all-pairs did not finish in time: measure blocking alone
                baseline_ok = False
                kernel = run_child("kernel", {**params, "baseline": False})
            elif "all_pairs_s" in kernel and kernel["all_pairs_s"] <= args.baseline_limit:
                last_baseline = (n, kernel["all_pairs_s"])
            else:
                if "all_pairs_s" in kernel:  # finished, but over the limit: report it as measured, stop growing
                    last_baseline = (n, kernel["all_pairs_s"])
                baseline_ok = False
            assert kernel is not None and ingest is not None and update is not None
            rows.append((n, ingest, update, kernel))
            say(f"  measured N={n:,}: ingest {ingest['ingest_s']:.1f} s, kernel blocked {kernel['blocked_s']:.1f} s" + (f", all-pairs {kernel['all_pairs_s']:.1f} s" if "all_pairs_s" in kernel else ""))
        quality = run_child("quality", {"size": args.quality_size, "seed": args.seed}) if args.quality_size else None
    say()
    extractor_name = rows[0][1]["extractor"] if rows else "?"
    say(f"Full ingest: Ledger.ingest (extraction by {extractor_name} + match.cluster); YAML write excluded")
    say(f"{'mentions':>9} {'docs':>6} {'extracted':>9} {'commitm.':>8} {'extract s':>9} {'match s':>8} {'ingest s':>8} {'peak RSS MB':>11}")
    for n, ing, _, _ in rows:
        say(f"{n:>9,} {ing['documents']:>6,} {ing['extracted']:>9,} {ing['commitments']:>8,} {ing['extract_s']:>9.2f} {ing['match_s']:>8.2f} {ing['ingest_s']:>8.2f} {ing['ingest_rss_mb']:>11.0f}")
    say()
    say("Ledger file and one new 40-mention briefing (peak RSS of the loading process, after each step)")
    say(f"{'mentions':>9} {'file MB':>7} {'save s':>7} {'load s':>7} {'RSS MB':>7} {'add: Ledger.ingest s':>20} {'add: incremental s':>18} {'(index rebuild s)':>17} {'RSS MB':>7}")
    for n, ing, upd, _ in rows:
        say(
            f"{n:>9,} {ing['file_mb']:>7.1f} {ing['save_s']:>7.2f} {upd['load_s']:>7.2f} {upd['load_rss_mb']:>7.0f} "
            f"{upd['ingest_one_s']:>20.2f} {upd['incremental_s']:>18.3f} {upd['index_rebuild_s']:>17.2f} {upd['update_rss_mb']:>7.0f}"
        )
    say()
    say(f"Matching kernel on the matching keys: fuzz.ratio ≥ {args.cutoff:g}; blocked = bigram index (max_postings {max_postings}) + rapidfuzz verification")
    say(f"{'mentions':>9} {'candidates':>11} {'blocked s':>9} {'RSS MB':>7} {'all-pairs s':>12} {'speed-up':>9} {'links (all-pairs)':>17} {'blocked recall':>14}")
    measured = [(n, k) for n, _, _, k in rows if k and "all_pairs_s" in k]
    for n, _, _, k in rows:
        if "all_pairs_s" in k:
            ap, note = k["all_pairs_s"], ""
        elif measured:
            n0, k0 = measured[-1]
            ap, note = k0["all_pairs_s"] * (n / n0) ** 2, "*"
        else:
            ap, note = None, ""
        speed = f"{ap / k['blocked_s']:.0f}×{note}" if ap else "—"
        recall = f"{k['recall']:.4f}" if "recall" in k else "—"
        links = f"{k['all_pairs_links']:,}" if "all_pairs_links" in k else "—"
        aps = f"{ap:.1f}{note}" if ap else "—"
        say(f"{n:>9,} {k['candidates']:>11,} {k['blocked_s']:>9.2f} {k['blocked_rss_mb']:>7.0f} {aps:>12} {speed:>9} {links:>17} {recall:>14}")
    if any("all_pairs_s" not in k for _, _, _, k in rows) and measured:
        say(f"  * extrapolated as N² from N={measured[-1][0]:,} (all-pairs not run or stopped after {args.baseline_limit:g} s)")
    if quality:
        say()
        say(f"Clustering quality at {args.quality_size:,} planted mentions: match.cluster with blocked candidates vs all pairs")
        say(f"  matcher links (its scored edges): all-pairs {quality['links_all_pairs']:,}, blocked {quality['links_blocked']:,}, blocked recall {quality['link_recall']:.4f}")
        say(f"{'':>11} {'cluster s':>9} {'pair P':>7} {'pair R':>7} {'pair F1':>7} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'largest':>7}")
        for name in ("blocked", "all_pairs"):
            q = quality[name]
            say(f"{name:>11} {q['cluster_s']:>9.2f} {q['P']:>7.3f} {q['R']:>7.3f} {q['F1']:>7.3f} {q['B3_P']:>6.3f} {q['B3_R']:>6.3f} {q['B3_F1']:>6.3f} {q['largest']:>7}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
