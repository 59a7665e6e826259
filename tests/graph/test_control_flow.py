"""The IR model on pipelines KFP itself compiles: conditions, loops, OneOf, exit handlers, after.

No `from __future__ import annotations`: KFP reads the components' annotations at decoration.
"""

from typing import Any

import pytest
from google.protobuf import json_format
from kfp import dsl

from kfp_templates._graph.model import Edge, InvalidIR, pipeline_graph

BASE = "python:3.11-slim"


@dsl.component(base_image=BASE)
def make(n: int, out: dsl.Output[dsl.Dataset]) -> int:
    return n


@dsl.component(base_image=BASE)
def use(data: dsl.Input[dsl.Dataset], n: int) -> str:
    return str(n)


@dsl.component(base_image=BASE)
def number(n: int) -> int:
    return n


@dsl.component(base_image=BASE)
def show(n: int) -> None:
    print(n)


@dsl.component(base_image=BASE)
def say(text: str) -> None:
    print(text)


@dsl.pipeline(name="nested")
def nested(n: int = 1) -> None:
    first = make(n=n)
    with dsl.If(first.outputs["Output"] > 0, name="positive"), dsl.If(n < 5):
        use(data=first.outputs["out"], n=n)


@dsl.pipeline(name="loop")
def loop() -> None:
    with dsl.ParallelFor([1, 2, 3]) as item:
        number(n=item)


@dsl.pipeline(name="oneof")
def oneof(n: int = 1) -> None:
    with dsl.If(n > 0):
        high = number(n=n)
    with dsl.Else():
        low = number(n=0)
    show(n=dsl.OneOf(high.output, low.output))


@dsl.pipeline(name="ordered")
def ordered() -> None:
    first = say(text="a")
    say(text="b").after(first)


@dsl.pipeline(name="exit")
def exit_handler() -> None:
    cleanup = say(text="bye")
    with dsl.ExitHandler(cleanup):
        say(text="work")


def ir(pipeline: Any) -> dict[str, Any]:
    return dict(json_format.MessageToDict(pipeline.pipeline_spec))


def test_nested_conditions_bind_through_both_groups() -> None:
    graph = pipeline_graph(ir(nested))
    labels = {group.label for group in graph.groups}
    assert "positive: if int(make.Output) > 0" in labels  # KFP writes the casts
    assert "if int(n) < 5" in labels
    inner = graph.step("use")
    outer_ids = {g.id for g in graph.groups if g.parent is None}
    assert graph.groups and inner.group not in outer_ids  # in the inner group
    assert Edge("make", "use", "out → data", "artifact") in graph.edges


def test_loop_is_a_group_saying_what_it_iterates() -> None:
    graph = pipeline_graph(ir(loop))
    (group,) = graph.groups
    assert group.kind == "loop"
    assert group.label.startswith("for each item of")
    assert graph.step("number").group == group.id


def test_oneof_output_points_at_each_branch_step() -> None:
    graph = pipeline_graph(ir(oneof))
    sources = sorted(e.source for e in graph.edges if e.target == "show")
    assert sources == ["number", "number-2"]
    assert {group.kind for group in graph.groups} >= {"condition"}


def test_after_without_data_is_an_order_edge() -> None:
    graph = pipeline_graph(ir(ordered))
    assert graph.edges == (Edge("say", "say-2", "", "after"),)


def test_exit_handler_frames_the_steps_it_guards() -> None:
    graph = pipeline_graph(ir(exit_handler))
    (group,) = graph.groups
    assert group.kind == "exit_handler"
    assert graph.step("say-2").group == group.id
    assert graph.step("say").group is None


@pytest.mark.parametrize(
    "document",
    [None, [], {}, {"root": {}}, {"root": {"dag": {"tasks": {}}}}, {"pipelineSpec": {"root": 1}}],
)
def test_not_a_pipeline_is_refused(document: Any) -> None:
    with pytest.raises(InvalidIR, match="not a compiled KFP pipeline"):
        pipeline_graph(document)


def test_a_component_containing_itself_is_refused() -> None:
    document = {
        "root": {"dag": {"tasks": {"loop": {"componentRef": {"name": "comp-loop"}}}}},
        "components": {
            "comp-loop": {"dag": {"tasks": {"loop": {"componentRef": {"name": "comp-loop"}}}}}
        },
    }
    with pytest.raises(InvalidIR, match="nested deeper"):
        pipeline_graph(document)


def test_a_pipeline_job_body_is_read_too() -> None:
    assert pipeline_graph({"pipelineSpec": ir(ordered)}).edges == pipeline_graph(ir(ordered)).edges
