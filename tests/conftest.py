"""Shared fixtures: paths to the shipped seeds and the repository root, the seed ledger as a file and as a folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    """The folder of the five shipped seed briefings."""
    return SEEDS


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed ledger as one file, built once per test module."""
    from policy_tracker.cli import main

    path = tmp_path_factory.mktemp("seedfile") / "ledger.yaml"
    assert main(["ingest", str(SEEDS), "--ledger", str(path), "-q"]) == 0
    return path


@pytest.fixture(scope="module")
def seed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed ledger as a folder, built by ingest, once per test module."""
    from policy_tracker.cli import main

    path = tmp_path_factory.mktemp("seedfolder") / "ledger"
    assert main(["ingest", str(SEEDS), "--ledger", f"{path}/", "-q"]) == 0
    return path


@pytest.fixture
def lf(seed_folder: Path, tmp_path: Path) -> Path:
    """A copy of the seed ledger folder to change."""
    path = tmp_path / "ledger"
    shutil.copytree(seed_folder, path)
    return path
