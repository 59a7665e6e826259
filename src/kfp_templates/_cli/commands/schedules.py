"""`kfp-templates schedules list|delete`: Vertex AI schedules or KFP recurring runs.

Schedules are created with `kfp-templates submit --schedule CRON`; this command finds and removes
them. Only the contract and config are checked, so schedules stay manageable while user code is
being changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kfp_templates._cli._submitting import add_engine_arguments, engine_of


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `schedules` parser with its `list` and `delete` actions."""
    parser = subparsers.add_parser(
        "schedules",
        help="list or delete Vertex AI schedules / KFP recurring runs",
        description="List or delete the recurring runs made by `submit --schedule`. Exit 0 ok, "
        "1 service error, 2 bad input.",
    )
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    listing = actions.add_parser("list", help="list schedules")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    deleting = actions.add_parser("delete", help="delete one schedule")
    deleting.add_argument("name", help="schedule id or full resource name (KFP: recurring run id)")
    for action in (listing, deleting):
        action.add_argument("path", nargs="?", default=".", type=Path, help="project directory")
        add_engine_arguments(action)
        action.set_defaults(handler=run)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """List or delete, on the engine the project's config points at."""
    from kfp_templates._project_loader import load_settings

    engine = engine_of(args, load_settings(args.path))
    if args.action == "list":
        sys.stdout.write(_render(engine.list_schedules(), args.format) + "\n")
        return 0
    sys.stdout.write(f"deleted {engine.delete_schedule(args.name)}\n")
    return 0


def _render(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=2, sort_keys=True)
    if not rows:
        return "no schedules"
    return "\n".join("  ".join(str(value) for value in row.values()) for row in rows)
