"""Pick the engine a command submits to, importing only that engine's client (decision 55).

`engine_for` is the one place that knows the engines by name: the Vertex AI engine loads
aiplatform (about two seconds) and the KFP engine loads kfp only when chosen, and only when a
method needs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kfp_templates._errors import UsageError
from kfp_templates.submission.protocol import Engine

ENGINES = ("vertex", "kfp")


def engine_for(
    name: str, config: Mapping[str, Any], *, api_endpoint: str = "", insecure: bool = False
) -> Engine:
    """The engine called `name`, aimed by the consumer's config.

    Args:
        name: "vertex" (Vertex AI Pipelines) or "kfp" (the server at `run.kfp.host`).
        config: The consumer's config, defaults applied.
        api_endpoint: Vertex AI only: an endpoint override (`--api-endpoint`).
        insecure: KFP only: allow plain http to a host that is not loopback (`--insecure`).

    Raises:
        UsageError: for an unknown engine name.
    """
    if name == "vertex":
        from kfp_templates._vertex.engine import VertexEngine  # noqa: PLC0415 - only the chosen engine's client

        return VertexEngine(config, api_endpoint)
    if name == "kfp":
        from kfp_templates._kfp.engine import KfpEngine  # noqa: PLC0415 - only the chosen engine's client

        return KfpEngine(config, insecure)
    raise UsageError(f"unknown engine {name!r}", hint=f"use one of: {', '.join(ENGINES)}")
