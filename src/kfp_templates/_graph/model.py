"""The compiled pipeline (KFP IR, as a dict) as steps, groups and the edges between them.

A pure function of the IR: the steps are the tasks whose component runs an executor, the groups
are the tasks whose component is a DAG (dsl.If/Elif/Else, ParallelFor, ExitHandler, a pipeline
used as a component), and an edge joins the step producing an artifact or parameter to each
step consuming it. Inside a group a task reads its group's inputs (`componentInputArtifact`),
which the group task binds to an outer producer; edges follow such bindings to the producer,
and a group's outputs to the inner step producing them, so each edge names two real steps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kfp_templates._graph.ir_fields import (
    as_dict,
    executor_kind,
    in_dependency_order,
    inputs_of,
    output_selectors,
)
from kfp_templates._graph.user_calls import user_calls
from kfp_templates._records import field, record

MAX_NESTING = 32
_CHANNEL = re.compile(r"inputs\.(?:parameter_values|artifacts)\['([^']*)'\](?:\.artifacts\[0\])?")


_AUTO_NAME = re.compile(r"condition-\d+")


class InvalidIR(ValueError):
    """The document is not a compiled KFP pipeline the graph can be drawn from."""


@record
class Step:
    """One task that runs: a container, an importer or a resolver."""

    id: str
    name: str
    kind: str
    group: str | None
    user_calls: tuple[str, ...] = ()


@record
class Group:
    """A task whose component is a sub-DAG; `label` says when or how often its steps run."""

    id: str
    name: str
    kind: str
    label: str
    parent: str | None


@record
class Edge:
    """`source` hands `label` to `target`; kind is artifact, parameter or after (order only)."""

    source: str
    target: str
    label: str
    kind: str


@record
class PipelineGraph:
    """Everything a renderer draws, in a stable order (steps topologically, per DAG)."""

    name: str
    steps: tuple[Step, ...]
    groups: tuple[Group, ...]
    edges: tuple[Edge, ...]

    def step(self, name: str) -> Step:
        """The step with display name `name` (KeyError when none)."""
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)


@record(frozen=False)
class _Scope:
    """One DAG: its tasks' node ids, and how its group task binds the names it reads."""

    dag: Mapping[str, Any]
    bindings: Mapping[str, Any]
    parent: _Scope | None
    group: str | None
    ids: dict[str, str] = field(default_factory=dict)
    children: dict[str, _Scope] = field(default_factory=dict)


def pipeline_graph(ir: Any) -> PipelineGraph:
    """The graph of a compiled pipeline (a PipelineSpec dict, or a PipelineJob's body).

    Raises:
        InvalidIR: when `ir` has no root DAG of tasks.
    """
    spec = _pipeline_spec(ir)
    return _Reader(spec).read()


def _pipeline_spec(ir: Any) -> Mapping[str, Any]:
    if isinstance(ir, dict) and "pipelineSpec" in ir and "root" not in ir:
        ir = ir["pipelineSpec"]
    tasks = as_dict(as_dict(as_dict(ir).get("root")).get("dag")).get("tasks")
    if not isinstance(tasks, dict) or not tasks:
        raise InvalidIR("no `root.dag.tasks`: this is not a compiled KFP pipeline")
    return dict(ir)


class _Reader:
    """One read of one IR: builds the scopes (ids first), then the edges."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        self.components = as_dict(spec.get("components"))
        self.executors = as_dict(as_dict(spec.get("deploymentSpec")).get("executors"))
        self.steps: list[Step] = []
        self.groups: list[Group] = []
        self.names: dict[str, str] = {}
        self.edges: list[Edge] = []

    def read(self) -> PipelineGraph:
        root = self._scope(as_dict(self.spec["root"]).get("dag", {}), {}, None, None, 0)
        self._edges(root)
        name = str(as_dict(self.spec.get("pipelineInfo")).get("name", ""))
        return PipelineGraph(name, tuple(self.steps), tuple(self.groups), tuple(self.edges))

    def _scope(
        self,
        dag: Any,
        bindings: Mapping[str, Any],
        parent: _Scope | None,
        group: str | None,
        depth: int,
    ) -> _Scope:
        if depth > MAX_NESTING:
            raise InvalidIR(
                f"groups nested deeper than {MAX_NESTING} (a component refers to itself?)"
            )
        scope = _Scope(as_dict(dag), bindings, parent, group)
        tasks = in_dependency_order(as_dict(scope.dag.get("tasks")))
        for key in tasks:
            scope.ids[key] = self._unique_id(key)
            info = as_dict(tasks[key].get("taskInfo"))
            self.names[scope.ids[key]] = str(info.get("name") or key)
        for key, task in tasks.items():
            component = as_dict(
                self.components.get(str(as_dict(task.get("componentRef")).get("name")))
            )
            if isinstance(component.get("dag"), dict):
                child = self._scope(
                    component["dag"], inputs_of(task), scope, scope.ids[key], depth + 1
                )
                scope.children[key] = child
                self.groups.append(self._group(scope, key, task, child))
            else:
                executor = self.executors.get(str(component.get("executorLabel")), {})
                self.steps.append(
                    Step(
                        scope.ids[key],
                        self.names[scope.ids[key]],
                        executor_kind(executor),
                        group,
                        user_calls(executor),
                    )
                )
        return scope

    def _unique_id(self, key: str) -> str:
        taken = set(self.names)
        candidate, index = key, 2
        while candidate in taken:
            candidate, index = f"{key}-{index}", index + 1
        return candidate

    def _group(self, scope: _Scope, key: str, task: Mapping[str, Any], child: _Scope) -> Group:
        node_id = scope.ids[key]
        name = self.names[node_id]
        condition = as_dict(task.get("triggerPolicy")).get("condition")
        iterator = as_dict(task.get("parameterIterator")) or as_dict(task.get("artifactIterator"))
        if isinstance(condition, str) and condition:
            kind, label = "condition", "if " + self._readable(child, condition)
            if not _AUTO_NAME.fullmatch(name):
                label = f"{name}: {label}"
        elif iterator:
            items = as_dict(iterator.get("items"))
            source = items.get("inputParameter") or items.get("inputArtifact")
            what = self._origin_of(child, source) if source else str(items.get("raw", ""))
            kind, label = "loop", f"for each item of {what}"
        elif name.startswith("exit-handler"):
            kind, label = "exit_handler", f"{name}: the exit task runs after these, always"
        else:
            kind, label = "pipeline", name
        return Group(node_id, name, kind, label, scope.group)

    def _readable(self, child: _Scope, condition: str) -> str:
        """The condition with `inputs.parameter_values['pipelinechannel--x']` as `step.key`."""
        return _CHANNEL.sub(lambda match: self._origin_of(child, match.group(1)), condition)

    def _origin_of(self, child: _Scope, name: str) -> str:
        binding = child.bindings.get(name)
        if binding is None or child.parent is None:
            return name
        return self._origin(child.parent, binding)

    def _origin(self, scope: _Scope, spec: Any) -> str:
        sources = self._sources(scope, spec, 0)
        if sources:
            return ", ".join(f"{self.names[source]}.{key}" for source, key in sources)
        spec = as_dict(spec)
        name = spec.get("componentInputParameter") or spec.get("componentInputArtifact")
        if isinstance(name, str):
            return name if scope.parent is None else self._origin_of(scope, name)
        constant = as_dict(spec.get("runtimeValue")).get("constant")
        return repr(constant) if constant is not None else "?"

    def _edges(self, scope: _Scope) -> None:
        for key, task in in_dependency_order(as_dict(scope.dag.get("tasks"))).items():
            target = scope.ids[key]
            if key not in scope.children:
                self._data_edges(scope, target, task)
        for key, task in in_dependency_order(as_dict(scope.dag.get("tasks"))).items():
            if key in scope.children:
                self._edges(scope.children[key])
            self._after_edges(scope, scope.ids[key], task)

    def _data_edges(self, scope: _Scope, target: str, task: Mapping[str, Any]) -> None:
        inputs = as_dict(task.get("inputs"))
        for kind, section in (("artifact", "artifacts"), ("parameter", "parameters")):
            for input_name, spec in sorted(as_dict(inputs.get(section)).items()):
                for source, key in self._sources(scope, spec, 0):
                    label = key if key == input_name else f"{key} → {input_name}"
                    self.edges.append(Edge(source, target, label, kind))

    def _after_edges(self, scope: _Scope, target: str, task: Mapping[str, Any]) -> None:
        """`.after()` and other orderings no data edge already shows."""
        inside_target = self._inside(target)
        for dependency in task.get("dependentTasks") or ():
            source = scope.ids.get(dependency) if isinstance(dependency, str) else None
            if source is None:
                continue
            inside_source = self._inside(source)
            if not any(e.source in inside_source and e.target in inside_target for e in self.edges):
                self.edges.append(Edge(source, target, "", "after"))

    def _inside(self, node: str) -> set[str]:
        """`node` and, for a group, every step and group nested in it."""
        found = {node}
        changed = True
        while changed:
            before = len(found)
            found |= {g.id for g in self.groups if g.parent in found}
            found |= {s.id for s in self.steps if s.group in found}
            changed = len(found) != before
        return found

    def _sources(self, scope: _Scope, spec: Any, depth: int) -> list[tuple[str, str]]:
        """The (step id, output key) pairs an input spec reads, through groups' bindings."""
        spec = as_dict(spec)
        if depth > MAX_NESTING:
            return []
        for section, key_name, kind in (
            ("taskOutputArtifact", "outputArtifactKey", "artifacts"),
            ("taskOutputParameter", "outputParameterKey", "parameters"),
        ):
            output = as_dict(spec.get(section))
            if output:
                producer, key = output.get("producerTask"), output.get(key_name)
                return self._outputs(scope, str(producer), str(key), kind, depth + 1)
        name = spec.get("componentInputArtifact") or spec.get("componentInputParameter")
        if isinstance(name, str) and scope.parent is not None and name in scope.bindings:
            return self._sources(scope.parent, scope.bindings[name], depth + 1)
        return []

    def _outputs(
        self, scope: _Scope, producer: str, key: str, kind: str, depth: int
    ) -> list[tuple[str, str]]:
        if producer in scope.children:
            child = scope.children[producer]
            output = as_dict(as_dict(as_dict(child.dag.get("outputs")).get(kind)).get(key))
            found: list[tuple[str, str]] = []
            for sub, sub_key in output_selectors(output):
                found += self._outputs(child, sub, sub_key, kind, depth + 1)
            return found
        return [(scope.ids[producer], key)] if producer in scope.ids else []
