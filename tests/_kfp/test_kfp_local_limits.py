"""Which steps kfp.local cannot run as in the cloud, read from the built pipeline."""

from __future__ import annotations

from pathlib import Path

from kfp_templates._kfp.context import TemplateContext
from kfp_templates._kfp.loader import build_pipeline
from kfp_templates._kfp.local_limits import LocalLimit, local_limits
from kfp_templates._pipeline_ref import PipelineRef

SPECS = Path(__file__).parent / "specs"


def _limits(function: str, image: str = "img:7") -> list[LocalLimit]:
    ref = PipelineRef(SPECS, function, "pipeline", function)
    context = TemplateContext(image, {"parameters": {"uri": "/data"}}, SPECS, SPECS)
    return local_limits(build_pipeline(ref, context), image)


def test_lightweight_steps_on_the_consumer_image_have_no_limits() -> None:
    assert _limits("consumer_image") == []


def test_container_components_stop_the_local_run_whatever_their_image() -> None:
    limits = {limit.task: limit for limit in _limits("every_format")}
    assert set(limits) == {"append-line", "append-line-own-image"}
    assert limits["append-line"] == LocalLimit("append-line", "img:7", runs=False)
    assert not limits["append-line-own-image"].runs
    assert limits["append-line-own-image"].note.startswith(
        "step 'append-line-own-image' is a container component (image tools/append:1.0@sha256:")


def test_lightweight_steps_on_another_image_run_without_its_packages() -> None:
    ref = PipelineRef(SPECS, "consumer_image", "pipeline", "consumer_image")
    context = TemplateContext("img:7", {"parameters": {"uri": "/data"}}, SPECS, SPECS)
    limits = local_limits(build_pipeline(ref, context), "other:1")
    assert limits and all(limit.runs and limit.image == "img:7" for limit in limits)
    assert "without that image's packages" in limits[0].note
