"""Steps a kfp.local run cannot run as they would run in the cloud, each with the reason.

kfp.local's SubprocessRunner runs only lightweight Python components, in this machine's Python:
a container component (a v1 `component.yaml`, or any spec whose command is not kfp's executor)
stops the local run, and a lightweight component compiled for another image runs without that
image's packages. A YAML component spec that keeps its own image (see `component_specs`) is the
usual source of both. `run --local` prints these as notes before running, the way it warns about
task options kfp.local ignores.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format
from kfp.dsl import component_factory

from kfp_templates._records import record

#: What kfp.local's SubprocessRunner says when it refuses a container component.
REFUSAL = "only supports running Lightweight Python Components"


@record
class LocalLimit:
    """One step kfp.local runs differently or not at all.

    Attributes:
        task: kfp's task name, as kfp.local logs it.
        image: The image the step runs in the cloud.
        runs: Whether kfp.local runs it at all (lightweight) or stops there (container).
    """

    task: str
    image: str
    runs: bool

    @property
    def note(self) -> str:
        """One line for the terminal naming the step and the reason."""
        if self.runs:
            return (
                f"step {self.task!r} runs on its own image {self.image} in the cloud; locally it "
                "runs in this machine's Python environment, without that image's packages"
            )
        return f"step {self.task!r} {self.stop_reason}"

    @property
    def stop_reason(self) -> str:
        """Why the local run cannot run this step (for a container component)."""
        return (
            f"is a container component (image {self.image}); kfp.local's subprocess runner runs "
            "only lightweight Python components, so the local run stops at it. It runs on "
            "Vertex AI and KFP (`kfp-templates submit`)"
        )


def local_limits(pipeline: Any, image: str) -> list[LocalLimit]:
    """The steps of `pipeline` (a compiled-to-be kfp pipeline) kfp.local cannot run as in the cloud.

    `image` is the consumer's image: lightweight steps on it are what kfp.local is made for.
    """
    spec = json_format.MessageToDict(pipeline.pipeline_spec)
    executors = spec.get("deploymentSpec", {}).get("executors", {})
    components = spec.get("components", {})
    limits = []
    for task, component in pipeline_tasks(spec.get("root", {}), components):
        container = executors.get(components[component].get("executorLabel"), {}).get("container")
        if container is None:  # an importer or a nested DAG: kfp.local runs those itself
            continue
        runs = _lightweight(container)
        if not runs or container.get("image") != image:
            limits.append(LocalLimit(task, str(container.get("image", "")), runs))
    return limits


def pipeline_tasks(component: dict[str, Any], components: dict[str, Any]) -> list[tuple[str, str]]:
    """(task name, component name) of every task in `component`'s DAG and the DAGs under it."""
    found = []
    for name, task in component.get("dag", {}).get("tasks", {}).items():
        reference = task.get("componentRef", {}).get("name", "")
        if reference in components:
            found.append((name, reference))
            found.extend(pipeline_tasks(components[reference], components))
    return found


def _lightweight(container: dict[str, Any]) -> bool:
    """Whether kfp.local's SubprocessRunner accepts this container (its own test, restated)."""
    command = [str(part) for part in container.get("command", []) + container.get("args", [])]
    containerized = component_factory.CONTAINERIZED_PYTHON_COMPONENT_COMMAND
    return (
        any(component_factory.EXECUTOR_MODULE in part for part in command)
        and command[: len(containerized)] != containerized
    )
