"""Apply per-step task options from `config.yaml` (`steps.STEP`) to a KFP pipeline task.

The option names are the `task_options` definition of the bundled config schema. Plain KFP
setters cover resources, env, retries, caching and display names; node selectors, tolerations,
secrets and volumes go through kfp-kubernetes and land in the pipeline's platform spec.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kfp import kubernetes
from kfp.dsl import PipelineTask

from kfp_templates._errors import ConsumerError

Setter = Callable[[PipelineTask, Any], None]

#: kfp.local runs tasks as plain subprocesses and ignores these options. (It does honour env
#: vars and retries; caching is off in local runs, so per-step caching changes nothing there.)
LOCALLY_IGNORED = (
    "cpu",
    "memory",
    "accelerator",
    "caching",
    "node_selector",
    "tolerations",
    "secrets",
    "volumes",
)


def _cpu(task: PipelineTask, value: Any) -> None:
    task.set_cpu_limit(str(value))


def _memory(task: PipelineTask, value: Any) -> None:
    task.set_memory_limit(str(value))


def _accelerator(task: PipelineTask, value: Any) -> None:
    task.set_accelerator_type(value["type"]).set_accelerator_limit(int(value.get("count", 1)))


def _env(task: PipelineTask, value: Any) -> None:
    for name, text in value.items():
        task.set_env_variable(name, str(text))


def _retries(task: PipelineTask, value: Any) -> None:
    task.set_retry(num_retries=int(value))


def _caching(task: PipelineTask, value: Any) -> None:
    task.set_caching_options(enable_caching=bool(value))


def _display_name(task: PipelineTask, value: Any) -> None:
    task.set_display_name(str(value))


def _node_selector(task: PipelineTask, value: Any) -> None:
    for key, label in value.items():
        kubernetes.add_node_selector(task, label_key=key, label_value=str(label))


def _tolerations(task: PipelineTask, value: Any) -> None:
    for toleration in value:
        kubernetes.add_toleration(
            task,
            key=toleration["key"],
            operator=toleration.get("operator", "Equal"),
            value=toleration.get("value"),
            effect=toleration.get("effect"),
        )


def _secrets(task: PipelineTask, value: Any) -> None:
    for secret_name, key_to_env in value.items():
        kubernetes.use_secret_as_env(task, secret_name=secret_name, secret_key_to_env=key_to_env)


def _volumes(task: PipelineTask, value: Any) -> None:
    for claim, mount_path in value.items():
        kubernetes.mount_pvc(task, pvc_name=claim, mount_path=mount_path)


_SETTERS: Mapping[str, Setter] = {
    "display_name": _display_name,
    "cpu": _cpu,
    "memory": _memory,
    "accelerator": _accelerator,
    "env": _env,
    "retries": _retries,
    "caching": _caching,
    "node_selector": _node_selector,
    "tolerations": _tolerations,
    "secrets": _secrets,
    "volumes": _volumes,
}


def apply_task_options(task: PipelineTask, step: str, options: Mapping[str, Any]) -> PipelineTask:
    """Set every option in `options` on `task`, in a fixed order so compiled YAML is stable.

    Raises:
        ConsumerError: when KFP refuses a value (such as a CPU quantity it cannot parse), naming
            the config key so the consumer knows what to change.
    """
    for option, setter in _SETTERS.items():
        if option not in options:
            continue
        try:
            setter(task, options[option])
        except (ValueError, TypeError, KeyError) as error:
            raise ConsumerError(
                f"config steps.{step}.{option}: KFP refused {options[option]!r}: {error}",
                hint=f"fix steps.{step}.{option} in config.yaml",
            ) from error
    return task


def locally_ignored_options(steps: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(step, option) pairs set in `steps` that a kfp.local run does not honour."""
    return [
        (step, option)
        for step, options in sorted(steps.items())
        if isinstance(options, Mapping)
        for option in LOCALLY_IGNORED
        if option in options
    ]
