"""`kfp-templates new-template NAME`: scaffold a template pipeline that passes producer check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `new-template` parser."""
    parser = subparsers.add_parser(
        "new-template",
        help="scaffold producer_templates/NAME (contract, pipeline, reference code, stubs, ...)",
        description="Create producer_templates/NAME with a one-step contract, pipeline, "
        "components, reference user/ and config, README, CHANGELOG and generated stubs; add "
        "its conditional symlinks to template/ and its choice to copier.yml. The result passes "
        "`kfp-templates producer check`. Never overwrites an existing template.",
    )
    parser.add_argument("name", help="template name: lower case letters, digits and _")
    parser.add_argument(
        "--root", type=Path, default=Path("."), help="kfp-templates repository root (default .)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Scaffold and say what was written and what to do next."""
    from kfp_templates._errors import UsageError
    from kfp_templates._producer.scaffold import new_template

    if not args.root.is_dir():
        raise UsageError(f"{args.root} is not a directory", hint="pass the repository root")
    made = new_template(args.root, args.name)
    for path in made.written:
        sys.stdout.write(f"wrote {path}\n")
    for note in made.notes:
        sys.stdout.write(f"todo: {note}\n")
    sys.stdout.write(
        f"next: edit {made.template.relative}/contract.yaml, pipeline.py and reference/, then "
        f"`kfp-templates stubs {made.template.relative}` and `kfp-templates producer check`\n"
    )
    return 0
