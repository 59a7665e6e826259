"""custom_component: the consumer's own component function, wrapped, in a one-component pipeline.

The consumer writes `user.main.component`, typed with KFP primitives and `dsl.Input/Output[...]`
artifacts. kfp-templates reads its signature statically and wraps it (`ctx.user_component`).
The test pipeline feeds each input artifact with `dsl.importer` from `parameters.inputs`
(name -> URI) and each other parameter from `parameters.args` (name -> value).
"""

from typing import TYPE_CHECKING, Any

from kfp import dsl

if TYPE_CHECKING:
    from kfp_templates import TemplateContext

STEP = "component"


def custom_component(ctx: "TemplateContext") -> Any:
    """Build the one-component test pipeline around the consumer's component."""
    wrapped = ctx.user_component("user.main", "component")
    plan = wrapped.plan(ctx.param("args"), ctx.param("inputs"))

    @dsl.pipeline(name=str(ctx.param("pipeline_name")),
                  description="Runs the consumer's component once with inputs from config.")
    def pipeline() -> None:
        imported = {
            name: dsl.importer(artifact_uri=uri, artifact_class=artifact_class,
                               reimport=False).output
            for name, (uri, artifact_class) in sorted(plan.imports.items())
        }
        ctx.step(wrapped.component(**plan.arguments, **imported), STEP)

    return pipeline
