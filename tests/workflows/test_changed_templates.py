""".github/scripts/changed-templates.sh: which templates the producer workflows check and publish.

Each case is a real git repository: a release commit with three templates, then one commit
changing some files; the script runs there against the release commit.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from helpers import DELETE, build_file_tree

SCRIPT = Path(__file__).resolve().parents[2] / ".github" / "scripts" / "changed-templates.sh"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
RELEASE = {
    **{f"producer_templates/{name}/contract.yaml": "version: 1.0.0\n" for name in "abc"},
    "producer_templates/a/pipeline.py": "",
    "src/tool.py": "",
    "docs/producer.md": "",
    "README.md": "",
}
ALL = ["a", "b", "c"]
CASES = {
    # name: (files the change writes or deletes, --with-shared?, expected templates)
    "one template's code": ({"producer_templates/a/pipeline.py": "x = 1\n"}, False, ["a"]),
    "two templates": (
        {"producer_templates/c/contract.yaml": "version: 2.0.0\n", "producer_templates/a/x": ""},
        True,
        ["a", "c"],
    ),
    "template plus docs, shared": (
        {"producer_templates/b/README.md": "", "docs/producer.md": "more", "README.md": "more"},
        True,
        ["b"],
    ),
    "docs only": ({"docs/producer.md": "more"}, True, []),
    "the tool, shared": ({"src/tool.py": "y = 2\n"}, True, ALL),
    "the tool, templates only": ({"src/tool.py": "y = 2\n"}, False, []),
    "a deleted template": ({"producer_templates/b/contract.yaml": DELETE}, False, []),
    "a new template": ({"producer_templates/d/contract.yaml": "version: 0.1.0\n"}, False, ["d"]),
}


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _commit_all(repo: Path, message: str) -> str:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-gpg-sign", "-m", message)
    return _git(repo, "rev-parse", "HEAD")


def _script(repo: Path, *args: str) -> list[str]:
    done = subprocess.run(
        ["bash", str(SCRIPT), *args], cwd=repo, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    build_file_tree(tmp_path, RELEASE)
    _git(tmp_path, "init", "-q", "-b", "main")
    _commit_all(tmp_path, "release 1")
    return tmp_path


@pytest.mark.parametrize(("change", "shared", "expected"), CASES.values(), ids=CASES)
def test_changed_templates(
    repo: Path, change: dict[str, str], shared: bool, expected: list[str]
) -> None:
    base = _git(repo, "rev-parse", "HEAD")
    build_file_tree(repo, change)
    _commit_all(repo, "change")
    assert _script(repo, *(["--with-shared"] if shared else []), base) == expected


def test_without_a_base_every_template(repo: Path) -> None:
    assert _script(repo) == ALL
