"""A real git repository for producer tests: commit, tag, and nothing mocked."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

_IDENTITY = {
    "GIT_AUTHOR_NAME": "kfp-templates tests",
    "GIT_AUTHOR_EMAIL": "tests@kfp-templates.invalid",
    "GIT_COMMITTER_NAME": "kfp-templates tests",
    "GIT_COMMITTER_EMAIL": "tests@kfp-templates.invalid",
}


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` with a fixed identity; fail the test on a non-zero exit."""
    env = {**os.environ, **_IDENTITY}
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def init(repo: Path) -> Path:
    """A fresh repository on branch main."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "config", "tag.gpgsign", "false")
    return repo


def commit_all(repo: Path, message: str, tag: str = "") -> None:
    """Commit everything in the work tree, then tag the commit when `tag` is given."""
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", message)
    if tag:
        git(repo, "tag", "--annotate", tag, "-m", tag)
