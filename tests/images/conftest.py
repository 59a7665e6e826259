"""Fixtures for image tests."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # for `_infra` and `_consumer`

from _consumer import make_project  # importable only after the line above
from _infra import Registry, Rig, import_base, require_programs, storage_conf, tool_wheel


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh consumer project."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def project_factory() -> object:
    """`make_project`, for session-scoped fixtures and tests that need several projects."""
    return make_project


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    """Storage, base image, registry and tool wheel; the registry is stopped at teardown."""
    require_programs()
    root = tmp_path_factory.mktemp("image-rig")
    conf, driver = storage_conf(root)
    patch = pytest.MonkeyPatch()
    patch.setenv("CONTAINERS_STORAGE_CONF", str(conf))
    registry = None
    try:
        import_base(dict(os.environ))
        registry = Registry(root / "registry")
        yield Rig(registry.host, tool_wheel(root / "tool"), driver)
    finally:
        if registry is not None:
            registry.stop()
        patch.undo()
        shutil.rmtree(root / driver, ignore_errors=True)
