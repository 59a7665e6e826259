"""Arguments and steps `submit`, `schedules` and `publish` share: the engine, the project.

Parsing and printing only; the work is in `kfp_templates.submission`. (A leading underscore keeps
this module out of the subcommand list.)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kfp_templates._dispatch.engines import ENGINES
from kfp_templates._layout import find_layout

if TYPE_CHECKING:
    from kfp_templates._project_loader import LoadedProject
    from kfp_templates.submission.protocol import Engine


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    """`--engine`, `--api-endpoint` and `--insecure`, shared with `schedules`."""
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="vertex",
        help="vertex (Vertex AI Pipelines, default) or kfp (run.kfp.host)",
    )
    parser.add_argument(
        "--api-endpoint",
        default="",
        metavar="URL",
        help="Vertex AI endpoint override (Private Service Connect, or a "
        "loopback emulator, which is called without credentials)",
    )
    parser.add_argument(
        "--insecure",
        action="store_true",
        help="with --engine kfp: allow a plain-http run.kfp.host that is not loopback (tokens "
        "are then sent unencrypted)",
    )


def engine_of(args: argparse.Namespace, config: Mapping[str, Any]) -> Engine:
    """The engine `--engine` names, aimed by `config`, `--api-endpoint` and `--insecure`."""
    from kfp_templates._dispatch.engines import engine_for

    return engine_for(args.engine, config, api_endpoint=args.api_endpoint, insecure=args.insecure)


def load_or_refuse(path: Path) -> LoadedProject:
    """The loaded project; on validation errors, print them and refuse (for submit, publish).

    Raises:
        ContractError: when the template's contract is broken.
        ConsumerError: when the consumer's code or config has errors.
    """
    from kfp_templates._project_loader import errors_of, load_project, refusal
    from kfp_templates._report import render

    project, result = load_project(find_layout(path), need_pipeline=False)
    if project is None:
        sys.stderr.write(render(errors_of(result), "text", checked=str(path)) + "\n")
        raise refusal(result)
    return project
