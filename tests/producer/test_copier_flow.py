"""End to end with the real copier: new-template -> release -> copy -> breaking release ->
upgrade-check -> copier update -> validate. Nothing mocked: git, copier and the CLI are real."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import commit_all, git

from kfp_templates._cli.main import main

copier = pytest.importorskip("copier")

ANSWERS_JINJA = (
    "# Changes here will be overwritten by Copier\n{{ _copier_answers|to_nice_yaml -}}\n"
)
CONFIG_JINJA = "{% include 'producer_templates/' ~ template ~ '/stubs/config.yaml' %}\n"
EXTRA_CONTRACT = """\
  - module: user.extra
    name: summarise
    doc: Summarise the stored text.
    parameters:
      - {name: text, annotation: str}
    returns: str
requirements:"""


def _ok(args: list[str]) -> None:
    assert main(args) == 0, args


def _release(repo: Path, version: str) -> None:
    changelog = repo / "producer_templates" / "alpha" / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("\n## ", f"\n## {version}\n\n- x\n\n## ", 1))
    commit_all(repo, f"release {version}")
    _ok(["release", version, "--root", str(repo), "--no-run"])


def _breaking_change(repo: Path) -> None:
    """Template alpha 0.2.0 requires a new function in a new module, user.extra.summarise."""
    base = repo / "producer_templates" / "alpha"
    contract = base / "contract.yaml"
    text = contract.read_text().replace("version: 0.1.0", "version: 0.2.0")
    contract.write_text(text.replace("requirements:", EXTRA_CONTRACT, 1))
    (base / "reference" / "user" / "extra.py").write_text(
        'def summarise(text: str) -> str:\n    """Summarise."""\n    return text[:10]\n'
    )
    _ok(["stubs", str(base)])


@pytest.fixture
def repo(template_repo: Path) -> Path:
    """A template repository copier can copy from, with alpha released as v0.1.0."""
    (template_repo / "template").mkdir()
    (template_repo / "template" / "{{_copier_conf.answers_file}}.jinja").write_text(ANSWERS_JINJA)
    (template_repo / "template" / "config.yaml.jinja").write_text(CONFIG_JINJA)
    _ok(["new-template", "alpha", "--root", str(template_repo)])
    copier_yml = template_repo / "copier.yml"  # release refuses the scaffold's placeholder
    copier_yml.write_text(
        copier_yml.read_text().replace("(describe it here)", "(turns a number into a report)")
    )
    _release(template_repo, "0.1.0")
    return template_repo


@pytest.mark.slow
def test_copy_update_and_upgrade_check(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    copier.run_copy(
        str(repo), project, data={"template": "alpha"}, vcs_ref="v0.1.0", defaults=True, quiet=True
    )
    assert (project / "template_pipeline" / "contract.yaml").is_file()
    mine = "def process(message: str, *, repeat: int = 1) -> str:\n    return message * repeat\n"
    (project / "user" / "process.py").write_text(mine)
    _ok(["validate", str(project)])
    git(project, "init", "--quiet", "--initial-branch=main")
    commit_all(project, "copier copy")

    _breaking_change(repo)
    _release(repo, "0.2.0")
    capsys.readouterr()
    assert main(["upgrade-check", str(project), "--format", "json"]) == 1
    rules = {finding["rule"] for finding in json.loads(capsys.readouterr().out)}
    assert {"VER200", "VER201"} <= rules and any(rule.startswith("USR") for rule in rules)

    copier.run_update(project, vcs_ref="v0.2.0", defaults=True, overwrite=True, quiet=True)
    assert (project / "user" / "process.py").read_text() == mine
    assert (project / "user" / "extra.py").is_file()  # a stub for the new module
    assert "version: 0.2.0" in (project / "template_pipeline" / "contract.yaml").read_text()
    _ok(["validate", str(project)])
