"""`kfp-templates compile`: validation first, default image, atomic output, task options."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from kfp_helpers import cli, parse_back
from kfp_paths import TEMPLATES

from kfp_templates._errors import ConsumerError
from kfp_templates._images._record import BuildRecord, sources_sha256, write_record
from kfp_templates._kfp.project import default_image
from kfp_templates._layout import find_layout

ALL_OPTIONS = """
steps:
  train:
    display_name: Fit the model
    cpu: "4"
    memory: 8G
    accelerator: {type: NVIDIA_TESLA_T4, count: 2}
    env: {MODE: full}
    retries: 3
    caching: false
    node_selector: {pool: gpu}
    tolerations: [{key: gpu, operator: Exists, effect: NoSchedule}]
    secrets: {db: {password: DB_PASSWORD}}
    volumes: {cache-claim: /mnt/cache}
"""


def test_compile_writes_default_output_with_placeholder_image(
    template_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = template_copy("tabular_training")
    assert cli("compile", str(project)) == 0
    output = project / "reference" / "build" / "tabular_training.yaml"
    assert "tabular-training-reference:local" in capsys.readouterr().out
    spec, _ = parse_back(output)
    assert spec.pipeline_info.name == "tabular-training"
    assert [p.name for p in output.parent.iterdir()] == ["tabular_training.yaml"]  # no temp left


def test_compile_refuses_a_project_that_does_not_validate(
    template_copy: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = template_copy("tabular_training")
    (project / "reference" / "user" / "evaluate.py").write_text("def other():\n    pass\n")
    output = tmp_path / "never.yaml"
    assert cli("compile", str(project), "--output", str(output)) == 1
    assert "nothing compiled" in capsys.readouterr().err
    assert not output.exists()


def test_compile_replaces_an_existing_output(
    template_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    output = tmp_path / "pipeline.yaml"
    output.write_text("old")
    assert cli("compile", str(template_copy("batch_prediction")), "-o", str(output),
               "--image", "img:1") == 0
    assert "batch-prediction" in output.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch_prediction", "pipeline.yaml"]


def test_every_task_option_lands_in_the_compiled_yaml(
    template_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    project = template_copy("tabular_training")
    (project / "reference" / "config.yaml").write_text(ALL_OPTIONS)
    output = tmp_path / "p.yaml"
    assert cli("compile", str(project), "-o", str(output), "--image", "img:1") == 0
    pipeline, platform = list(yaml.safe_load_all(output.read_text()))
    container = pipeline["deploymentSpec"]["executors"]["exec-train"]["container"]
    assert container["resources"]["cpuLimit"] == 4.0
    assert container["resources"]["memoryLimit"] == 8.0
    assert container["resources"]["accelerator"] == {
        "count": "2", "resourceCount": "2", "resourceType": "NVIDIA_TESLA_T4",
        "type": "NVIDIA_TESLA_T4"}
    assert {"name": "MODE", "value": "full"} in container["env"]
    task = pipeline["root"]["dag"]["tasks"]["train"]
    assert task["taskInfo"]["name"] == "Fit the model"
    assert task["retryPolicy"]["maxRetryCount"] == 3
    assert task["cachingOptions"] == {}
    _assert_kubernetes(platform["platforms"]["kubernetes"]["deploymentSpec"]["executors"])
    parse_back(output)


def _assert_kubernetes(executors: dict[str, Any]) -> None:
    train = executors["exec-train"]
    assert train["nodeSelector"] == {"labels": {"pool": "gpu"}}
    assert train["tolerations"] == [{"effect": "NoSchedule", "key": "gpu", "operator": "Exists"}]
    assert train["secretAsEnv"][0]["keyToEnv"] == [{"envVar": "DB_PASSWORD",
                                                    "secretKey": "password"}]
    assert train["pvcMount"][0]["mountPath"] == "/mnt/cache"
    assert set(executors) == {"exec-train"}


def test_a_value_kfp_refuses_names_the_config_key(
    template_copy: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = template_copy("tabular_training")
    (project / "reference" / "config.yaml").write_text('steps: {train: {cpu: "2G"}}\n')
    assert cli("compile", str(project), "-o", str(tmp_path / "p.yaml")) == ConsumerError.exit_code
    err = capsys.readouterr().err
    assert "steps.train.cpu" in err and "Traceback" not in err
    assert not (tmp_path / "p.yaml").exists()


@pytest.mark.parametrize(("image", "expected"), [
    ({}, "kfp-project:local"),
    ({"name": "churn"}, "churn:local"),
    ({"name": "churn", "identifier": "ana"}, "churn-ana:local"),
    ({"name": "churn", "registry": "europe-docker.example/proj/repo/"},
     "europe-docker.example/proj/repo/churn:local"),
])
def test_default_image(image: dict[str, str], expected: str) -> None:
    assert default_image({"image": image}) == expected


@pytest.mark.parametrize("name", ["tabular_training", "batch_prediction"])
def test_compile_in_a_consumer_project_layout(name: str, tmp_path: Path) -> None:
    """The template vendored as template_pipeline/ next to user/ and config.yaml compiles too."""
    project = tmp_path / "consumer"
    shutil.copytree(TEMPLATES / name, project / "template_pipeline",
                    ignore=shutil.ignore_patterns("reference", "stubs", "__pycache__"))
    shutil.copytree(TEMPLATES / name / "reference" / "user", project / "user")
    shutil.copyfile(TEMPLATES / name / "reference" / "config.yaml", project / "config.yaml")
    assert cli("compile", str(project), "--image", "img:2") == 0
    spec, _ = parse_back(project / "build" / f"{name}.yaml")
    assert spec.pipeline_info.name == name.replace("_", "-")


def test_compile_uses_the_current_pushed_image_and_falls_back_with_a_note(
    template_copy: Callable[[str], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = template_copy("batch_prediction")
    layout = find_layout(project)
    digest = "sha256:" + "b" * 64
    record = BuildRecord("r.example/x", "c-1", "t-1", digest, "buildah", "t", "1",
                         sources_sha256(layout))
    write_record(layout.root / ".kfp-build", record)
    output = tmp_path / "out.yaml"
    assert cli("compile", str(project), "-o", str(output)) == 0
    assert f"r.example/x@{digest}" in output.read_text()
    with (layout.user_dir / "predict.py").open("a") as handle:
        handle.write("\n# edited after the build\n")
    assert cli("compile", str(project), "-o", str(output)) == 0
    assert "changed since r.example/x@" in capsys.readouterr().err
    assert digest not in output.read_text()
    assert default_image(yaml.safe_load((layout.root / "config.yaml").read_text())) in (
        output.read_text()
    )


def test_a_local_run_does_not_make_a_producer_templates_image_stale(
    template_copy: Callable[[str], Path],
) -> None:
    """Run outputs land in reference/local_outputs, inside the template directory."""
    layout = find_layout(template_copy("batch_prediction"))
    before = sources_sha256(layout)
    outputs = layout.root / "local_outputs" / "run-1"
    outputs.mkdir(parents=True)
    (outputs / "predictions.csv").write_text("a\n1\n")
    assert sources_sha256(layout) == before
    (layout.template_dir / "components.py").write_text("# changed\n")
    assert sources_sha256(layout) != before


def test_compile_names_a_broken_component_spec(
    template_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = template_copy("tabular_training")
    spec = project / "component_specs" / "register_model.yaml"
    spec.write_text(spec.read_text().replace("    exec-register-model:\n",
                                             "    exec-register-model:\n      importer: {}\n"))
    assert cli("compile", str(project)) == 2
    err = capsys.readouterr().err
    assert "component spec tabular_training/component_specs/register_model.yaml: kfp cannot" in err
    assert "multiple \"spec\" oneof" in err
    assert "hint: fix the spec" in err and "config values" not in err
    assert "Traceback" not in err
