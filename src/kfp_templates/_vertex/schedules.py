"""Vertex AI pipeline job schedules: create from a configured job, list, delete.

`PipelineJobSchedule` copies the whole job (spec, runtime config, labels, encryption key) into
the schedule's create request, so a scheduled run is exactly what `submit` would have sent.
"""

from __future__ import annotations

from typing import Any

from google.cloud import aiplatform

from kfp_templates._records import record
from kfp_templates._vertex._quiet import quiet_aiplatform
from kfp_templates._vertex.jobs import check_pipeline_root, connect, pipeline_job
from kfp_templates.submission.errors import VERTEX, google_errors
from kfp_templates.submission.spec import JobSpec, ScheduleSpec, VertexTarget

_CONSOLE = "https://console.cloud.google.com/vertex-ai/pipelines/schedules?project={project}"


@record
class ScheduleInfo:
    """One schedule as `schedules list` shows it."""

    name: str
    display_name: str
    cron: str
    state: str
    max_concurrent_runs: int

    @property
    def schedule_id(self) -> str:
        """The last part of the resource name, which `schedules delete` accepts too."""
        return self.name.rsplit("/", 1)[-1]


def create_schedule(target: VertexTarget, spec: JobSpec, schedule: ScheduleSpec) -> ScheduleInfo:
    """Create a schedule that runs `spec` on `schedule.cron`.

    Raises:
        ConsumerError: for a bad pipeline root, parameters or cron, or a 400/401/404.
        ExternalServiceError: for 403, 409, 429, 5xx and unreachable endpoints.
    """
    check_pipeline_root(target, spec.pipeline_root)
    connect(target)
    job = pipeline_job(spec)
    with quiet_aiplatform(), google_errors(VERTEX, "create the pipeline schedule"):
        created = job.create_schedule(
            cron=schedule.cron,
            display_name=schedule.display_name,
            max_concurrent_run_count=schedule.max_concurrent_runs,
            service_account=spec.service_account or None,
            network=spec.network or None,
        )
        return _info(created.gca_resource)


def list_schedules(target: VertexTarget) -> tuple[ScheduleInfo, ...]:
    """Every pipeline schedule in the target's project and region, newest first."""
    connect(target)
    with quiet_aiplatform(), google_errors(VERTEX, "list pipeline schedules"):
        found = aiplatform.PipelineJobSchedule.list(order_by="create_time desc")
        return tuple(_info(schedule.gca_resource) for schedule in found)


def delete_schedule(target: VertexTarget, name: str) -> str:
    """Delete the schedule `name` (a full resource name or just its id); returns the full name."""
    connect(target)
    full_name = _full_name(target, name)
    with quiet_aiplatform(), google_errors(VERTEX, f"delete schedule {name}"):
        aiplatform.PipelineJobSchedule.get(full_name).delete()
    return full_name


def console_url(target: VertexTarget) -> str:
    """The console page listing the project's schedules."""
    return _CONSOLE.format(project=target.project)


def _full_name(target: VertexTarget, name: str) -> str:
    if name.startswith("projects/"):
        return name
    return f"projects/{target.project}/locations/{target.region}/schedules/{name}"


def _info(resource: Any) -> ScheduleInfo:
    return ScheduleInfo(
        name=str(resource.name),
        display_name=str(resource.display_name),
        cron=str(resource.cron),
        state=str(resource.state.name),
        max_concurrent_runs=int(resource.max_concurrent_run_count),
    )
