"""Scale benchmark: ingest, ledger I/O, one-briefing update, blocked vs all-pairs matching.

    python -m tests.benchmarks.run [--sizes 1000,10000,100000] [--baseline-limit 300]

For each size N (planted pledge clauses in a synthetic corpus, see
``generate.py``) every measurement runs in its own subprocess, so the peak RSS
printed is that measurement's own:

* **ingest**: ``Ledger.ingest`` on the N-mention corpus (extraction +
  matching; the YAML write is excluded), then ``Ledger.save``; its clustering
  quality against the planted commitments (pairwise and B³ P/R/F1).  When
  the ingest does not finish within ``--ingest-limit`` (10⁶ on a small
  machine), ``cluster.cluster`` on the planted mentions (extraction skipped,
  within ``--planted-limit``) gives that size's quality, so every size
  reports one;
* **load + add one**: ``Ledger.load`` of that file, then one new 40-mention
  briefing through ``Ledger.ingest`` (the incremental path, since it comes
  last; the keys sidecar was written by the save above), and, for
  comparison, through ``Ledger.ingest(incremental=False)`` (every mention
  re-matched) and the bare blocking kernel (``blocking.link_new``);
* **kernel**: blocked linking (``blocks.link_blocks``: the keys sharing a
  distinctive bigram, scored a posting list at a time with ``process.cdist``;
  without numpy ``CandidateIndex`` + ``process.extract`` per key) against all-pairs rapidfuzz
  scoring of the same matching keys, with the same scorer and cutoff
  (``process.cdist`` in row blocks when numpy is installed, else
  ``process.extract`` per row on a process pool).  The
  all-pairs run is stopped after ``--baseline-limit`` seconds; above the
  largest size that finished, its time is extrapolated as N² (and marked so).

Then, at ``--quality-size`` (10,000), ``cluster.cluster`` on the planted
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

from policy_tracker.matching.candidates_numpy import has_numpy

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
    from policy_tracker.sources.load import make_document

    return [
        make_document(d.id, d.text, None, {"held": d.held, "published": d.held, "kind": "press_conference", "outlet": d.outlet, "briefing": d.briefing})
        for d in docs
    ]


def fold(text: str) -> str:
    """The extraction stage's normalisation when present, else NFKC."""
    try:
        from policy_tracker.extraction.normalize import fold as _fold  # type: ignore[attr-defined]

        return str(_fold(text))
    except ImportError:
        return unicodedata.normalize("NFKC", text)


def planted_mentions(corpus_docs: Iterable[SyntheticDocument]) -> list[Any]:
    """The planted clauses as Mention objects (matching without extraction), with the facets extraction would give
    each clause (targets, stage, instruments, topics …: ``clause_facets``), which the matcher compares as an ingest's."""
    from policy_tracker.extraction.extract import clause_facets
    from policy_tracker.models import Mention

    return [
        Mention(
            source=m.document, start=m.start, end=m.end, quote=m.text, text=fold(m.text), date=d.held, briefing=d.briefing,
            **clause_facets(fold(m.text), d.held),
        )
        for d in corpus_docs
        for m in d.mentions
    ]


def extractor(corpus_docs: Sequence[SyntheticDocument]) -> tuple[Callable[[Any], Any], str]:
    """``extract`` from the extraction stage, or the planted spans when it is absent."""
    try:
        from policy_tracker.extraction.extract import extract

        return extract, "policy_tracker.extraction.extract"
    except ImportError:
        by_doc: dict[str, list[Any]] = {}
        for m in planted_mentions(corpus_docs):
            by_doc.setdefault(m.source, []).append(m)
        return (lambda doc: by_doc.get(doc.id, [])), "planted spans (policy_tracker.extraction.extract absent)"


def matching_keys(texts: Iterable[str]) -> list[str]:
    from policy_tracker.matching.keys import key_of_text, load_vocabulary

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


def planted_cluster(corpus_docs: Iterable[SyntheticDocument]) -> Callable[..., list[list[Any]]]:
    """A matcher that returns the planted clusters (unplanted mentions alone): to build a ledger fast."""
    cluster_of = {(m.document, m.start, m.end): m.cluster for d in corpus_docs for m in d.mentions}

    def cluster(mentions: Sequence[Any], **_: Any) -> list[list[Any]]:
        groups: dict[str, list[Any]] = {}
        for m in mentions:
            groups.setdefault(cluster_of.get((m.source, m.start, m.end), m.id), []).append(m)
        return list(groups.values())

    return cluster


def child_ingest(size: int, seed: int, ledger_path: str, matcher: str = "match") -> dict[str, Any]:
    from policy_tracker.ledger import Ledger
    from policy_tracker.matching.cluster import cluster as match_cluster

    corpus, _ = corpus_and_next(size, seed)
    documents = to_documents(corpus.documents)
    extract, source = extractor(corpus.documents)
    cluster = match_cluster if matcher == "match" else planted_cluster(corpus.documents)
    clock: dict[str, float] = {}
    ledger = Ledger()
    with Timer() as t:
        if source == "policy_tracker.extraction.extract":
            # as the default ingest does: the batch is extracted by one forked process per core
            from policy_tracker.extraction.extract import extract_many

            with Timer() as e:
                results = dict(zip((d.id for d in documents), extract_many(documents)))
            clock["extract"] = e.seconds
            extract = lambda doc: results[doc.id][0]  # noqa: E731
        else:
            extract = timed(extract, clock, "extract")
        summary = ledger.ingest(documents, extract=extract, extract_evidence=None, cluster=timed(cluster, clock, "match"))
    ingest_rss = peak_rss_mb()
    quality = ledger_quality(ledger, corpus.documents)
    with Timer() as s:
        ledger.save(ledger_path)
    return {
        "quality": quality,
        "documents": len(documents),
        "planted": len(corpus.mentions),
        "planted_commitments": len({m.cluster for m in corpus.mentions}),
        "extracted": summary.mentions,
        "commitments": len(ledger),
        "extractor": source,
        "matcher": matcher,
        "ingest_s": t.seconds,
        "extract_s": clock.get("extract", 0.0),
        "match_s": clock.get("match", 0.0),
        "ingest_rss_mb": ingest_rss,
        "save_s": s.seconds,
        "save_rss_mb": peak_rss_mb(),
        "file_mb": os.path.getsize(ledger_path) / 1e6,
    }


def ledger_quality(ledger: Any, corpus_docs: Iterable[SyntheticDocument]) -> dict[str, float]:
    """Pairwise and B³ scores of a ledger against the planted clusters, as score_gold.py counts them.

    Each planted mention is credited to the commitment of the ledger mention
    covering most of its span (at least ``evaluate.COVER`` of it); a planted
    mention nothing covers is a commitment of its own (a missed extraction).
    """
    from policy_tracker.evaluate import COVER

    spans: dict[str, list[tuple[int, int, str]]] = {}
    for c in ledger.commitments:
        for m in c.mentions:
            spans.setdefault(m.source, []).append((m.start, m.end, c.id))
    gold: list[str] = []
    pred: list[str] = []
    for d in corpus_docs:
        held = spans.get(d.id, ())
        for m in d.mentions:
            best, commitment = 0.0, f"missed:{d.id}:{m.start}"
            for start, end, cid in held:
                share = (min(m.end, end) - max(m.start, start)) / (m.end - m.start)
                if share > best and share >= COVER:
                    best, commitment = share, cid
            gold.append(m.cluster)
            pred.append(commitment)
    return quality_of(gold, pred)


def quality_of(gold: Sequence[str], pred: Sequence[Any]) -> dict[str, float]:
    """Pairwise and B³ precision/recall/F1 of predicted labels against gold labels (one per mention)."""
    from collections import Counter

    both = Counter(zip(pred, gold, strict=True))
    p_sizes, g_sizes = Counter(pred), Counter(gold)
    pairs = lambda sizes: sum(n * (n - 1) // 2 for n in sizes)  # noqa: E731
    tp, pp, gp = pairs(both.values()), pairs(p_sizes.values()), pairs(g_sizes.values())
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    n = len(gold) or 1
    b3p = sum(k * k / p_sizes[pk] for (pk, _), k in both.items()) / n
    b3r = sum(k * k / g_sizes[gk] for (_, gk), k in both.items()) / n
    f = lambda a, b: 2 * a * b / (a + b) if a + b else 0.0  # noqa: E731
    return {"P": p, "R": r, "F1": f(p, r), "B3_P": b3p, "B3_R": b3r, "B3_F1": f(b3p, b3r), "largest": max(p_sizes.values(), default=0)}


def child_update(size: int, seed: int, ledger_path: str, cutoff: float, options: dict[str, Any]) -> dict[str, Any]:
    """Load the ledger, then add one briefing through Ledger.ingest (the incremental path: the briefing comes last).

    Also times the blocking kernel alone on the same briefing (index of the
    ledger's keys persisted with CandidateIndex.write, read back, blocking.link_new).
    """
    from policy_tracker.matching import candidates as blocking
    from policy_tracker.matching import incremental
    from policy_tracker.ledger import Ledger
    from policy_tracker.matching.cluster import cluster

    corpus, nxt = corpus_and_next(size, seed)
    (new_doc,) = to_documents([nxt])
    extract, _ = extractor([*corpus.documents, nxt])
    with Timer() as load:
        ledger = Ledger.load(ledger_path)
    load_rss = peak_rss_mb()
    sizes: list[int] = []

    def recording(mentions: Sequence[Any], **kwargs: Any) -> Any:
        sizes.append(len(mentions))
        return cluster(mentions, **kwargs)

    sidecar = incremental.sidecar_path(ledger_path).exists()
    with Timer() as one:
        summary = ledger.ingest([new_doc], extract=extract, extract_evidence=None, cluster=recording)
    one_rss = peak_rss_mb()
    placed = placement(ledger, new_doc.id)
    old_keys = matching_keys(m.text or m.quote for m in ledger.mentions if m.source != new_doc.id)
    index = blocking.CandidateIndex(old_keys, **options)
    index_path = ledger_path + ".index"
    with open(index_path, "w", encoding="utf-8") as fh:
        index.write(fh)
    del index
    with Timer() as reread, open(index_path, encoding="utf-8") as fh:
        index = blocking.CandidateIndex.read(fh, index_path)
    with Timer() as inc:
        new_mentions = list(extract(new_doc))
        links = blocking.link_new(index, matching_keys(m.text or m.quote for m in new_mentions), cutoff=cutoff)
    return {
        "load_s": load.seconds,
        "load_rss_mb": load_rss,
        "ledger_mentions": len(old_keys),
        "new_mentions": summary.mentions,
        "sidecar": sidecar,
        "ingest_one_s": one.seconds,
        "ingest_one_rss_mb": one_rss,
        "matcher_saw": sizes[0] if sizes else 0,
        "index_read_s": reread.seconds,
        "incremental_s": inc.seconds,
        "incremental_links": len(links),
        "placed": placed,
    }


def placement(ledger: Any, document: str) -> dict[str, list[str]]:
    """For each mention of ``document``: the other mentions of the commitment it went to (to compare two ingest paths)."""
    out = {}
    for m in ledger.mentions:
        if m.source == document:
            out[m.id] = sorted(x.id for x in ledger.commitment_of(m.id).mentions if x.id != m.id)
    return out


def child_reingest(size: int, seed: int, ledger_path: str) -> dict[str, Any]:
    """Load the ledger, then add one briefing through Ledger.ingest(incremental=False): every mention re-matched."""
    from policy_tracker.ledger import Ledger
    from policy_tracker.matching.cluster import cluster

    corpus, nxt = corpus_and_next(size, seed)
    (new_doc,) = to_documents([nxt])
    extract, _ = extractor([*corpus.documents, nxt])
    ledger = Ledger.load(ledger_path)
    with Timer() as full:
        summary = ledger.ingest([new_doc], extract=extract, extract_evidence=None, cluster=cluster, incremental=False)
    return {"ingest_one_s": full.seconds, "new_mentions": summary.mentions, "reingest_rss_mb": peak_rss_mb(), "placed": placement(ledger, new_doc.id)}


_KEYS: list[str] = []


def all_pairs_cdist(keys: Sequence[str], cutoff: float, workers: int, block: int = 512) -> list[tuple[int, int]]:
    """Every pair ``i < j`` with fuzz.ratio ≥ cutoff: rapidfuzz ``process.cdist`` over row blocks (needs numpy).

    Each block of rows is scored against the keys from its first row on (the
    upper triangle and the block's own square), on ``workers`` threads in C++;
    queries and choices are different list objects, so cdist does not take
    its symmetric shortcut, and the keys are short enough for its SIMD path.
    """
    import numpy as np
    from rapidfuzz import fuzz, process

    out: list[tuple[int, int]] = []
    n = len(keys)
    for start in range(0, n, block):
        stop = min(start + block, n)
        queries = list(keys[start:stop])
        choices = list(keys[start:])
        scores = process.cdist(queries, choices, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float32, workers=workers)
        rows, cols = np.nonzero(scores >= cutoff)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i, j = start + r, start + c
            if j > i:
                out.append((i, j))
    return out


def _rows(args: tuple[int, int, float]) -> list[tuple[int, int, float]]:
    from policy_tracker.matching.candidates import all_pairs

    start, step, cutoff = args
    return all_pairs(_KEYS, cutoff=cutoff, rows=range(start, len(_KEYS), step))


_INDEX: Any = None


def _blocked_rows(args: tuple[int, int, float]) -> tuple[int, list[tuple[int, int, float]]]:
    from policy_tracker.matching.candidates import verify

    start, step, cutoff = args
    count = 0

    def counted() -> Iterable[tuple[int, list[int]]]:
        nonlocal count
        for i, js in _INDEX.candidates(rows=range(start, len(_INDEX), step)):
            count += len(js)
            yield i, js

    links = verify(counted(), _INDEX.keys, cutoff=cutoff)
    return count, links


def child_kernel(size: int, seed: int, cutoff: float, options: dict[str, Any], baseline: bool, workers: int) -> dict[str, Any]:
    """Blocked linking, then (if asked) all-pairs, both on ``workers`` processes sharing the rows."""
    import multiprocessing

    from policy_tracker.matching import candidates as blocking
    from policy_tracker.matching import candidates_numpy as blocks

    global _INDEX, _KEYS
    corpus, _ = corpus_and_next(size, seed)
    keys = matching_keys(m.text for m in corpus.mentions)
    out: dict[str, Any] = {"keys": len(keys)}
    by_lists = has_numpy() and options["min_shared"] == 1 and not options.get("pair_tokens")
    with Timer() as t:
        if by_lists:  # the posting lists scored whole with process.cdist, as blocking.link does with numpy
            rows, cols, _ = blocks.link_blocks(keys, cutoff=cutoff, max_postings=options["max_postings"], workers=workers)
        else:
            _INDEX = blocking.CandidateIndex(keys, **options)
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_blocked_rows, [(k, workers, cutoff) for k in range(workers)])
            blocked = [(i, j) for _, part in results for i, j, _ in part]
    if by_lists:  # pairs scored (a pair sharing several bigrams counts once per bigram)
        blocked = list(zip(rows.tolist(), cols.tolist(), strict=True))
        lists = {p.tobytes(): len(p) for p in blocks._posting_arrays(keys, options["max_postings"])}
        n_candidates = sum(size * (size - 1) // 2 for size in lists.values())
        out["blocked_method"] = "candidates_numpy.link_blocks: each posting list scored with process.cdist"
    else:
        n_candidates = sum(n for n, _ in results)
        out["blocked_method"] = "CandidateIndex.candidates + process.extract per key"
    out.update(blocked_s=t.seconds, candidates=n_candidates, blocked_links=len(blocked), blocked_rss_mb=peak_rss_mb())
    # planted restatement pairs above the cutoff: the links that matter, checkable at any size
    from rapidfuzz import fuzz

    members: dict[str, list[int]] = {}
    for i, m in enumerate(corpus.mentions):
        members.setdefault(m.cluster, []).append(i)
    planted = {
        (i, j) for ids in members.values() for x, i in enumerate(ids) for j in ids[x + 1 :] if fuzz.ratio(keys[i], keys[j]) >= cutoff
    }
    found_pairs = set(blocked)
    out.update(planted_links=len(planted), planted_recall=len(planted & found_pairs) / len(planted) if planted else 1.0)
    if baseline:
        _KEYS = keys
        with Timer() as t:
            if has_numpy():
                exact = set(all_pairs_cdist(keys, cutoff, workers))
                method = "process.cdist"
            else:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    parts = pool.map(_rows, [(k, workers, cutoff) for k in range(workers)])
                exact = {(i, j) for part in parts for i, j, _ in part}
                method = "process.extract per row"
        out["all_pairs_method"] = method
        found = found_pairs
        out.update(all_pairs_s=t.seconds, all_pairs_links=len(exact), recall=len(exact & found) / len(exact) if exact else 1.0)
    return out


def pairwise_and_b3(clusters: Sequence[Sequence[Any]], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise and B³ precision/recall/F1 of predicted clusters against planted clusters (by mention id)."""
    pred = {m.id: k for k, c in enumerate(clusters) for m in c}
    ids = [i for i in gold if i in pred]
    return quality_of([gold[i] for i in ids], [pred[i] for i in ids])


class AllPairsIndex:
    """Stands in for candidates.CandidateIndex: every pair is a candidate (the all-pairs reference)."""

    def __init__(self, keys: Iterable[str], **_: Any) -> None:
        self.keys = list(keys)

    def __len__(self) -> int:
        return len(self.keys)

    def candidates(self, rows: Iterable[int] | None = None) -> Iterable[tuple[int, list[int]]]:
        n = len(self.keys)
        for i in range(n - 1) if rows is None else rows:
            if i < n - 1:
                yield i, list(range(i + 1, n))


def child_quality(size: int, seed: int) -> dict[str, Any]:
    """cluster.cluster on the planted mentions, with blocked candidates and with all pairs.

    The all-pairs run swaps ``blocking.CandidateIndex`` for :class:`AllPairsIndex`
    (and takes the matcher's key-by-key candidate path, which consults it), so
    the matcher's own scoring, thresholds and clustering stay the same.
    """
    from policy_tracker.matching import candidates as blocking
    from policy_tracker.matching import candidates_numpy as blocks
    from policy_tracker.matching import cluster as match  # cluster() calls score_pairs through this module

    corpus, _ = corpus_and_next(size, seed)
    mentions = planted_mentions(corpus.documents)
    gold = {m.id: p.cluster for m, p in zip(mentions, corpus.mentions, strict=True)}
    ordered_gold = [gold[m.id] for m in match.order_mentions(mentions)]
    index_class, score_pairs = blocking.CandidateIndex, match.score_pairs
    captured: list[Any] = []

    def capturing(*args: Any, **kwargs: Any) -> Any:
        captured.append(score_pairs(*args, **kwargs))
        return captured[-1]

    out: dict[str, Any] = {}
    edges: dict[str, set[tuple[int, int]]] = {}
    numpy_check = blocks.has_numpy
    for name, index in (("blocked", index_class), ("all_pairs", AllPairsIndex)):
        blocking.CandidateIndex, match.score_pairs = index, capturing  # type: ignore[assignment,misc]
        if index is AllPairsIndex:  # the key-by-key path, which asks the (swapped) index for candidates
            blocks.has_numpy = lambda: False  # type: ignore[assignment]
        try:
            with Timer() as t:
                clusters = match.cluster(mentions)
        finally:
            blocking.CandidateIndex, match.score_pairs = index_class, score_pairs  # type: ignore[misc]
            blocks.has_numpy = numpy_check  # type: ignore[assignment]
        pairs = captured.pop() if captured else None
        edges[name] = {(i, j) for i, js in pairs.neighbours.items() for j in js if i < j} if pairs else set()
        true = sum(ordered_gold[i] == ordered_gold[j] for i, j in edges[name])
        out[name] = {"cluster_s": t.seconds, "links": len(edges[name]), "true_links": true, **pairwise_and_b3(clusters, gold)}
    exact, found = edges["all_pairs"], edges["blocked"]
    out["link_recall"] = len(exact & found) / len(exact) if exact else 1.0
    out["missed_true"] = sum(ordered_gold[i] == ordered_gold[j] for i, j in exact - found)
    return out


def child_planted(size: int, seed: int) -> dict[str, Any]:
    """cluster.cluster on the planted mentions (extraction skipped): the quality figures of a size whose ingest did not
    finish (as scripts/planted_quality.py measures them), with the matching time and peak RSS."""
    from policy_tracker.matching.cluster import cluster

    corpus, _ = corpus_and_next(size, seed)
    mentions = planted_mentions(corpus.documents)
    gold = {m.id: p.cluster for m, p in zip(mentions, corpus.mentions, strict=True)}
    with Timer() as t:
        clusters = cluster(mentions)
    return {"cluster_s": t.seconds, "commitments": len(clusters), "planted_commitments": len(set(gold.values())),
            "rss_mb": peak_rss_mb(), **pairwise_and_b3(clusters, gold)}


CHILDREN = {
    "ingest": child_ingest,
    "planted": child_planted,
    "update": child_update,
    "reingest": child_reingest,
    "kernel": child_kernel,
    "quality": child_quality,
}


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


def kernel_options(args: argparse.Namespace) -> dict[str, Any]:
    """The blocking limits of the kernel runs: those given on the command line, else the matcher's (data/matching.yaml)."""
    from policy_tracker.matching.config import MatchConfig

    shipped = MatchConfig()
    return {
        "max_postings": args.max_postings or shipped.max_postings,
        "min_shared": args.min_shared or 1,
        "rare_postings": shipped.rare_postings if args.rare_postings is None else args.rare_postings,
        "pair_tokens": args.pair_tokens,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="planted mention counts, comma-separated (default 1000,10000,100000)")
    parser.add_argument("--baseline-limit", type=float, default=300.0, help="seconds allowed to one all-pairs run (default 300)")
    parser.add_argument("--ingest-limit", type=float, default=900.0, help="seconds allowed to one Ledger.ingest run (default 900)")
    parser.add_argument(
        "--planted-limit", type=float, default=3600.0,
        help="seconds allowed to matching the planted mentions of a size whose ingest was stopped (default 3600)",
    )
    parser.add_argument("--quality-size", type=int, default=10000, help="size of the clustering-quality comparison (0 to skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cutoff", type=float, default=70.0, help="fuzz.ratio cutoff of the kernel comparison (default 70)")
    parser.add_argument("--max-postings", type=int, default=None, help="bigram posting cap (default: max_postings in data/matching.yaml)")
    parser.add_argument("--min-shared", type=int, default=None, help="bigrams two keys must share (default 1: any distinctive bigram, scored by posting list with numpy)")
    parser.add_argument("--rare-postings", type=int, default=None, help="a bigram held by at most this many keys suffices alone (default: rare_postings in data/matching.yaml)")
    parser.add_argument("--pair-tokens", action="store_true", help="index pairs of frequent bigrams too")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for the all-pairs baseline")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = CHILDREN[args.child](**json.loads(args.params))
        sys.stdout.write(json.dumps(result) + "\n")
        return 0

    import rapidfuzz

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    options = kernel_options(args)
    try:
        import numpy  # noqa: F401

        numpy_note = "numpy present: all-pairs = process.cdist in row blocks"
    except ImportError:
        numpy_note = "numpy absent, so no process.cdist: all-pairs = process.extract per row"

    def say(line: str = "") -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def load() -> str:
        return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())

    say(
        f"policy_tracker scale benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, seed {args.seed}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, rapidfuzz {rapidfuzz.__version__} ({numpy_note}), {load()}"
    )
    shown = argv if argv is not None else sys.argv[1:]
    say(f"command: python -m tests.benchmarks.run {' '.join(shown)}".rstrip())
    say()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="pt-bench-") as tmp:
        baseline_ok = True
        last_baseline: tuple[int, float] | None = None
        for n in sizes:
            row: dict[str, Any] = {"n": n}
            path = str(Path(tmp) / f"ledger-{n}.yaml")
            base = {"size": n, "seed": args.seed}
            row["ingest"] = run_child("ingest", {**base, "ledger_path": path}, timeout=args.ingest_limit)
            if row["ingest"] is None:  # too slow: quality on the planted mentions, and the ledger file built from the planted clusters to time I/O
                row["planted"] = run_child("planted", base, timeout=args.planted_limit)
                row["fallback"] = run_child("ingest", {**base, "ledger_path": path, "matcher": "planted"})
            row["update"] = run_child("update", {**base, "ledger_path": path, "cutoff": args.cutoff, "options": options})
            row["reingest"] = (
                run_child("reingest", {**base, "ledger_path": path}, timeout=args.ingest_limit) if row["ingest"] else None
            )
            predicted = last_baseline[1] * (n / last_baseline[0]) ** 2 if last_baseline else 0.0
            run_baseline = baseline_ok and predicted <= 2 * args.baseline_limit
            kparams = {**base, "cutoff": args.cutoff, "options": options, "workers": args.workers}
            kernel = None
            if run_baseline:
                kernel = run_child("kernel", {**kparams, "baseline": True}, timeout=args.baseline_limit + 120)
                if kernel is not None and kernel["all_pairs_s"] > args.baseline_limit:
                    kernel.pop("recall")
                    kernel["over_limit"] = kernel.pop("all_pairs_s")
            if kernel is None or "all_pairs_s" not in kernel:
                baseline_ok = False
                kernel = kernel or run_child("kernel", {**kparams, "baseline": False})
            else:
                last_baseline = (n, kernel["all_pairs_s"])
            row["kernel"] = kernel
            results.append(row)
            ing = row["ingest"]
            took = f"{ing['ingest_s']:.1f} s (pairwise P {ing['quality']['P']:.3f} R {ing['quality']['R']:.3f})" if ing else f"> {args.ingest_limit:g} s"
            say(
                f"  N={n:,}: ingest {took}, "
                f"blocked kernel {kernel['blocked_s']:.1f} s"
                + (f", all-pairs {kernel['all_pairs_s']:.1f} s" if "all_pairs_s" in kernel else ", all-pairs not finished")
                + f"; {load()}"
            )
        quality = run_child("quality", {"size": args.quality_size, "seed": args.seed}) if args.quality_size else None
    report(results, quality, args, options, say)
    say(f"finished {dt.datetime.now(dt.timezone.utc):%H:%M} UTC, {load()}")
    return 0


def report(results: list[dict[str, Any]], quality: dict[str, Any] | None, args: argparse.Namespace, options: dict[str, Any], say: Callable[[str], None]) -> None:
    """Print the tables."""
    say("")
    first = next((r["ingest"] or r["fallback"] for r in results), None)
    say(f"Full ingest: Ledger.ingest, extraction by {first['extractor'] if first else '?'} + cluster.cluster; YAML write excluded")
    say(f"{'mentions':>9} {'docs':>6} {'extracted':>9} {'commitm.':>8} {'extract s':>9} {'match s':>8} {'ingest s':>9} {'peak RSS MB':>11}")
    for r in results:
        i = r["ingest"]
        if i:
            say(f"{r['n']:>9,} {i['documents']:>6,} {i['extracted']:>9,} {i['commitments']:>8,} {i['extract_s']:>9.2f} {i['match_s']:>8.2f} {i['ingest_s']:>9.2f} {i['ingest_rss_mb']:>11.0f}")
        else:
            f = r["fallback"]
            say(f"{r['n']:>9,} {f['documents']:>6,} {f['extracted']:>9,} {'—':>8} {f['extract_s']:>9.2f} {'>':>8} {f'> {args.ingest_limit:g}':>9} {'—':>11}  (stopped; extraction alone measured with a trivial matcher)")
    say("")
    say("Clustering quality of that ingest against the planted commitments (score_gold.py's counting: a planted mention")
    say("belongs to the commitment of the extracted mention covering ≥ 60% of it; pairwise and B³ precision/recall/F1)")
    say(f"{'mentions':>9} {'planted c.':>10} {'found c.':>8} {'pair P':>7} {'pair R':>7} {'pair F1':>7} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'largest':>7} {'match s':>8}")
    for r in results:
        i = r["ingest"]
        if i and "quality" in i:
            q = i["quality"]
            say(
                f"{r['n']:>9,} {i['planted_commitments']:>10,} {i['commitments']:>8,} {q['P']:>7.3f} {q['R']:>7.3f} {q['F1']:>7.3f} "
                f"{q['B3_P']:>6.3f} {q['B3_R']:>6.3f} {q['B3_F1']:>6.3f} {q['largest']:>7,} {i['match_s']:>8.1f}"
            )
        elif r.get("planted"):
            q = r["planted"]
            say(
                f"{r['n']:>9,} {q['planted_commitments']:>10,} {q['commitments']:>8,} {q['P']:>7.3f} {q['R']:>7.3f} {q['F1']:>7.3f} "
                f"{q['B3_P']:>6.3f} {q['B3_R']:>6.3f} {q['B3_F1']:>6.3f} {q['largest']:>7,} {q['cluster_s']:>8.1f}"
                f"  (ingest stopped: cluster.cluster on the planted mentions, peak RSS {q['rss_mb']:,.0f} MB)"
            )
        else:
            say(f"{r['n']:>9,} {'—':>10} {'—':>8}  (ingest stopped at --ingest-limit, planted mentions at --planted-limit: no quality figures)")
    say("")
    say("Ledger file, and one new 40-mention briefing added to it (load/save excluded from the ingest times)")
    say(f"{'mentions':>9} {'file MB':>7} {'save s':>7} {'save RSS':>8} {'load s':>7} {'load RSS':>8} {'ingest one s':>12} {'matcher saw':>11} {'RSS MB':>7} {'full re-match s':>15} {'kernel s':>8} {'index read s':>12}")
    agree: list[str] = []
    for r in results:
        i = r["ingest"] or r["fallback"]
        u, g = r["update"], r["reingest"]
        full = f"{g['ingest_one_s']:.2f}" if g else "—"
        if g and "placed" in g and "placed" in u:
            same = sum(u["placed"].get(k) == v for k, v in g["placed"].items())
            agree.append(f"{r['n']:,}: {same} of {len(g['placed'])}")
        say(
            f"{r['n']:>9,} {i['file_mb']:>7.1f} {i['save_s']:>7.2f} {i['save_rss_mb']:>8.0f} {u['load_s']:>7.2f} {u['load_rss_mb']:>8.0f} "
            f"{u['ingest_one_s']:>12.3f} {u['matcher_saw']:>11,} {u['ingest_one_rss_mb']:>7.0f} {full:>15} {u['incremental_s']:>8.3f} {u['index_read_s']:>12.2f}"
        )
    say("  ingest one = Ledger.ingest of the briefing on the loaded ledger: the incremental path (the briefing comes last), matching")
    say("  keys from the sidecar <ledger>.keys written by save; matcher saw = mentions handed to cluster.cluster (new + the commitments")
    say("  that are candidates of them); full re-match = Ledger.ingest(incremental=False), every mention re-matched;")
    say("  kernel = extract the briefing + candidates.link_new against a CandidateIndex of the ledger's keys (index read = CandidateIndex.read)")
    if agree:
        say("  new mentions placed with the same co-members by the incremental path as by the full re-match: " + "; ".join(agree))
    say("")
    opts = ", ".join(f"{k} {v}" for k, v in options.items())
    say(f"Matching kernel on the matching keys (keys.key_of_text): pairs with fuzz.ratio ≥ {args.cutoff:g}")
    method = next((r["kernel"]["all_pairs_method"] for r in results if "all_pairs_method" in r["kernel"]), "not run")
    blocked_method = next((r["kernel"]["blocked_method"] for r in results if "blocked_method" in r["kernel"]), "?")
    say(f"  blocked = {blocked_method} ({opts}) on {args.workers} processes; all-pairs = every pair scored ({method}, {args.workers} workers)")
    say(f"{'mentions':>9} {'candidates':>11} {'blocked s':>9} {'RSS MB':>7} {'all-pairs s':>12} {'speed-up':>9} {'links (all-pairs)':>17} {'blocked recall':>14} {'planted links':>13} {'recall':>7}")
    measured = [(r["n"], r["kernel"]) for r in results if "all_pairs_s" in r["kernel"]]
    for r in results:
        n, k = r["n"], r["kernel"]
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
        say(
            f"{n:>9,} {k['candidates']:>11,} {k['blocked_s']:>9.2f} {k['blocked_rss_mb']:>7.0f} {aps:>12} {speed:>9} {links:>17} {recall:>14} "
            f"{k['planted_links']:>13,} {k['planted_recall']:>7.4f}"
        )
    say("  candidates = pairs the blocked kernel scored (by posting list: once per shared distinctive bigram)")
    say("  planted links = pairs of mentions of one planted commitment whose keys score ≥ the cutoff; recall = blocked finds them")
    over = [r for r in results if "over_limit" in r["kernel"]]
    if any("all_pairs_s" not in r["kernel"] for r in results) and measured:
        say(f"  * extrapolated as N² from N={measured[-1][0]:,}: all-pairs was not run there or did not finish within {args.baseline_limit:g} s")
    for r in over:
        say(f"  at N={r['n']:,} all-pairs finished in {r['kernel']['over_limit']:.1f} s, over the {args.baseline_limit:g} s limit")
    if quality:
        say("")
        say(f"Clustering quality at {args.quality_size:,} planted mentions: cluster.cluster with blocked candidates vs with all pairs")
        b, a = quality["blocked"], quality["all_pairs"]
        say(
            f"  matcher links (its scored edges): all-pairs {a['links']:,} ({a['true_links']:,} within a planted commitment), "
            f"blocked {b['links']:,} ({b['true_links']:,}); blocked finds {quality['link_recall']:.4f} of the all-pairs links, "
            f"and misses {quality['missed_true']:,} within a planted commitment"
        )
        say(f"{'':>11} {'cluster s':>9} {'pair P':>7} {'pair R':>7} {'pair F1':>7} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'largest':>7}")
        for name, q in (("blocked", b), ("all-pairs", a)):
            say(f"{name:>11} {q['cluster_s']:>9.2f} {q['P']:>7.3f} {q['R']:>7.3f} {q['F1']:>7.3f} {q['B3_P']:>6.3f} {q['B3_R']:>6.3f} {q['B3_F1']:>6.3f} {q['largest']:>7}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
