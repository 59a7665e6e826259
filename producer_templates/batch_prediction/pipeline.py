"""batch_prediction: (import a model or fit a sample one) + ingest rows -> predict -> predictions.

The consumer writes `user.predict.load_model` and `user.predict.predict` (see contract.yaml).
With `parameters.model_uri` set, the model artifact is imported with `dsl.importer`; empty, a
sample scikit-learn model is fitted in the pipeline so the template runs out of the box.
"""

from typing import TYPE_CHECKING, Any

from kfp import dsl

from . import components

if TYPE_CHECKING:
    from kfp_templates import TemplateContext


def batch_prediction(ctx: "TemplateContext") -> Any:
    """Build the batch_prediction pipeline for the consumer's image and config."""
    ingest = ctx.component(components.ingest)
    predict = ctx.component(components.predict)
    model_uri = str(ctx.param("model_uri"))
    load_model = _model_source(ctx, model_uri)

    @dsl.pipeline(name="batch-prediction",
                  description="Score a table with a model and the consumer's predict().")
    def pipeline(
        source: str = ctx.param("source"),
        n_rows: int = ctx.param("n_rows"),
        seed: int = ctx.param("seed"),
        prediction_column: str = ctx.param("prediction_column"),
    ) -> None:
        model = load_model(seed)
        data = ctx.step(ingest(source=source, n_rows=n_rows, seed=seed), "ingest")
        ctx.step(predict(model=model.outputs[_model_output(model_uri)],
                         data=data.outputs["data"], prediction_column=prediction_column),
                 "predict")

    return pipeline


def _model_source(ctx: "TemplateContext", model_uri: str) -> Any:
    """A function adding the model-producing task: an importer, or the sample model step."""
    if model_uri:
        def imported(seed: Any) -> Any:
            return dsl.importer(artifact_uri=model_uri, artifact_class=dsl.Model, reimport=False,
                                metadata={"source": model_uri})
        return imported
    sample_model = ctx.component(components.sample_model)

    def fitted(seed: Any) -> Any:
        return ctx.step(sample_model(seed=seed), "sample_model")
    return fitted


def _model_output(model_uri: str) -> str:
    return "artifact" if model_uri else "model"
