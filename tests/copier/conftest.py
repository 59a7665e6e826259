"""Fixtures for the copier end-to-end tests; helpers live in e2e_helpers.py (same directory)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from e2e_helpers import (
    GIT_ENV,
    README_LINE,
    TemplateRepo,
    copy_working_tree,
    git_commit,
    release_v2,
    run,
)


@contextmanager
def _git_identity_env() -> Iterator[None]:
    """Git identity from environment variables; no git config file is read or written."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in GIT_ENV.items():
            patch.setenv(key, value)
        yield


@pytest.fixture(scope="module", autouse=True)
def _git_identity() -> Iterator[None]:
    """Per module, so tests outside this directory never see these variables."""
    with _git_identity_env():
        yield


@pytest.fixture(scope="session")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> TemplateRepo:
    """This project as a git repository tagged v1.0.0, then v2.0.0 with a breaking change."""
    repo = tmp_path_factory.mktemp("kfp-templates-repo")
    with _git_identity_env():
        copy_working_tree(repo)
        assert README_LINE in (repo / "template" / "README.md.jinja").read_text()
        git_commit(repo, "release 1")
        run(["git", "tag", "v1.0.0"], repo)
        release_v2(repo)
        git_commit(repo, "release 2: breaking tabular_training contract")
        run(["git", "tag", "v2.0.0"], repo)
    return TemplateRepo(repo)
