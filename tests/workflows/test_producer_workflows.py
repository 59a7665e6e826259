"""The producers' workflows (.github/ at the repository root): both linters pass, and they do what
docs/producer.md says. The linters themselves are shown to catch each kind of finding, on small
workflows written here, so a clean result is not a linter that saw nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from workflow_linters import (
    github_files,
    lint_problems,
    load_mapping,
    pins,
    schema_errors,
    unpinned,
    zizmor_findings,
)

from helpers import build_file_tree

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
SHA = "3d3c42e5aac5ba805825da76410c181273ba90b1"


def test_repository_github_files_pass_both_linters() -> None:
    assert set(github_files(REPO).values()) == {"workflow", "dependabot"}
    assert lint_problems(REPO) == []


def test_every_action_has_one_pin_across_shipped_workflows() -> None:
    shipped = [
        *WORKFLOWS.glob("*.yml"),
        REPO / "template" / ".github" / "workflows" / "ci.yml.jinja",
    ]
    assert {
        action: len(pinned) for action, pinned in pins(shipped).items() if len(pinned) != 1
    } == {}


def test_pull_request_checks_only_the_changed_templates() -> None:
    workflow = load_mapping(WORKFLOWS / "producer-check.yml")
    assert workflow[True] == {"pull_request": None}  # PyYAML reads `on` as True
    steps = workflow["jobs"]["check"]["steps"]  # type: ignore[index]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "changed-templates.sh --with-shared" in runs
    assert "nox -s validate -- --format github $TEMPLATE_ARGS" in runs


def test_tag_runs_release_checks_then_publishes_with_federated_identity() -> None:
    workflow = load_mapping(WORKFLOWS / "producer-release.yml")
    assert workflow[True] == {"push": {"tags": ["v[0-9]*"]}}
    jobs = workflow["jobs"]
    assert "nox -s validate -- --format github" in str(jobs["release-checks"])  # type: ignore[index]
    publish = jobs["publish"]  # type: ignore[index]
    assert publish["needs"] == "release-checks"
    assert publish["permissions"] == {"contents": "read", "id-token": "write"}
    auth = [s for s in publish["steps"] if "google-github-actions/auth" in s.get("uses", "")]
    assert set(auth[0]["with"]) == {"workload_identity_provider", "service_account"}
    assert "secrets." not in (WORKFLOWS / "producer-release.yml").read_text()  # no stored key
    last = publish["steps"][-1]
    assert last["env"]["KFP_REGISTRY"] == "${{ vars.KFP_REGISTRY }}"
    assert 'kfp-templates publish "producer_templates/$name"' in last["run"]


UNPINNED = (
    "      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n"
)
KEEPS_TOKEN = f"      - uses: actions/checkout@{SHA} # v7.0.1\n"
INJECTION = "      - run: echo ${{ github.event.pull_request.title }}\n"
BAD_WORKFLOWS = {
    # name: (the job's steps, the audit zizmor must report)
    "tag instead of a SHA": (UNPINNED, "unpinned-uses"),
    "checkout keeps its token": (KEEPS_TOKEN, "artipacked"),
    "attacker text in a script": (INJECTION, "template-injection"),
}


def _workflow(steps: str, permissions: str = "permissions: {}\n") -> str:
    job = f"  j:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"
    return f"name: t\non: pull_request\n{permissions}jobs:\n{job}"


@pytest.mark.parametrize(("steps", "audit"), BAD_WORKFLOWS.values(), ids=BAD_WORKFLOWS)
def test_zizmor_reports_the_finding(tmp_path: Path, steps: str, audit: str) -> None:
    build_file_tree(tmp_path, {".github/workflows/t.yml": _workflow(steps)})
    assert [f for f in zizmor_findings(tmp_path) if f.startswith(f"{audit} ")], audit


def test_zizmor_reports_default_permissions(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {".github/workflows/t.yml": _workflow("      - run: true\n", "")})
    assert any(f.startswith("excessive-permissions ") for f in zizmor_findings(tmp_path))


def test_zizmor_reports_dependabot_without_cooldown(tmp_path: Path) -> None:
    config = "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n"
    config += "    schedule:\n      interval: weekly\n"
    build_file_tree(tmp_path, {".github/dependabot.yml": config})
    assert any(f.startswith("dependabot-cooldown ") for f in zizmor_findings(tmp_path))


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("workflow", "name: t\non: pull_request\njobs:\n  j:\n    steps: []\n"),  # no runs-on
        ("dependabot", "version: 2\nupdates:\n  - package-ecosystem: pip\n"),  # no schedule
    ],
)
def test_schema_reports_an_invalid_file(tmp_path: Path, kind: str, text: str) -> None:
    path = build_file_tree(tmp_path, {"f.yml": text}) / "f.yml"
    assert schema_errors([path], kind)


@pytest.mark.parametrize(
    ("uses", "pinned"),
    [
        (f"actions/checkout@{SHA} # v7.0.1", True),
        (f"google-github-actions/auth@{SHA} # v3", True),
        (f"actions/checkout@{SHA}", False),  # which release? Dependabot and readers need it
        (f"actions/checkout@{SHA[:12]} # v7.0.1", False),  # short SHAs can collide
        ("actions/checkout@v7 # v7", False),
    ],
)
def test_pin_rule(tmp_path: Path, uses: str, pinned: bool) -> None:
    path = build_file_tree(tmp_path, {"w.yml": _workflow(f"      - uses: {uses}\n")}) / "w.yml"
    assert (unpinned(path) == []) is pinned
