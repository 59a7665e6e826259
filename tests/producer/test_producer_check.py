"""`producer check` on a scaffolded repository, one breakage at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kfp_templates._cli.main import main

ALPHA = Path("producer_templates") / "alpha"


@pytest.fixture
def repo(template_repo: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A repository with one scaffolded template, alpha."""
    assert main(["new-template", "alpha", "--root", str(template_repo)]) == 0
    capsys.readouterr()
    return template_repo


def _check(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, set[str]]:
    code = main(["producer", "check", str(repo), "--format", "json", *args])
    return code, {finding["rule"] for finding in json.loads(capsys.readouterr().out)}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_broken_contract_is_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(repo / ALPHA / "contract.yaml", "contract_format: 1", "contract_format: 2")
    assert _check(repo, capsys, "--no-run") == (2, {"CON102"})


def test_contract_name_must_match_directory(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(repo / ALPHA / "contract.yaml", "name: alpha", "name: beta")
    code, rules = _check(repo, capsys, "--no-compile")
    assert code == 2 and "CON102" in rules


def test_reference_must_pass_its_contract(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(repo / ALPHA / "reference/user/process.py", "message: str", "message: int")
    code, rules = _check(repo, capsys, "--no-compile")
    assert code == 1 and any(rule.startswith("USR") for rule in rules)
    out = main(["producer", "check", str(repo), "--no-compile"])
    assert out == 1
    assert "producer_templates/alpha/reference/user/process.py:" in capsys.readouterr().out


def test_pipeline_must_compile(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(repo / ALPHA / "pipeline.py", 'ctx.param("repeat")', 'ctx.param("no_such_key")')
    assert _check(repo, capsys, "--no-run") == (1, {"VER404"})


def test_component_specs_must_load(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ALPHA / "broken.yaml").write_text("name: a\nname: b\n")
    _edit(repo / ALPHA / "pipeline.py", "    process = ctx.component(",
          '    ctx.load_component_spec("broken.yaml")\n    process = ctx.component(')
    assert main(["producer", "check", str(repo), "--no-run"]) == 1
    out = capsys.readouterr().out
    assert "VER404" in out
    assert "component spec alpha/broken.yaml:2:1: duplicate key 'name'" in out


@pytest.mark.slow
def test_a_container_spec_is_a_warning_of_the_local_run(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = Path(__file__).parents[1] / "_kfp" / "specs" / "v1_own_image.yaml"
    (repo / ALPHA / "append.yaml").write_text(spec.read_text())
    _edit(repo / ALPHA / "pipeline.py", "    process = ctx.component(",
          '    append = ctx.load_component_spec("append.yaml")\n    process = ctx.component(')
    _edit(repo / ALPHA / "pipeline.py", '"process")\n',
          '"process")\n        append(line=message, source=dsl.importer(\n'
          '            artifact_uri="/data", artifact_class=dsl.Dataset).output)\n')
    code = main(["producer", "check", str(repo), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)
    assert code == 0, findings
    assert [(f["rule"], f["severity"]) for f in findings] == [("VER407", "warning")]
    assert findings[0]["message"].startswith(
        "local run stopped at step 'append-line-own-image': kfp.local cannot run a container")


@pytest.mark.slow
def test_reference_must_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(
        repo / ALPHA / "reference/user/process.py", "return", "raise ValueError('boom')\n    return"
    )
    code = main(["producer", "check", str(repo)])
    out = capsys.readouterr().out
    assert code == 1 and "VER405" in out and "boom" in out


def test_github_annotations(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "copier.yml").write_text((repo / "copier.yml").read_text().replace(": alpha", ": x"))
    assert main(["producer", "check", str(repo), "--no-compile", "--format", "github"]) == 1
    assert "::error file=copier.yml,title=VER400" in capsys.readouterr().out


def test_not_a_template_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["producer", "check", str(tmp_path)]) == 2
    assert "has no producer_templates/ directory" in capsys.readouterr().err


def test_only_the_named_template(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-template", "beta", "--root", str(repo)]) == 0
    _edit(
        repo / "producer_templates/beta/reference/user/process.py", "message: str", "message: int"
    )
    capsys.readouterr()
    assert main(["producer", "check", str(repo), "--no-compile", "--template", "alpha"]) == 0
    assert "1 template(s)" in capsys.readouterr().out
    assert main(["producer", "check", str(repo), "--no-compile", "--template", "gamma"]) == 2
    assert "no template named gamma" in capsys.readouterr().err
