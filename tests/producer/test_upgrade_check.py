"""`upgrade-check` on a real template source repository with two release tags."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from gitrepo import commit_all, init

from kfp_templates._cli.main import main

CASES = Path(__file__).parents[1] / "cases"
NAME = "case_base"


def _contract() -> dict[str, object]:
    document: dict[str, object] = yaml.safe_load(
        (CASES / "base" / "template_pipeline" / "contract.yaml").read_text()
    )
    return document


def _v2(document: dict) -> dict:  # type: ignore[type-arg]
    document["version"] = "2.0.0"
    document["functions"].append(
        {
            "module": "user.evaluate",
            "name": "evaluate",
            "parameters": [{"name": "model", "annotation": "typing.Any"}],
            "returns": "float",
        }
    )
    document["functions"][1]["parameters"].append(
        {
            "name": "verbose",
            "annotation": "bool",
            "kind": "keyword_only",
            "default": "allowed",
            "stub_default": False,
            "optional": True,
        }
    )
    return document


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A template source with v1.0.0 (the base contract) and v2.0.0 (a breaking change)."""
    repo = init(tmp_path / "source")
    contract = repo / "producer_templates" / NAME / "contract.yaml"
    contract.parent.mkdir(parents=True)
    contract.write_text(yaml.safe_dump(_contract()))
    commit_all(repo, "first", tag="v1.0.0")
    contract.write_text(yaml.safe_dump(_v2(_contract())))
    commit_all(repo, "second", tag="v2.0.0")
    commit_all(repo, "not a release", tag="not-a-version")
    return repo


@pytest.fixture
def project(tmp_path: Path, source: Path) -> Path:
    """A consumer project copied at v1.0.0 whose code passes that contract."""
    root = tmp_path / "project"
    shutil.copytree(CASES / "base", root)
    answers = {"_commit": "v1.0.0", "_src_path": str(source), "template": NAME}
    (root / ".copier-answers.yml").write_text(yaml.safe_dump(answers))
    return root


def test_breaking_release_lists_what_to_change(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["upgrade-check", str(project), "--to", "v2.0.0"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("contract 1.0.0 -> 2.0.0: 2 breaking, 1 compatible change(s)")
    assert "user/evaluate.py" in out  # the validator's finding: the module to write
    assert "VER200 error: breaking: new function user.evaluate:evaluate" in out
    assert "VER301 warning: compatible:" in out
    assert "stubs --missing" in out


def test_default_target_is_the_latest_release(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(project), "--format", "json"]) == 1
    rules = {finding["rule"] for finding in json.loads(capsys.readouterr().out)}
    assert {"VER200", "VER201", "VER301"} <= rules


def test_same_release_needs_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["upgrade-check", str(project), "--to", "v1.0.0"]) == 0
    assert "0 breaking, 0 compatible" in capsys.readouterr().out


def test_contract_file_instead_of_source(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "next.yaml"
    target.write_text(yaml.safe_dump(_v2(_contract())))
    assert main(["upgrade-check", str(project), "--contract", str(target)]) == 1
    assert "new function user.evaluate:evaluate" in capsys.readouterr().out


def test_a_new_required_parameter_is_an_error_and_needs_no_stubs(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """VER202 alone: a breaking change (error, exit 1), and no module is new, so no stubs hint."""
    document = _contract()
    document["version"] = "2.0.0"
    document["functions"][1]["parameters"].insert(1, {"name": "n_jobs", "annotation": "int"})  # type: ignore[index]
    target = tmp_path / "next.yaml"
    target.write_text(yaml.safe_dump(document))
    assert main(["upgrade-check", str(project), "--contract", str(target)]) == 1
    out = capsys.readouterr().out
    assert "VER202 error: breaking:" in out
    assert "stubs --missing" not in out


def test_broken_target_contract_is_exit_2(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "broken.yaml"
    target.write_text("contract_format: 1\nname: x\n")
    assert main(["upgrade-check", str(project), "--contract", str(target)]) == 2
    assert f"{target}:" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "v9.0.0"], "'v9.0.0' is not a commit or tag"),
        (["--contract", "missing.yaml"], "missing.yaml is not a file"),
    ],
)
def test_bad_input_is_exit_2(
    project: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["upgrade-check", str(project), *args]) == 2
    assert message in capsys.readouterr().err


def test_project_without_answers_says_what_to_do(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".copier-answers.yml").unlink()
    assert main(["upgrade-check", str(project)]) == 2
    assert "pass --contract FILE" in capsys.readouterr().err


def test_relative_source_path_is_read_from_the_project(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """copier records a local source path as typed; resolve it against the project."""
    answers = {"_commit": "v1.0.0", "_src_path": "../source", "template": NAME}
    (project / ".copier-answers.yml").write_text(yaml.safe_dump(answers))
    assert main(["upgrade-check", str(project), "--to", "v2.0.0"]) == 1
    assert "new function user.evaluate:evaluate" in capsys.readouterr().out
