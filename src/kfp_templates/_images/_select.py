"""Choose a builder backend: the one asked for, or the first one installed."""

from __future__ import annotations

import shutil
from pathlib import Path

from kfp_templates._errors import UsageError
from kfp_templates._images._builders import BuildahBuilder, Builder, DockerBuilder, PodmanBuilder
from kfp_templates._images._cloudbuild import CloudBuildBuilder

# Preference order for auto-detection, with the program each backend needs.
BUILDERS = (
    ("buildah", "buildah"),
    ("podman", "podman"),
    ("docker", "docker"),
    ("cloudbuild", "gcloud"),
)
_INSTALL = (
    "install one of: buildah (Debian/Ubuntu: apt-get install buildah skopeo), podman, "
    "Docker with the buildx plugin, or the Google Cloud CLI (gcloud) for Cloud Build"
)


def select_builder(
    choice: str | None, *, build_dir: Path, storage_driver: str = "", gcp_project: str = ""
) -> Builder:
    """The backend named `choice` ("auto" or None: the first installed one).

    Raises:
        UsageError: when the chosen backend, or every backend, is missing; says what to install.
    """
    names = [name for name, _ in BUILDERS]
    if choice not in (None, "auto", *names):
        raise UsageError(f"unknown builder {choice!r}", hint=f"use one of: {', '.join(names)}")
    for name, program in BUILDERS:
        if choice in (None, "auto", name) and shutil.which(program):
            return _make(name, build_dir, storage_driver, gcp_project)
    if choice in (None, "auto"):
        raise UsageError("no image builder is installed", hint=_INSTALL)
    program = dict(BUILDERS)[str(choice)]
    raise UsageError(f"--builder {choice} needs `{program}`, which is not installed", hint=_INSTALL)


def _make(name: str, build_dir: Path, storage_driver: str, gcp_project: str) -> Builder:
    if name == "buildah":
        return BuildahBuilder(storage_driver=storage_driver)
    if name == "podman":
        return PodmanBuilder(storage_driver=storage_driver)
    if name == "docker":
        return DockerBuilder()
    return CloudBuildBuilder(config_dir=build_dir, project=gcp_project)
