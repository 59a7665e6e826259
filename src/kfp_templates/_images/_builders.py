"""Image builder backends behind one small protocol; each runs its program as a subprocess.

buildah and podman build without a daemon (buildah with `--isolation chroot` works where
containers cannot run); docker uses buildx. Every backend answers the same four questions, so the
build logic (skip, build, push, record) is written once, in `_build.py`.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Protocol

from kfp_templates._images._output import BUILDX_STEP, push_lines, step_lines
from kfp_templates._images._run import probe, run_tool
from kfp_templates._progress import SILENT, Progress
from kfp_templates._records import field, record


@record
class BuildRequest:
    """One image build.

    Attributes:
        context: The assembled build context directory.
        dockerfile: The Dockerfile inside it.
        tags: Full image references to tag the result with (content tag first).
        labels: Image labels, as (key, value) pairs.
        no_cache: Rebuild every layer instead of reusing cached ones.
        stream: Show the builder's output instead of capturing it.
        progress: Told each build step (layer) the builder starts, when not streaming.
    """

    context: Path
    dockerfile: Path
    tags: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]
    no_cache: bool = False
    stream: bool = False
    progress: Progress = field(default=SILENT, compare=False)


class Builder(Protocol):
    """What the build logic needs from a backend."""

    @property
    def name(self) -> str:
        """The name `--builder` accepts."""
        ...

    @property
    def remote_only(self) -> bool:
        """Whether it builds in the cloud and pushes as part of the build (Cloud Build)."""
        ...

    def local_id(self, ref: str) -> str | None:
        """The image ID of `ref` in local storage, or None when it is not there."""
        ...

    def remote_digest(self, ref: str, tls_verify: bool) -> str | None:
        """The manifest digest of `ref` in its registry, or None when unknown or absent."""
        ...

    def build(self, request: BuildRequest) -> None:
        """Build and tag the image (and, when `remote_only`, push it)."""
        ...

    def tag(self, source: str, target: str) -> None:
        """Give a local image another reference."""
        ...

    def push(self, ref: str, tls_verify: bool, stream: bool, progress: Progress = SILENT) -> str:
        """Push `ref` and return the manifest digest the registry stored; `progress` sees blobs."""
        ...


def _build_flags(request: BuildRequest) -> list[str]:
    flags = ["-f", str(request.dockerfile)]
    for tag in request.tags:
        flags += ["-t", tag]
    for key, value in request.labels:
        flags += ["--label", f"{key}={value}"]
    return [*flags, "--no-cache"] if request.no_cache else flags


def _skopeo_digest(ref: str, tls_verify: bool) -> str | None:
    """Ask the registry for the manifest digest; None when skopeo is missing or it has none."""
    argv = [
        "skopeo",
        "inspect",
        "--format",
        "{{.Digest}}",
        f"--tls-verify={str(tls_verify).lower()}",
    ]
    output = probe([*argv, f"docker://{ref}"])
    return output.strip() if output and output.strip().startswith("sha256:") else None


BUILD_FAILED = (
    "the lines above say which step failed: a base image that cannot be pulled (check "
    "--base-image or image.base_image, and registry login; without network, make a local base "
    "image with mmdebstrap as docs/consumer.md#a-base-image-without-network shows), or a "
    "Dockerfile step; rerun with --verbose for the builder's whole output"
)
_PLAIN_HTTP = "server gave HTTP response to HTTPS client"


def push_hint(ref: str) -> str:
    """What to do when a push is refused: usually, log in."""
    return f"check that you may push to {ref} (log in first)"


def _plain_http_hint(output: str) -> str | None:
    """A registry that speaks plain HTTP needs TLS verification off, not a login."""
    if _PLAIN_HTTP in output:
        return (
            "the registry serves plain HTTP: pass --no-tls-verify (only for a registry you trust)"
        )
    return None


@record
class BuildahBuilder:
    """buildah: daemonless, rootless-capable; `storage_driver="vfs"` works on any file system."""

    storage_driver: str = ""
    program: str = "buildah"
    remote_only: bool = False
    hint: str = "install buildah (Debian/Ubuntu: apt-get install buildah skopeo)"

    @property
    def name(self) -> str:
        """The name `--builder` accepts."""
        return self.program

    def _base(self) -> list[str]:
        driver = ["--storage-driver", self.storage_driver] if self.storage_driver else []
        return [self.program, *driver]

    def local_id(self, ref: str) -> str | None:
        """Image ID from local storage."""
        output = probe(
            [*self._base(), "inspect", "--type", "image", "--format", "{{.FromImageID}}", ref]
        )
        return output.strip() or None if output else None

    def remote_digest(self, ref: str, tls_verify: bool) -> str | None:
        """Manifest digest through skopeo, which shares buildah's registry configuration."""
        return _skopeo_digest(ref, tls_verify)

    def build(self, request: BuildRequest) -> None:
        """`buildah bud --layers --isolation chroot`: one cached layer per instruction.

        `--force-rm` removes the working container of a failed step too (buildah keeps it by
        default, and each failed build would leave one behind).
        """
        argv = [*self._base(), "bud", "--layers", "--force-rm", "--isolation", "chroot"]
        argv += _build_flags(request)
        run_tool(
            [*argv, str(request.context)],
            hint=BUILD_FAILED,
            missing_hint=self.hint,
            stream=request.stream,
            on_line=step_lines(request.progress),
        )

    def tag(self, source: str, target: str) -> None:
        """`buildah tag`."""
        run_tool([*self._base(), "tag", source, target], hint=self.hint)

    def push(self, ref: str, tls_verify: bool, stream: bool, progress: Progress = SILENT) -> str:
        """Push with `--digestfile`, which is exactly the digest the registry stored."""
        with tempfile.TemporaryDirectory(prefix="kfp-templates-push-") as scratch:
            digest_file = Path(scratch) / "digest"
            tls = f"--tls-verify={str(tls_verify).lower()}"
            argv = [
                *self._base(),
                "push",
                tls,
                "--digestfile",
                str(digest_file),
                ref,
                f"docker://{ref}",
            ]
            run_tool(
                argv,
                hint=push_hint(ref),
                stream=stream,
                hint_for=_plain_http_hint,
                on_line=push_lines(progress),
            )
            return digest_file.read_text(encoding="utf-8").strip()


@record
class PodmanBuilder(BuildahBuilder):
    """podman: the same storage and flags as buildah, through podman's CLI."""

    program: str = "podman"
    hint: str = "install podman (https://podman.io/docs/installation)"

    def local_id(self, ref: str) -> str | None:
        """Image ID from local storage."""
        output = probe([*self._base(), "image", "inspect", "--format", "{{.Id}}", ref])
        return output.strip() or None if output else None

    def build(self, request: BuildRequest) -> None:
        """`podman build --layers --force-rm` (no working container left after a failure)."""
        argv = [*self._base(), "build", "--layers", "--force-rm", *_build_flags(request)]
        argv.append(str(request.context))
        run_tool(
            argv,
            hint=BUILD_FAILED,
            missing_hint=self.hint,
            stream=request.stream,
            on_line=step_lines(request.progress),
        )


@record
class DockerBuilder:
    """Docker with buildx; the daemon keeps the images, so `--load` brings them back to it."""

    name: str = "docker"
    remote_only: bool = False
    hint: str = "start the Docker daemon and install the buildx plugin"

    def local_id(self, ref: str) -> str | None:
        """Image ID from the daemon."""
        output = probe(["docker", "image", "inspect", "--format", "{{.Id}}", ref])
        return output.strip() or None if output else None

    def remote_digest(self, ref: str, tls_verify: bool) -> str | None:
        """Manifest digest through buildx imagetools (TLS follows the daemon's settings)."""
        argv = ["docker", "buildx", "imagetools", "inspect", "--format", "{{json .Manifest}}"]
        output = probe([*argv, ref])
        return _json_field(output, "digest") if output else None

    def build(self, request: BuildRequest) -> None:
        """`docker buildx build --load`."""
        argv = ["docker", "buildx", "build", "--load", *_build_flags(request), str(request.context)]
        run_tool(
            argv,
            hint=BUILD_FAILED,
            missing_hint=self.hint,
            stream=request.stream,
            on_line=step_lines(request.progress, BUILDX_STEP),
        )

    def tag(self, source: str, target: str) -> None:
        """`docker tag`."""
        run_tool(["docker", "tag", source, target], hint=self.hint)

    def push(self, ref: str, tls_verify: bool, stream: bool, progress: Progress = SILENT) -> str:
        """`docker push`, then the digest the daemon recorded for the repository."""
        run_tool(
            ["docker", "push", ref],
            hint=f"run `docker login` for {ref}",
            stream=stream,
            on_line=push_lines(progress),
        )
        output = run_tool(
            ["docker", "image", "inspect", "--format", "{{json .RepoDigests}}", ref], hint=self.hint
        )
        repository = ref.rsplit(":", 1)[0]
        for item in json.loads(output or "[]"):
            if str(item).startswith(repository + "@"):
                return str(item).split("@", 1)[1]
        return ""


def _json_field(text: str, key: str) -> str | None:
    try:
        value = json.loads(text).get(key)
    except (ValueError, AttributeError):
        return None
    return str(value) if value else None
