"""`kfp-templates release VERSION`: check the repository, then create the tag copier will pick."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kfp_templates._report import FORMATS, render


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `release` parser."""
    parser = subparsers.add_parser(
        "release",
        help="check the template repository and tag a release (vVERSION) for copier",
        description="Refuse unless the git tree is clean, HEAD carries no version tag yet, "
        "VERSION is above every version tag, `producer check` passes, every template changed "
        "since the last release has a CHANGELOG entry for VERSION, and every contract's version "
        "covers its changes. Then create the annotated tag vVERSION (push it yourself). Exit 0 "
        "tagged (or would tag, with --dry-run), 1 findings, 2 broken contract or bad usage.",
    )
    parser.add_argument("version", help="the release's PEP 440 version, such as 1.2.0")
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="kfp-templates repository root (default .)"
    )
    parser.add_argument("--dry-run", action="store_true", help="check everything, tag nothing")
    parser.add_argument(
        "--no-run",
        action="store_true",
        help="skip running the templates on kfp.local during the check",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Plan, report, and tag when nothing stands in the way."""
    from kfp_templates._producer.check import CheckOptions
    from kfp_templates._producer.release import parse_version, plan_release, tag_release

    version = parse_version(args.version)
    options = CheckOptions(run=not args.no_run)
    plan = plan_release(args.root, version, options, _progress)
    checked = f"release {plan.tag} (previous: {plan.previous or 'none'})"
    sys.stdout.write(render(plan.findings, args.format, checked=checked, for_producer=True) + "\n")
    if plan.exit_code:
        sys.stderr.write("not tagged: fix the findings above, commit, and run release again\n")
        return int(plan.exit_code)
    if args.dry_run:
        sys.stderr.write(f"dry run: would tag {plan.tag}\n")
        return 0
    tag_release(args.root, plan)
    sys.stderr.write(f"tagged {plan.tag}; publish it with `git push origin {plan.tag}`\n")
    return 0


def _progress(message: str) -> None:
    sys.stderr.write(message + "\n")
