"""Where a graph comes from (a project, a template directory or a compiled YAML) and where it goes.

A project or template directory is validated and its pipeline compiled in memory (kfp, loaded
only then); a compiled pipeline YAML is read with the project's safe YAML loader. Either way the
picture is drawn from the IR. Output goes to stdout, or atomically to a file inside the
project: the directory given, or for a YAML file the current directory.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kfp_templates._errors import ConsumerError, ContractError, InternalError, UsageError
from kfp_templates._graph.model import InvalidIR, PipelineGraph, pipeline_graph
from kfp_templates._graph.render import FORMATS, dot, mermaid
from kfp_templates._layout import ProjectLayout
from kfp_templates._records import record
from kfp_templates._safe_paths import is_inside, write_text_atomic
from kfp_templates._yamlio import MAX_BYTES, YamlLoadError, load_yaml_documents

if TYPE_CHECKING:
    from kfp_templates._project_loader import LoadedProject

DOT_TIMEOUT_SECONDS = 120
INSTALL_GRAPHVIZ = (
    "install Graphviz (Debian/Ubuntu: `apt-get install graphviz`, macOS: `brew install graphviz`), "
    "or use --format mermaid or --format dot"
)


@record
class GraphSource:
    """A drawn pipeline and the directory its files may be written into."""

    graph: PipelineGraph
    boundary: Path


def graph_of_file(path: Path) -> GraphSource:
    """The graph of a compiled pipeline YAML (or JSON) file.

    Raises:
        UsageError: when the file cannot be read or is not a compiled KFP pipeline.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{path} is larger than {MAX_BYTES} bytes", hint=_FILE_HINT)
        documents = load_yaml_documents(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}", hint=_FILE_HINT) from None
    except YamlLoadError as error:
        where = f"{path}:{error.mark.line}:{error.mark.column}" if error.mark else str(path)
        raise UsageError(
            f"not a YAML document KFP wrote: {error.message}", hint=_FILE_HINT, location=where
        ) from None
    return GraphSource(_graph(documents[0].data if documents else None, str(path)), Path.cwd())


_FILE_HINT = "pass a pipeline YAML written by `kfp-templates compile`, or a project directory"


def graph_of_project(layout: ProjectLayout, prepared: LoadedProject) -> GraphSource:
    """The graph of a validated project (`prepared`, from `_project_loader.load_project`)."""
    from kfp_templates._kfp.graph_ir import pipeline_ir  # noqa: PLC0415 - kfp only when drawing

    boundary = layout.template_dir if layout.is_producer_template else layout.root
    return GraphSource(_graph(pipeline_ir(prepared), layout.display(layout.template_dir)), boundary)


def graph_of_template(layout: ProjectLayout) -> PipelineGraph:
    """The graph of a template directory or project that must validate (docs, READMEs).

    Raises:
        ContractError: when it does not validate (the template's producer must fix it).
    """
    from kfp_templates._project_loader import load_project  # noqa: PLC0415 - the validators

    prepared, result = load_project(layout)
    if prepared is None:
        raise ContractError(
            f"{layout.template_dir} does not validate ({len(result.findings)} finding(s))",
            hint=f"run `kfp-templates validate {layout.template_dir}` and fix what it reports",
        )
    return graph_of_project(layout, prepared).graph


def _graph(ir: Any, where: str) -> PipelineGraph:
    try:
        return pipeline_graph(ir)
    except InvalidIR as error:
        raise UsageError(f"{where}: {error}", hint=_FILE_HINT) from None


def render(graph: PipelineGraph, fmt: str) -> str:
    """The graph as `fmt` text: mermaid, dot, or svg (by Graphviz's `dot`)."""
    if fmt == "mermaid":
        return mermaid(graph)
    if fmt == "dot":
        return dot(graph)
    if fmt == "svg":
        return svg(dot(graph))
    raise UsageError(f"unknown graph format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")


def svg(dot_text: str) -> str:
    """SVG drawn by Graphviz's `dot` from `dot_text`.

    Raises:
        UsageError: when `dot` is not installed (exit 2), saying how to install it.
    """
    program = shutil.which("dot")
    if program is None:
        raise UsageError(
            "--format svg needs Graphviz's `dot`, which is not installed", hint=INSTALL_GRAPHVIZ
        )
    try:
        done = subprocess.run(
            [program, "-Tsvg"],
            input=dot_text,
            capture_output=True,
            encoding="utf-8",
            timeout=DOT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ConsumerError(f"Graphviz's dot did not run: {error}", hint=INSTALL_GRAPHVIZ) from None
    if done.returncode != 0:  # the dot text is ours: a refusal is our bug
        raise InternalError(f"Graphviz's dot refused the graph: {done.stderr.strip()}")
    return done.stdout


def write_inside(path: Path, text: str, boundary: Path) -> None:
    """Write `text` to `path` atomically, refusing a path outside `boundary`."""
    if not is_inside(path.parent, boundary):
        raise UsageError(
            f"refusing to write {path}: it is outside {boundary}",
            hint="choose a file inside the project, or print to stdout and redirect it "
            "(`kfp-templates graph > FILE`)",
        )
    write_text_atomic(path, text, inside=boundary)
