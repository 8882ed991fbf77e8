"""Tests for policy_tracker.matching.candidates: bigram candidate index and rapidfuzz verification."""

from __future__ import annotations

import io
import random
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from policy_tracker.matching.candidates import CandidateIndex, all_pairs, link, link_new, verify
from policy_tracker.matching.keys import bigrams as grams
from policy_tracker.errors import DataError

KEYS = [
    "启动公共领域车辆全面电动化城市试点",
    "启动公共领域车辆全面电动化先行区试点",
    "开展好公共领域车辆全面电动化试点",
    "深入推进制造业数字化转型",
    "深入推进工业互联网创新发展",
    "着力稳住大宗消费",
]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("", set()),
        ("试", {"试"}),
        ("试点", {"试点"}),
        ("城市试点", {"城市", "市试", "试点"}),
        ("下乡下乡", {"下乡", "乡下"}),
    ],
)
def test_grams(key: str, expected: set[str]) -> None:
    """Keys are blocked on their distinct character bigrams; a one-character key is its own gram."""
    assert grams(key) == expected


def test_candidate_pairs_share_a_bigram() -> None:
    """Keys sharing a non-dropped bigram are candidates, ordered (i < j) and sorted."""
    pairs = CandidateIndex(KEYS).candidate_pairs()
    assert pairs == sorted(pairs)
    assert all(i < j for i, j in pairs)
    assert {(0, 1), (0, 2), (1, 2), (3, 4)} <= set(pairs)
    assert not any(5 in p for p in pairs)


def test_frequent_bigrams_are_dropped() -> None:
    """A bigram indexed by more than max_postings keys proposes no candidates."""
    keys = ["推进甲乙", "推进丙丁", "推进戊己"]
    assert CandidateIndex(keys, max_postings=3, min_shared=1).candidate_pairs() == [(0, 1), (0, 2), (1, 2)]
    index = CandidateIndex(keys, max_postings=2, min_shared=1)
    assert index.candidate_pairs() == []
    assert index.dropped() == ["推进"]


def test_pair_tokens_join_keys_sharing_only_frequent_bigrams() -> None:
    """Two keys sharing only frequent bigrams still meet through a pair token; one frequent bigram is not enough."""
    keys = ["新能甲示范", "新能乙示范", "新能丙", "丁示范", "新能戊", "己示范"]
    index = CandidateIndex(keys, max_postings=3, min_shared=1, pair_tokens=True)
    assert set(index.dropped()) == {"新能", "示范"}
    assert index.candidate_pairs() == [(0, 1)]
    assert CandidateIndex(keys, max_postings=3, min_shared=1).candidate_pairs() == []


def test_pair_tokens_do_not_depend_on_insertion_order() -> None:
    """Pair tokens added when a bigram crosses the cap equal those of keys added afterwards."""
    keys = ["新能甲示范", "新能乙示范", "新能丙", "丁示范", "新能戊", "己示范", "新能庚示范"]
    forward = CandidateIndex(keys, max_postings=3, min_shared=1, pair_tokens=True)
    assert forward.candidate_pairs() == [(0, 1), (0, 6), (1, 6)]
    assert forward.query("新能辛示范") == [0, 1, 6]


@pytest.mark.parametrize(
    ("keys", "min_shared", "expected"),
    [
        (["甲乙丙丁戊", "乙丙丁戊己", "甲乙庚辛壬"], 1, [(0, 1), (0, 2)]),
        (["甲乙丙丁戊", "乙丙丁戊己", "甲乙庚辛壬"], 3, [(0, 1)]),
        (["甲乙丙丁戊", "乙丙丁戊己", "甲乙庚辛壬"], 4, []),
        (["甲乙丙丁戊", "甲乙"], 2, [(0, 1)]),
        (["甲乙", "甲乙丙丁戊"], 2, [(0, 1)]),
    ],
)
def test_min_shared(keys: list[str], min_shared: int, expected: list[tuple[int, int]]) -> None:
    """min_shared distinct bigrams must be shared, or all of a shorter key's bigrams."""
    assert CandidateIndex(keys, min_shared=min_shared, rare_postings=0, own_rarest=0).candidate_pairs() == expected


@pytest.mark.parametrize(("rare_postings", "expected"), [(0, []), (1, []), (2, [(0, 2)])])
def test_one_rare_bigram_is_enough(rare_postings: int, expected: list[tuple[int, int]]) -> None:
    """A bigram held by at most rare_postings keys makes its holders candidates on its own."""
    keys = ["甲乙丙丁戊", "己庚辛壬癸", "子丑丙丁寅"]
    assert CandidateIndex(keys, min_shared=2, rare_postings=rare_postings, own_rarest=0).candidate_pairs() == expected


@pytest.mark.parametrize(("kwargs", "field"), [({"max_postings": 1}, "max_postings"), ({"min_shared": 0}, "min_shared")])
def test_bad_parameters(kwargs: dict[str, int], field: str) -> None:
    """Parameters that make blocking meaningless are refused with the field named."""
    with pytest.raises(ValueError, match=field):
        CandidateIndex(**kwargs)


def test_query_before_limits_to_earlier_keys() -> None:
    """query(before=k) returns only positions below k; without it, every candidate."""
    index = CandidateIndex(KEYS)
    assert index.query("启动公共领域车辆电动化") == [0, 1, 2]
    assert index.query("启动公共领域车辆电动化", before=1) == [0]


def test_verify_keeps_pairs_at_or_above_cutoff() -> None:
    """verify scores candidate groups and keeps (i, j, score) at or above the cutoff, sorted."""
    linked = verify([(0, [1, 2, 5])], KEYS, cutoff=78)
    assert [(i, j) for i, j, _ in linked] == [(0, 1), (0, 2)]
    assert linked[0][2] == pytest.approx(fuzz.ratio(KEYS[0], KEYS[1]))


def test_link_matches_all_pairs_on_small_input() -> None:
    """On a small input blocked linking finds the same links as all-pairs scoring."""
    assert link(KEYS, cutoff=70) == all_pairs(KEYS, cutoff=70)


def test_link_new_scores_only_new_keys() -> None:
    """Adding keys links each new key to earlier keys only, as batch linking would."""
    index = CandidateIndex(KEYS[:3])
    added = link_new(index, ["深入推进制造业数字化转型", "启动公共领域车辆电动化城市试点"], cutoff=70)
    assert {(i, j) for i, j, _ in added} == {(4, 0), (4, 1), (4, 2)}
    batch = {(j, i) for i, j, _ in link([*KEYS[:3], "深入推进制造业数字化转型", "启动公共领域车辆电动化城市试点"], cutoff=70) if j >= 3}
    assert {(i, j) for i, j, _ in added} == batch


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="推进制造业数字化转型试点城市", min_size=0, max_size=12), max_size=25),
    st.sampled_from([2, 4, 10_000]),
)
def test_query_equals_batch(keys: list[str], cap: int) -> None:
    """query(key_i, before=i) on the built index gives exactly the batch candidates, whatever the cap."""
    index = CandidateIndex(keys, max_postings=cap, min_shared=1, pair_tokens=True)
    batch = set(index.candidate_pairs())
    gs = [grams(k) for k in keys]
    count = {g: sum(g in x for x in gs) for x in gs for g in x}
    frequent = [{g for g in x if count[g] > cap} for x in gs]
    holders = {}
    for i, f in enumerate(frequent):
        for pair in combinations(sorted(f), 2):
            holders[pair] = holders.get(pair, 0) + 1

    def defined(i: int, j: int) -> bool:
        if any(count[g] <= cap for g in gs[i] & gs[j]):
            return True
        return any(holders[p] <= cap for p in combinations(sorted(frequent[i] & frequent[j]), 2))

    assert batch == {(i, j) for i in range(len(keys)) for j in range(i + 1, len(keys)) if defined(i, j)}
    incremental = {(j, i) for i, key in enumerate(keys) for j in index.query(key, before=i)}
    assert batch == incremental


def test_blocked_recall_on_restatements() -> None:
    """Blocking keeps every link all-pairs finds among lightly edited restatements."""
    rng = random.Random(7)
    alphabet = "推进制造业数字化转型深入开展新能源汽车下乡活动加快落实促进消费政策工业互联网"
    keys = []
    for _ in range(60):
        base = "".join(rng.choice(alphabet) for _ in range(rng.randint(10, 24)))
        keys.append(base)
        keys.append(base[: len(base) // 2] + "持续" + base[len(base) // 2 :])
    exact = {(i, j) for i, j, _ in all_pairs(keys, cutoff=80)}
    blocked = {(i, j) for i, j, _ in link(keys, cutoff=80, max_postings=500)}
    assert exact <= blocked


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.text(alphabet="推进制造业数字化转型试点", min_size=0, max_size=8), max_size=25),
    st.sampled_from([2, 3]),
    st.sampled_from([3, 10_000]),
    st.sampled_from([0, 2]),
    st.sampled_from([0, 1, 3]),
    st.sampled_from([1, 2, 100]),
)
def test_min_shared_matches_definition(keys: list[str], min_shared: int, cap: int, rare: int, own: int, window: int) -> None:
    """Candidates share min(min_shared, bigrams of either key) usable bigrams, or one rare one, or hold two frequent
    bigrams of both signatures (the own bigrams held by 2+ keys, fewest holders first) at most ``window`` apart among
    the keys holding those two, in batch and by query."""
    index = CandidateIndex(keys, max_postings=cap, min_shared=min_shared, rare_postings=rare, own_rarest=own, signature_window=window)
    gs = [grams(k) for k in keys]
    count = {g: sum(g in x for x in gs) for x in gs for g in x}
    signature = [sorted((g for g in x if count[g] > 1), key=lambda g: (count[g], g))[:own] for x in gs]

    def tokens(i: int) -> set[tuple[str, ...]]:
        frequent = sorted(g for g in signature[i] if count[g] > rare)
        if len(signature[i]) == 1:
            return {(g,) for g in frequent}
        return {(a, b) for a in frequent for b in frequent if a < b}

    held = [tokens(i) for i in range(len(keys))]

    def defined(i: int, j: int) -> bool:
        for t in held[i] & held[j]:
            holders = [k for k in range(len(keys)) if t in held[k]]
            if holders.index(j) - holders.index(i) <= window:
                return True
        shared = [g for g in gs[i] & gs[j] if count[g] <= cap]
        if any(count[g] <= rare for g in shared):
            return True
        return len(shared) >= 1 and len(shared) >= min(min_shared, len(gs[i]), len(gs[j]))

    expected = {(i, j) for i in range(len(keys)) for j in range(i + 1, len(keys)) if defined(i, j)}
    assert set(index.candidate_pairs()) == expected
    assert {(j, i) for i, key in enumerate(keys) for j in index.query(key, before=i)} == expected


def test_index_round_trip() -> None:
    """An index written and read back has the same keys, options and candidates."""
    index = CandidateIndex(KEYS, max_postings=3, min_shared=1, pair_tokens=True)
    stream = io.StringIO()
    index.write(stream)
    stream.seek(0)
    again = CandidateIndex.read(stream)
    assert list(again.keys) == KEYS
    assert again.options() == index.options()
    assert again.candidate_pairs() == index.candidate_pairs()


@pytest.mark.parametrize(
    ("text", "message"),
    [("not json\n", "not a candidate index"), ('{"format": "policy-tracker candidate index 1", "keys": 3}\na\n', "truncated")],
)
def test_index_read_errors(text: str, message: str) -> None:
    """A file that is not an index, or is truncated, is refused with the file named."""
    with pytest.raises(DataError, match=f"idx.txt.*{message}"):
        CandidateIndex.read(io.StringIO(text), "idx.txt")


def test_blocked_recall_on_synthetic_corpus() -> None:
    """On 2,000 synthetic pledges blocking keeps ≥ 99% of the ratio ≥ 70 links with under a fifth of the pairs."""
    from tests.benchmarks.generate import generate
    from tests.benchmarks.run import matching_keys

    keys = matching_keys(m.text for m in generate(2000, seed=2).mentions)
    exact = {(i, j) for i, j, _ in all_pairs(keys, cutoff=70)}
    index = CandidateIndex(keys)
    candidates = sum(len(js) for _, js in index.candidates())
    blocked = {(i, j) for i, j, _ in verify(index.candidates(), keys, cutoff=70)}
    assert len(exact & blocked) >= 0.99 * len(exact)
    assert candidates < 0.2 * len(keys) * (len(keys) - 1) / 2


def test_own_rarest_bigrams_keep_restatements_together_past_the_caps() -> None:
    """With own_rarest, keys made only of bigrams above both caps still meet their restatements; unrelated keys do not."""
    common = ["新能源汽车产业集群", "数据中心优秀解决方案", "工业互联网标杆示范", "北斗产业链对接活动"] * 30
    keys = [*common, "新能源汽车产业集群培育", "区块链典型案例征集"]
    plain = CandidateIndex(keys, max_postings=20, min_shared=2, rare_postings=10, own_rarest=0)
    own = CandidateIndex(keys, max_postings=20, min_shared=2, rare_postings=10, own_rarest=2)
    assert dict(plain.candidates()) == {}
    found = dict(own.candidates())
    assert found[0][:3] == [4, 8, 12]  # the same pledge, stated again
    assert all(keys[j] in (keys[0], "新能源汽车产业集群培育") for j in found[0])
    assert len(keys) - 1 not in {j for js in found.values() for j in js}  # 区块链…: its bigrams are its own
    assert own.options()["own_rarest"] == 2


def test_own_rarest_query_agrees_with_candidates() -> None:
    """query(key, before=i) gives key i the candidates before it that candidates() pairs it with."""
    keys = ["新能源汽车产业集群", "数据中心优秀解决方案", "新能源汽车产业集群培育"] * 15
    index = CandidateIndex(keys, max_postings=5, min_shared=2, rare_postings=3, own_rarest=2)
    pairs = {(i, j) for i, js in index.candidates() for j in js}
    for j in range(len(keys)):
        assert index.query(keys[j], before=j) == sorted(i for i, k in pairs if k == j)
