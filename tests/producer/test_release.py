"""`release` on a real git repository: what it refuses, and the tag it creates."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitrepo import commit_all, git

from kfp_templates._cli.main import main
from kfp_templates._producer.release import has_entry


def _release(repo: Path, *args: str) -> int:
    return main(["release", *args, "--root", str(repo), "--no-run"])


def _changelog(repo: Path, version: str) -> None:
    path = repo / "producer_templates" / "alpha" / "CHANGELOG.md"
    path.write_text(path.read_text().replace("\n## ", f"\n## {version}\n\n- More.\n\n## ", 1))


def _contract_edit(repo: Path, old: str, new: str) -> None:
    path = repo / "producer_templates" / "alpha" / "contract.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _describe_choice(repo: Path) -> None:
    path = repo / "copier.yml"
    path.write_text(path.read_text().replace("(describe it here)", "that says hello"))


@pytest.fixture
def released(template_repo: Path) -> Path:
    """A repository with template alpha released as v0.1.0."""
    assert main(["new-template", "alpha", "--root", str(template_repo)]) == 0
    _changelog(template_repo, "0.1.0")
    _describe_choice(template_repo)
    commit_all(template_repo, "alpha")
    assert _release(template_repo, "0.1.0") == 0
    return template_repo


def _tags(repo: Path) -> list[str]:
    return git(repo, "tag", "--list").split()


def test_first_release_creates_an_annotated_tag(released: Path) -> None:
    assert _tags(released) == ["v0.1.0"]
    assert git(released, "cat-file", "-t", "v0.1.0").strip() == "tag"
    assert git(released, "rev-parse", "v0.1.0^{commit}") == git(released, "rev-parse", "HEAD")


def test_changelog_entry_required(template_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-template", "alpha", "--root", str(template_repo)]) == 0
    commit_all(template_repo, "alpha")
    assert _release(template_repo, "0.1.0") == 1
    assert "VER406" in capsys.readouterr().out
    assert _tags(template_repo) == []


def test_a_broken_contract_is_exit_2_as_documented(
    template_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Like validate and producer check (docs/cli.md): a broken contract is 2, not 1."""
    assert main(["new-template", "alpha", "--root", str(template_repo)]) == 0
    _changelog(template_repo, "0.1.0")
    _describe_choice(template_repo)
    _contract_edit(template_repo, "contract_format: 1", "contract_format: 2")
    commit_all(template_repo, "alpha")
    assert _release(template_repo, "0.1.0") == 2
    assert "CON102" in capsys.readouterr().out
    assert _tags(template_repo) == []


def test_the_new_template_placeholder_is_refused(
    template_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new-template", "alpha", "--root", str(template_repo)]) == 0
    _changelog(template_repo, "0.1.0")
    commit_all(template_repo, "alpha")
    assert _release(template_repo, "0.1.0") == 1
    out = capsys.readouterr().out
    assert "VER400" in out and "'alpha: a one-step template (describe it here)'" in out
    assert _tags(template_repo) == []


def test_head_with_a_version_tag_is_refused(
    released: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _release(released, "0.2.0") == 2
    assert "HEAD already carries the version tag v0.1.0" in capsys.readouterr().err


def test_dirty_tree_is_refused(released: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (released / "notes.txt").write_text("wip\n")
    assert _release(released, "0.2.0") == 2
    assert "the work tree is not clean: notes.txt" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("0.1.0", "0.1.0 is not above the latest version tag v0.1.0"),
        ("0.0.9", "is not above the latest version tag"),
        ("banana", "'banana' is not a PEP 440 version"),
    ],
)
def test_version_must_go_up(
    released: Path, version: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    commit_all(released, "next")
    assert _release(released, version) == 2
    assert message in capsys.readouterr().err


def test_breaking_contract_change_needs_a_major_bump(
    released: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _contract_edit(released, "minimum: 1, default: 1", "minimum: 2, default: 1")  # ref uses 2
    _contract_edit(released, "version: 0.1.0", "version: 0.1.1")
    _changelog(released, "0.2.0")
    commit_all(released, "narrow repeat")
    capsys.readouterr()
    assert _release(released, "0.2.0") == 1
    out = capsys.readouterr().out
    assert "VER101" not in out
    assert "VER100" in out and "VER212" in out and "set version to 0.2.0" in out
    _contract_edit(released, "version: 0.1.1", "version: 0.2.0")
    commit_all(released, "bump the contract")
    assert _release(released, "0.2.0", "--dry-run") == 0
    assert _tags(released) == ["v0.1.0"]
    assert _release(released, "0.2.0") == 0
    assert _tags(released) == ["v0.1.0", "v0.2.0"]


def test_unchanged_template_needs_no_changelog_entry(released: Path) -> None:
    (released / "README.md").write_text("docs only\n")
    commit_all(released, "docs")
    assert _release(released, "0.1.1") == 0


@pytest.mark.parametrize(
    ("text", "version", "found"),
    [
        ("## 1.2.0\n", "1.2.0", True),
        ("## [v1.2.0] - 2026-01-01\n", "1.2.0", True),
        ("### 1.2.0 (breaking)\n", "1.2.0", True),
        ("## 1.2.01\n", "1.2.0", False),
        ("Released 1.2.0\n", "1.2.0", False),
    ],
)
def test_changelog_headings(text: str, version: str, found: bool) -> None:
    assert has_entry(text, version) is found


def test_not_a_git_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "producer_templates").mkdir()
    assert _release(tmp_path, "1.0.0") == 2
    assert "is not in a git repository" in capsys.readouterr().err
