"""Mermaid and Graphviz (dot) text for a `PipelineGraph`.

Both draw the same thing: a box per step (steps calling `user.*` code are shaded and name the
functions), a frame per group labelled with its condition or loop, solid arrows for artifacts,
dotted ones for parameters and for order-only dependencies. Mermaid is what GitHub renders in a
README; dot is what `dot -Tsvg` turns into a picture.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from kfp_templates._graph.model import Edge, Group, PipelineGraph, Step

FORMATS = ("mermaid", "dot", "svg")  # svg: dot text drawn by Graphviz (`source.svg`)
USER_FILL = "#fff4d6"
STEP_FILL = "#e8f0fe"
_MERMAID_ESCAPES = {c: f"#{ord(c)};" for c in '"<>#{}|`&'}
_MERMAID_KEYWORDS = {
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "style",
    "class",
    "classdef",
    "click",
    "linkstyle",
    "default",
    "direction",
}
_MERMAID_ARROWS = {"artifact": "-->", "parameter": "-.->", "after": "-.->"}


def step_label_lines(step: Step) -> list[str]:
    """A step's box: its name, then each user function it calls."""
    plain = step.kind == "container" or step.kind in step.name
    head = step.name if plain else f"{step.name} ({step.kind})"
    return [head, *(f"calls {name}" for name in step.user_calls)]


def mermaid(graph: PipelineGraph) -> str:
    """A Mermaid flowchart (top to bottom) of the graph."""
    ids = _short_ids(graph, _mermaid_id)
    lines = ["flowchart TD"]
    lines += _nested(
        graph,
        None,
        1,
        lambda step, pad: _mermaid_step(step, ids, pad),
        lambda group, pad: (f'{pad}subgraph {ids[group.id]}["{_m(group.label)}"]', f"{pad}end"),
    )
    for edge in graph.edges:
        label = f'|"{_m(edge.label)}"|' if edge.label else ""
        lines.append(
            f"    {ids[edge.source]} {_MERMAID_ARROWS[edge.kind]}{label} {ids[edge.target]}"
        )
    users = [ids[step.id] for step in graph.steps if step.user_calls]
    lines.append(f"    classDef user fill:{USER_FILL},stroke:#c79a2a")
    lines.append(f"    classDef step fill:{STEP_FILL},stroke:#4a6fa5")
    others = [ids[step.id] for step in graph.steps if not step.user_calls]
    if others:
        lines.append(f"    class {','.join(others)} step")
    if users:
        lines.append(f"    class {','.join(users)} user")
    return "\n".join(lines) + "\n"


def _mermaid_id(text: str) -> str:
    """Word characters only, and never a Mermaid keyword (a node called `end` closes a subgraph)."""
    cleaned = re.sub(r"\W", "_", text, flags=re.ASCII)
    return cleaned + "_" if cleaned.lower() in _MERMAID_KEYWORDS else cleaned


def _mermaid_step(step: Step, ids: dict[str, str], pad: str) -> str:
    return f'{pad}{ids[step.id]}["{"<br/>".join(_m(line) for line in step_label_lines(step))}"]'


def _m(text: str) -> str:
    """Text safe inside a quoted Mermaid label (entity codes; also never a Jinja `{{`)."""
    return "".join(_MERMAID_ESCAPES.get(char, char) for char in text)


def dot(graph: PipelineGraph) -> str:
    """A Graphviz digraph of the graph (clusters for groups, `compound` for edges to them)."""
    ids = _short_ids(graph, lambda text: text)
    lines = [
        "digraph pipeline {",
        f"    graph [rankdir=TB, compound=true, fontname=Helvetica, label={_q(graph.name)}, "
        "labelloc=t, fontsize=16];",
        f'    node [shape=box, style="rounded,filled", fillcolor="{STEP_FILL}", '
        'color="#4a6fa5", fontname=Helvetica, fontsize=12];',
        "    edge [fontname=Helvetica, fontsize=10];",
    ]
    lines += _nested(
        graph,
        None,
        1,
        lambda step, pad: _dot_step(step, ids, pad),
        lambda group, pad: (
            f"{pad}subgraph {_q('cluster_' + ids[group.id])} {{\n"
            f'{pad}    label={_q(group.label)}; style="dashed,rounded"; '
            'color="#888888"; fontsize=12; labelloc=b;',
            f"{pad}}}",
        ),
    )
    lines += [_dot_edge(graph, edge, ids) for edge in graph.edges]
    return "\n".join([*lines, "}"]) + "\n"


def _dot_step(step: Step, ids: dict[str, str], pad: str) -> str:
    label = "\\n".join(_escape_dot(line) for line in step_label_lines(step))
    fill = f', fillcolor="{USER_FILL}", color="#c79a2a"' if step.user_calls else ""
    return f'{pad}{_q(ids[step.id])} [label="{label}"{fill}];'


def _dot_edge(graph: PipelineGraph, edge: Edge, ids: dict[str, str]) -> str:
    attributes = [f"label={_q(' ' + edge.label)}"] if edge.label else []
    if edge.kind != "artifact":
        attributes.append("style=dashed")
    ends = []
    for node, end in ((edge.source, "ltail"), (edge.target, "lhead")):
        first = _first_step(graph, node)
        if first != node:
            attributes.append(f"{end}={_q('cluster_' + ids[node])}")
        ends.append(_q(ids[first]))
    return f"    {ends[0]} -> {ends[1]} [{', '.join(attributes)}];"


def _first_step(graph: PipelineGraph, node: str) -> str:
    """`node` when a step; for a group, a step inside it (dot draws edges between nodes)."""
    if any(step.id == node for step in graph.steps):
        return node
    inner = [s.id for s in graph.steps if s.group == node]
    inner += [_first_step(graph, g.id) for g in graph.groups if g.parent == node]
    return inner[0] if inner else node


def _q(text: str) -> str:
    return f'"{_escape_dot(text)}"'


def _escape_dot(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _nested(
    graph: PipelineGraph,
    parent: str | None,
    depth: int,
    step_line: Callable[[Step, str], str],
    group_lines: Callable[[Group, str], tuple[str, str]],
) -> Iterator[str]:
    """Lines for the steps and groups directly in `parent`, groups wrapping their contents."""
    pad = "    " * depth
    for step in graph.steps:
        if step.group == parent:
            yield step_line(step, pad)
    for group in graph.groups:
        if group.parent == parent:
            opening, closing = group_lines(group, pad)
            yield opening
            yield from _nested(graph, group.id, depth + 1, step_line, group_lines)
            yield closing


def _short_ids(graph: PipelineGraph, clean: Callable[[str], str]) -> dict[str, str]:
    """A distinct renderer-safe id per node (steps and groups share one namespace)."""
    ids: dict[str, str] = {}
    for node in [*(s.id for s in graph.steps), *(g.id for g in graph.groups)]:
        base = clean(node) or "node"
        candidate, index = base, 2
        while candidate in ids.values():
            candidate, index = f"{base}_{index}", index + 1
        ids[node] = candidate
    return ids
