"""`kfp-templates graph`: a picture of the compiled pipeline (Mermaid, Graphviz dot, or SVG).

Drawn from the compiled IR, never from the source text: a project or template directory is
validated and compiled in memory first (as `compile` does, nothing written), a compiled
pipeline YAML is read as it is (decision 0042).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kfp_templates._graph.render import FORMATS
from kfp_templates._layout import find_layout
from kfp_templates._report import render as render_findings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `graph` parser."""
    parser = subparsers.add_parser(
        "graph",
        help="draw the compiled pipeline: steps, artifacts, conditions, user/ functions called",
        description="Draw the pipeline of a project, a template directory or a compiled "
        "pipeline YAML, from its compiled IR: one box per step (naming the user/ functions its "
        "code imports), one arrow per artifact or parameter handed on, one frame per condition "
        "or loop. svg needs Graphviz's `dot`. Exit 0 drawn, 1 findings in the project, 2 bad "
        "input (also: svg asked for and `dot` not installed), 3 internal error.",
    )
    parser.add_argument(
        "path",
        nargs="?",
        default=Path("."),
        type=Path,
        help="project directory, template directory, or compiled pipeline YAML (default .)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="mermaid", help="output format (default mermaid)"
    )
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="write here (atomically; inside the project, or for a YAML file the current "
        "directory) instead of stdout",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate and compile (or read the YAML), draw, then print or write."""
    from kfp_templates._graph.source import (
        graph_of_file,
        graph_of_project,
        render,
        write_inside,
    )

    if args.path.is_file():
        source = graph_of_file(args.path)
    else:
        from kfp_templates._project_loader import load_project

        layout = find_layout(args.path)
        prepared, result = load_project(layout)
        if result.findings:
            sys.stderr.write(
                render_findings(result.findings, "text", checked=str(args.path)) + "\n"
            )
        if prepared is None:
            sys.stderr.write("nothing drawn: fix the errors above first\n")
            return int(result.exit_code)
        source = graph_of_project(layout, prepared)
    text = render(source.graph, args.format)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_inside(args.output, text, source.boundary)
    sys.stdout.write(f"wrote {args.output}\n")
    return 0
