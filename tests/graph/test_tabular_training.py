"""The tabular_training picture: five steps, the gate, the artifacts, in each format.

Each output is parsed back (Mermaid by its line grammar, dot by Graphviz's own `-Tjson`), and
the SVG is drawn by headless Chromium and checked not to be blank.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import screenshot
from pngcheck import read_png

from kfp_templates._graph.model import PipelineGraph
from kfp_templates._graph.render import dot, mermaid
from kfp_templates._graph.source import graph_of_template, svg
from kfp_templates._layout import find_layout

ROOT = Path(__file__).resolve().parents[2]
STEPS = ["ingest", "preprocess", "train", "evaluate", "register-model"]
ARTIFACT_EDGES = {
    ("ingest", "preprocess", "data"),
    ("preprocess", "train", "train_data"),
    ("preprocess", "evaluate", "test_data"),
    ("train", "evaluate", "model"),
    ("train", "register-model", "model"),
}
PARAMETER_EDGES = {("evaluate", "register-model", "Output → metric_value")}
CONDITION = "metric-reaches-threshold: if evaluate.Output >= threshold"
USER_CALLS = {
    "preprocess": ("user.preprocess.preprocess",),
    "train": ("user.train.train",),
    "evaluate": ("user.evaluate.evaluate",),
}


@pytest.fixture(scope="module")
def graph() -> PipelineGraph:
    return graph_of_template(find_layout(ROOT / "producer_templates" / "tabular_training"))


def test_model_has_five_steps_the_gate_and_the_edges(graph: PipelineGraph) -> None:
    assert [step.name for step in graph.steps] == STEPS
    (gate,) = graph.groups
    assert (gate.kind, gate.label) == ("condition", CONDITION)
    assert graph.step("register-model").group == gate.id
    assert {s.id for s in graph.steps if s.group is None} == set(STEPS) - {"register-model"}
    edges = {(e.source, e.target, e.label, e.kind) for e in graph.edges}
    assert edges == {(*e, "artifact") for e in ARTIFACT_EDGES} | {
        (*e, "parameter") for e in PARAMETER_EDGES
    }
    assert {s.name: s.user_calls for s in graph.steps if s.user_calls} == USER_CALLS


_NODE = re.compile(r'^\s*(\w+)\["(.*)"\]$')
_SUBGRAPH = re.compile(r'^\s*subgraph (\w+)\["(.*)"\]$')
_EDGE = re.compile(r'^\s*(\w+) (-->|-\.->)(?:\|"(.*)"\|)? (\w+)$')


def parse_mermaid(text: str) -> tuple[dict[str, tuple[str, str | None]], dict[str, str], set]:
    """Nodes (id -> label, enclosing subgraph), subgraphs (id -> label), edges, from our output."""
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    nodes: dict[str, tuple[str, str | None]] = {}
    subgraphs: dict[str, str] = {}
    edges = set()
    stack: list[str] = []
    for line in lines[1:]:
        if match := _SUBGRAPH.match(line):
            subgraphs[match[1]] = _unescape(match[2])
            stack.append(match[1])
        elif line.strip() == "end":
            stack.pop()
        elif match := _NODE.match(line):
            nodes[match[1]] = (_unescape(match[2]), stack[-1] if stack else None)
        elif match := _EDGE.match(line):
            edges.add((match[1], match[4], _unescape(match[3] or ""), match[2]))
        else:
            assert line.strip().startswith(("classDef ", "class ")), f"unexpected line {line!r}"
    assert not stack
    return nodes, subgraphs, edges


def _unescape(text: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m[1])), text)


def test_mermaid_output_parses_back_to_the_pipeline(graph: PipelineGraph) -> None:
    nodes, subgraphs, edges = parse_mermaid(mermaid(graph))
    names = {node: label.split("<br/>")[0] for node, (label, _) in nodes.items()}
    assert sorted(names.values()) == sorted(STEPS)
    assert list(subgraphs.values()) == [CONDITION]
    (gate,) = subgraphs
    assert [names[n] for n, (_, parent) in nodes.items() if parent == gate] == ["register-model"]
    named = {(names[a], names[b], label, arrow) for a, b, label, arrow in edges}
    assert named == {(*e, "-->") for e in ARTIFACT_EDGES} | {(*e, "-.->") for e in PARAMETER_EDGES}
    assert "calls user.train.train" in nodes["train"][0]


def test_mermaid_holds_no_text_jinja_or_mermaid_would_parse(graph: PipelineGraph) -> None:
    text = mermaid(graph)
    assert "{{" not in text and "{%" not in text
    assert ">=" not in text  # escaped as #62;= inside the label


def dot_program() -> str:
    program = shutil.which("dot")
    if program is None:
        pytest.skip("Graphviz is not installed (Debian: apt-get install graphviz)")
    return program


def test_dot_output_as_graphviz_reads_it(graph: PipelineGraph) -> None:
    done = subprocess.run(
        [dot_program(), "-Tjson"], input=dot(graph), capture_output=True, text=True, check=True
    )
    drawn = json.loads(done.stdout)
    objects = drawn["objects"]
    steps = {o["name"]: o for o in objects if not o["name"].startswith("cluster_")}
    (cluster,) = [o for o in objects if o["name"].startswith("cluster_")]
    assert sorted(steps) == sorted(STEPS)
    assert cluster["label"] == CONDITION
    assert [objects[i]["name"] for i in cluster["nodes"]] == ["register-model"]
    edges = {
        (
            objects[e["tail"]]["name"],
            objects[e["head"]]["name"],
            e["label"].strip(),
            e.get("style", "solid"),
        )
        for e in drawn["edges"]
    }
    assert edges == {(*e, "solid") for e in ARTIFACT_EDGES} | {
        (*e, "dashed") for e in PARAMETER_EDGES
    }


def test_svg_draws_in_chromium_as_a_picture(graph: PipelineGraph, tmp_path: Path) -> None:
    dot_program()
    picture = tmp_path / "tabular_training.svg"
    picture.write_text(svg(dot(graph)), encoding="utf-8")
    assert "<svg" in picture.read_text(encoding="utf-8")
    png = read_png(screenshot(picture.as_uri(), tmp_path / "graph.png", (800, 700)))
    assert png.width == 800
    assert png.ink() > 5_000, "the screenshot is blank"
    fills = {(0xE8, 0xF0, 0xFE), (0xFF, 0xF4, 0xD6)}  # step and user-step boxes
    assert fills <= png.colours(), "the step boxes are not drawn"
