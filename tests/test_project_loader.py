"""The one project loader: each command validates once and reads the config once."""

from __future__ import annotations

import collections
import functools
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kfp_templates._cli.main import main
from kfp_templates._errors import ConsumerError, ContractError
from kfp_templates._layout import find_layout
from kfp_templates._project_loader import load_project, load_settings, refusal
from kfp_templates.validators import config as config_module
from kfp_templates.validators import whole_project as project_module

from helpers import CASES, build_file_tree

REPO = Path(__file__).resolve().parents[1]
IMAGE = "r.example/i@sha256:" + "0" * 64


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A real producer template with GCP settings, so that it compiles and submits."""
    root = tmp_path / "custom_component"
    shutil.copytree(REPO / "producer_templates" / "custom_component", root)
    config = root / "reference" / "config.yaml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["gcp"] = {"project": "my-project-123", "region": "europe-west4"}
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return root


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    """Count every entry into validation, contract reading and config loading."""
    counter: collections.Counter[str] = collections.Counter()

    def spy(module: Any, name: str) -> None:
        original: Callable[..., Any] = getattr(module, name)

        @functools.wraps(original)
        def counted(*args: Any, **kwargs: Any) -> Any:
            counter[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    spy(project_module, "validate_project")
    spy(project_module, "read_contract")  # validate reads the contract, then checks it
    spy(config_module, "load_config")
    return counter


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["compile", "{t}", "--image", IMAGE, "-o", "{out}"], id="compile"),
        pytest.param(["submit", "{t}", "--image", IMAGE, "--dry-run"], id="submit-compiling"),
        pytest.param(
            ["submit", "{t}", "--image", IMAGE, "--dry-run", "--engine", "kfp"],
            id="submit-kfp-compiling",
        ),
    ],
)
def test_each_command_loads_the_project_once(
    argv: list[str],
    template: Path,
    tmp_path: Path,
    calls: collections.Counter[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out.yaml"
    filled = [arg.format(t=template, out=out) for arg in argv]
    if "kfp" in filled:
        _set_kfp_host(template)
    assert main(filled) == 0, capsys.readouterr().err
    assert calls == {"validate_project": 1, "read_contract": 1, "load_config": 1}


def test_submitting_a_given_pipeline_loads_once(
    template: Path, tmp_path: Path, calls: collections.Counter[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    pipeline = build_file_tree(tmp_path, {"given.yaml": "pipelineInfo: {name: x}\n"}) / "given.yaml"
    assert main(["submit", str(template), "--pipeline", str(pipeline), "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out)["job"]["template_path"] == str(pipeline)
    assert calls == {"validate_project": 1, "read_contract": 1, "load_config": 1}


def test_loaded_config_has_the_defaults_applied(template: Path) -> None:
    project, result = load_project(find_layout(template))
    assert project is not None and result.loaded_config is not None
    assert project.config == result.loaded_config.data
    assert project.config == config_module.require_valid_config(project.layout, project.contract)


def test_an_invalid_project_loads_nothing_and_keeps_the_findings(tmp_path: Path) -> None:
    project_dir = tmp_path / "project"
    shutil.copytree(CASES / "base", project_dir)
    (project_dir / "config.yaml").write_text("parameters: [\n", encoding="utf-8")
    project, result = load_project(find_layout(project_dir))
    assert project is None
    assert [f.rule.id for f in result.findings if f.is_error] == ["CFG103"]
    error = refusal(result)
    assert type(error) is ConsumerError
    assert error.message == "1 validation error(s); nothing was submitted"


@pytest.mark.parametrize(
    ("need_pipeline", "refused"), [(True, True), (False, False)], ids=["compile", "submit"]
)
def test_a_contract_without_pipeline_is_refused_only_when_needed(
    tmp_path: Path, need_pipeline: bool, refused: bool
) -> None:
    project_dir = tmp_path / "project"
    shutil.copytree(CASES / "base", project_dir)
    contract = project_dir / "template_pipeline" / "contract.yaml"
    document = yaml.safe_load(contract.read_text(encoding="utf-8"))
    del document["pipeline"]
    contract.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    layout = find_layout(project_dir)
    if refused:
        with pytest.raises(ContractError, match="has no `pipeline` entry"):
            load_project(layout, need_pipeline=need_pipeline)
        return
    project, _result = load_project(layout, need_pipeline=need_pipeline)
    assert project is not None
    with pytest.raises(ContractError, match="has no `pipeline` entry"):
        project.ref  # noqa: B018 - the property raises


def test_settings_skip_user_code(tmp_path: Path, calls: collections.Counter[str]) -> None:
    project_dir = tmp_path / "project"
    shutil.copytree(CASES / "base", project_dir)
    (project_dir / "user" / "train.py").write_text("def train(:\n", encoding="utf-8")
    assert "parameters" in load_settings(project_dir)
    assert calls == {"load_config": 1}


def _set_kfp_host(template: Path) -> None:
    config = template / "reference" / "config.yaml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings.setdefault("run", {})["kfp"] = {"host": "https://kfp.example"}
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
