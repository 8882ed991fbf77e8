"""The optional parsed-ledger cache: used only for identical bytes, never required, off by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_tracker.ledger import cache
from policy_tracker.ledger import yaml_io as serialize
from policy_tracker.ledger import Ledger

from .ledger_fixtures import KW, documents


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    led = Ledger()
    led.ingest(documents(), **KW)
    path = tmp_path / "ledger.yaml"
    led.save(path)
    return path


def test_off_by_default(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without POLICY_TRACKER_CACHE nothing is cached."""
    monkeypatch.delenv(cache.ENV_VAR, raising=False)
    assert cache.folder() is None
    assert sorted(p.name for p in saved.parent.iterdir()) == ["ledger.yaml"]


def test_save_then_load_skips_yaml_parsing(saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger saved with the cache on loads from the cached copy, identically."""
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    led = Ledger.load(saved)  # first read: parsed, then cached
    led.save(force=True)
    text = saved.read_text(encoding="utf-8")
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1

    def no_yaml(*args, **kwargs):
        raise AssertionError("YAML parsed despite a cached copy")

    monkeypatch.setattr(serialize, "parse", no_yaml)
    assert Ledger.load(saved).dumps() == text


def test_edited_file_is_parsed_again(saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit changes the digest: the cached copy is not used."""
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    Ledger.load(saved)
    saved.write_text(saved.read_text(encoding="utf-8").replace("title: 推进甲类工厂建设", "title: 新标题", 1), encoding="utf-8")
    assert Ledger.load(saved)["factory-2023-01"].title == "新标题"


def test_corrupt_copy_falls_back_to_yaml(saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged or invalid cached copy is ignored."""
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    expected = Ledger.load(saved).dumps()
    (copy,) = (tmp_path / "cache").glob("*.json")
    for damage in ("{not json", '{"schema": "other"}'):
        copy.write_text(damage, encoding="utf-8")
        assert Ledger.load(saved).dumps() == expected


def test_only_the_newest_copies_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache folder never holds more than KEEP copies."""
    monkeypatch.setenv(cache.ENV_VAR, str(tmp_path / "cache"))
    for i in range(cache.KEEP + 3):
        cache.put(f"{i:064x}", {"n": i})
    assert len(list((tmp_path / "cache").glob("*.json"))) == cache.KEEP
