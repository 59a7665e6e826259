"""Fixtures for image tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # for `_infra` and `_consumer`

from _consumer import make_project  # importable only after the line above


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh consumer project."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def project_factory() -> object:
    """`make_project`, for session-scoped fixtures and tests that need several projects."""
    return make_project
