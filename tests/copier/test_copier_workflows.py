"""The GitHub files a generated project gets pass zizmor and the GitHub schemas, for every choice.

Each template is copied with the real copier from the tagged local repository, each with another
Python version and one with the GCP answers (the workflow renders the region and the version).
The producers' workflows at the repository root stay out of consumer projects (`_subdirectory`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from copier import run_copy
from e2e_helpers import TemplateRepo
from test_copier_copy import GCP_ANSWERS, TEMPLATES
from workflow_linters import github_files, lint_problems, load_mapping

PYTHONS = ["3.10", "3.11", "3.12"]
CHOICES = {
    template: {"template": template, "python_version": python}
    for template, python in zip(TEMPLATES, PYTHONS, strict=True)
}
CHOICES[TEMPLATES[-1]] |= GCP_ANSWERS


def _copy(template_repo: TemplateRepo, project: Path, answers: dict[str, str]) -> Path:
    run_copy(
        str(template_repo.path),
        project,
        data=answers,
        defaults=True,
        quiet=True,
        vcs_ref=template_repo.v1,
    )
    return project


@pytest.mark.slow
@pytest.mark.parametrize("answers", CHOICES.values(), ids=CHOICES)
def test_generated_github_files_pass_both_linters(
    template_repo: TemplateRepo, tmp_path: Path, answers: dict[str, str]
) -> None:
    project = _copy(template_repo, tmp_path / "project", answers)
    files = {path.relative_to(project).as_posix() for path in github_files(project)}
    assert files == {".github/workflows/ci.yml", ".github/dependabot.yml"}
    assert lint_problems(project) == []
    workflow = load_mapping(project / ".github" / "workflows" / "ci.yml")
    assert workflow["env"] == {"PYTHON_VERSION": answers["python_version"]}
    _assert_least_privilege(workflow)


def _assert_least_privilege(workflow: dict[str, object]) -> None:
    """No default token scopes; each job asks for what it uses; no checkout keeps the token."""
    assert workflow["permissions"] == {}
    read = {"contents": "read"}
    federated = read | {"id-token": "write"}
    jobs: dict[str, dict[str, object]] = workflow["jobs"]  # type: ignore[assignment]
    wanted = {"validate": read, "tests": read, "build": federated, "submit": federated}
    assert {name: job["permissions"] for name, job in jobs.items()} == wanted
    for job in jobs.values():
        steps: list[dict[str, object]] = job["steps"]  # type: ignore[assignment]
        checkouts = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@")]
        assert checkouts and all(s["with"] == {"persist-credentials": False} for s in checkouts)
        uses = {str(s.get("uses", "")).partition("@")[0]: s.get("with") for s in steps}
        assert uses["actions/setup-python"]["cache"] == "pip"  # type: ignore[index]
        assert uses["astral-sh/setup-uv"]["enable-cache"] is True  # type: ignore[index]


@pytest.mark.slow
def test_dependabot_keeps_actions_and_python_current(
    template_repo: TemplateRepo, tmp_path: Path
) -> None:
    project = _copy(template_repo, tmp_path / "project", {"template": TEMPLATES[0]})
    config = load_mapping(project / ".github" / "dependabot.yml")
    updates: list[dict[str, object]] = config["updates"]  # type: ignore[assignment]
    assert {(u["package-ecosystem"], u["directory"]) for u in updates} == {
        ("github-actions", "/"),
        ("pip", "/"),
    }
