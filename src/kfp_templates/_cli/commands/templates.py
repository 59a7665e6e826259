"""`kfp-templates templates list|show`: the catalogue of template pipelines and their contracts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kfp_templates._errors import ContractError, ExitCode, UsageError

if TYPE_CHECKING:
    from kfp_templates.contract import Contract


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `templates` with its `list` and `show` subcommands."""
    parser = subparsers.add_parser(
        "templates",
        help="list the template pipelines, or show one contract as tables",
        description="The catalogue: which templates a kfp-templates repository offers, and what "
        "each one asks consumers to write (functions) and configure (config keys).",
    )
    actions = parser.add_subparsers(dest="templates_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        help="one line per template",
        description="One line per template under ROOT/producer_templates.",
    )
    listing.add_argument(
        "root",
        nargs="?",
        default=Path("."),
        type=Path,
        help="kfp-templates repository root (default .)",
    )
    listing.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    listing.set_defaults(handler=run_list)
    show = actions.add_parser(
        "show",
        help="one template's functions and config as tables",
        description="Render a template's contract: the functions to "
        "write (signature, doc) and the config keys (type, default, "
        "description). Defaults are written as in config.yaml; --format json gives the same "
        "as data for tools.",
    )
    show.add_argument("name", help="template name, or a directory or file holding contract.yaml")
    show.add_argument(
        "--root", default=Path("."), type=Path, help="kfp-templates repository root (default .)"
    )
    show.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    show.set_defaults(handler=run_show)


def run_list(args: argparse.Namespace) -> int:
    """Print the catalogue."""
    from kfp_templates._producer.catalogue import render_list, summarise
    from kfp_templates._producer.repo import template_dirs

    summaries = [summarise(template) for template in template_dirs(args.root)]
    if args.format == "json":
        rows = [
            {
                "name": s.template.name,
                "version": s.contract.version if s.contract else None,
                "broken": s.contract is None,
                "functions": [f.qualified_name for f in s.contract.functions] if s.contract else [],
                "description": s.contract.description if s.contract else "",
            }
            for s in summaries
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        sys.stdout.write(render_list(summaries) + "\n")
    broken = any(summary.contract is None for summary in summaries)
    return int(ExitCode.BAD_INPUT if broken else ExitCode.OK)


def run_show(args: argparse.Namespace) -> int:
    """Print one template's contract as tables."""
    from kfp_templates._producer.catalogue import render_show
    from kfp_templates._report import render
    from kfp_templates.contract import load_contract

    path = _contract_path(args.root, args.name)
    contract, findings = load_contract(path, str(path))
    if contract is None:
        sys.stderr.write(render(findings, "text", checked=str(path)) + "\n")
        raise ContractError(
            f"{path} is not a valid contract",
            hint="fix the findings above (`kfp-templates producer check`)",
        )
    if args.format == "json":
        sys.stdout.write(json.dumps(_show_data(contract), indent=2) + "\n")
    else:
        sys.stdout.write(render_show(contract) + "\n")
    return int(ExitCode.OK)


def _show_data(contract: Contract) -> dict[str, Any]:
    """What `show` prints, as JSON-ready data; keys in a fixed order so diffs of it stay small."""
    from kfp_templates._producer.catalogue import config_rows, signature

    functions = [
        {
            "function": function.qualified_name,
            "file": function.file,
            "signature": signature(function),
            "doc": function.doc.strip(),
        }
        for function in contract.functions
    ]
    config = [
        {
            "key": row.name,
            "type": row.type,
            "required": row.required,
            **({"default": row.default_value} if row.has_default else {}),
            "description": row.description,
        }
        for row in config_rows(contract.config_schema)
    ]
    return {
        "name": contract.name,
        "version": contract.version,
        "description": contract.description.strip(),
        "functions": functions,
        "config_path": contract.config_path,
        "config": config,
    }


def _contract_path(root: Path, name: str) -> Path:
    from kfp_templates._producer.repo import NAME_PATTERN, find_template

    candidate = Path(name)
    if candidate.is_file():
        return candidate
    if (candidate / "contract.yaml").is_file():
        return candidate / "contract.yaml"
    if (candidate / "template_pipeline" / "contract.yaml").is_file():
        return candidate / "template_pipeline" / "contract.yaml"
    if not NAME_PATTERN.match(name):
        raise UsageError(
            f"{name!r} is neither a template name nor a contract path",
            hint="see `kfp-templates templates list`",
        )
    return find_template(root, name).contract_path
