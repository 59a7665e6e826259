"""Validate a project, then gather what compile and run need: contract, config, pipeline ref.

No kfp import here: `run --local` prepares in the parent process and runs kfp only in its child.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kfp_templates._errors import ConsumerError, ContractError
from kfp_templates._images import pushed_image
from kfp_templates._kfp.ref import PipelineRef
from kfp_templates._layout import ProjectLayout
from kfp_templates.contract import Contract
from kfp_templates.validators.config import require_valid_config
from kfp_templates.validators.whole_project import ValidationResult, validate_project

LOCAL_TAG = "local"


def default_image(config: Mapping[str, Any]) -> str:
    """The image a compile uses when none is given: `[REGISTRY/]NAME[-IDENTIFIER]:local`.

    The tag `local` marks a placeholder for an image not built or pushed yet; the images
    command passes the pushed digest instead.
    """
    image = config.get("image", {})
    name = str(image.get("name") or "kfp-project")
    identifier = str(image.get("identifier") or "")
    registry = str(image.get("registry") or "").rstrip("/")
    repository = f"{name}-{identifier}" if identifier else name
    return f"{registry}/{repository}:{LOCAL_TAG}" if registry else f"{repository}:{LOCAL_TAG}"


def image_for(
    layout: ProjectLayout, config: Mapping[str, Any], given: str | None, *, need_pushed: bool
) -> tuple[str, str]:
    """The image a compile puts in every step, and a note when it is a fallback.

    In order: `given` (`--image`); the last pushed build by digest when it holds the project's
    current sources; else the `default_image` placeholder, which is fine for local runs and
    dry runs but runs nowhere else, so `need_pushed` (remote submission) refuses it.

    Raises:
        ConsumerError: when `need_pushed` and no pushed image holds the current sources.
    """
    if given:
        return given, ""
    pushed = pushed_image(layout)
    if pushed.image:
        return pushed.image, ""
    if need_pushed:
        raise ConsumerError(
            f"no pushed image holds this project's current code: {pushed.why_not}",
            hint="run `kfp-templates build --push` first, or pass --image REGISTRY/NAME@sha256:...",
        )
    return default_image(config), f"{pushed.why_not}; steps name the placeholder image"


@dataclass(frozen=True)
class PreparedProject:
    """A validated project, ready to compile or run.

    Attributes:
        layout: Where things are.
        contract: The template's contract.
        config: The consumer's config with the contract's defaults applied.
        ref: The template's pipeline factory.
    """

    layout: ProjectLayout
    contract: Contract
    config: Mapping[str, Any]
    ref: PipelineRef


def prepare(layout: ProjectLayout) -> tuple[PreparedProject | None, ValidationResult]:
    """Validate the project; when nothing is an error, also load its config and pipeline ref.

    Raises:
        ContractError: when the contract names no pipeline (the template cannot be compiled).
    """
    result = validate_project(layout)
    if result.contract is None or result.exit_code != 0:
        return None, result
    contract = result.contract
    if contract.pipeline is None:
        raise ContractError(
            f"the contract of template {contract.name} has no `pipeline` entry",
            hint="the producer must add `pipeline: {module: pipeline, function: NAME}`",
            location=layout.display(layout.contract_path),
        )
    ref = PipelineRef(
        layout.template_dir, contract.name, contract.pipeline.module, contract.pipeline.function
    )
    config = require_valid_config(layout, contract)
    return PreparedProject(layout, contract, config, ref), result
