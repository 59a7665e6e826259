"""`kfp-templates build`: validate, then build (and push) the project's container image."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kfp_templates._errors import ExitCode
from kfp_templates._layout import find_layout

if TYPE_CHECKING:
    from kfp_templates._images import BuildOptions

_BUILDER_CHOICES = ("auto", "buildah", "podman", "docker", "cloudbuild")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `build` parser."""
    parser = subparsers.add_parser(
        "build",
        help="build the project's image (validates first); --push to push it",
        description="Validate the project, resolve its dependencies into hash-pinned wheels, and "
        "build an image tagged by the content of its inputs; an unchanged project is neither "
        "rebuilt nor pushed again. Exit 0 ok, 1 findings or a failed build, 2 bad usage.",
    )
    parser.add_argument("path", nargs="?", default=".", type=Path, help="project directory")
    _add_image_options(parser)
    _add_build_options(parser)
    parser.set_defaults(handler=run)


def _add_image_options(parser: argparse.ArgumentParser) -> None:
    """Which builder, and where the image goes: the options a pushed build needs."""
    parser.add_argument(
        "--builder",
        choices=_BUILDER_CHOICES,
        default="auto",
        help="image builder (default: the first installed, in this order)",
    )
    parser.add_argument("--push", action="store_true", help="push to the registry")
    parser.add_argument("--registry", help="registry host/path (default: config image.registry)")
    parser.add_argument(
        "--identifier", help="per-person namespace (default: config image.identifier)"
    )
    parser.add_argument("--base-image", help="base image (default: config, then the template's)")
    parser.add_argument("--no-cache", action="store_true", help="rebuild every layer")
    parser.add_argument(
        "--tls-verify",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="verify the registry's TLS certificate (off only for loopback tests)",
    )


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    """How to build: the base image's Python, storage, the tool's wheel, output."""
    parser.add_argument(
        "--python-version",
        help="the base image's Python, as 3.11 (default: "
        "this interpreter's); wheels are chosen for it",
    )
    parser.add_argument(
        "--storage-driver",
        default="",
        help="buildah/podman storage driver, such as vfs (default: theirs)",
    )
    parser.add_argument(
        "--tool-wheel", type=Path, help="install this kfp-templates wheel instead of building one"
    )
    parser.add_argument(
        "--context-only",
        action="store_true",
        help="write the build context (Dockerfile, locked wheels, code) to .kfp-build/context "
        "and stop, for a build by hand: docker build -t NAME .kfp-build/context",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show pip and builder output")


def run(args: argparse.Namespace) -> int:
    """Validate (the one loader); on success build, then print the image reference."""
    from kfp_templates._images import build_image
    from kfp_templates._progress import reporting
    from kfp_templates._project_loader import load_project
    from kfp_templates._report import render

    layout = find_layout(args.path)
    project, result = load_project(layout, need_pipeline=False)
    if project is None:
        sys.stdout.write(render(result.findings, "text", checked=str(args.path)) + "\n")
        sys.stderr.write("build stopped: fix the findings above, then build again\n")
        return int(result.exit_code) or int(ExitCode.FINDINGS)
    # --verbose lets pip and the builder write to the terminal: plain lines, not a live display
    with reporting("build", passthrough=args.verbose) as progress:
        outcome = build_image(layout, project.contract, project.config, _options(args), progress)
    record = outcome.record
    if args.context_only:
        sys.stdout.write(f"{outcome.context}\n")
        sys.stderr.write(f"build it by hand: docker build -t {record.tagged} {outcome.context}\n")
        return int(ExitCode.OK)
    sys.stdout.write(f"{record.pinned or record.tagged}\n")
    state = "built" if outcome.built else "up to date"
    pushed = "pushed" if outcome.pushed else "not pushed"
    sys.stderr.write(f"{state}, {pushed}: {record.repository}:{record.version_tag}\n")
    return int(ExitCode.OK)


def _options(args: argparse.Namespace) -> BuildOptions:
    """The build's options, as the command line gave them."""
    from kfp_templates._images import BuildOptions

    return BuildOptions(
        builder=args.builder,
        push=args.push,
        registry=args.registry,
        identifier=args.identifier,
        base_image=args.base_image,
        no_cache=args.no_cache,
        tls_verify=args.tls_verify,
        python_version=args.python_version,
        storage_driver=args.storage_driver,
        verbose=args.verbose,
        tool_wheel=args.tool_wheel,
        context_only=args.context_only,
    )
