"""The learned pair scorer: a logistic model over :data:`~policy_tracker.features.FEATURE_NAMES`.

``score = 100 · σ(bias + Σ weight · feature)``: the probability, in percent,
that two mentions state the same pledge, as the labelled pairs of the gold
corpora taught it (``policy-tracker train``).  The weights, the bias and the
clustering thresholds tuned with them live in ``data/pair_model.yaml``:
readable, diffable, and replaceable by a user's own file through
``POLICY_TRACKER_DATA``.  ``scorer: rules`` in that file selects the older
hand-set sum (:func:`policy_tracker.match.rule_score`) instead.

:func:`fit` is plain Python (Newton's method with an L2 penalty): a few
thousand pairs and eighteen features need nothing more.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..errors import DataError
from .features import FEATURE_NAMES
from ..resources import load_table

__all__ = ["PairModel", "fit", "load_model"]

SCORERS = ("learned", "rules")


@attrs.frozen
class PairModel:
    """Weights (aligned with :data:`FEATURE_NAMES`), bias, and the thresholds tuned with them."""

    weights: tuple[float, ...]
    bias: float
    scorer: str = attrs.field(default="learned", validator=attrs.validators.in_(SCORERS))
    thresholds: Mapping[str, float] = attrs.field(factory=dict, converter=lambda d: dict(sorted(dict(d).items())))
    meta: Mapping[str, Any] = attrs.field(factory=dict, eq=False)

    def __attrs_post_init__(self) -> None:
        if len(self.weights) != len(FEATURE_NAMES):
            raise DataError(f"pair model: {len(self.weights)} weights for {len(FEATURE_NAMES)} features; retrain with `policy-tracker train`")

    @property
    def positive(self) -> tuple[float, ...]:
        """The most each feature can add to the logit (its weight where positive): bounds a pair's score."""
        return tuple(max(0.0, w) for w in self.weights)

    def logit(self, features: Sequence[float]) -> float:
        return self.bias + math.fsum(w * x for w, x in zip(self.weights, features, strict=True))

    def score(self, features: Sequence[float]) -> float:
        """100 · σ(logit): the model's probability, in percent, that the pair is one pledge."""
        return percent(self.logit(features))

    @classmethod
    def from_table(cls, table: Mapping[str, Any], where: str = "data/pair_model.yaml") -> PairModel:
        """Read the YAML mapping of ``data/pair_model.yaml`` (a DataError names what is wrong)."""
        if not isinstance(table, Mapping):
            raise DataError(f"{where}: expected a mapping with scorer, bias, weights, thresholds")
        scorer = str(table.get("scorer", "learned"))
        if scorer not in SCORERS:
            raise DataError(f"{where}: scorer: expected one of {', '.join(SCORERS)}; got {scorer!r}")
        raw = table.get("weights") or {}
        if not isinstance(raw, Mapping):
            raise DataError(f"{where}: weights: expected a mapping of feature: number")
        unknown = sorted(set(map(str, raw)) - set(FEATURE_NAMES))
        if unknown:
            raise DataError(f"{where}: weights: unknown feature(s) {', '.join(unknown)}; expected {', '.join(FEATURE_NAMES)}")
        try:
            weights = tuple(float(raw.get(name, 0.0)) for name in FEATURE_NAMES)
            bias = float(table.get("bias", 0.0))
            thresholds = {str(k): float(v) for k, v in (table.get("thresholds") or {}).items()}
        except (TypeError, ValueError) as exc:
            raise DataError(f"{where}: weights, bias and thresholds must be numbers ({exc})") from exc
        meta = {k: v for k, v in table.items() if k not in ("scorer", "weights", "bias", "thresholds")}
        return cls(weights, bias, scorer, thresholds, meta)

    def to_table(self) -> dict[str, Any]:
        """The YAML mapping :meth:`from_table` reads (weights rounded to 4 decimals)."""
        return {
            "scorer": self.scorer,
            "bias": round(self.bias, 4),
            "weights": {name: round(w, 4) for name, w in zip(FEATURE_NAMES, self.weights, strict=True)},
            "thresholds": {k: round(v, 2) for k, v in self.thresholds.items()},
            **dict(self.meta),
        }


def percent(z: float) -> float:
    """100 · σ(z), computed without overflow."""
    if z >= 0:
        return 100.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return 100.0 * e / (1.0 + e)


@functools.lru_cache(maxsize=4)
def load_model(extra: tuple[str, ...] = ()) -> PairModel:
    """The pair model of ``data/pair_model.yaml`` (cached)."""
    return PairModel.from_table(load_table("pair_model.yaml", extra) or {})


def fit(
    rows: Sequence[Sequence[float]], labels: Sequence[int], *, l2: float = 1.0, iterations: int = 25
) -> tuple[tuple[float, ...], float]:
    """Logistic regression by Newton's method: ``(weights, bias)`` maximising the L2-penalised likelihood.

    Deterministic (no random start, no sampling); the bias is not penalised.
    """
    n_features = len(FEATURE_NAMES)
    if not rows:
        raise DataError("training: no labelled pairs; give gold corpora whose documents are found")
    dim = n_features + 1
    beta = [0.0] * dim
    xs = [(*map(float, r), 1.0) for r in rows]
    for _ in range(iterations):
        grad = [0.0] * dim
        hess = [[0.0] * dim for _ in range(dim)]
        for x, y in zip(xs, labels, strict=True):
            z = math.fsum(b * v for b, v in zip(beta, x))
            p = percent(z) / 100.0
            g = y - p
            w = max(p * (1.0 - p), 1e-9)
            for i in range(dim):
                if x[i] == 0.0:
                    continue
                grad[i] += g * x[i]
                wi = w * x[i]
                row = hess[i]
                for j in range(i, dim):
                    if x[j] != 0.0:
                        row[j] += wi * x[j]
        for i in range(dim):
            for j in range(i):
                hess[i][j] = hess[j][i]
        for i in range(n_features):  # the penalty: -l2/2 · |w|²
            grad[i] -= l2 * beta[i]
            hess[i][i] += l2
        step = _solve(hess, grad)
        beta = [b + s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return tuple(beta[:n_features]), beta[n_features]


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """``a x = b`` by Gaussian elimination with partial pivoting (a is small and positive definite)."""
    n = len(b)
    m = [[*row, rhs] for row, rhs in zip(a, b)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        if abs(m[col][col]) < 1e-12:
            m[col][col] = 1e-12
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            if f:
                for c in range(col, n + 1):
                    m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - math.fsum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x
