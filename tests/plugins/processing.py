"""Fixtures of the processing tests: the fixture pages written for this project and a fixed clock."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
FIXED_NOW = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="session")
def pages_dir() -> Path:
    return PAGES


@pytest.fixture
def fixed_now() -> dt.datetime:
    return FIXED_NOW


@pytest.fixture(scope="session")
def processing_settings():
    from pipeline.settings.processing import ProcessingSettings

    return ProcessingSettings()
