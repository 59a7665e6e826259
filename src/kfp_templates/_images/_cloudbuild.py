"""Google Cloud Build through `gcloud builds submit` with a generated build config.

The build runs in the cloud and pushes as part of the build (the config's `images`), so this
backend has no local storage; digests are read back with `gcloud artifacts docker images describe`.
"""

from __future__ import annotations

import json
from pathlib import Path

from kfp_templates._errors import ExternalServiceError
from kfp_templates._images._atomic import write_text_atomic
from kfp_templates._images._builders import BuildRequest
from kfp_templates._images._run import probe, run_tool
from kfp_templates._progress import SILENT, Progress
from kfp_templates._records import record

CONFIG_NAME = "cloudbuild.json"
_HINT = "install the Google Cloud CLI and run `gcloud auth login` and `gcloud config set project`"


@record
class CloudBuildBuilder:
    """Cloud Build backend.

    Attributes:
        config_dir: Where to write the build config (outside the uploaded context).
        project: GCP project to build in; "" uses gcloud's configured project.
        step_image: Image of the build step that runs `docker build`; it must have the docker CLI.
        program: The gcloud executable.
    """

    config_dir: Path
    project: str = ""
    step_image: str = "docker"
    program: str = "gcloud"
    name: str = "cloudbuild"
    remote_only: bool = True

    def _project(self) -> list[str]:
        return ["--project", self.project] if self.project else []

    def local_id(self, ref: str) -> str | None:
        """Nothing is stored locally."""
        return None

    def remote_digest(self, ref: str, tls_verify: bool) -> str | None:
        """Digest from Artifact Registry, or None when the tag is not there."""
        argv = [self.program, "artifacts", "docker", "images", "describe", ref]
        output = probe([*argv, "--format=value(image_summary.digest)", *self._project()])
        return output.strip() if output and output.strip().startswith("sha256:") else None

    def build(self, request: BuildRequest) -> None:
        """Write the build config and submit the context; Cloud Build pushes every tag."""
        config = self.config_dir / CONFIG_NAME
        write_text_atomic(config, json.dumps(cloudbuild_config(request, self.step_image), indent=2))
        argv = [self.program, "builds", "submit", str(request.context), "--config", str(config)]
        run_tool([*argv, *self._project()], hint=_HINT, stream=request.stream)

    def tag(self, source: str, target: str) -> None:
        """Add a tag in the registry."""
        argv = [self.program, "artifacts", "docker", "tags", "add", source, target]
        run_tool([*argv, *self._project()], hint=_HINT)

    def push(self, ref: str, tls_verify: bool, stream: bool, progress: Progress = SILENT) -> str:
        """The build already pushed; read back the digest the registry stored."""
        digest = self.remote_digest(ref, tls_verify)
        if digest is None:
            raise ExternalServiceError(
                f"Cloud Build finished but {ref} is not in the registry", hint=_HINT
            )
        return digest


def cloudbuild_config(request: BuildRequest, step_image: str) -> dict[str, object]:
    """The Cloud Build config: one `docker build` step, and the tags to push."""
    args = ["build", "--file", request.dockerfile.name, "--network", "none"]
    for tag in request.tags:
        args += ["--tag", tag]
    for key, value in request.labels:
        args += ["--label", f"{key}={value}"]
    if request.no_cache:
        args.append("--no-cache")
    return {"steps": [{"name": step_image, "args": [*args, "."]}], "images": list(request.tags)}
