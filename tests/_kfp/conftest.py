"""Fixtures for the kfp layer: copies of the producer templates, the golden-file option.

Regenerate the golden files (tests/golden/NAME.yaml) after an intended change with

    pytest tests/_kfp --update-golden

The option lives here, not in the root conftest, so pass `tests/_kfp` (or a file under it) on
the command line: pytest registers options only from conftests it loads at start-up.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # for `import kfp_helpers`, `kfp_paths`

from kfp_paths import TEMPLATES


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/*.yaml from the current compile output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def template_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Copy producer_templates/NAME to a temporary directory (without outputs or stubs)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(TEMPLATES / name, target,
                        ignore=shutil.ignore_patterns("local_outputs", "__pycache__", "build"))
        return target

    return copy
