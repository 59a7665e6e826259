"""The few git operations producers need: release tags, files at a tag, tree state, tagging.

Git runs as a subprocess (no library), the way copier itself reads template versions. Release
tags are PEP 440 versions with an optional `v` prefix; the highest one wins, as copier picks it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from packaging.version import InvalidVersion, Version

from kfp_templates._errors import UsageError
from kfp_templates._records import record

_TIMEOUT = 60


@record
class ReleaseTag:
    """A tag that names a release: its name as written and the version it stands for."""

    name: str
    version: Version


def run_git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `git -C repo ARGS`; a failure becomes a `UsageError` carrying git's message."""
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as error:
        raise UsageError("git is not installed", hint="install git and retry") from error
    if check and done.returncode != 0:
        raise UsageError(
            f"git {' '.join(args)} failed: {done.stderr.strip() or done.stdout.strip()}",
            hint=f"check that {repo} is a git repository with the expected tags",
        )
    return done


def parse_tag(name: str) -> Version | None:
    """The version a tag names (`v1.2.0`, `1.2.0`), or None for tags that are not versions."""
    try:
        return Version(name.removeprefix("v"))
    except InvalidVersion:
        return None


def release_tags(repo: Path) -> list[ReleaseTag]:
    """Version tags of `repo`, highest first."""
    names = run_git(repo, "tag", "--list").stdout.split()
    tags = [ReleaseTag(name, version) for name in names if (version := parse_tag(name))]
    return sorted(tags, key=lambda tag: tag.version, reverse=True)


def latest_release(repo: Path, *, prereleases: bool = False) -> ReleaseTag | None:
    """The tag copier would pick: the highest version, skipping pre-releases unless asked."""
    for tag in release_tags(repo):
        if prereleases or not tag.version.is_prerelease:
            return tag
    return None


def show_file(repo: Path, ref: str, path: str) -> str | None:
    """The text of `path` (relative to the repository root) at `ref`, or None when absent there."""
    verify = run_git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if verify.returncode != 0:
        raise UsageError(
            f"{ref!r} is not a commit or tag in {repo}",
            hint="list the release tags with `git tag --list 'v*'`",
        )
    done = run_git(repo, "show", f"{ref}:{path}", check=False)
    return done.stdout if done.returncode == 0 else None


def is_repository(path: Path) -> bool:
    """Whether `path` is inside a git work tree."""
    return run_git(path, "rev-parse", "--is-inside-work-tree", check=False).returncode == 0


def dirty_paths(repo: Path) -> list[str]:
    """Paths with uncommitted changes or untracked files (what would make a release unclean)."""
    lines = run_git(repo, "status", "--porcelain", "--untracked-files=normal").stdout.splitlines()
    return [line[3:] for line in lines if line.strip()]


def changed_since(repo: Path, ref: str, path: str) -> bool:
    """Whether anything under `path` differs between `ref` and the work tree."""
    done = run_git(repo, "diff", "--quiet", ref, "--", path, check=False)
    return done.returncode != 0


def head_version_tags(repo: Path) -> list[str]:
    """Version tags already pointing at HEAD (copier needs one version tag per commit)."""
    names = run_git(repo, "tag", "--points-at", "HEAD").stdout.split()
    return [name for name in names if parse_tag(name) is not None]


def create_tag(repo: Path, name: str, message: str) -> None:
    """Create the annotated tag `name` on HEAD."""
    run_git(repo, "tag", "--annotate", name, "--message", message)
