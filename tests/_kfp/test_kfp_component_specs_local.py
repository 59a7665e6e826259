"""Component specs on kfp.local: those on the consumer's image run; the others get a clear note.

These really run pipelines on kfp.local's subprocess runner, so they are marked slow.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from kfp_helpers import cli, run_dir_of

from kfp_templates._kfp.local_run import LocalRunRequest, run_local
from kfp_templates._pipeline_ref import PipelineRef

from helpers import build_file_tree

pytestmark = pytest.mark.slow

SPECS = Path(__file__).parent / "specs"
OWN_IMAGE = "tools/register:2.0@sha256:" + "ab" * 32

V1_REGISTER = f"""\
name: register model
inputs:
- name: model
  type: Model
- name: model_name
  type: String
- name: metric_name
  type: String
- name: metric_value
  type: Float
implementation:
  container:
    image: {OWN_IMAGE}
    command:
    - sh
    - -ec
    - echo "$0 $1"
    - inputValue: model_name
    - inputPath: model
"""


def _request(tmp_path: Path, function: str) -> LocalRunRequest:
    build_file_tree(tmp_path / "root", {"lines.txt": "a\nb\nc\n"})
    return LocalRunRequest(
        ref=PipelineRef(SPECS, function, "pipeline", function),
        root=tmp_path / "root",
        image="consumer-python:1",
        config={"parameters": {"uri": str(tmp_path / "root" / "lines.txt")}},
        pipeline_root=tmp_path / "outputs",
        step_timeout=120,
        log_path=tmp_path / "run.log",
    )


def test_specs_on_the_consumer_image_run_on_kfp_local(tmp_path: Path) -> None:
    outcome = run_local(_request(tmp_path, "consumer_image"))
    assert outcome.ok, outcome
    assert outcome.run_dir is not None
    outputs = sorted(json.loads(path.read_text())["parameterValues"]["Output"]
                     for path in outcome.run_dir.glob("*/executor_output.json"))
    # add: 1+2; the v2 pipeline spec adds 10 twice; the multi-document spec adds 100; the
    # importer spec counts 3 lines (kfp.local names the inner tasks by its own rules)
    assert outputs == [3, 3, 13, 23, 123]
    assert "note:" not in (tmp_path / "run.log").read_text()


def test_a_container_spec_on_its_own_image_stops_the_run_with_a_note(tmp_path: Path) -> None:
    outcome = run_local(_request(tmp_path, "own_image"))
    assert (outcome.status, outcome.step) == ("unsupported", "append-line-own-image")
    assert outcome.message.startswith("kfp.local cannot run a container component")
    assert "kfp-templates submit" in outcome.hint
    log = (tmp_path / "run.log").read_text()
    assert "note: step 'append-line-own-image' is a container component (image tools/" in log
    assert "Traceback" not in log


def test_run_local_notes_specs_on_their_own_images(
    template_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = template_copy("tabular_training")
    spec = project / "component_specs" / "register_model.yaml"
    spec.write_text(spec.read_text().replace("image: CONSUMER_IMAGE", f"image: {OWN_IMAGE}"))
    assert cli("run", "--local", str(project)) == 0
    err = capsys.readouterr().err
    assert f"note: step 'register-model' runs on its own image {OWN_IMAGE} in the cloud" in err
    assert (run_dir_of(project, "tabular-training") / "register-model").is_dir()


def test_run_local_stops_clearly_at_a_container_component(
    template_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = template_copy("tabular_training")
    (project / "component_specs" / "register_model.yaml").write_text(V1_REGISTER)
    assert cli("run", "--local", str(project)) == 1
    err = capsys.readouterr().err
    assert "note: step 'register-model' is a container component" in err
    assert ("error: step 'register_model' stopped the local run: kfp.local cannot run a "
            "container component" in err)
    assert "hint: the step runs on Vertex AI and KFP" in err
    assert "Traceback" not in err
