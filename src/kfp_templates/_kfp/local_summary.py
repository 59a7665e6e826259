"""What a local run did: each step's status and time, its metrics, where its outputs are.

The child names the steps' Metrics and ClassificationMetrics outputs from the built pipeline
(`metric_outputs`); the parent reads their metadata from the executor output kfp.local wrote in
the run directory (`summary`) and renders one table (`summary_text`) or one JSON document.
Nothing here imports kfp.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kfp_templates._kfp.local_run import LocalRunResult

#: kfp's schema titles of the artifacts whose metadata are metrics.
METRIC_TYPES = ("system.Metrics", "system.ClassificationMetrics")


def metric_outputs(spec: Mapping[str, Any]) -> dict[str, list[str]]:
    """Task name -> its output artifacts of a metrics type, in a pipeline spec (as a dict)."""
    # local_limits imports kfp; the parent, which imports this module, never does
    from kfp_templates._kfp.local_limits import pipeline_tasks  # noqa: PLC0415

    components = spec.get("components", {})
    found: dict[str, list[str]] = {}
    for task, component in pipeline_tasks(spec.get("root", {}), components):
        outputs = components[component].get("outputDefinitions", {}).get("artifacts", {})
        names = [
            name
            for name, output in outputs.items()
            if output.get("artifactType", {}).get("schemaTitle") in METRIC_TYPES
        ]
        if names:
            found[task] = names
    return found


def summary(result: LocalRunResult, steps: Mapping[str, str]) -> dict[str, Any]:
    """The run as one JSON-ready document; `steps` maps kfp task names to the contract's."""
    return {
        "status": result.status,
        "seconds": round(result.seconds, 3),
        "run_dir": str(result.run_dir) if result.run_dir else None,
        "steps": [
            {"step": steps.get(task, task), "status": status, "seconds": round(seconds, 3)}
            for task, status, seconds in _step_rows(result)
        ],
        "metrics": [
            {"step": steps.get(task, task), "artifact": artifact, "name": name, "value": value}
            for task, artifact, name, value in _metrics(result)
        ],
    }


def _step_rows(result: LocalRunResult) -> Iterator[tuple[str, str, float]]:
    for task, seconds in result.step_seconds.items():
        yield task, result.step_status.get(task, "SUCCESS"), seconds
    if result.step and result.step not in result.step_seconds and result.status != "ok":
        yield result.step, result.status.upper(), 0.0


def _metrics(result: LocalRunResult) -> Iterator[tuple[str, str, str, Any]]:
    """(task, artifact, metric, value) of each metrics artifact a finished step wrote."""
    if result.run_dir is None:
        return
    for task, artifacts in result.metric_outputs.items():
        output = result.run_dir / task / "executor_output.json"
        if not output.is_file():  # the step did not run (a condition) or did not finish
            continue
        written = json.loads(output.read_text(encoding="utf-8")).get("artifacts", {})
        for artifact in artifacts:
            for item in written.get(artifact, {}).get("artifacts", []):
                for name, value in (item.get("metadata") or {}).items():
                    yield task, artifact, name, value


def summary_text(document: Mapping[str, Any]) -> str:
    """The summary as aligned plain text: steps, then metrics, then where the outputs are."""
    steps = [(row["step"], row["status"], f"{row['seconds']:.1f}s") for row in document["steps"]]
    lines = _table(("step", "status", "time"), steps)
    metrics = [(row["step"], row["name"], _value(row["value"])) for row in document["metrics"]]
    if metrics:
        lines += ["", *_table(("step", "metric", "value"), metrics)]
    if document["run_dir"]:
        lines += ["", f"outputs: {document['run_dir']}"]
    return "\n".join(lines)


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    return [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    ]


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def outputs_of(run_dir: Path) -> list[str]:
    """The files a run wrote, relative to its directory (kfp's executor_output.json left out)."""
    return [
        str(path.relative_to(run_dir))
        for path in sorted(run_dir.rglob("*"))
        if path.is_file() and path.name != "executor_output.json"
    ]
