"""Shared pytest options. Keep this small; add your own option below the others."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from riskengine.ingest.extract.articles import Extractor


def pytest_addoption(parser: pytest.Parser) -> None:
    # Golden files (tests/golden/) are rewritten instead of compared, so a change in output shows
    # up in review as a diff of the golden files. REGENERATE_GOLDEN=1 does the same.
    parser.addoption("--update-golden", action="store_true", default=False, help="rewrite golden files instead of comparing")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden")) or os.environ.get("REGENERATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """A fresh article extractor for each test module; imported here, so that a run without
    extraction tests does not load the extractor's gazetteer."""
    from riskengine.ingest.extract.articles import Extractor

    return Extractor()
