"""Tests for policy_tracker.matching.candidates_numpy: posting lists scored as blocks with process.cdist (numpy), against the key-by-key path."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from policy_tracker.matching import candidates_numpy as blocks
from policy_tracker.matching.candidates import CandidateIndex, link
from policy_tracker.matching.keys import bigrams as grams
from policy_tracker.matching.candidates_numpy import candidate_arrays, link_blocks


def _brute_force(keys: list[str], cap: int, cutoff: float, scorer: object = fuzz.ratio) -> set[tuple[int, int]]:
    """Pairs sharing a bigram held by at most ``cap`` keys and scoring ≥ cutoff, by enumeration."""
    gs = [grams(k) for k in keys]
    count: dict[str, int] = {}
    for x in gs:
        for g in x:
            count[g] = count.get(g, 0) + 1
    return {
        (i, j)
        for i in range(len(keys))
        for j in range(i + 1, len(keys))
        if any(count[g] <= cap for g in gs[i] & gs[j]) and scorer(keys[i], keys[j]) >= cutoff  # type: ignore[operator]
    }


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="推进制造业数字化转型试点𠀀a", min_size=0, max_size=12), max_size=30),
    st.sampled_from([2, 4, 10_000]),
    st.sampled_from([50.0, 70.0, 90.0]),
)
def test_link_blocks_finds_exactly_the_pairs_blocking_defines(keys: list[str], cap: int, cutoff: float) -> None:
    """The numpy block path returns every pair sharing a usable bigram that reaches the cutoff, once, sorted, and nothing else."""
    pytest.importorskip("numpy")

    rows, cols, scores = link_blocks(keys, cutoff=cutoff, max_postings=cap)
    pairs = list(zip(rows.tolist(), cols.tolist(), strict=True))
    assert pairs == sorted(set(pairs))
    assert set(pairs) == _brute_force(keys, cap, cutoff)
    for (i, j), s in zip(pairs, scores.tolist(), strict=True):
        assert s == pytest.approx(fuzz.ratio(keys[i], keys[j]), abs=1e-4)


def test_link_blocks_with_another_scorer_skips_the_length_bound() -> None:
    """The length bound holds for fuzz.ratio only: with partial_ratio a short key still meets a long one containing it."""
    pytest.importorskip("numpy")

    keys = ["数字化转型", "深入推进制造业数字化转型城市试点工作方案", "工业互联网"]
    rows, cols, _ = link_blocks(keys, scorer=fuzz.partial_ratio, cutoff=90)
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == [(0, 1)]
    assert _brute_force(keys, 1000, 90, fuzz.partial_ratio) == {(0, 1)}


def test_link_is_the_same_with_and_without_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """link(min_shared=1) gives identical pairs and scores by posting-list blocks (numpy) and key by key, in one or two processes."""
    pytest.importorskip("numpy")

    rng = random.Random(3)
    alphabet = "推进制造业数字化转型深入开展新能源汽车下乡活动加快落实促进消费政策工业互联网"
    keys = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 20))) for _ in range(5000)]
    keys += [k[:-1] + "型" for k in keys[:500]]
    with_numpy = link(keys, cutoff=60, max_postings=300, min_shared=1, workers=2)
    monkeypatch.setattr(blocks, "has_numpy", lambda: False)
    assert link(keys, cutoff=60, max_postings=300, min_shared=1) == with_numpy
    assert link(keys, cutoff=60, max_postings=300, min_shared=1, workers=2) == with_numpy
    assert len(with_numpy) > 500


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.text(alphabet="推进制造业数字化转型试点", min_size=0, max_size=9), max_size=30),
    st.sampled_from([1, 2, 3]),
    st.sampled_from([3, 6, 10_000]),
    st.sampled_from([0, 2]),
    st.sampled_from([0, 1, 3]),
    st.sampled_from([20.0, 50.0]),
    st.sampled_from([0, 1, 3, 4]),
    st.sampled_from([1, 2, 100]),
    st.sampled_from([50_000, 4]),
)
def test_candidate_arrays_equal_index_plus_extract(
    keys: list[str], min_shared: int, cap: int, rare: int, top_k: int, cutoff: float, own_rarest: int, window: int, span: int
) -> None:
    """candidate_arrays gives, row by row, exactly process.extract over CandidateIndex's candidates: pairs, ratios and
    order (signature tokens and their windows too, in one task or several)."""
    pytest.importorskip("numpy")
    from rapidfuzz import process


    index = CandidateIndex(keys, max_postings=cap, min_shared=min_shared, rare_postings=rare, own_rarest=own_rarest, signature_window=window)
    expected = [
        (i, js[k], score)
        for i, js in index.candidates()
        for _, score, k in process.extract(keys[i], [keys[j] for j in js], scorer=fuzz.ratio, score_cutoff=cutoff, limit=top_k or None)
    ]
    rows, cols, ratios = candidate_arrays(
        keys,
        cutoff=cutoff,
        max_postings=cap,
        min_shared=min_shared,
        rare_postings=rare,
        own_rarest=own_rarest,
        signature_window=window,
        top_k=top_k,
        span=span,
    )
    assert list(zip(rows.tolist(), cols.tolist(), ratios.tolist(), strict=True)) == expected


def test_candidate_arrays_windows_agree_with_index_past_the_caps() -> None:
    """Keys whose bigrams all pass the caps meet only through signature windows, and both backends draw the same windows."""
    pytest.importorskip("numpy")
    from rapidfuzz import process

    rng = random.Random(3)
    words = ["卫星互联网", "虚拟现实", "基础软件", "新型显示", "消费电子"]
    keys = ["".join(rng.sample(words, 3)) + rng.choice(["揭榜挂帅项目", "典型案例征集"]) for _ in range(120)]
    options = {"max_postings": 4, "min_shared": 2, "rare_postings": 2, "own_rarest": 4, "signature_window": 2}
    index = CandidateIndex(keys, **options)
    found = dict(index.candidates())
    assert found and max(len(js) for js in found.values()) <= 2 * 6  # C(4, 2) tokens, two holders after the key in each
    expected = [
        (i, js[k], score) for i, js in found.items() for _, score, k in process.extract(keys[i], [keys[j] for j in js], scorer=fuzz.ratio, score_cutoff=20, limit=None)
    ]
    rows, cols, ratios = candidate_arrays(keys, cutoff=20, top_k=0, span=7, **options)
    assert list(zip(rows.tolist(), cols.tolist(), ratios.tolist(), strict=True)) == expected
