"""The matcher's thresholds and weights: one home, ``thresholds`` in ``data/matching.yaml``.

Every field of :class:`MatchConfig` takes its default from that file (merged
with the user's own, see :mod:`policy_tracker.resources`), so ``MatchConfig()``,
:meth:`MatchConfig.from_vocabulary`, the incremental ingest and the
benchmarks all read the same values; no number is repeated in code.  A
field's ``metadata["yaml"]`` names its entry.
"""

from __future__ import annotations

from typing import Any

import attrs
from attrs import validators as v

from ..errors import DataError
from .keys import Vocabulary, load_vocabulary
from .scorer import PairModel, load_model


def _shipped(name: str) -> float:
    return load_vocabulary().threshold(name)


def _threshold(name: str, kind: type = float, *checks: Any) -> Any:
    """A field whose default is ``thresholds.<name>`` of data/matching.yaml (read when the config is made)."""
    return attrs.field(
        factory=lambda: kind(_shipped(name)),
        converter=kind,
        validator=[v.ge(0), *checks],
        metadata={"yaml": name},
    )


def _generic_heads() -> tuple[str, ...]:
    return load_vocabulary().generic_heads


def _goal_nouns() -> tuple[str, ...]:
    return load_vocabulary().goal_nouns


@attrs.frozen
class MatchConfig:
    """Scoring weights and thresholds (0–100 scale); each default is the entry of that name in data/matching.yaml.

    docs/matching.md says what each one does and how it was measured.
    """

    join: float = _threshold("join")
    agree: float = _threshold("agree")
    repeat: float = _threshold("repeat")
    prefilter: float = _threshold("prefilter")
    strong_bonus: float = _threshold("strong_bonus")
    strong_penalty: float = _threshold("strong_penalty")
    list_bonus: float = _threshold("list_bonus")
    topic_penalty: float = _threshold("topic_penalty")
    subject_penalty: float = _threshold("subject_penalty")
    same_briefing: float = _threshold("same_briefing")
    target_factor: float = _threshold("target_factor")
    target_penalty: float = _threshold("target_penalty")
    # targets counted in different measures (100个 vs 50家) are targets of different pledges
    unit_penalty: float = _threshold("unit_penalty")
    # a pledge confined to a region (在长三角地区X) is another pledge than X, or than X in another region
    scope_penalty: float = _threshold("scope_penalty")
    # list heads that say nothing about what a list is of (领域, 方面): generic_heads in data/matching.yaml
    generic_heads: tuple[str, ...] = attrs.field(factory=_generic_heads, converter=tuple, metadata={"yaml": "generic_heads"})
    programme_penalty: float = _threshold("programme_penalty")
    # a frame filled by this many recurring subjects is a template slot (policy_tracker.matching.templates; 0: off)
    template_fillers: int = _threshold("template_fillers", int)
    template_context: int = _threshold("template_context", int, v.ge(1))
    template_penalty: float = _threshold("template_penalty")
    # a named run found where two keys differ in this many places is a slot filler (policy_tracker.matching.fillers; 0: off)
    filler_places: int = _threshold("filler_places", int)
    # ... unless the two share a word that at most this many distinct keys hold (fillers.SlotFillers.distinctive_shared)
    filler_rare: int = _threshold("filler_rare", int)
    # a run made of fillers seen in this many places, on one side only, is a subject added (fillers.SlotFillers.inserted; 0: off)
    filler_inserted: int = _threshold("filler_inserted", int)
    # programme nouns that restate their goal (产业基础再造工程 = 产业基础再造): goal_family in data/matching.yaml
    goal_nouns: tuple[str, ...] = attrs.field(factory=_goal_nouns, converter=tuple, metadata={"yaml": "goal_family"})
    short_key: int = _threshold("short_key", int)
    short_substance: float = _threshold("short_substance", float, v.le(1))
    short_penalty: float = _threshold("short_penalty")
    kind_penalty: float = _threshold("kind_penalty")
    ratio_weight: float = _threshold("ratio_weight", float, v.le(1))
    max_postings: int = _threshold("max_postings", int, v.ge(2))
    min_shared: int = _threshold("min_shared", int, v.ge(1))
    rare_postings: int = _threshold("rare_postings", int)
    # each key's own rarest bigrams (this many) propose candidates however many keys hold them (rule.signature) ...
    own_rarest: int = _threshold("own_rarest", int)
    # ... two keys holding two of them are candidates when at most this many holders apart (rule.signature_tokens)
    signature_window: int = _threshold("signature_window", int, v.ge(1))
    top_k: int = _threshold("top_k", int)
    feature_cap: int = _threshold("feature_cap", int)
    agree_sample: int = _threshold("agree_sample", int)
    parallel_min: int = _threshold("parallel_min", int)
    max_workers: int = _threshold("max_workers", int)
    # evidence suggestions (Ledger.suggest_evidence) below this score are not shown
    suggest_min: float = _threshold("suggest_min")
    # the pair scorer: data/pair_model.yaml (scorer "rules" = rule_score, "learned" = its weights)
    model: PairModel = attrs.field(factory=load_model, eq=False, repr=False, metadata={"data": "pair_model.yaml"})

    @classmethod
    def from_vocabulary(cls, vocab: Vocabulary, scorer: str | None = None, **overrides: float) -> MatchConfig:
        """The thresholds of ``vocab`` (names as in data/matching.yaml), then ``overrides``.

        The pair scorer is data/pair_model.yaml's (``scorer`` = "learned" or "rules" overrides its
        choice); the learned one brings the clustering thresholds it was tuned with (join, agree …),
        which replace matching.yaml's unless overridden here.
        """
        known = {f.name for f in attrs.fields(cls)} - {"generic_heads", "goal_nouns", "model"}
        model = load_model() if scorer is None else attrs.evolve(load_model(), scorer=scorer)
        values: dict[str, float] = dict(vocab.thresholds)
        if model.scorer == "learned":
            values.update(model.thresholds)
        values.update(overrides)
        unknown = sorted(set(values) - known)
        if unknown:
            raise DataError(
                f"thresholds (data/matching.yaml or an override): unknown name(s) {', '.join(unknown)}; "
                f"expected {', '.join(sorted(known))}"
            )
        try:
            return cls(generic_heads=vocab.generic_heads, goal_nouns=vocab.goal_nouns, model=model, **values)  # type: ignore[arg-type]
        except ValueError as exc:  # attrs validators: "'name' must be >= 0: -1"
            raise DataError(f"thresholds (data/matching.yaml or an override): {exc}; fix the value") from exc
