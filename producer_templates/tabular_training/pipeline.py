"""tabular_training: ingest -> preprocess -> train -> evaluate -> (metric >= threshold) register.

The consumer writes `user.preprocess.preprocess`, `user.train.train` and
`user.evaluate.evaluate` (see contract.yaml); everything else is this template's. The pipeline is
built by the factory below for one compile: `ctx` carries the consumer's image and config.
"""

from typing import TYPE_CHECKING, Any

from kfp import dsl

from . import components

if TYPE_CHECKING:
    from kfp_templates import TemplateContext

REGISTER_SPEC = "component_specs/register_model.yaml"


def tabular_training(ctx: "TemplateContext") -> Any:
    """Build the tabular_training pipeline for the consumer's image and config."""
    ingest = ctx.component(components.ingest)
    preprocess = ctx.component(components.preprocess)
    train = ctx.component(components.train)
    evaluate = ctx.component(components.evaluate)
    register_model = ctx.load_component_spec(REGISTER_SPEC)

    @dsl.pipeline(name="tabular-training",
                  description="Train a tabular model with the consumer's code; register it "
                  "when its metric reaches the threshold.")
    def pipeline(  # noqa: PLR0917 - KFP passes pipeline parameters by name
        source: str = ctx.param("source"),
        n_rows: int = ctx.param("n_rows"),
        target_column: str = ctx.param("target_column"),
        test_fraction: float = ctx.param("test_fraction"),
        seed: int = ctx.param("seed"),
        metric: str = ctx.param("metric"),
        threshold: float = ctx.param("threshold"),
        model_name: str = ctx.param("model_name"),
    ) -> None:
        data = ctx.step(ingest(source=source, n_rows=n_rows, target_column=target_column,
                               seed=seed), "ingest")
        split = ctx.step(preprocess(data=data.outputs["data"], target_column=target_column,
                                    test_fraction=test_fraction, seed=seed), "preprocess")
        model = ctx.step(train(train_data=split.outputs["train_data"],
                               target_column=target_column, seed=seed), "train")
        scores = ctx.step(evaluate(model=model.outputs["model"],
                                   test_data=split.outputs["test_data"],
                                   target_column=target_column, metric=metric), "evaluate")
        with dsl.If(scores.outputs["Output"] >= threshold, name="metric-reaches-threshold"):
            ctx.step(register_model(model=model.outputs["model"], model_name=model_name,
                                    metric_name=metric, metric_value=scores.outputs["Output"]),
                     "register_model")

    return pipeline
