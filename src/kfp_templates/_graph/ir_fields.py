"""Small readers of KFP IR fields, tolerant of any shape: a wrong type reads as empty.

The graph model (`model.py`) reads a document nobody checked; these helpers make every field
access total, so a malformed IR gives an `InvalidIR` or a smaller graph, never a traceback.
"""

from __future__ import annotations

import graphlib
from collections.abc import Mapping
from typing import Any


def as_dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def output_selectors(output: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Inner (task, key) pairs a DAG output is taken from (one, or one per dsl.OneOf branch)."""
    selectors = list(output.get("artifactSelectors") or ())
    selectors.append(output.get("valueFromParameter"))
    selectors += as_dict(output.get("valueFromOneof")).get("parameterSelectors") or ()
    pairs = []
    for entry in selectors:
        selector = as_dict(entry)
        key = selector.get("outputArtifactKey") or selector.get("outputParameterKey")
        if isinstance(selector.get("producerSubtask"), str) and isinstance(key, str):
            pairs.append((selector["producerSubtask"], key))
    return pairs


def inputs_of(task: Mapping[str, Any]) -> dict[str, Any]:
    inputs = as_dict(task.get("inputs"))
    return {**as_dict(inputs.get("parameters")), **as_dict(inputs.get("artifacts"))}


def executor_kind(executor: Any) -> str:
    for kind in ("importer", "resolver", "container"):
        if kind in as_dict(executor):
            return kind
    return "unknown"


def in_dependency_order(tasks: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Tasks in dependency order (ties by name), so renderers list producers first."""
    valid = {key: as_dict(task) for key, task in sorted(tasks.items()) if isinstance(key, str)}
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for key, task in valid.items():
        sorter.add(key, *sorted(d for d in task.get("dependentTasks") or () if d in valid))
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError:
        order = list(valid)
    return {key: valid[key] for key in order}
