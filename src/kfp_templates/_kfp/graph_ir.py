"""The compiled pipeline as a dict (the document `compile` writes), for `graph`; nothing written.

KFP builds the PipelineSpec when the pipeline is defined; its dict form (protobuf's
MessageToDict, as KFP's compiler uses) is what the compiled YAML holds, so the graph drawn from
a project and from its compiled YAML are the same.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format

from kfp_templates._kfp.context import TemplateContext
from kfp_templates._kfp.loader import build_pipeline
from kfp_templates._kfp.project import PreparedProject, default_image


def pipeline_ir(prepared: PreparedProject) -> dict[str, Any]:
    """Build the validated project's pipeline and return its IR (image: the placeholder)."""
    layout = prepared.layout
    context = TemplateContext(
        default_image(prepared.config), prepared.config, layout.root, layout.template_dir
    )
    pipeline = build_pipeline(prepared.ref, context)
    return dict(json_format.MessageToDict(pipeline.pipeline_spec))
