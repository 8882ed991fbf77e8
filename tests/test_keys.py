"""Tests for policy_tracker.matching.keys: matching keys keep the substance, drop the manner."""

from __future__ import annotations

import importlib.util

import pytest

from policy_tracker.errors import DataError
from policy_tracker.matching.keys import chinese_count, key_of_text, normalise_numbers, vocabulary_from


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("加快推进公共领域车辆全面电动化试点", "开展好公共领域车辆全面电动化试点"),
        ("研究制定工业互联网高质量发展指导意见", "出台推动工业互联网高质量发展指导意见"),
        ("积极推进5G网络建设", "加快5G网络建设"),
        ("落实落细车购税减免等优惠政策", "落实车辆购置税减免优惠政策"),
        ("推广“骚扰电话拒接”服务", "推广来电免打扰服务"),
        ("下一步，大力培育地方特色食品产业", "培育地方特色食品产业"),
        ("今年推动不少于3000家企业建设5G工厂", "推动企业建设5G工厂"),
        ("会议强调要培育壮大先进制造业集群", "培育壮大先进制造业集群"),
        ("提出要优化传统产业", "优化传统产业"),
        ("部长也在多个场合表示要大力发展未来产业", "发展未来产业"),
        ("首要任务是科学规划“十五五”蓝图", "科学规划“十五五”蓝图"),
        pytest.param(
            "大力推動6G技術研究",
            "加快6G技术研究",
            marks=pytest.mark.skipif(
                importlib.util.find_spec("policy_tracker.extraction.normalize") is None, reason="needs normalize.fold"
            ),
        ),
    ],
)
def test_same_substance_same_core(a: str, b: str) -> None:
    """Generic verbs, adverbs, aliases, quantities and script differences do not change the core."""
    assert key_of_text(a).core == key_of_text(b).core


@pytest.mark.parametrize(
    ("text", "strong"),
    [
        ("深入推进消费品、原材料“三品”行动", ("增品种提品质创品牌",)),
        ("持续开展工业行业“增品种、提品质、创品牌”行动", ("增品种提品质创品牌",)),
        ("加快落实《电子信息制造业2023—2024年稳增长行动方案》", ("电子信息制造业2023-2024年稳增长行动方案",)),
        ("加快实施制造业“十四五”系列规划重大工程", ()),
        ("培育地方特色食品产业", ()),
        ("“三品”战略提出要深入实施", ("增品种提品质创品牌",)),
    ],
)
def test_strong_keys(text: str, strong: tuple[str, ...]) -> None:
    """Programme names and instrument titles become canonical strong keys; generic period names do not."""
    assert key_of_text(text).strong == strong


def test_enumerated_items_ignore_order_and_verbs() -> None:
    """Enumerations give their items, generic verbs stripped and the last item cut at 等."""
    assert key_of_text("加快5G、人工智能、生物制造等战略性新兴产业").items == ("5g", "人工智能", "生物制造")


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("十", 10), ("三千", 3000), ("二十五", 25), ("一百零五", 105), ("两", 2), ("五五", None)],
)
def test_chinese_count(numeral: str, value: int | None) -> None:
    """Counted Chinese numerals convert to integers; ambiguous digit runs do not."""
    assert chinese_count(numeral) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十个重点行业", "10个重点行业"),
        ("2023—2024年", "2023-2024年"),
        ("5,000家", "5000家"),
        ("“十四五”规划", "“十四五”规划"),
        ("一百零五个项目", "105个项目"),
        ("三万家", "3万家"),
    ],
)
def test_normalise_numbers(text: str, expected: str) -> None:
    """Counts become digits, ranges use '-', thousands separators go; names like 十四五 stay."""
    assert normalise_numbers(text) == expected


def test_key_never_empty() -> None:
    """A clause made only of generic words keeps them rather than an empty key that matches everything."""
    assert key_of_text("加快推进").core


@pytest.mark.parametrize(
    ("matching", "aliases", "message"),
    [
        ({"verbs": "推进"}, {}, "verbs: expected a list"),
        ({"thresholds": {"join": "high"}}, {}, "join: expected a number"),
        ({}, {"aliases": ["车购税"]}, "aliases: expected a mapping"),
        ({}, {"aliases": {"车辆购置税": [1]}}, "expected a list of variant strings"),
    ],
)
def test_bad_tables_raise_data_error(matching: dict, aliases: dict, message: str) -> None:
    """Malformed vocabulary files fail with a DataError naming the field."""
    with pytest.raises(DataError, match=message):
        vocabulary_from(matching, aliases)


def test_user_alias_file_extends_shipped(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An aliases.yaml in POLICY_TRACKER_DATA adds aliases without editing the shipped table."""
    (tmp_path / "aliases.yaml").write_text("aliases:\n  专精特新小巨人企业: [小巨人企业]\n", encoding="utf-8")
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    assert key_of_text("培育小巨人企业").core == key_of_text("培育专精特新小巨人企业").core
    assert key_of_text("车购税").core == key_of_text("车辆购置税").core


@pytest.mark.parametrize(
    ("text", "substance"),
    [
        ("积极扩大有效投资", {"投资"}),
        ("加强政策引导", set()),
        ("大力推动5G轻量化技术研发", {"5g", "g轻", "轻量", "量化"}),
    ],
)
def test_substance_drops_generic_terms(text: str, substance: set[str]) -> None:
    """The substance bigrams of a key leave out generic terms (扩大有效, 政策, 技术研发)."""
    assert key_of_text(text).substance == frozenset(substance)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("出台制造业重点产业链行动方案", ("documents",)),
        ("实施工业企业技术改造升级导向计划", ("documents", "programmes")),
        ("开展公共领域车辆全面电动化先行区试点", ("pilots",)),
        ("编制制造业重点产业链图谱", ("lists",)),
        ("推进制造业数字化转型", ()),
    ],
)
def test_instrument_kind_from_the_head_noun(text: str, kind: tuple[str, ...]) -> None:
    """The instrument families come from the noun the key ends with (data/matching.yaml instrument_families)."""
    assert key_of_text(text).kind == kind


def test_bad_instrument_families_raise_data_error() -> None:
    """instrument_families must map family names to lists of nouns; the message names the field."""
    with pytest.raises(DataError, match="instrument_families"):
        vocabulary_from({"instrument_families": ["试点"]}, {})


def test_user_matching_file_extends_families_and_generic_terms(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A matching.yaml in POLICY_TRACKER_DATA adds nouns to an instrument family and generic terms."""
    (tmp_path / "matching.yaml").write_text(
        "instrument_families:\n  lists: [名单]\ngeneric_terms: [底座]\n", encoding="utf-8"
    )
    monkeypatch.setenv("POLICY_TRACKER_DATA", str(tmp_path))
    assert key_of_text("发布专精特新企业名单").kind == ("lists",)
    assert key_of_text("编制制造业重点产业链图谱").kind == ("lists",)
    assert key_of_text("夯实算力底座").substance == frozenset({"算力"})


@pytest.mark.parametrize(
    ("text", "typed", "kind"),
    [
        ("研究制定人形机器人标准", True, ("standards",)),
        ("加快推进6G技术研发和国际标准研究", False, ()),
        ("开展“十五五”规划研究", False, ()),
        ("研究制定“十五五”规划", True, ("documents",)),
    ],
)
def test_a_researched_programme_noun_names_no_instrument(text: str, typed: bool, kind: tuple[str, ...]) -> None:
    """标准研究 / 规划研究 research an instrument's subject: the key is not typed as that instrument; drafting one still is."""
    key = key_of_text(text)
    assert (key.typed, key.kind) == (typed, kind)


def test_srdi_spelled_out_is_the_abbreviation() -> None:
    """专业化、精细化、特色化、新颖化 is 专精特新 (data/aliases.yaml): both spellings give one key."""
    assert key_of_text("加大专业化、精细化、特色化、新颖化中小企业培育力度").core == key_of_text("加大专精特新中小企业培育力度").core


def test_signatures_of_computed_keys_are_not_computed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keys sidecar written after a full ingest takes the signatures of the keys the matcher computed (issue 15: keys computed once)."""
    from policy_tracker.matching import keys
    from policy_tracker.matching.incremental import signature
    from policy_tracker.models import Mention

    vocab = keys.load_vocabulary()
    texts = ["加快推进《工业互联网创新发展行动计划》实施", "培育地方特色食品产业", "推动企业建设5G工厂"]
    mentions = [Mention(source=f"d{i}", start=0, end=len(t), quote=t, text=t) for i, t in enumerate(texts)]
    computed = keys.mention_keys(mentions, vocab)
    monkeypatch.setattr(keys, "mention_key", lambda *a, **k: pytest.fail("key computed again"))
    assert [signature(m, vocab) for m in mentions] == [keys.key_signature(k) for k in computed]
    monkeypatch.undo()
    unseen = Mention(source="d9", start=0, end=4, quote="推进某事", text="推进某事")
    assert signature(unseen, vocab) == keys.key_signature(keys.mention_key(unseen, vocab))  # not remembered: computed
