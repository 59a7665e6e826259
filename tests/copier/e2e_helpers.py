"""Helpers for the copier end-to-end tests: commands, hashing, the two-tag template repository.

`v1.0.0` is the working tree as it is (uncommitted files included). `v2.0.0` changes the
tabular_training contract the way a producer's breaking release would: `train` gains a required
parameter, `user.train` must also define `summarize`, and `evaluate` moves from `user.evaluate`
to `user.metrics` (a renamed stub). The consumer README template changes one line, so a consumer
edit of that line conflicts. Git identity comes from environment variables only; no git config
file is read or written.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "kfp-templates tests",
    "GIT_AUTHOR_EMAIL": "tests@kfp-templates.invalid",
    "GIT_COMMITTER_NAME": "kfp-templates tests",
    "GIT_COMMITTER_EMAIL": "tests@kfp-templates.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
README_LINE = "A Kubeflow Pipelines project made from the **{{ template }}** template pipeline with"
README_LINE_V2 = (
    "A Kubeflow Pipelines project built on the **{{ template }}** template pipeline with"
)


@dataclass(frozen=True)
class TemplateRepo:
    """The local template repository and its tags."""

    path: Path
    v1: str = "v1.0.0"
    v2: str = "v2.0.0"


def run(
    command: list[str], cwd: Path, *, check: bool = True, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command in the tests' environment (this venv first on PATH), capturing text."""
    full_env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    full_env.update(env or {})
    result = subprocess.run(command, cwd=cwd, env=full_env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{command} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result


def nox(project: Path, session: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The generated project's own nox session, in this environment (nothing is installed)."""
    extra = ["--", *args] if args else []
    command = [sys.executable, "-m", "nox", "--no-venv", "--no-install", "-s", session, *extra]
    return run(command, project, check=False)


def tree_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under `root`, by relative path."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def use_reference(project: Path, template: str) -> None:
    """Copy the producer's reference implementation (user/, config, data) over the stubs."""
    reference = REPO / "producer_templates" / template / "reference"
    shutil.copytree(
        reference, project, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
    )


def git_commit(project: Path, message: str) -> None:
    """Commit everything in `project`, making it a repository first when needed."""
    if not (project / ".git").exists():
        run(["git", "init", "-q", "-b", "main"], project)
    run(["git", "add", "-A"], project)
    run(["git", "commit", "-q", "--no-gpg-sign", "-m", message], project)


def copy_working_tree(target: Path) -> None:
    listed = run(["git", "ls-files", "-co", "--exclude-standard", "-z"], REPO).stdout
    for relative in filter(None, listed.split("\0")):
        source = REPO / relative
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree but still in the index
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            destination.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, destination)


def release_v2(repo: Path) -> None:
    """A breaking tabular_training release: new parameter, new function, renamed module."""
    path = repo / "producer_templates" / "tabular_training" / "contract.yaml"
    contract = yaml.safe_load(path.read_text())
    contract["version"] = "2.0.0"
    functions = {f["name"]: f for f in contract["functions"]}
    functions["train"]["parameters"].insert(
        2, {"name": "n_jobs", "annotation": "int", "description": "Worker processes."}
    )
    functions["evaluate"]["module"] = "user.metrics"
    contract["functions"].append(
        {
            "module": "user.train",
            "name": "summarize",
            "doc": "Describe the model in one line.",
            "parameters": [{"name": "model", "annotation": "typing.Any"}],
            "returns": "str",
        }
    )
    path.write_text(yaml.safe_dump(contract, sort_keys=False))
    run([str(BIN / "kfp-templates"), "stubs", "producer_templates/tabular_training"], repo)
    readme = repo / "template" / "README.md.jinja"
    readme.write_text(readme.read_text().replace(README_LINE, README_LINE_V2))
