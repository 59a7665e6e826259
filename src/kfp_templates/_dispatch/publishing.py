"""Publish a template's compiled pipeline to a KFP registry under its release tag.

The release tag (`v1.2.0`) must match the contract's version, so a tag in the registry always
names the contract consumers validated against.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

from kfp_templates._dispatch.pipeline import compile_or_given
from kfp_templates._errors import UsageError
from kfp_templates._project_loader import LoadedProject

if TYPE_CHECKING:
    from kfp_templates._kfp.registry import Published


def publish_template(
    project: LoadedProject, host: str, tag: str, *, latest: bool, given: Path | None
) -> Published:
    """Check `tag` against the contract, compile unless `given`, and upload with its tags.

    Raises:
        UsageError: when the tag does not match the contract version, or a bad host or file.
        ConsumerError: for a compile the config stops, or a registry's 400/401/404.
        ExternalServiceError: for the registry's other failures.
    """
    check_release_tag(tag, project.contract.version)
    from kfp_templates._kfp import registry  # noqa: PLC0415 - kfp only when publishing

    tags = [tag, "latest"] if latest else [tag]
    with tempfile.TemporaryDirectory(prefix="kfp-templates-") as scratch:
        pipeline = compile_or_given(given, project, Path(scratch) / "pipeline.yaml")
        return registry.publish(host, pipeline, tags)


def check_release_tag(tag: str, contract_version: str) -> None:
    """Refuse a tag whose version differs from the contract's (`v1.2.0` matches `1.2.0`).

    Raises:
        UsageError: when the tag is not a version or names another one.
    """
    try:
        matches = Version(tag.removeprefix("v")) == Version(contract_version)
    except InvalidVersion:
        matches = False
    if not matches:
        raise UsageError(
            f"tag {tag!r} does not match the contract version {contract_version}",
            hint=f"tag the release v{contract_version}, or bump `version` in contract.yaml",
        )
