"""YAML component specs shipped inside a template (seeds 003 and 004), retargeted to an image.

A producer may ship components as KFP component YAML (the IR a compiled lightweight component
produces) instead of Python. The spec's image is whatever the producer compiled it with; here
every executor's image is replaced by the consumer's, so specs follow the same rule as Python
components: the image is a compile-time parameter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from kfp import components

from kfp_templates._errors import ContractError


def load(template_dir: Path, relative: str, image: str) -> Any:
    """Load `template_dir/relative` as a component running `image`.

    Raises:
        ContractError: when the spec is missing, outside the template or not a component.
    """
    path = (template_dir / relative).resolve()
    if not path.is_relative_to(template_dir.resolve()) or not path.is_file():
        raise ContractError(
            f"component spec {relative} is not a file inside the template",
            hint="ask the template's producer to ship it, or run `copier update`",
        )
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    executors = _executors(document, relative)
    for executor in executors.values():
        executor.setdefault("container", {})["image"] = image
    return components.load_component_from_text(yaml.safe_dump(document, sort_keys=False))


def _executors(document: Any, relative: str) -> dict[str, Any]:
    executors = (
        document.get("deploymentSpec", {}).get("executors") if isinstance(document, dict) else None
    )
    if not isinstance(executors, dict) or not executors:
        raise ContractError(
            f"component spec {relative} has no deploymentSpec.executors",
            hint="compile the component with kfp 2 (`kfp.compiler.Compiler().compile(...)`)",
        )
    return executors
