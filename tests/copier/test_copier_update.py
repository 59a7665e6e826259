"""`copier update` from v1.0.0 to a breaking v2.0.0: user code survives, validate says what's new.

v2.0.0 (see e2e_helpers.release_v2) adds a required parameter and a required function to
`user.train` and renames the `user.evaluate` stub to `user.metrics`; its README template changes
one line. After the update user/ is byte-identical (nothing deleted, nothing added), so is the
consumer's config.yaml, `kfp-templates validate` exits 1 naming what the new contract needs, and
`kfp-templates stubs --missing` then adds only the stub of the new module. Conflicts copier
leaves (markers inline, or `.rej` files) are reported as PRJ100
and PRJ101.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_copy, run_update
from e2e_helpers import TemplateRepo, git_commit, run, tree_hashes, use_reference

pytestmark = pytest.mark.slow
TEMPLATE = "tabular_training"
CONSUMER_EDIT = '\n\ndef helper() -> int:\n    """The consumer\'s own code."""\n    return 42\n'


def validate_json(project: Path) -> tuple[int, list[dict[str, Any]]]:
    """`kfp-templates validate --format json` in the project: exit code and findings."""
    result = run(
        [sys.executable, "-m", "kfp_templates", "validate", "--format", "json"],
        project,
        check=False,
    )
    return result.returncode, json.loads(result.stdout or "[]")


def consumer_project(template_repo: TemplateRepo, project: Path) -> dict[str, str]:
    """Copy v1, put real code in user/, edit it, commit; returns the hashes of user/."""
    run_copy(
        str(template_repo.path),
        project,
        data={"template": TEMPLATE},
        defaults=True,
        quiet=True,
        vcs_ref=template_repo.v1,
    )
    use_reference(project, TEMPLATE)
    with (project / "user" / "train.py").open("a") as handle:
        handle.write(CONSUMER_EDIT)
    with (project / "config.yaml").open("a") as handle:
        handle.write(CONFIG_EDIT)
    git_commit(project, "my project")
    return tree_hashes(project / "user")


CONFIG_EDIT = "\n# the consumer's own note\n"


def assert_user_code_kept(project: Path, before: dict[str, str]) -> None:
    """user/ byte-identical, nothing deleted or added: update leaves it wholly alone."""
    assert tree_hashes(project / "user") == before


def assert_config_kept(project: Path) -> None:
    assert (project / "config.yaml").read_text().endswith(CONFIG_EDIT)


def missing_stubs_arrive(project: Path, before: dict[str, str]) -> None:
    """`stubs --missing` writes the stub of the new module and touches nothing else."""
    run([sys.executable, "-m", "kfp_templates", "stubs", "--missing"], project)
    after = tree_hashes(project / "user")
    assert {path: after.get(path) for path in before} == before
    assert set(after) - set(before) == {"metrics.py"}


def test_update_cli_keeps_user_code_and_validate_reports_the_new_contract(
    template_repo: TemplateRepo, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    before = consumer_project(template_repo, project)
    result = run(
        [sys.executable, "-m", "copier", "update", "--defaults", "--vcs-ref", template_repo.v2],
        project,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert_user_code_kept(project, before)
    assert_config_kept(project)
    contract = yaml.safe_load((project / "template_pipeline" / "contract.yaml").read_text())
    assert contract["version"] == "2.0.0"
    code, findings = validate_json(project)
    messages = " ".join(f["message"] for f in findings if f["severity"] == "error")
    assert code == 1, findings
    assert "summarize" in messages and "n_jobs" in messages
    assert all(f["path"].startswith("user/") for f in findings if f["severity"] == "error")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == template_repo.v2
    missing_stubs_arrive(project, before)


@pytest.mark.parametrize(("conflict", "rule"), [("inline", "PRJ100"), ("rej", "PRJ101")])
def test_update_api_conflicts_are_reported_by_validate(
    template_repo: TemplateRepo, tmp_path: Path, conflict: str, rule: str
) -> None:
    project = tmp_path / "project"
    before = consumer_project(template_repo, project)
    readme = project / "README.md"
    text = readme.read_text()
    edited = text.replace("A Kubeflow Pipelines project made from", "Our team's project made from")
    assert edited != text
    readme.write_text(edited)
    git_commit(project, "our README")
    run_update(
        project,
        defaults=True,
        overwrite=True,
        quiet=True,
        vcs_ref=template_repo.v2,
        conflict=conflict,
    )  # type: ignore[arg-type]
    assert_user_code_kept(project, before)
    assert_config_kept(project)
    code, findings = validate_json(project)
    assert code == 1
    reported = [f for f in findings if f["rule"] == rule]
    assert reported, [f["rule"] for f in findings]
    assert reported[0]["path"].startswith("README.md")
    assert reported[0]["fix"]
