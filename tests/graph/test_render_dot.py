"""dot text as Graphviz reads it back: names, labels and frames survive any text."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any
from xml.etree import ElementTree

import pytest

from kfp_templates._graph.model import Edge, Group, PipelineGraph, Step
from kfp_templates._graph.render import dot, step_label_lines

GRAPH = PipelineGraph(
    name='odd "name" \\ here',
    steps=(
        Step("a", 'say "hi" \\n {x}', "container", None, ("user.m.f",)),
        Step("b", "b", "importer", "outer"),
        Step("c", "c", "container", "inner"),
    ),
    groups=(
        Group("inner", "condition-2", "condition", "if b.Output == 'x\"y'", "outer"),
        Group("outer", "loop", "loop", "for each item of [1, 2]", None),
    ),
    edges=(Edge("a", "b", "data → in", "artifact"), Edge("a", "inner", "", "after")),
)


def run_dot(text: str, fmt: str) -> str:
    program = shutil.which("dot")
    if program is None:
        pytest.skip("Graphviz is not installed (Debian: apt-get install graphviz)")
    done = subprocess.run([program, f"-T{fmt}"], input=text, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def drawn(text: str) -> dict[str, Any]:
    return json.loads(run_dot(text, "json"))  # type: ignore[no-any-return]


def test_labels_survive_quotes_backslashes_and_braces() -> None:
    svg = ElementTree.fromstring(run_dot(dot(GRAPH), "svg"))
    texts = {element.text for element in svg.iter("{http://www.w3.org/2000/svg}text")}
    lines = [line for step in GRAPH.steps for line in step_label_lines(step)]
    assert {GRAPH.name, *lines, *(g.label for g in GRAPH.groups)} <= texts


def test_groups_are_frames_holding_their_steps() -> None:
    objects = drawn(dot(GRAPH))["objects"]
    clusters = {o["name"]: o for o in objects if o["name"].startswith("cluster_")}
    assert set(clusters) == {"cluster_inner", "cluster_outer"}
    assert [objects[i]["name"] for i in clusters["cluster_inner"]["nodes"]] == ["c"]
    assert sorted(objects[i]["name"] for i in clusters["cluster_outer"]["nodes"]) == ["b", "c"]


def test_an_edge_to_a_group_points_at_its_frame() -> None:
    layout = drawn(dot(GRAPH))
    names = [o["name"] for o in layout["objects"]]
    edges = {(names[e["tail"]], names[e["head"]]): e for e in layout["edges"]}
    assert edges[("a", "c")]["lhead"] == "cluster_inner"
    assert edges[("a", "b")]["label"].strip() == "data → in"
