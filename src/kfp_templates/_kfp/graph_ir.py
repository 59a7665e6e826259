"""The compiled pipeline as a dict (the document `compile` writes), for `graph`; nothing written.

KFP builds the PipelineSpec when the pipeline is defined; its dict form (protobuf's
MessageToDict, as KFP's compiler uses) is what the compiled YAML holds, so the graph drawn from
a project and from its compiled YAML are the same.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format

from kfp_templates._kfp.compiling import template_context
from kfp_templates._kfp.loader import build_pipeline
from kfp_templates._project_loader import LoadedProject


def pipeline_ir(project: LoadedProject) -> dict[str, Any]:
    """Build the loaded project's pipeline and return its IR (image: the placeholder)."""
    pipeline = build_pipeline(project.ref, template_context(project))
    return dict(json_format.MessageToDict(pipeline.pipeline_spec))
