"""Golden files of each template's compiled pipeline (normalised), and a parse-back check.

Regenerate after an intended change: `pytest tests/_kfp --update-golden`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from google.protobuf import json_format
from kfp.pipeline_spec import pipeline_spec_pb2
from kfp_helpers import compile_without_validation, normalised, parse_back
from kfp_paths import GOLDEN, GOLDEN_IMAGE, TEMPLATE_NAMES


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_compiled_pipeline_matches_golden(
    name: str, template_copy: Callable[[str], Path], tmp_path: Path, update_golden: bool
) -> None:
    output = compile_without_validation(template_copy(name), tmp_path / "p.yaml", GOLDEN_IMAGE)
    documents = normalised(output)
    golden = GOLDEN / f"{name}.yaml"
    if update_golden:
        golden.write_text(yaml.safe_dump_all(documents, sort_keys=True), encoding="utf-8")
    assert golden.is_file(), "no golden file: run `pytest tests/_kfp --update-golden`"
    expected = list(yaml.safe_load_all(golden.read_text(encoding="utf-8")))
    assert documents == expected, "compiled YAML changed: review, then --update-golden"


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_compiled_pipeline_parses_as_pipeline_spec(
    name: str, template_copy: Callable[[str], Path], tmp_path: Path
) -> None:
    spec, _ = parse_back(compile_without_validation(template_copy(name), tmp_path / "p.yaml",
                                                    GOLDEN_IMAGE))
    images = {executor.container.image
              for executor in _executors(spec) if executor.HasField("container")}
    assert images == {GOLDEN_IMAGE}
    assert spec.root.dag.tasks


def _executors(spec: Any) -> list[Any]:
    deployment = spec.deployment_spec
    parsed = json_format.ParseDict(json_format.MessageToDict(deployment),
                                   pipeline_spec_pb2.PipelineDeploymentConfig())
    return list(parsed.executors.values())
