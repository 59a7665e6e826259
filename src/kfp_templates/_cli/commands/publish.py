"""`kfp-templates publish`: upload a template's compiled pipeline to a KFP pipeline registry.

The release tag (`v1.2.0`) must match the contract's version, so a tag in the registry always
names the contract consumers validated against. Consumers then run the published pipeline with
`kfp-templates submit --from-registry URL/PACKAGE --tag v1.2.0` (or `--digest sha256:...`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from packaging.version import InvalidVersion, Version

from kfp_templates._cli.commands.submit import load_project
from kfp_templates._errors import UsageError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `publish` parser."""
    parser = subparsers.add_parser(
        "publish",
        help="upload a template's compiled pipeline to an Artifact Registry KFP repository",
        description="Validate the template against its reference implementation, then upload "
        "its compiled pipeline tagged with the release tag. Exit 0 published, 1 findings or a "
        "registry error, 2 bad input.",
    )
    parser.add_argument("template", type=Path, help="producer template directory")
    parser.add_argument(
        "--host",
        required=True,
        metavar="URL",
        help="the KFP repository URL, ending in /PROJECT/REPOSITORY",
    )
    parser.add_argument("--tag", required=True, help="release tag matching the contract version")
    parser.add_argument(
        "--pipeline",
        type=Path,
        metavar="FILE",
        help="compiled pipeline YAML (default: compile the template)",
    )
    parser.add_argument("--latest", action="store_true", help="also tag the upload `latest`")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate, check the tag against the contract version, compile if needed, upload."""
    project = load_project(args.template)
    check_release_tag(args.tag, project.contract.version)
    from kfp_templates._cli.commands.submit import compile_or_given
    from kfp_templates._kfp import registry

    tags = [args.tag, "latest"] if args.latest else [args.tag]
    with tempfile.TemporaryDirectory(prefix="kfp-templates-") as scratch:
        pipeline = compile_or_given(args.pipeline, project, Path(scratch) / "pipeline.yaml")
        published = registry.publish(args.host, pipeline, tags)
    sys.stdout.write(
        f"published {published.package} {published.version} as {', '.join(published.tags)}\n"
        f"run it with: kfp-templates submit --from-registry {args.host.rstrip('/')}/"
        f"{published.package} --tag {args.tag}\n"
    )
    return 0


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
