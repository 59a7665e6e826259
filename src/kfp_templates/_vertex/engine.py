"""The Vertex AI Pipelines `Engine`: pipeline jobs and schedules through aiplatform.

aiplatform is imported inside the methods that call the service, so building the engine and
checking its target (`submit --dry-run`) stay light.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kfp_templates._records import asdict, record
from kfp_templates.submission.polling import PollSettings
from kfp_templates.submission.protocol import Outcome, Scheduled, Submitted
from kfp_templates.submission.spec import JobSpec, ScheduleSpec, VertexTarget, vertex_target


@record
class VertexEngine:
    """Vertex AI Pipelines in `gcp.project` and `gcp.region`, or at `api_endpoint`."""

    config: Mapping[str, Any]
    api_endpoint: str = ""

    def target(self) -> VertexTarget:
        """The project, region and endpoint to call, checked."""
        return vertex_target(self.config, self.api_endpoint)

    def check_target(self) -> None:
        """Refuse an unset project or region, or plain http to a non-loopback endpoint."""
        self.target()

    def submit(self, job: JobSpec) -> Submitted:
        """Check the pipeline-root bucket, then create the pipeline job."""
        from kfp_templates._vertex import jobs  # noqa: PLC0415 - aiplatform only when the service is called

        submitted = jobs.submit_job(self.target(), job)
        return Submitted("pipeline job", submitted.resource_name, submitted.console_url)

    def wait(
        self, submitted: Submitted, on_state: Callable[[str], None], settings: PollSettings
    ) -> Outcome:
        """Poll the job until it ends."""
        from kfp_templates._vertex import jobs  # noqa: PLC0415 - aiplatform only when the service is called

        result = jobs.wait_for_job(submitted.name, on_state, settings)
        return Outcome(result.state, result.error, result.succeeded)

    def schedule(self, job: JobSpec, schedule: ScheduleSpec) -> Scheduled:
        """Create a schedule; Vertex AI's cron takes an optional `TZ=` prefix."""
        from kfp_templates import _cron  # noqa: PLC0415 - aiplatform only when the service is called
        from kfp_templates._vertex import schedules  # noqa: PLC0415 - aiplatform only when the service is called

        checked = ScheduleSpec(
            _cron.vertex_cron(schedule.cron), schedule.display_name, schedule.max_concurrent_runs
        )
        target = self.target()
        created = schedules.create_schedule(target, job, checked)
        return Scheduled("schedule", created.name, created.cron, schedules.console_url(target))

    def list_schedules(self) -> list[dict[str, Any]]:
        """Every pipeline schedule in the project and region, newest first."""
        from kfp_templates._vertex import schedules  # noqa: PLC0415 - aiplatform only when the service is called

        return [asdict(item) for item in schedules.list_schedules(self.target())]

    def delete_schedule(self, name: str) -> str:
        """Delete a schedule by id or full resource name; returns the full name."""
        from kfp_templates._vertex import schedules  # noqa: PLC0415 - aiplatform only when the service is called

        return schedules.delete_schedule(self.target(), name)
