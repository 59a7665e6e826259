"""`kfp-templates compile`: the consumer's user/ + config + the template -> pipeline YAML.

The project is validated first (nothing is compiled when validation finds errors). Without
`--image`, steps run the image `build --push` last pushed, by digest, when it was built from the
project's current sources; otherwise `[REGISTRY/]NAME[-IDENTIFIER]:local` from the config's
`image` section, a placeholder that only local runs can use.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kfp_templates._layout import find_layout
from kfp_templates._report import render

DEFAULT_OUTPUT_DIR = "build"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `compile` parser."""
    parser = subparsers.add_parser(
        "compile",
        help="compile the template pipeline with your config to KFP pipeline YAML",
        description="Validate the project, then compile the template's pipeline with the "
        "project's config to pipeline YAML (written atomically). Exit 0 compiled, 1 findings "
        "or a config KFP refuses, 2 bad input or a broken template, 3 internal error.",
    )
    parser.add_argument("path", nargs="?", default=".", type=Path, help="project directory")
    parser.add_argument(
        "--image",
        help="image every step runs (default: the last pushed build by digest when current, "
        "else [image.registry/]image.name[-image.identifier]:local from config)",
    )
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help=f"pipeline YAML to write (default: {DEFAULT_OUTPUT_DIR}/"
        "TEMPLATE.yaml under the project root)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate, compile and say where the YAML went."""
    from kfp_templates._kfp.compiling import compile_project
    from kfp_templates._kfp.project import image_for
    from kfp_templates._project_loader import load_project

    layout = find_layout(args.path)
    project, result = load_project(layout)
    if result.findings:
        sys.stderr.write(render(result.findings, "text", checked=str(args.path)) + "\n")
    if project is None:
        sys.stderr.write("nothing compiled: fix the errors above first\n")
        return int(result.exit_code)
    output = args.output or layout.root / DEFAULT_OUTPUT_DIR / f"{project.contract.name}.yaml"
    image, note = image_for(layout, project.config, args.image, need_pushed=False)
    if note:
        sys.stderr.write(f"note: {note}\n")
    written = compile_project(project, output, image)
    sys.stdout.write(f"compiled {project.contract.name} to {written} (image {image})\n")
    return 0
