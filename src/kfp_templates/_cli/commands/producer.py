"""`kfp-templates producer check`: every check a template repository must pass to release."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kfp_templates._report import FORMATS, render


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `producer` with its `check` subcommand."""
    parser = subparsers.add_parser(
        "producer",
        help="producer commands for the kfp-templates repository (check)",
        description="Commands for the producers of template pipelines. See also `new-template` "
        "and `release`.",
    )
    actions = parser.add_subparsers(dest="producer_command", metavar="ACTION", required=True)
    _add_check(actions)


def _add_check(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = actions.add_parser(
        "check",
        help="check every template: contract, reference code, stubs, compile, local run, "
        "copier.yml, version bump",
        description="Check every template under ROOT/producer_templates: the contract passes "
        "the meta-schema, the reference implementation passes its contract, stubs are in sync, "
        "the pipeline compiles and runs on kfp.local, copier.yml and template/ offer each "
        "template, and each contract's version covers its changes since the latest release tag. "
        "Exit 0 ok, 1 findings, 2 broken contract or bad usage, 3 internal error.",
    )
    check.add_argument(
        "root",
        nargs="?",
        default=Path("."),
        type=Path,
        help="kfp-templates repository root (default .)",
    )
    check.add_argument("--format", choices=FORMATS, default="text", help="output format")
    check.add_argument(
        "--template",
        action="append",
        default=[],
        metavar="NAME",
        help="check only this template (repeatable); repository checks still run",
    )
    _add_skips(check)
    check.set_defaults(handler=run)


def _add_skips(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "--no-run",
        action="store_true",
        help="skip running each template on kfp.local (the slow part)",
    )
    check.add_argument(
        "--no-compile",
        action="store_true",
        help="skip compiling (and running) the pipelines; no kfp import",
    )
    check.add_argument(
        "--no-versions",
        action="store_true",
        help="skip comparing contracts with the latest release tag",
    )
    check.add_argument(
        "--step-timeout",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="seconds one local-run step may take (default 600)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the checks, print the report, exit 0/1/2."""
    from kfp_templates._producer.check import CheckOptions, check_repository

    options = CheckOptions(
        compile=not args.no_compile,
        run=not (args.no_run or args.no_compile),
        versions=not args.no_versions,
        step_timeout=args.step_timeout,
        only=tuple(args.template),
    )
    result = check_repository(args.root, options, _progress if args.format == "text" else _mute)
    checked = f"{len(result.templates)} template(s) under {args.root}"
    report = render(result.findings, args.format, checked=checked, for_producer=True)
    if report:
        sys.stdout.write(report + "\n")
    return int(result.exit_code)


def _progress(message: str) -> None:
    sys.stderr.write(message + "\n")


def _mute(message: str) -> None:
    """Machine-readable formats keep stderr quiet too."""
