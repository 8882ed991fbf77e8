"""Time the benchmark's full ingest stage by stage, in wall and CPU seconds and peak RSS (issue 15).

Runs what ``tests.benchmarks.run --child ingest`` runs (the synthetic corpus of
SIZE mentions, extraction on one forked process per core, ``Ledger.ingest``,
then ``Ledger.save``) and prints, per stage, ``[wall s, CPU s, peak MB, MB after]``,
CPU being user + system of this process and its workers (on a shared machine
the wall time depends on the load, the CPU time much less), peak MB the
largest resident size of this process during the stage (Linux: the peak is
reset at the start of every stage through ``/proc/self/clear_refs``; elsewhere
the peak so far) and MB after its resident size when the stage ended.
``before`` is the resident size once the corpus is built, ``rss_mb`` the peak of
the whole ingest (``/usr/bin/time -v`` around this script reports the last
stage's peak only, because of the resets); ``ledger_ingest`` is
``Ledger.ingest`` (matching and bookkeeping), ``book`` its part outside ``match``.

    python scripts/ingest_stages.py 100000 /tmp/L.yaml
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _status_mb(field: str) -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_OPEN: list[list[float]] = []  # the peaks of the stages under way (stages nest: keys inside match)
_PEAK = [0.0]  # the largest resident size seen by any stage (the process's own peak is reset per stage)


def _reset_peak() -> None:
    """Start a new peak (VmHWM) for the stage that begins; the stages around it keep the peak so far."""
    peak = _status_mb("VmHWM")
    _PEAK[0] = max(_PEAK[0], peak)
    for seen in _OPEN:
        seen[0] = max(seen[0], peak)
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, help="planted mentions of the synthetic corpus")
    parser.add_argument("ledger", nargs="?", help="save the ledger here too (and time the save)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from tests.benchmarks.run import corpus_and_next, to_documents
    from policy_tracker.extraction.extract import extract_many
    from policy_tracker.ledger import Ledger
    import policy_tracker.matching.cluster as cluster_module

    corpus, _ = corpus_and_next(args.size, args.seed)
    docs = to_documents(corpus.documents)
    out: dict[str, Any] = {"before": round(_status_mb("VmRSS"))}

    def timed(label: str, fn: Any) -> Any:
        def wrapper(*a: Any, **k: Any) -> Any:
            _reset_peak()
            seen = [0.0]
            _OPEN.append(seen)
            t, c = time.perf_counter(), cpu()
            try:
                return fn(*a, **k)
            finally:
                wall, used = time.perf_counter() - t, cpu() - c
                _OPEN.pop()  # stages nest, so the one ending is the last begun
                peak = max(seen[0], _status_mb("VmHWM"))
                for outer in _OPEN:
                    outer[0] = max(outer[0], peak)
                out[label] = [round(wall, 2), round(used, 2), round(peak), round(_status_mb("VmRSS"))]

        return wrapper

    cluster_module.mention_keys = timed("keys", cluster_module.mention_keys)
    cluster_module.score_pairs = timed("score_pairs", cluster_module.score_pairs)
    t0, c0 = time.perf_counter(), cpu()
    results = dict(zip((d.id for d in docs), timed("extract", extract_many)(docs)))
    ledger = Ledger()
    t, c = time.perf_counter(), cpu()
    timed("ledger_ingest", ledger.ingest)(docs, extract=lambda d: results[d.id][0], extract_evidence=None, cluster=timed("match", cluster_module.cluster))
    out["book"] = [round(time.perf_counter() - t - out["match"][0], 2), round(cpu() - c - out["match"][1], 2)]
    out["ingest_total"] = [round(time.perf_counter() - t0, 2), round(cpu() - c0, 2)]
    out["rss_mb"] = round(max(_PEAK[0], _status_mb("VmHWM")))  # the ingest's peak (ru_maxrss is reset with the stages' peaks)
    if args.ledger:
        timed("save", ledger.save)(args.ledger)
        out["sha256"] = hashlib.sha256(Path(args.ledger).read_bytes()).hexdigest()[:16]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
