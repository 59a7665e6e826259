"""Producer test fixtures; tests here also import their git helper (`gitrepo`) from this folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gitrepo import init

COPIER_YML = """\
# A minimal template repository for producer tests.
_subdirectory: template
_skip_if_exists:
  - config.yaml
  - user/**
_exclude:
  - "~*"
  - "*.py[co]"
  - __pycache__
  - .git
  - template_pipeline/reference
  - template_pipeline/stubs

template:
  type: str
  help: Which template pipeline?
  choices:

project_name:
  type: str
  default: demo
"""


@pytest.fixture
def template_repo(tmp_path: Path) -> Path:
    """An empty template repository in git: copier.yml and producer_templates/, no templates."""
    repo = init(tmp_path / "repo")
    (repo / "copier.yml").write_text(COPIER_YML)
    (repo / "producer_templates").mkdir()
    (repo / ".gitignore").write_text("local_outputs/\n__pycache__/\n")
    return repo
