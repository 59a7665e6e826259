"""`kfp-templates schedules list|delete`: Vertex AI schedules or KFP recurring runs.

Schedules are created with `kfp-templates submit --schedule CRON`; this command finds and removes
them. Only the contract and config are checked, so schedules stay manageable while user code is
being changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kfp_templates._cli.commands.submit import add_engine_arguments
from kfp_templates._project_loader import load_settings


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
    config = load_settings(args.path)
    if args.action == "list":
        rows = _list(args, config)
        sys.stdout.write(_render(rows, args.format) + "\n")
        return 0
    deleted = _delete(args, config)
    sys.stdout.write(f"deleted {deleted}\n")
    return 0


def _list(args: argparse.Namespace, config: Mapping[str, Any]) -> list[dict[str, Any]]:
    if args.engine == "kfp":
        from kfp_templates._kfp import client

        return [
            asdict(item)
            for item in client.list_recurring_runs(
                client.kfp_target(config, insecure=args.insecure)
            )
        ]
    from kfp_templates._vertex import schedules
    from kfp_templates.submission import spec

    target = spec.vertex_target(config, args.api_endpoint)
    return [asdict(item) for item in schedules.list_schedules(target)]


def _delete(args: argparse.Namespace, config: Mapping[str, Any]) -> str:
    if args.engine == "kfp":
        from kfp_templates._kfp import client

        client.delete_recurring_run(client.kfp_target(config, insecure=args.insecure), args.name)
        return str(args.name)
    from kfp_templates._vertex import schedules
    from kfp_templates.submission import spec

    return schedules.delete_schedule(spec.vertex_target(config, args.api_endpoint), args.name)


def _render(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=2, sort_keys=True)
    if not rows:
        return "no schedules"
    return "\n".join("  ".join(str(value) for value in row.values()) for row in rows)
