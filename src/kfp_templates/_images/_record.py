"""The build record, `.kfp-build/image.json`: which image the last build made, by digest.

`compile` and `submit` read it (through `latest_built_image`) to reference the image by digest,
which a registry can never move, instead of by tag, which it can.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kfp_templates._images._atomic import write_text_atomic
from kfp_templates._project import ProjectLayout

BUILD_DIR_NAME = ".kfp-build"
RECORD_NAME = "image.json"
_FORMAT = 1


@dataclass(frozen=True)
class BuildRecord:
    """What one build produced.

    Attributes:
        repository: `registry/path/name`, without tag or digest.
        content_tag: The tag derived from the image's inputs.
        version_tag: `<template>-<version>`, the tag people read.
        digest: `sha256:...` of the manifest in the registry; "" when the image was not pushed.
        builder: The backend that built it.
        template: Template name.
        template_version: Template version.
    """

    repository: str
    content_tag: str
    version_tag: str
    digest: str
    builder: str
    template: str
    template_version: str

    @property
    def tagged(self) -> str:
        """The image by content tag."""
        return f"{self.repository}:{self.content_tag}"

    @property
    def pinned(self) -> str | None:
        """The image by digest, or None when it exists only in local storage."""
        return f"{self.repository}@{self.digest}" if self.digest else None


def build_dir(layout: ProjectLayout) -> Path:
    """Where builds keep their context, wheel cache and record."""
    return layout.root / BUILD_DIR_NAME


def write_record(directory: Path, record: BuildRecord) -> None:
    """Save the record atomically, so readers never see half of it."""
    document = {"format": _FORMAT, **asdict(record)}
    write_text_atomic(directory / RECORD_NAME, json.dumps(document, indent=2) + "\n")


def read_record(directory: Path) -> BuildRecord | None:
    """The saved record, or None when there is none or it is not one this version understands."""
    path = directory / RECORD_NAME
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.pop("format", None) != _FORMAT:
        return None
    try:
        return BuildRecord(**{key: str(value) for key, value in document.items()})
    except TypeError:
        return None


def latest_built_image(layout: ProjectLayout) -> str | None:
    """`registry/name@sha256:...` of the last pushed build, or None when nothing was pushed."""
    record = read_record(build_dir(layout))
    return record.pinned if record else None
