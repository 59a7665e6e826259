"""Template pipelines made of the YAML component specs beside this file (one per format).

Loaded by the tests as a template directory, like a producer's `pipeline.py`: no future import,
because kfp reads the pipeline's annotations at run time.
"""

from typing import Any

from kfp import dsl


def every_format(ctx: Any) -> Any:
    """Every spec format in one pipeline, for compiling."""
    append = ctx.load_component_spec("v1_container.yaml")
    own = ctx.load_component_spec("v1_own_image.yaml")

    @dsl.pipeline(name="every-format")
    def pipeline(uri: str = ctx.param("uri")) -> None:
        _consumer_image_steps(ctx, uri)
        imported = dsl.importer(artifact_uri=uri, artifact_class=dsl.Dataset)
        own(line="x", source=append(line="y", source=imported.output).outputs["result"])

    return pipeline


def consumer_image(ctx: Any) -> Any:
    """The specs that run on the consumer's image as lightweight components: kfp.local runs them."""

    @dsl.pipeline(name="consumer-image")
    def pipeline(uri: str = ctx.param("uri")) -> None:
        _consumer_image_steps(ctx, uri)

    return pipeline


def own_image(ctx: Any) -> Any:
    """A step on the consumer's image, then a container component on its own image."""
    add = ctx.load_component_spec("v2_component.yaml")
    own = ctx.load_component_spec("v1_own_image.yaml")

    @dsl.pipeline(name="own-image")
    def pipeline(uri: str = ctx.param("uri")) -> None:
        imported = dsl.importer(artifact_uri=uri, artifact_class=dsl.Dataset)
        own(line="x", source=imported.output).after(add(a=1, b=2))

    return pipeline


def _consumer_image_steps(ctx: Any, uri: str) -> None:
    add = ctx.load_component_spec("v2_component.yaml")
    add_twice = ctx.load_component_spec("v2_pipeline.yaml")
    count = ctx.load_component_spec("importer.yaml")
    on_nodes = ctx.load_component_spec("multi_document.yaml")
    total = add_twice(a=add(a=1, b=2).output, b=10)
    on_nodes(a=total.output, b=100)
    count(uri=uri)
