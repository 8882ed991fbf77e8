"""Score commitments against a hand-annotated gold file, as a library.

The gold format is that of ``seeds-gold.yaml`` (documents, commitments of
``[document, anchor]`` mentions, ``related`` cluster pairs, ``evidence``).  The
figures are computed exactly as the project's reference scorer
(``score_gold.py``) computes them:

* a gold mention is *found* when a predicted mention covers at least 60% of
  one occurrence of its anchor (the best-covering prediction gives its cluster);
* extraction recall: found / gold mentions;
* evidence false positives: evidence anchors covered ≥ 60% by a prediction;
* pairwise precision / recall / F1 over pairs of gold mentions, skipping pairs
  of clusters listed as ``related``;
* cross-briefing link recall: the recall restricted to same-cluster pairs from
  different documents.

Analysts annotate their own corpus in this format and run ``policy-tracker eval``
to tune the thresholds of ``data/matching.yaml``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs
import yaml

from .errors import DataError
from .sources.load import LoadResult, load_documents
from .models import Commitment, Document, Mention
from .resources import SafeLoader

COVER = 0.6  # share of an anchor a prediction must cover


@attrs.frozen
class Gold:
    """A parsed gold file."""

    documents: tuple[str, ...]
    commitments: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    related: frozenset[frozenset[str]] = frozenset()
    evidence: tuple[tuple[str, str], ...] = ()
    held: tuple[tuple[str, dt.date | None], ...] = ()  # each document's date held, where the gold gives one


@attrs.frozen
class Prediction:
    """One predicted mention: document id, span and the commitment it was put in."""

    document: str
    start: int
    end: int
    commitment: str


@attrs.frozen
class Scores:
    """The figures of :func:`score` (same names and rounding as score_gold.py)."""

    gold_mentions: int
    extraction_recall: float
    evidence_false_positives: int
    evidence_total: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    cross_briefing_link_recall: float | None
    predicted_mentions: int
    predicted_commitments: int
    missed: tuple[str, ...] = ()
    evidence_hits: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The figures in score_gold.py's order and format."""
        return {
            "gold_mentions": self.gold_mentions,
            "extraction_recall": self.extraction_recall,
            "evidence_false_positives": f"{self.evidence_false_positives}/{self.evidence_total}",
            "pairwise_precision": self.pairwise_precision,
            "pairwise_recall": self.pairwise_recall,
            "pairwise_f1": self.pairwise_f1,
            "cross_briefing_link_recall": self.cross_briefing_link_recall,
            "predicted_mentions": self.predicted_mentions,
            "predicted_commitments": self.predicted_commitments,
        }


def read_gold(stream: TextIO | str, name: str = "<gold>") -> Gold:
    """Parse a gold file; a DataError names the file and the faulty entry."""
    text = stream if isinstance(stream, str) else stream.read()
    try:
        raw = yaml.load(text, Loader=SafeLoader)  # noqa: S506 - SafeLoader only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        raise DataError(f"{where}: invalid YAML ({getattr(exc, 'problem', None) or exc}); fix the gold file") from exc
    if not isinstance(raw, Mapping) or not isinstance(raw.get("commitments"), Mapping):
        raise DataError(f"{name}: expected a mapping with 'documents:' and 'commitments:'; see tests/data/seeds-gold.yaml")
    commitments = []
    for cid, entry in raw["commitments"].items():
        mentions = (entry or {}).get("mentions") if isinstance(entry, Mapping) else None
        if not isinstance(mentions, list) or not all(isinstance(m, list) and len(m) == 2 for m in mentions):
            raise DataError(f"{name}: commitments: {cid}: mentions: expected a list of [document, anchor] pairs")
        commitments.append((str(cid), tuple((str(d), str(a)) for d, a in mentions)))
    related = frozenset(frozenset(map(str, p)) for p in raw.get("related") or [])
    evidence = []
    for e in raw.get("evidence") or []:
        if not isinstance(e, list) or len(e) < 2:
            raise DataError(f"{name}: evidence: expected [document, anchor, commitment-or-null]; got {e!r}")
        evidence.append((str(e[0]), str(e[1])))
    docs = raw.get("documents") or {}
    held = tuple((str(k), _gold_date(v.get("held"))) for k, v in docs.items() if isinstance(v, Mapping) and "held" in v)
    return Gold(tuple(map(str, docs)), tuple(commitments), related, tuple(evidence), held)


def _gold_date(value: object) -> dt.date | None:
    """A gold ``held:`` value: a date, or text starting with one (``2024-12-26 (text gives 12月26日…)``)."""
    from .sources.metadata import parse_date

    if isinstance(value, str):
        value = value.split(" ", 1)[0]
    return parse_date(value)


@attrs.frozen
class DateScores:
    """Dates held found for the documents against the gold's ``held:``: correct, wrong, unknown, and guessed.

    ``guessed`` lists the documents whose gold says ``held: unknown`` (their
    text does not tell when) but which were given a date anyway: a date no
    reader could check, counted apart so that a guess never hides as a date.
    """

    correct: tuple[str, ...]
    wrong: tuple[tuple[str, dt.date, dt.date], ...]  # document, found, gold
    unknown: tuple[str, ...]
    guessed: tuple[tuple[str, dt.date], ...] = ()  # document, found (gold: held: unknown)

    @property
    def total(self) -> int:
        return len(self.correct) + len(self.wrong) + len(self.unknown)

    def as_dict(self) -> dict[str, Any]:
        share = round(len(self.correct) / self.total, 3) if self.total else None
        return {
            "dates_correct": f"{len(self.correct)}/{self.total}",
            "dates_wrong": len(self.wrong),
            "dates_unknown": len(self.unknown),
            "dates_guessed": len(self.guessed),
            "dates_correct_share": share,
        }


def score_held(gold: Gold, found: Mapping[str, dt.date | None]) -> DateScores:
    """Compare the date held found for each gold document (``found``: document id → date or ``None``) with the gold's.

    The one scorer of dates: ``eval --dates`` passes the loaded documents'
    dates (:func:`score_dates`), ``scripts/corpus_figures.py`` a ledger's
    briefing dates.  Documents without ``held:`` in the gold are left out; a
    gold ``held: unknown`` counts only when a date was found (``guessed``).
    """
    correct: list[str] = []
    wrong: list[tuple[str, dt.date, dt.date]] = []
    unknown: list[str] = []
    guessed: list[tuple[str, dt.date]] = []
    for doc_id, want in gold.held:
        if doc_id not in found:
            raise DataError(f"gold: documents: {doc_id!r} not found among the loaded documents")
        got = found[doc_id]
        if want is None:
            if got is not None:
                guessed.append((doc_id, got))
        elif got is None:
            unknown.append(doc_id)
        elif got == want:
            correct.append(doc_id)
        else:
            wrong.append((doc_id, got, want))
    return DateScores(tuple(correct), tuple(wrong), tuple(unknown), tuple(guessed))


def score_dates(gold: Gold, documents: Iterable[Document]) -> DateScores:
    """Compare each document's date held with the gold's (:func:`score_held` on the documents' ``held``)."""
    return score_held(gold, {d.id: d.held for d in documents})


def _occurrences(text: str, anchor: str) -> list[tuple[int, int]]:
    out, i = [], text.find(anchor)
    while i >= 0:
        out.append((i, i + len(anchor)))
        i = text.find(anchor, i + 1)
    return out


def _best_cover(text: str, anchor: str, preds: Sequence[Prediction]) -> tuple[float, str | None]:
    best: tuple[float, str | None] = (0.0, None)
    for a0, a1 in _occurrences(text, anchor):
        for p in preds:
            overlap = min(a1, p.end) - max(a0, p.start)
            if overlap > 0 and overlap / (a1 - a0) > best[0]:
                best = (overlap / (a1 - a0), p.commitment)
    return best


def predictions_from(commitments: Iterable[Commitment]) -> list[Prediction]:
    """The predicted mentions of some commitments."""
    return [Prediction(m.source, m.start, m.end, c.id) for c in commitments for m in c.mentions]


def predictions_from_clusters(clusters: Iterable[Sequence[Mention]]) -> list[Prediction]:
    """The predicted mentions of :func:`policy_tracker.matching.cluster.cluster` output (clusters numbered in order)."""
    return [Prediction(m.source, m.start, m.end, f"c{i}") for i, group in enumerate(clusters) for m in group]


def predictions_from_ledger(ledger: Any, texts: Mapping[str, str]) -> list[Prediction]:
    """Predictions from a ledger mapping, read as leniently as score_gold.py reads it."""
    items = ledger.get("commitments", []) if isinstance(ledger, Mapping) else ledger
    if isinstance(items, Mapping):
        items = [dict(v, id=k) for k, v in items.items()]
    out = []
    for c in items or []:
        for m in c.get("mentions") or []:
            doc = str(m.get("source") or m.get("document") or m.get("doc") or "")
            doc = doc.rsplit("/", 1)[-1].removesuffix(".txt").removesuffix(".md")
            start, end = m.get("start"), m.get("end")
            quote = m.get("quote") or m.get("text")
            text = texts.get(doc)
            if text is None:
                continue
            if start is None or end is None or (quote and text[start:end] != quote):
                if quote and quote in text:
                    start = text.find(quote)
                    end = start + len(quote)
                elif start is None or end is None:
                    continue
            out.append(Prediction(doc, int(start), int(end), str(c.get("id"))))
    return out


def score(gold: Gold, texts: Mapping[str, str], predictions: Sequence[Prediction]) -> Scores:
    """Extraction recall, evidence false positives, pairwise P/R/F1 and cross-briefing link recall."""
    by_doc: dict[str, list[Prediction]] = {}
    for p in predictions:
        by_doc.setdefault(p.document, []).append(p)
    items: list[tuple[str, str, str | None]] = []
    missed = []
    for gc, mentions in gold.commitments:
        for doc, anchor in mentions:
            if doc not in texts:
                raise DataError(f"gold: commitments: {gc}: document {doc!r} not found among the loaded documents")
            frac, cid = _best_cover(texts[doc], anchor, by_doc.get(doc, []))
            items.append((gc, doc, cid if frac >= COVER else None))
            if frac < COVER:
                missed.append(f"{gc}: {doc} {anchor}")
    tp = fp = fn = cross_tp = cross_all = 0
    for (g1, d1, p1), (g2, d2, p2) in itertools.combinations(items, 2):
        if g1 != g2 and frozenset((g1, g2)) in gold.related:
            continue
        same_g, same_p = g1 == g2, p1 is not None and p1 == p2
        tp += same_g and same_p
        fn += same_g and not same_p
        fp += same_p and not same_g
        if same_g and d1 != d2:
            cross_all += 1
            cross_tp += same_p
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    hits = [
        f"{doc} {anchor}"
        for doc, anchor in gold.evidence
        if doc in texts and _best_cover(texts[doc], anchor, by_doc.get(doc, []))[0] >= COVER
    ]
    docs = set(gold.documents)
    in_gold = [p for p in predictions if p.document in docs]
    return Scores(
        gold_mentions=len(items),
        extraction_recall=round(sum(i[2] is not None for i in items) / len(items), 3) if items else 0.0,
        evidence_false_positives=len(hits),
        evidence_total=len(gold.evidence),
        pairwise_precision=round(precision, 3),
        pairwise_recall=round(recall, 3),
        pairwise_f1=round(f1, 3),
        cross_briefing_link_recall=round(cross_tp / cross_all, 3) if cross_all else None,
        predicted_mentions=len(in_gold),
        predicted_commitments=len({p.commitment for p in in_gold}),
        missed=tuple(missed),
        evidence_hits=tuple(hits),
    )


def gold_mentions(gold: Gold, documents: Iterable[Document]) -> list[Mention]:
    """One :class:`Mention` per gold anchor (first occurrence), dated from its document.

    Lets the matching stage be measured on perfect extraction: cluster these
    and :func:`score` the result.
    """
    docs = {d.id: d for d in documents}
    out = []
    for gc, mentions in gold.commitments:
        for doc_id, anchor in mentions:
            doc = docs.get(doc_id)
            start = doc.text.find(anchor) if doc else -1
            if doc is None or start < 0:
                raise DataError(f"gold: commitments: {gc}: anchor {anchor!r} not found in document {doc_id!r}")
            out.append(
                Mention(
                    source=doc_id,
                    start=start,
                    end=start + len(anchor),
                    quote=anchor,
                    text=anchor,
                    date=doc.sort_date,
                    briefing=doc.briefing_id,
                )
            )
    return out


def _read_gold_path(gold_path: str | os.PathLike[str]) -> Gold:
    gold_file = Path(gold_path)
    try:
        return read_gold(gold_file.read_text(encoding="utf-8-sig"), str(gold_file))
    except OSError as exc:
        raise DataError(f"{gold_file}: cannot read gold file ({exc.strerror}); check the path") from exc


def _load(docs: str | os.PathLike[str], use_manifest: bool) -> tuple[Document, ...]:
    """The documents of ``docs``; without the manifests (shipped and beside them) when not ``use_manifest``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = load_documents([docs], None if use_manifest else {})
    if not loaded.documents:
        raise DataError(f"{docs}: no documents could be loaded; expected a folder of .txt/.md briefings")
    return loaded.documents


def evaluate_dates(gold_path: str | os.PathLike[str], docs: str | os.PathLike[str], *, use_manifest: bool = True) -> DateScores:
    """Score the dates held found for the documents of ``docs`` against the gold's ``held:`` values.

    With ``use_manifest=False`` only front matter and the text itself give dates:
    this measures date inference (:mod:`policy_tracker.sources.dates`).
    """
    return score_dates(_read_gold_path(gold_path), _load(docs, use_manifest))


def evaluate_paths(
    gold_path: str | os.PathLike[str],
    docs: str | os.PathLike[str],
    ledger_path: str | os.PathLike[str] | None = None,
    *,
    anchors: bool = False,
    overrides: Mapping[str, float] | None = None,
    use_manifest: bool = True,
) -> Scores:
    """Score a ledger file, or a fresh in-memory ingest of ``docs``, against a gold file.

    ``anchors`` clusters the gold anchors themselves (perfect extraction: the
    figures measure matching alone).  ``overrides`` replaces thresholds of
    ``data/matching.yaml`` (``{"join": 50}``) for the fresh ingest or the
    anchors, so thresholds can be tuned on an annotated corpus.
    ``use_manifest=False`` ingests without any manifest (dates from the text only).
    """
    from .matching.cluster import cluster
    from .matching.config import MatchConfig
    from .matching.keys import load_vocabulary

    gold = _read_gold_path(gold_path)
    loaded = LoadResult(_load(docs, use_manifest))
    texts = {d.id: d.text for d in loaded.documents}
    config = MatchConfig.from_vocabulary(load_vocabulary(), **dict(overrides or {}))
    if anchors:
        clusters = cluster(gold_mentions(gold, loaded.documents), config=config)
        return score(gold, texts, predictions_from_clusters(clusters))
    from .ledger.ledger import Ledger  # the ledger stage builds on matching: import late

    if ledger_path is not None:
        return score(gold, texts, predictions_from(Ledger.load(ledger_path).commitments))
    ledger = Ledger()
    ledger.ingest(loaded.documents, cluster=functools.partial(cluster, config=config))
    return score(gold, texts, predictions_from(ledger.commitments))
