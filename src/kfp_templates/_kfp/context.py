"""The template-authoring API: what a producer's `pipeline.py` receives to build its pipeline.

A template's pipeline module exposes a factory named as in its contract (`pipeline.function`):

    def tabular_training(ctx: TemplateContext) -> GraphComponent: ...

The factory wraps its component functions with `ctx.component` (so every step runs the consumer's
image, known only at compile time), reads pipeline defaults with `ctx.param`, and passes each task
through `ctx.step(task, "name")` so the consumer's `steps.NAME` options apply. Building the
pipeline inside a factory keeps templates free of module-level state and of hard-coded images.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kfp import dsl

from kfp_templates._errors import ConsumerError, ContractError
from kfp_templates._kfp import component_specs, custom_component
from kfp_templates._kfp.task_options import apply_task_options
from kfp_templates._records import record


@record
class TemplateContext:
    """Compile-time facts a template factory builds its pipeline from.

    Attributes:
        image: Container image every step runs (the consumer's built image).
        config: The consumer's config with schema defaults filled in.
        root: Project root, the directory holding `user/` (a template's `reference/`).
        template_dir: The template directory (contract, pipeline, components, specs).
    """

    image: str
    config: Mapping[str, Any]
    root: Path
    template_dir: Path

    def param(self, name: str) -> Any:
        """The value of `parameters.NAME` in the config (defaults already applied).

        Raises:
            ContractError: when neither the config nor the contract's schema gives a value.
        """
        parameters = self.config.get("parameters", {})
        if name not in parameters:
            raise ContractError(
                f"the pipeline reads parameters.{name}, but the config has no value and the "
                "contract's config schema gives no default",
                hint="ask the template's producer to add a default to the contract",
            )
        return parameters[name]

    def step_options(self, step: str) -> Mapping[str, Any]:
        """The consumer's `steps.STEP` task options, or an empty mapping."""
        options = self.config.get("steps", {}).get(step, {})
        return options if isinstance(options, Mapping) else {}

    def component(self, func: Callable[..., Any], **kwargs: Any) -> Any:
        """Make a lightweight component of `func` that runs on the consumer's image.

        kfp is not pip-installed at task start: the consumer's image already holds it (it is in
        every contract's requirements), and kfp.local then runs without network access.
        """
        return dsl.component(func, base_image=self.image, install_kfp_package=False, **kwargs)

    def step(self, task: dsl.PipelineTask, name: str) -> dsl.PipelineTask:
        """Apply the consumer's `steps.NAME` options to `task` and return it."""
        return apply_task_options(task, name, self.step_options(name))

    def load_component_spec(self, relative: str, *, on_consumer_image: bool = False) -> Any:
        """Load a YAML component spec shipped in the template (any format kfp loads).

        Its containers keep their own images unless the spec's image is `CONSUMER_IMAGE` or
        `on_consumer_image=True` says the whole spec runs on the consumer's image.
        """
        return component_specs.load(
            self.template_dir, relative, self.image, on_consumer_image=on_consumer_image
        )

    def user_component(self, module: str = "user.main", name: str = "component") -> Any:
        """Wrap the consumer's own component function (read statically) into a KFP component."""
        try:
            return custom_component.wrap(self.root, module, name, self.image)
        except SyntaxError as error:
            raise ConsumerError(
                f"{module.replace('.', '/')}.py: cannot parse: {error.msg} (line {error.lineno})",
                hint="fix the syntax error",
            ) from error
