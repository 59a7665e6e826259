"""YAML component specs shipped inside a template, loaded the way kfp loads them.

A producer may ship components as YAML: a KFP v1 `component.yaml` (`implementation: container:`),
a compiled v2 component or pipeline (IR, maybe with importers), or IR plus a platform spec as a
second document. kfp parses all of these itself (`ComponentSpec.from_yaml_documents`); this module
only reads the text with the bounded YAML loader first (kfp's `yaml.safe_load` expands alias
bombs without limit) and decides each container's image: a spec keeps its own images unless the
producer says it runs on the consumer's image, with `on_consumer_image=True` or with the
placeholder image `CONSUMER_IMAGE` in the spec (docs/decisions/0012-component-spec-images.md).
Every way a spec can be broken is a ContractError naming the spec and the cause.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from google.protobuf import json_format
from kfp import components
from kfp.pipeline_spec import pipeline_spec_pb2

from kfp_templates._errors import ContractError
from kfp_templates._yamlio import MAX_BYTES, YamlLoadError, leaves, load_yaml_documents

#: The image a producer compiles a spec with to say "this runs on the consumer's image".
#: Upper case is never a valid image reference, so a spec holding it can never pull by mistake.
CONSUMER_IMAGE = "CONSUMER_IMAGE"
_HINT = (
    "fix the spec (load it with `kfp.components.load_component_from_file` to check it); "
    "consumers: run `copier update` or report this to the template's producer"
)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(template_dir: Path, relative: str, image: str, *, on_consumer_image: bool = False) -> Any:
    """Load `template_dir/relative` as a kfp component, its containers' images decided.

    Args:
        template_dir: The template directory the spec must be inside.
        relative: The spec's path inside the template.
        image: The consumer's image.
        on_consumer_image: Run every container of the spec on `image`; otherwise only those whose
            image is `CONSUMER_IMAGE` do, and the others keep their own.

    Raises:
        ContractError: when the spec is missing, outside the template, not UTF-8, not YAML the
            bounded loader accepts, or not a component spec kfp loads.
    """
    label = f"{template_dir.absolute().name}/{relative}"
    text = _read(template_dir, relative, label)
    documents = _documents(text, label)
    _retarget(documents[0], image, everything=on_consumer_image)
    rendered = _comment_header(text) + yaml.dump_all(
        documents, Dumper=_DUMPER, sort_keys=False, allow_unicode=True
    )
    try:
        component = components.load_component_from_text(rendered)
        _check_executors(component)
    except Exception as error:  # kfp refuses bad specs with any exception type
        raise _broken(label, f"kfp cannot load it: {type(error).__name__}: {error}") from error
    return component


def _check_executors(component: Any) -> None:
    """Parse the executors as the compiler will, so a bad one fails here, naming the spec.

    kfp keeps `deploymentSpec` as a loose Struct until it compiles a pipeline; only then does
    protobuf refuse, say, an executor holding both a container and an importer.
    """
    deployment = json_format.MessageToDict(component.pipeline_spec.deployment_spec)
    json_format.ParseDict(deployment, pipeline_spec_pb2.PipelineDeploymentConfig())


def _broken(label: str, cause: str) -> ContractError:
    return ContractError(f"component spec {label}: {cause}", hint=_HINT)


def _read(template_dir: Path, relative: str, label: str) -> str:
    path = (template_dir / relative).resolve()
    if not path.is_relative_to(template_dir.resolve()) or not path.is_file():
        raise ContractError(
            f"component spec {label} is not a file inside the template",
            hint="ask the template's producer to ship it, or run `copier update`",
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise _broken(label, f"not UTF-8 text (byte {error.start})") from error
    except OSError as error:
        raise _broken(label, f"cannot read it: {error.strerror or error}") from error


def _documents(text: str, label: str) -> list[dict[str, Any]]:
    """The spec's one or two YAML documents (pipeline, platform spec), each a mapping."""
    try:
        loaded = [document.data for document in load_yaml_documents(text)]
    except YamlLoadError as error:
        where = f":{error.mark.line}:{error.mark.column}" if error.mark else ""
        raise _broken(label + where, error.message) from error
    if not 1 <= len(loaded) <= 2:  # the pipeline, then maybe its platform spec
        raise _broken(
            label, f"{len(loaded)} YAML documents; a spec has one, or two (a platform spec second)"
        )
    if _expanded_size(loaded) > MAX_BYTES:  # kfp parses the text again, aliases expanded
        raise _broken(label, f"its aliases expand it to more than {MAX_BYTES} bytes")
    if not all(isinstance(document, dict) for document in loaded):
        raise _broken(label, "a YAML document of it is not a mapping")
    if "implementation" not in loaded[0] and "pipelineInfo" not in loaded[0]:
        raise _broken(
            label,
            "neither a v1 component (`implementation:`) nor a compiled v2 spec (`pipelineInfo:`)",
        )
    return loaded


def _expanded_size(documents: list[Any]) -> int:
    """About how long the text is with aliases written out (stops counting past the limit)."""
    size = 0
    for _, value in leaves(documents):
        size += len(str(value)) + 4  # the key or dash, spaces and newline, roughly
        if size > MAX_BYTES:
            break
    return size


def _retarget(document: dict[str, Any], image: str, *, everything: bool) -> None:
    """Put `image` into the containers that run on the consumer's image; leave importers alone."""
    for container in _containers(document):
        if everything or container.get("image") == CONSUMER_IMAGE:
            container["image"] = image


def _containers(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The container specs of a v1 spec (`implementation.container`) or of v2 IR executors."""
    if "implementation" in document:
        holders = [document["implementation"]]
    else:
        executors = _mapping(_mapping(document.get("deploymentSpec")).get("executors"))
        holders = list(executors.values())
    found = [_mapping(holder).get("container") for holder in holders]
    return [container for container in found if isinstance(container, dict)]


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _comment_header(text: str) -> str:
    """The spec's leading comment lines: kfp reads a v2 component's description from them."""
    lines = text.splitlines(keepends=True)
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    return "".join(header)
