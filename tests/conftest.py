"""Shared fixtures: paths to the shipped seeds and the repository root."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    """The folder of the five shipped seed briefings."""
    return SEEDS
