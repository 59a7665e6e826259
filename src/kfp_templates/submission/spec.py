"""What to submit and where, as plain data built from the consumer's config.

Nothing here imports aiplatform, so commands can build, print (`--dry-run`) and test a submission
without the two-second import or any network.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from kfp_templates._errors import ConsumerError, UsageError
from kfp_templates._records import field, record


@record
class VertexTarget:
    """The Vertex AI project and region to call, and optionally a non-default endpoint.

    Attributes:
        project: GCP project id.
        region: Vertex AI region, such as `europe-west4`.
        api_endpoint: Overrides the regional endpoint (Private Service Connect, or a loopback
            emulator in tests); "" for the default.
    """

    project: str
    region: str
    api_endpoint: str = ""

    @property
    def is_loopback(self) -> bool:
        """Whether the endpoint is an `http://` loopback emulator, called without credentials."""
        return is_loopback_url(self.api_endpoint)


@record
class JobSpec:
    """One pipeline run, engine-neutral: what `PipelineJob` or `kfp.Client` is given."""

    display_name: str
    template_path: str
    pipeline_root: str = ""
    parameters: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    service_account: str = ""
    network: str = ""
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    enable_caching: bool | None = None
    encryption_key: str = ""

    def describe(self) -> dict[str, Any]:
        """A JSON-ready view for `--dry-run` output."""
        return {
            "display_name": self.display_name,
            "template_path": self.template_path,
            "pipeline_root": self.pipeline_root,
            "parameters": dict(self.parameters),
            "service_account": self.service_account,
            "network": self.network,
            "labels": dict(self.labels),
            "enable_caching": self.enable_caching,
            "encryption_key": self.encryption_key,
        }


@record
class ScheduleSpec:
    """A recurring run: a five-field cron expression (optionally `TZ=...` prefixed)."""

    cron: str
    display_name: str
    max_concurrent_runs: int = 1


def is_loopback_url(url: str) -> bool:
    """Whether `url` is plain `http://` to a loopback address (an emulator, never production)."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def vertex_target(config: Mapping[str, Any], api_endpoint: str = "") -> VertexTarget:
    """The target from `gcp.project` and `gcp.region`, refusing an empty project.

    Raises:
        ConsumerError: when `gcp.project` or `gcp.region` is empty.
        UsageError: when `api_endpoint` is plain http to a non-loopback host.
    """
    gcp = config.get("gcp", {})
    if not gcp.get("project") or not gcp.get("region"):
        raise ConsumerError(
            "gcp.project and gcp.region must be set to submit to Vertex AI",
            hint="set gcp.project and gcp.region in config.yaml",
        )
    if api_endpoint.startswith("http://") and not is_loopback_url(api_endpoint):
        raise UsageError(
            f"refusing plain-http endpoint {api_endpoint}",
            hint="use https, or http only to a loopback emulator",
        )
    return VertexTarget(gcp["project"], gcp["region"], api_endpoint)


def job_spec(
    config: Mapping[str, Any], template_path: str, default_name: str, labels: Mapping[str, str]
) -> JobSpec:
    """The run described by the consumer's config, with its defaults already applied."""
    gcp = config.get("gcp", {})
    run = config.get("run", {})
    return JobSpec(
        display_name=run.get("display_name") or default_name,
        template_path=template_path,
        pipeline_root=run.get("pipeline_root", ""),
        parameters=MappingProxyType(dict(config.get("parameters", {}))),
        service_account=gcp.get("service_account", ""),
        network=gcp.get("network", ""),
        labels=MappingProxyType(dict(labels)),
        enable_caching=run.get("enable_caching"),
        encryption_key=gcp.get("encryption_key", ""),
    )
