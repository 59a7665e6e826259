"""The build record, `.kfp-build/image.json`: which image the last build made, by digest.

`compile` and `submit` read it (through `pushed_image`) to reference the image by digest, which
a registry can never move, instead of by tag, which it can. The record also keeps a digest of
the sources the image was built from, so a pipeline is never compiled against an image that
predates the consumer's latest edit to `user/`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from kfp_templates._images._atomic import write_text_atomic
from kfp_templates._images._hashing import file_sha256, is_ignored, tree_sha256
from kfp_templates._images._requirements import CONSUMER_REQUIREMENTS
from kfp_templates._layout import ProjectLayout
from kfp_templates._records import asdict, record
from kfp_templates._safe_paths import refuse_link_out
from kfp_templates._version import __version__

BUILD_DIR_NAME = ".kfp-build"
RECORD_NAME = "image.json"
_FORMAT = 1


@record
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
        sources: `sources_sha256` of the project when it was built; "" in older records.
    """

    repository: str
    content_tag: str
    version_tag: str
    digest: str
    builder: str
    template: str
    template_version: str
    sources: str = ""

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


def sources_sha256(layout: ProjectLayout) -> str:
    """Digest of what the consumer edits that goes into the image: `user/`, the template, the
    consumer's pyproject.toml and requirements.txt (its dependencies) and the tool version.
    Cheap enough (no wheel resolution) to check on every compile and submit."""
    pyproject = layout.root / "pyproject.toml"
    requirements = layout.root / CONSUMER_REQUIREMENTS
    extra = [
        f"tool {__version__}",
        f"template {_template_sha256(layout)}",
        f"pyproject {file_sha256(pyproject) if pyproject.is_file() else ''}",
    ]
    if requirements.is_file():  # absent: the same digest as before the file existed
        extra.append(f"requirements {file_sha256(requirements)}")
    user = layout.user_dir
    if user.is_dir():
        return tree_sha256(user, extra, boundary=layout.root)
    return tree_sha256(layout.template_dir, extra)


def _template_sha256(layout: ProjectLayout) -> str:
    """The template's files; for a producer template, without its `reference/` project (hashed
    as the user code already, and holding run outputs that must not make an image stale)."""
    if not layout.is_producer_template:
        return tree_sha256(layout.template_dir)
    project = layout.root.resolve()
    parts = [
        f"{child.name} {_child_sha256(child, layout.template_dir)}"
        for child in sorted(layout.template_dir.iterdir())
        if not is_ignored(child.name)
        and _is_followable(child, layout.template_dir)
        and child.exists()
        and child.resolve() != project
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@record
class PushedImage:
    """The answer to "which image runs this project's code?".

    Attributes:
        image: `registry/name@sha256:...`, or "" when there is no usable pushed image.
        why_not: Why `image` is empty, for the message; "" when it is set.
    """

    image: str
    why_not: str = ""


def pushed_image(layout: ProjectLayout) -> PushedImage:
    """The last pushed image by digest, when it was built from the project as it is now."""
    record = read_record(build_dir(layout))
    if record is None:
        return PushedImage("", "nothing has been built yet")
    if not record.pinned:
        return PushedImage("", f"the last build ({record.tagged}) was not pushed")
    if record.sources != sources_sha256(layout):
        return PushedImage(
            "", f"user/, the template or pyproject.toml changed since {record.pinned} was built"
        )
    return PushedImage(record.pinned)


def _is_followable(child: Path, template_dir: Path) -> bool:
    """True for a plain entry; a symlink must stay inside the template (else UnsafePathError)."""
    if child.is_symlink():
        refuse_link_out(child, template_dir)
    return True


def _child_sha256(child: Path, template_dir: Path) -> str:
    return tree_sha256(child, boundary=template_dir) if child.is_dir() else file_sha256(child)
