"""Image names, tags and labels, from the contract, the config's `image` section and flags."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kfp_templates._errors import UsageError
from kfp_templates._images._dockerfile import check_base_image
from kfp_templates._images._run import probe
from kfp_templates._version import __version__
from kfp_templates.contract import Contract

LOCAL_REGISTRY = "localhost"
DEFAULT_NAME = "kfp-project"
_REGISTRY = re.compile(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*$")
_IDENTIFIER = re.compile(r"^([a-z0-9][a-z0-9-]{0,30})?$")
_NOT_IN_TAG = re.compile(r"[^A-Za-z0-9_.-]")
_MAX_TAG = 128


def image_repository(image: Mapping[str, Any], registry: str | None, identifier: str | None) -> str:
    """`registry[/identifier]/name`; flags win over the config, "localhost" means local only.

    The identifier is a path segment, so teammates sharing a registry get separate repositories.

    Raises:
        UsageError: when a flag's registry or identifier is malformed.
    """
    registry = str(image.get("registry", "")) if registry is None else registry
    identifier = str(image.get("identifier", "")) if identifier is None else identifier
    registry = registry.rstrip("/")
    if registry and not _REGISTRY.match(registry):
        raise UsageError(
            f"{registry!r} is not a registry", hint="write host[:port]/path, lowercase"
        )
    if not _IDENTIFIER.match(identifier):
        raise UsageError(
            f"{identifier!r} is not an identifier",
            hint="use lowercase letters, digits and dashes, at most 31, such as your user name",
        )
    parts = (registry or LOCAL_REGISTRY, identifier, str(image.get("name") or DEFAULT_NAME))
    return "/".join(part for part in parts if part)


def version_tag(contract: Contract) -> str:
    """`<template>-<version>`, the tag people read; seed 001 keeps it in step with the package."""
    return _NOT_IN_TAG.sub("-", f"{contract.name}-{contract.version}")[:_MAX_TAG]


def base_image(contract: Contract, image: Mapping[str, Any], override: str | None) -> str:
    """The flag, else the config's `image.base_image`, else the contract's `base_image`.

    Raises:
        UsageError: when none of the three names one, or the one chosen is no image reference.
    """
    chosen = override or str(image.get("base_image") or "") or contract.base_image
    if not chosen:
        raise UsageError(
            f"template {contract.name} names no base image",
            hint="set image.base_image in config.yaml or pass --base-image",
        )
    return check_base_image(chosen)


def image_labels(
    contract: Contract, repository: str, base: str, contract_hash: str, root: Path
) -> tuple[tuple[str, str], ...]:
    """OCI annotations plus ours, so an image says which template, contract and commit made it."""
    commit = git_commit(root)
    return (
        ("org.opencontainers.image.title", repository.rsplit("/", 1)[-1]),
        ("org.opencontainers.image.description", f"kfp-templates image of {contract.name}"),
        ("org.opencontainers.image.version", contract.version),
        ("org.opencontainers.image.revision", commit),
        ("org.opencontainers.image.base.name", base),
        ("io.kfp-templates.template", contract.name),
        ("io.kfp-templates.template-version", contract.version),
        ("io.kfp-templates.contract-hash", contract_hash),
        ("io.kfp-templates.git-commit", commit),
        ("io.kfp-templates.tool-version", __version__),
    )


def git_commit(root: Path) -> str:
    """HEAD of the project's git repository, or "unknown" outside one."""
    output = probe(["git", "-C", str(root), "rev-parse", "HEAD"])
    return output.strip() if output and output.strip() else "unknown"
