"""`kfp-templates validate`: check user/ and config.yaml against the template's contract."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kfp_templates._report import FORMATS, render


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `validate` parser."""
    parser = subparsers.add_parser(
        "validate",
        help="check user/ and config.yaml against the contract (static; runs no user code)",
        description="Check the consumer's user/ code and config against the template contract "
        "without importing or running anything. Exit 0 ok, 1 findings, 2 broken contract or "
        "bad usage, 3 internal error.",
    )
    parser.add_argument("path", nargs="?", default=".", type=Path, help="project directory")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--contract", type=Path, help="contract file to use instead of the project's"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate and print the report; the exit code says whether anything failed."""
    from kfp_templates._api import validate_project  # the library API, loaded on use

    result = validate_project(args.path, contract=args.contract)
    report = render(result.findings, args.format, checked=str(args.path))
    if report:
        sys.stdout.write(report + "\n")
    return int(result.exit_code)
