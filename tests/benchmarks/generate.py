"""Synthetic MIIT briefing corpus with planted commitments, for scale benchmarks.

The generator recombines the parts in ``vocabulary.yaml`` (sectors, programme
nouns, stage ladders, targets, deadlines) into pledge clauses and writes dated
briefing articles in the layout of the real ones (``下一步，工信部将…``,
``一是…。…；…``, speakers, past-tense progress paragraphs).  Commitments are
restated across later briefings with the edits real restatements show: a verb
moving along its stage ladder (研究制定 → 出台 → 落实), openings added or
dropped, list items reordered or dropped, abbreviations (车购税), changed
targets and deadlines, Traditional characters in some outlets.  Unrelated
commitments share sectors and programme nouns, as real ones do.

Which clauses state the same commitment is recorded as a gold file in the
seed-gold format (``documents`` + ``commitments: {id: {mentions: [[doc,
anchor], …]}}``), so ``/work/shared/tools/score_gold.py`` applies unchanged.

Deterministic: the same seed and size give byte-identical documents and gold.

    python -m tests.benchmarks.generate --mentions 1000 --seed 1 OUT_DIR
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import yaml

from policy_tracker.resources import load_table

VOCABULARY = Path(__file__).with_name("vocabulary.yaml")
KINDS = ("policy", "programme", "general")


@attrs.frozen
class PlantedMention:
    """One planted pledge clause: ``document text[start:end] == text``."""

    document: str
    start: int
    end: int
    cluster: str
    text: str


@attrs.frozen
class SyntheticDocument:
    """One generated article and the pledge clauses planted in it."""

    id: str
    text: str
    held: dt.date
    outlet: str
    briefing: str
    traditional: bool
    mentions: tuple[PlantedMention, ...]


@attrs.frozen
class Corpus:
    """Generated documents in chronological order."""

    documents: tuple[SyntheticDocument, ...]

    @property
    def mentions(self) -> tuple[PlantedMention, ...]:
        return tuple(m for d in self.documents for m in d.mentions)

    def gold(self) -> dict[str, Any]:
        """The planted clusters in the seed-gold format (clusters in order of first mention)."""
        clusters: dict[str, list[list[str]]] = {}
        for m in self.mentions:
            clusters.setdefault(m.cluster, []).append([m.document, m.text])
        return {
            "documents": {
                d.id: {"event": f"synthetic briefing {d.briefing}", "held": d.held.isoformat(), "outlet": d.outlet, "published": d.held.isoformat()}
                for d in self.documents
            },
            "commitments": {c: {"mentions": ms} for c, ms in clusters.items()},
        }

    def manifest(self) -> dict[str, Any]:
        """A briefing manifest (``briefings.yaml``) for the documents."""
        return {
            "documents": {
                d.id: {"briefing": d.briefing, "held": d.held.isoformat(), "kind": "press_conference", "outlet": d.outlet, "published": d.held.isoformat()}
                for d in self.documents
            }
        }


def load_vocabulary(path: Path = VOCABULARY) -> dict[str, Any]:
    """The generator's vocabulary, with the project's aliases (``data/aliases.yaml``) merged in."""
    with path.open(encoding="utf-8") as fh:
        vocab: dict[str, Any] = yaml.safe_load(fh)
    aliases = dict(vocab.get("aliases") or {})
    try:
        project = (load_table("aliases.yaml") or {}).get("aliases") or {}
    except Exception:  # noqa: BLE001 - the benchmark runs without the matching stage's table too
        project = {}
    for canonical, variants in project.items():
        for v in variants or ():
            if isinstance(v, str) and any("\u4e00" <= ch <= "\u9fff" for ch in v) and canonical not in aliases:
                aliases[str(canonical)] = v
    vocab["aliases"] = aliases
    return vocab


@attrs.define
class _Commitment:
    """A planted commitment and its current wording state (it evolves as it is restated)."""

    id: str
    form: str  # single | list | pair | target
    kind: str
    parts: tuple[str, ...]
    stage: int
    opener: str = ""
    scope: str = ""
    number: int = 0
    deadline: str = ""
    remaining: int = 1


class Generator:
    """A stream of briefings; :meth:`document` produces the next one."""

    def __init__(self, seed: int = 0, vocabulary: Mapping[str, Any] | None = None) -> None:
        self.rng = random.Random(seed)
        self.vocab = dict(vocabulary or load_vocabulary())
        v = self.vocab
        self.sectors: list[str] = list(v["sectors"])
        # A few sectors are talked about far more than others (Zipf-like).
        self.sector_weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(self.sectors))]
        self.to_traditional = str.maketrans(v["simplified"], v["traditional"])
        people = (load_table("speakers.yaml") or {}).get("people") or {}
        self.speakers: list[tuple[str, str]] = [(str(n), str(r)) for n, r in people.items()] or [
            (n, "工业和信息化部新闻发言人") for n in v["speakers_fallback"]
        ]
        self.active: list[_Commitment] = []
        self.used: set[tuple[str, ...]] = set()
        self.count = 0
        self.day = dt.date(2015, 1, 8)
        self.briefing_no = 0
        self.last_pledges: list[_Commitment] = []

    # -- commitments -------------------------------------------------------
    def _sector(self) -> str:
        return self.rng.choices(self.sectors, self.sector_weights)[0]

    def _new_commitment(self) -> _Commitment:
        rng, v = self.rng, self.vocab
        for _ in range(1000):
            roll = rng.random()
            kind = rng.choice(KINDS)
            if roll < 0.5:
                form, parts = "single", (self._sector(), rng.choice(v["nouns"][kind]))
                scope = rng.choice(v["scopes"]) if rng.random() < 0.25 else ""
                ident: tuple[str, ...] = (form, scope, *parts)
            elif roll < 0.62:
                kind = "programme"
                items = tuple(rng.sample(self.sectors[:30], rng.randint(2, 4)))
                form, parts, scope = "list", (*items, rng.choice(v["nouns"]["programme"])), ""
                ident = (form, *sorted(items), parts[-1])
            elif roll < 0.82:
                a, b = self._sector(), self._sector()
                if a == b:
                    continue
                form, parts, scope = "pair", (rng.choice(v["pair_templates"]), a, b), ""
                ident = (form, *parts)
            else:
                form, parts, scope = "target", (rng.choice(v["targets"]), self._sector(), rng.choice(v["target_units"])), ""
                ident = (form, *parts)
            if ident in self.used:
                continue
            self.used.add(ident)
            c = _Commitment(
                id=f"c{len(self.used):06d}",
                form=form,
                kind=kind,
                parts=parts,
                stage=rng.randint(0, 3),
                opener=rng.choice(v["openers"]) if rng.random() < 0.3 else "",
                scope=scope,
                number=rng.choice(v["target_numbers"]),
                deadline=rng.choice(v["deadlines"]),
                # restated 1 + geometric times: most pledges a few times, some for years
                remaining=1 + min(int(rng.expovariate(0.45)), 20),
            )
            return c
        raise RuntimeError("vocabulary exhausted: add sectors or nouns to tests/benchmarks/vocabulary.yaml")

    def _restate(self, c: _Commitment) -> None:
        """Evolve a commitment's wording the way restatements do."""
        rng, v = self.rng, self.vocab
        ladder = v["ladders"][c.kind]
        r = rng.random()
        if r < 0.45:
            c.stage = min(c.stage + 1, len(ladder) - 1)
        elif r < 0.6:
            c.stage = max(c.stage - 1, 0)
        if rng.random() < 0.3:
            c.opener = "" if c.opener else rng.choice(v["openers"])
        if c.form == "list" and rng.random() < 0.4:
            items = list(c.parts[:-1])
            rng.shuffle(items)
            c.parts = (*items, c.parts[-1])
        if c.form == "target":
            if rng.random() < 0.3:
                nums = v["target_numbers"]
                k = nums.index(c.number) + rng.choice((-1, 1))
                c.number = nums[min(max(k, 0), len(nums) - 1)]
            if rng.random() < 0.2:
                c.deadline = rng.choice(v["deadlines"])

    def _render(self, c: _Commitment) -> str:
        rng, v = self.rng, self.vocab
        verb = v["ladders"][c.kind][c.stage]
        if c.form == "single":
            text = f"{c.scope}{c.opener}{verb}{c.parts[0]}{c.parts[1]}"
        elif c.form == "list":
            items = list(c.parts[:-1])
            if len(items) >= 3 and rng.random() < 0.15:
                del items[rng.randrange(len(items))]
            text = f"{c.opener}{verb}{'、'.join(items)}{c.parts[-1]}"
        elif c.form == "pair":
            template, a, b = c.parts
            text = c.opener + template.format(a=a, b=b)
        else:
            template, sector, unit = c.parts
            text = template.format(d=c.deadline, n=c.number, u=unit, s=sector)
        if rng.random() < 0.3:
            for long, short in v["aliases"].items():
                if long in text:
                    text = text.replace(long, short)
                    break
        return text

    def _pick(self, n: int, exclude: Sequence[_Commitment] = ()) -> list[_Commitment]:
        """The commitments one briefing states: mostly restatements of active ones, some new."""
        rng = self.rng
        skip = {c.id for c in exclude}
        pool = [c for c in self.active if c.id not in skip] if skip else self.active
        n_old = min(len(pool), int(n * 0.65))
        old = rng.sample(pool, n_old) if n_old else []
        for c in old:
            c.remaining -= 1
            self._restate(c)
        self.active = [c for c in self.active if c.remaining > 0]
        new = [self._new_commitment() for _ in range(n - n_old)]
        self.active.extend(new)
        chosen = old + new
        rng.shuffle(chosen)
        return chosen

    # -- documents ---------------------------------------------------------
    def document(self, n_mentions: int) -> SyntheticDocument:
        """The next article: a new briefing, or (sometimes) another outlet's report of the last one."""
        rng, v = self.rng, self.vocab
        same_briefing = bool(self.last_pledges) and rng.random() < 0.2
        if same_briefing:
            pledges = rng.sample(self.last_pledges, min(n_mentions, len(self.last_pledges)))
            if len(pledges) < n_mentions:
                pledges += self._pick(n_mentions - len(pledges), exclude=pledges)
        else:
            self.day += dt.timedelta(days=rng.randint(1, 4))
            self.briefing_no += 1
            pledges = self._pick(n_mentions)
            self.last_pledges = pledges
        traditional = rng.random() < 0.1
        outlet = rng.choice(v["outlets"]["traditional" if traditional else "simplified"])
        self.count += 1
        doc_id = f"syn{self.count:06d}"
        clauses = [(c.id, self._render(c)) for c in pledges]
        text, spans = self._layout(clauses, outlet)
        if traditional:
            text = text.translate(self.to_traditional)
        mentions = tuple(
            PlantedMention(doc_id, s, e, cid, text[s:e]) for (cid, _), (s, e) in zip(clauses, spans, strict=True)
        )
        return SyntheticDocument(doc_id, text, self.day, outlet, f"b{self.briefing_no:06d}", traditional, mentions)

    def _layout(self, clauses: Sequence[tuple[str, str]], outlet: str) -> tuple[str, list[tuple[int, int]]]:
        """The article text and each clause's span in it."""
        rng, v = self.rng, self.vocab
        day = self.day
        period = {1: f"{day.year - 1}年全年", 4: f"{day.year}年一季度", 7: f"{day.year}年上半年", 10: f"{day.year}年前三季度"}.get(
            day.month, f"{day.year}年以来"
        )
        head = rng.choice(clauses)[1] if clauses else "工业经济"
        out: list[str] = [
            f"# 工信部：{head}\n**{outlet}**\n\n**{day.isoformat()} {rng.randint(8, 21):02d}:{rng.randint(0, 59):02d}**\n\n",
            f"{day.month}月{day.day}日，国新办举行新闻发布会，工信部相关负责人介绍{period}工业和信息化发展情况，并答记者问。\n\n",
        ]
        size = sum(map(len, out))
        spans: list[tuple[int, int]] = []

        def emit(piece: str) -> None:
            nonlocal size
            out.append(piece)
            size += len(piece)

        def emit_clause(text: str) -> None:
            spans.append((size, size + len(text)))
            emit(text)

        i = 0
        numerals = "一二三四五六七八九十"
        while i < len(clauses):
            emit(self._evidence() + "\n\n")
            name, role = rng.choice(self.speakers)
            group = clauses[i : i + rng.randint(3, 6)]
            i += len(group)
            if rng.random() < 0.5:
                emit(f"{role}{name}表示，下一步，工信部将")
                for k, (_, c) in enumerate(group):
                    emit_clause(c)
                    emit("。\n\n" if k == len(group) - 1 else "，")
            else:
                emit(f"{name}指出，下一步，工信部将重点做好以下工作：\n\n")
                items = [group[k : k + 2] for k in range(0, len(group), 2)]
                # a section heading (一是强化政策引导。…) in some lists, the pledge itself (一是…，…。) in most
                headings = rng.sample(v["headings"], len(items)) if rng.random() < 0.25 else None
                for n, item in enumerate(items):
                    emit(f"{numerals[n]}是{headings[n]}。" if headings else f"{numerals[n]}是")
                    for k, (_, c) in enumerate(item):
                        emit_clause(c)
                        emit("。\n\n" if k == len(item) - 1 else ("；" if headings else "，"))
        return "".join(out), spans

    def _evidence(self) -> str:
        rng, v = self.rng, self.vocab
        nouns = v["nouns"]["programme"]
        sentences = [
            rng.choice(v["evidence"]).format(s=self._sector(), x=rng.choice(nouns), n=rng.randint(2, 900), p=rng.randint(2, 40))
            for _ in range(rng.randint(1, 3))
        ]
        return "。".join(sentences) + "。"

    def documents(self, n_mentions: int, per_document: tuple[int, int] = (30, 50)) -> Iterator[SyntheticDocument]:
        """Documents until exactly ``n_mentions`` clauses are planted."""
        planted = 0
        while planted < n_mentions:
            k = min(self.rng.randint(*per_document), n_mentions - planted)
            doc = self.document(k)
            planted += len(doc.mentions)
            yield doc


def generate(n_mentions: int, seed: int = 0) -> Corpus:
    """A corpus of dated briefings holding exactly ``n_mentions`` planted pledge clauses."""
    return Corpus(tuple(Generator(seed).documents(n_mentions)))


def dump_yaml(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


def write(corpus: Corpus, folder: str | Path) -> Path:
    """Write the documents (``<id>.txt``), ``briefings.yaml`` and ``gold.yaml`` into ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for d in corpus.documents:
        (out / f"{d.id}.txt").write_text(d.text, encoding="utf-8")
    (out / "briefings.yaml").write_text(dump_yaml(corpus.manifest()), encoding="utf-8")
    (out / "gold.yaml").write_text(dump_yaml(corpus.gold()), encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="output folder (created)")
    parser.add_argument("--mentions", type=int, default=1000, help="planted pledge clauses (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    corpus = generate(args.mentions, args.seed)
    write(corpus, args.folder)
    sys.stdout.write(
        f"{len(corpus.documents)} documents, {len(corpus.mentions)} planted mentions, "
        f"{len({m.cluster for m in corpus.mentions})} commitments -> {args.folder}\n"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
