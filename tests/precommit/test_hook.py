"""The pre-commit hook (.pre-commit-hooks.yaml) and the generated .pre-commit-config.yaml, run by
the real pre-commit against a tagged local clone of this repository.

pre-commit clones the hook repository, makes a virtualenv and pip-installs the repository root
(the tool with its core dependencies), as it would from the git host; pip uses this machine's
configured index. PRE_COMMIT_HOME lives in tmp.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_copy, run_update
from e2e_helpers import BIN, REPO, TemplateRepo, git_commit, run, use_reference

TEMPLATE = "tabular_training"
HOOK_ID = "kfp-templates-validate"
# a consumer's mistake validate reports: `train` must take `target` (USR109)
SIGNATURE = "def train(df: pd.DataFrame, target: str"
BROKEN = "def train(df: pd.DataFrame, label: str"


def manifest_hook() -> dict[str, Any]:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == HOOK_ID
    return dict(hook)


def pre_commit(project: Path, home: Path, *args: str) -> Any:
    """The real pre-commit CLI in `project`, its cache in `home`."""
    command = [str(BIN / "pre-commit"), *args]
    return run(command, project, check=False, env={"PRE_COMMIT_HOME": str(home)})


def test_manifest_is_valid_for_pre_commit(tmp_path: Path) -> None:
    result = pre_commit(REPO, tmp_path, "validate-manifest", ".pre-commit-hooks.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_hook_installs_the_tool_and_runs_validate_once() -> None:
    hook = manifest_hook()
    assert (hook["language"], hook["entry"], hook["pass_filenames"]) == (
        "python",
        "kfp-templates validate",
        False,
    )


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        ("user/train.py", True),
        ("user/sub/helpers.py", True),
        ("config.yaml", True),
        ("requirements.txt", True),
        ("template_pipeline/contract.yaml", True),
        ("README.md", False),
        ("tests/test_user_functions.py", False),
        ("other/config.yaml", False),
        ("config.yaml.bak", False),
        ("template_pipeline/pipeline.py", False),
    ],
)
def test_hook_runs_on_what_validate_reads(path: str, runs: bool) -> None:
    assert bool(re.search(manifest_hook()["files"], path)) is runs


def consumer_project(repo: TemplateRepo, project: Path, source: str | None = None) -> Path:
    """Copy v1 with the reference code in user/ (valid), committed."""
    run_copy(
        source or str(repo.path),
        project,
        data={"template": TEMPLATE},
        defaults=True,
        quiet=True,
        vcs_ref=repo.v1,
    )
    use_reference(project, TEMPLATE)
    git_commit(project, "my project")
    return project


def break_train(project: Path) -> str:
    """Rename a parameter the contract requires; returns the `path:line:col: RULE` expected."""
    path = project / "user" / "train.py"
    text = path.read_text(encoding="utf-8")
    assert SIGNATURE in text
    path.write_text(text.replace(SIGNATURE, BROKEN), encoding="utf-8")
    line = text[: text.index(SIGNATURE)].count("\n") + 1
    return f"user/train.py:{line}:1: USR109 error: `train` has no parameter `target`"


def installed_packages(home: Path) -> set[str]:
    """Top-level import names in the hook environments pre-commit made under `home`."""
    site = home.glob("repo*/py_env-*/lib/python*/site-packages")
    return {path.name for packages in site for path in packages.iterdir() if path.is_dir()}


def commit_of(repo: Path, ref: str) -> str:
    return run(["git", "rev-parse", f"{ref}^{{commit}}"], repo).stdout.strip()


@pytest.mark.slow
def test_try_repo_passes_a_valid_project_and_fails_a_broken_one(
    tagged_repo: TemplateRepo, pre_commit_home: Path, tmp_path: Path
) -> None:
    project = consumer_project(tagged_repo, tmp_path / "project")
    args = ("try-repo", str(tagged_repo.path), HOOK_ID, "--ref", tagged_repo.v1, "--all-files")
    passed = pre_commit(project, pre_commit_home, *args)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"kfp-templates validate\.+Passed", passed.stdout)

    finding = break_train(project)
    failed = pre_commit(project, pre_commit_home, *args)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"kfp-templates validate\.+Failed", failed.stdout)
    assert "- exit code: 1" in failed.stdout
    assert finding in failed.stdout


@pytest.mark.slow
def test_generated_config_runs_the_hook_pinned_at_the_copied_commit(
    tagged_repo: TemplateRepo, pre_commit_home: Path, tmp_path: Path
) -> None:
    project = consumer_project(tagged_repo, tmp_path / "project")
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [entry] = config["repos"]
    assert entry["repo"] == f"file://localhost{tagged_repo.path.resolve()}"
    assert entry["rev"] == commit_of(tagged_repo.path, tagged_repo.v1)
    assert entry["hooks"] == [{"id": HOOK_ID}]
    assert f"# frozen: {tagged_repo.v1}" in (project / ".pre-commit-config.yaml").read_text()
    assert "pre-commit install" in (project / "README.md").read_text(encoding="utf-8")

    passed = pre_commit(project, pre_commit_home, "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert installed_packages(pre_commit_home) >= {"kfp_templates", "yaml", "jsonschema"}
    assert not installed_packages(pre_commit_home) & {"kfp", "google"}  # the core only
    finding = break_train(project)
    failed = pre_commit(project, pre_commit_home, "run", "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert finding in failed.stdout

    # as a git hook: the broken commit is refused, a README-only commit skips validate
    env = {"PRE_COMMIT_HOME": str(pre_commit_home)}
    assert pre_commit(project, pre_commit_home, "install").returncode == 0
    run(["git", "add", "-A"], project)
    refused = run(["git", "commit", "-m", "broken"], project, check=False, env=env)
    assert refused.returncode != 0 and finding in refused.stdout + refused.stderr
    run(["git", "reset", "-q", "--hard"], project)
    (project / "README.md").write_text("# notes\n", encoding="utf-8")
    run(["git", "add", "README.md"], project)
    done = run(["git", "commit", "-m", "notes"], project, check=False, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"kfp-templates validate\.+\(no files to check\)Skipped", done.stderr)


OWN_HOOK = """\
  - repo: local
    hooks:
      - id: no-print
        name: no print() in user/
        entry: "print\\\\("
        language: pygrep
        files: ^user/
"""


@pytest.mark.slow
def test_copier_update_moves_the_rev_and_keeps_the_consumers_hooks(
    tagged_repo: TemplateRepo, pre_commit_home: Path, tmp_path: Path
) -> None:
    project = consumer_project(tagged_repo, tmp_path / "project")
    config_path = project / ".pre-commit-config.yaml"
    config_path.write_text(config_path.read_text(encoding="utf-8") + OWN_HOOK, encoding="utf-8")
    git_commit(project, "our own hook")
    run_update(project, defaults=True, overwrite=True, quiet=True, vcs_ref=tagged_repo.v2)
    text = config_path.read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and not list(project.glob("*.rej"))
    repos = {entry["repo"]: entry for entry in yaml.safe_load(text)["repos"]}
    ours, theirs = repos.pop("local"), repos.pop(f"file://localhost{tagged_repo.path.resolve()}")
    assert not repos
    assert theirs["rev"] == commit_of(tagged_repo.path, tagged_repo.v2)
    assert f"# frozen: {tagged_repo.v2}" in text
    assert ours["hooks"][0]["id"] == "no-print"
    valid = pre_commit(project, pre_commit_home, "validate-config")
    assert valid.returncode == 0, valid.stdout + valid.stderr


@pytest.mark.slow
def test_source_without_git_runs_the_hook_from_the_pinned_wheel(
    tagged_repo: TemplateRepo, pre_commit_home: Path, tmp_path: Path
) -> None:
    """No commit to pin (copier.yml then asks for the tool's wheel URL): a local hook with the
    manifest's settings installs that wheel, the same pin as pyproject.toml."""
    plain = tmp_path / "plain"
    run(["git", "clone", "--quiet", str(tagged_repo.path), str(plain)], tmp_path)
    shutil.rmtree(plain / ".git")
    wheel = "https://pkgs.example.invalid/kfp_templates-1.0.0-py3-none-any.whl#sha256=" + "c" * 64
    project = tmp_path / "project"
    run_copy(
        str(plain),
        project,
        data={"template": TEMPLATE, "tool_wheel_url": wheel},
        defaults=True,
        quiet=True,
    )
    [entry] = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())["repos"]
    assert entry["repo"] == "local"
    [hook] = entry["hooks"]
    assert hook.pop("additional_dependencies") == [f"kfp-templates @ {wheel}"]
    expected = {k: v for k, v in manifest_hook().items() if k != "description"}
    assert hook == expected
    git_commit(project, "copied")
    valid = pre_commit(project, pre_commit_home, "validate-config")
    assert valid.returncode == 0, valid.stdout + valid.stderr
