"""Helpers for the kfp-layer tests: normalised compiled YAML, CLI calls, run outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from google.protobuf import json_format
from kfp.pipeline_spec import pipeline_spec_pb2

from kfp_templates._cli.main import main
from kfp_templates._kfp.compiling import compile_project
from kfp_templates._layout import find_layout
from kfp_templates._project_loader import LoadedProject
from kfp_templates.contract import load_contract
from kfp_templates.validators.config import load_config

# Keys whose values depend on the kfp release or the machine, not on the template.
_VOLATILE = ("sdkVersion",)


def normalised(path: Path) -> list[dict[str, Any]]:
    """The compiled YAML's documents with the kfp version dropped, for golden comparisons."""
    documents = [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]
    for document in documents:
        for key in _VOLATILE:
            document.pop(key, None)
    return documents


def parse_back(path: Path) -> tuple[Any, Any]:
    """The pipeline spec (and platform spec, or None) parsed with kfp-pipeline-spec protos."""
    documents = [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]
    spec = json_format.ParseDict(documents[0], pipeline_spec_pb2.PipelineSpec())
    platform = (json_format.ParseDict(documents[1], pipeline_spec_pb2.PlatformSpec())
                if len(documents) > 1 else None)
    return spec, platform


def cli(*argv: str) -> int:
    """Run the kfp-templates CLI in this process."""
    return main(list(argv))


def executor_output(run_dir: Path, task: str) -> dict[str, Any]:
    """What a kfp.local task reported (parameters and artifact metadata)."""
    return json.loads((run_dir / task / "executor_output.json").read_text(encoding="utf-8"))


def run_dir_of(project: Path, prefix: str) -> Path:
    """The single run directory kfp.local made in a run's own directory in local_outputs/."""
    runs = sorted((project / "reference" / "local_outputs").glob(f"*/{prefix}-*"))
    assert len(runs) == 1, runs
    return runs[0]


def compile_without_validation(project: Path, output: Path, image: str) -> Path:
    """Compile a template directory the way `compile` does, minus the validate step.

    For tests of the compiler alone (the golden files), which must not hang on validate's verdict.
    """
    prepared = prepare_without_validation(project)
    return compile_project(prepared, output, image)


def prepare_without_validation(project: Path) -> LoadedProject:
    """A LoadedProject for `project`, its contract and config loaded but user code unchecked."""
    layout = find_layout(project)
    contract, findings = load_contract(layout.contract_path, "contract.yaml")
    assert contract is not None and contract.pipeline is not None, findings
    loaded = load_config(layout, contract)
    assert not loaded.errors, loaded.errors
    return LoadedProject(layout, contract, loaded.data)
