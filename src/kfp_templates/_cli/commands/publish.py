"""`kfp-templates publish`: upload a template's compiled pipeline to a KFP pipeline registry.

The release tag (`v1.2.0`) must match the contract's version, so a tag in the registry always
names the contract consumers validated against. Consumers then run the published pipeline with
`kfp-templates submit --from-registry URL/PACKAGE --tag v1.2.0` (or `--digest sha256:...`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kfp_templates._cli._submitting import load_or_refuse


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
    from kfp_templates._dispatch.publishing import publish_template

    project = load_or_refuse(args.template)
    published = publish_template(
        project, args.host, args.tag, latest=args.latest, given=args.pipeline
    )
    sys.stdout.write(
        f"published {published.package} {published.version} as {', '.join(published.tags)}\n"
        f"run it with: kfp-templates submit --from-registry {args.host.rstrip('/')}/"
        f"{published.package} --tag {args.tag}\n"
    )
    return 0
