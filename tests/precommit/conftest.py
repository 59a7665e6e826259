"""A tagged local git repository of this working tree (the copier helpers), and pre-commit's
home in tmp, for the hook tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "copier"))

from e2e_helpers import (
    GIT_ENV,
    TemplateRepo,
    copy_working_tree,
    git_commit,
    release_v2,
    run,
)


@pytest.fixture(scope="module", autouse=True)
def _git_identity() -> Iterator[None]:
    """Git identity from environment variables; no git config file is read or written."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in GIT_ENV.items():
            patch.setenv(key, value)
        yield


@pytest.fixture(scope="module")
def tagged_repo(tmp_path_factory: pytest.TempPathFactory, _git_identity: None) -> TemplateRepo:
    """This project as a git repository tagged v1.0.0, then v2.0.0 (a breaking release)."""
    repo = tmp_path_factory.mktemp("kfp-templates-repo")
    copy_working_tree(repo)
    git_commit(repo, "release 1")
    run(["git", "tag", "v1.0.0"], repo)
    release_v2(repo)
    git_commit(repo, "release 2")
    run(["git", "tag", "v2.0.0"], repo)
    return TemplateRepo(repo)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's cache of hook repositories and environments, shared by a module's tests."""
    return tmp_path_factory.mktemp("pre-commit-home")
