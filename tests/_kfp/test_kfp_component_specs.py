"""YAML component specs: every format kfp loads, the image rule, and broken specs.

The specs in `specs/` were written for these tests, one per format kfp 2.17's
`components.load_component_from_file` loads; most say `image: CONSUMER_IMAGE`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from kfp_helpers import parse_back
from kfp_paths import TEMPLATES

from kfp_templates._errors import ContractError, ExitCode
from kfp_templates._kfp.compiling import compile_pipeline
from kfp_templates._kfp.component_specs import load
from kfp_templates._kfp.context import TemplateContext
from kfp_templates._pipeline_ref import PipelineRef

from helpers import build_file_tree

SPECS = Path(__file__).parent / "specs"
OWN_IMAGE = ("tools/append:1.0@sha256:"
             "0f3e5e1a9b1c4d2e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e")

FORMATS = {
    "v1 container": ("v1_container.yaml", {"line", "source"}, {"exec-append-line": "img:7"}),
    "v2 component": ("v2_component.yaml", {"a", "b"}, {"exec-add": "img:7"}),
    "v2 pipeline": ("v2_pipeline.yaml", {"a", "b"}, {"exec-add": "img:7", "exec-add-2": "img:7"}),
    "importer": ("importer.yaml", {"uri"}, {"exec-count-lines": "img:7", "exec-importer": None}),
    "multi-document": ("multi_document.yaml", {"a", "b"}, {"exec-add": "img:7"}),
}


def _images(component: Any) -> dict[str, str | None]:
    executors = json_format.MessageToDict(component.pipeline_spec.deployment_spec)["executors"]
    return {name: spec.get("container", {}).get("image") for name, spec in executors.items()}


@pytest.mark.parametrize(("spec", "inputs", "images"), FORMATS.values(), ids=FORMATS.keys())
def test_every_format_kfp_loads_loads_with_placeholder_images_replaced(
    spec: str, inputs: set[str], images: dict[str, str | None]
) -> None:
    component = load(SPECS, spec, "img:7")
    assert set(component.component_spec.inputs) == inputs
    assert _images(component) == images


def test_the_platform_spec_of_a_second_document_is_kept() -> None:
    component = load(SPECS, "multi_document.yaml", "img:7")
    platform = json_format.MessageToDict(component.component_spec.platform_spec)
    assert platform["platforms"]["kubernetes"]["deploymentSpec"]["executors"]["exec-add"] == {
        "nodeSelector": {"labels": {"pool": "cpu"}}}


def test_the_description_in_a_v2_spec_header_is_read_as_kfp_reads_it(tmp_path: Path) -> None:
    text = (SPECS / "v2_pipeline.yaml").read_text().replace(
        "# Name: add-twice\n", "# Name: add-twice\n# Description: Adds b twice.\n")
    build_file_tree(tmp_path / "tpl", {"spec.yaml": text})
    component = load(tmp_path / "tpl", "spec.yaml", "img:7")
    assert component.component_spec.description == "Adds b twice."


IMAGE_RULE = {
    "own image kept": ("v1_own_image.yaml", False, OWN_IMAGE),
    "own image replaced when the producer says so": ("v1_own_image.yaml", True, "img:7"),
    "placeholder replaced": ("v1_container.yaml", False, "img:7"),
}


@pytest.mark.parametrize(("spec", "on_consumer", "image"), IMAGE_RULE.values(),
                         ids=IMAGE_RULE.keys())
def test_a_spec_keeps_its_own_image_unless_the_producer_says_otherwise(
    spec: str, on_consumer: bool, image: str
) -> None:
    component = load(SPECS, spec, "img:7", on_consumer_image=on_consumer)
    assert component.component_spec.implementation.container.image == image


def test_the_bundled_register_model_spec_says_it_runs_on_the_consumer_image() -> None:
    relative = "component_specs/register_model.yaml"
    assert "image: CONSUMER_IMAGE" in (TEMPLATES / "tabular_training" / relative).read_text()
    component = load(TEMPLATES / "tabular_training", relative, "img:7")
    assert component.component_spec.implementation.container.image == "img:7"
    assert component.component_spec.description.startswith("Publish the accepted model")


def test_every_format_compiles_into_one_template_pipeline(tmp_path: Path) -> None:
    ref = PipelineRef(SPECS, "every_format", "pipeline", "every_format")
    context = TemplateContext("img:7", {"parameters": {"uri": "/data"}}, tmp_path, SPECS)
    spec, platform = parse_back(compile_pipeline(ref, context, tmp_path / "out.yaml"))
    executors = json_format.MessageToDict(spec.deployment_spec)["executors"]
    images = {name: executor["container"]["image"] for name, executor in executors.items()
              if "container" in executor}
    assert images.pop("exec-append-line-own-image") == OWN_IMAGE
    # four adds (kfp numbers them in build order), count-lines and the v1 append
    assert list(images.values()) == ["img:7"] * 6
    assert sum("importer" in executor for executor in executors.values()) == 2
    assert platform is not None and "kubernetes" in platform.platforms


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)

BROKEN: dict[str, tuple[str | bytes, str]] = {
    "not UTF-8": (b"name: \xff\xfe\n", "not UTF-8 text"),
    "alias bomb": (ALIAS_BOMB, "aliases expand to more than"),
    "aliases of a long text": ("a: &a " + "x" * 200_000 + "\nb: [" + "*a, " * 60 + "*a]\n",
                               "expand it to more than"),
    "duplicate key": ("name: a\nname: b\n", "spec.yaml:2:1: duplicate key 'name'"),
    "YAML syntax": ("name: [unclosed\n", "spec.yaml:2:1:"),
    "empty": ("", "0 YAML documents"),
    "three documents": ("a: 1\n---\nb: 2\n---\nc: 3\n", "3 YAML documents"),
    "a list": ("- name: x\n", "not a mapping"),
    "neither v1 nor v2": ("name: old v1 style\n", "neither a v1 component"),
    "v2 without components": ("pipelineInfo: {name: x}\n", "KeyError: 'components'"),
    "v1 container without image": (
        "name: x\nimplementation:\n  container: {command: [sh]}\n", "missing 1 required"),
}


@pytest.mark.parametrize(("text", "cause"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_spec_is_a_contract_error_naming_it(
    tmp_path: Path, text: str | bytes, cause: str
) -> None:
    build_file_tree(tmp_path / "tpl", {"spec.yaml": text})
    with pytest.raises(ContractError) as raised:
        load(tmp_path / "tpl", "spec.yaml", "img:1")
    assert raised.value.message.startswith("component spec tpl/spec.yaml")
    assert cause in raised.value.message
    assert raised.value.exit_code == ExitCode.BAD_INPUT


def test_an_importer_with_a_container_is_refused_when_loaded(tmp_path: Path) -> None:
    text = (SPECS / "importer.yaml").read_text()
    build_file_tree(tmp_path / "tpl", {"spec.yaml": text.replace(
        "    exec-importer:\n      importer:\n",
        "    exec-importer:\n      container: {image: CONSUMER_IMAGE}\n      importer:\n")})
    with pytest.raises(ContractError, match=r"tpl/spec.yaml: .*multiple \"spec\" oneof"):
        load(tmp_path / "tpl", "spec.yaml", "img:1")


@pytest.mark.parametrize("relative", ["component_specs/missing.yaml",
                                      "../batch_prediction/contract.yaml", "component_specs"])
def test_component_spec_must_be_a_file_inside_the_template(relative: str) -> None:
    with pytest.raises(ContractError, match="not a file inside the template"):
        load(TEMPLATES / "tabular_training", relative, "img:1")
