"""The Kubeflow Pipelines `Engine`: runs and recurring runs on the server at `run.kfp.host`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kfp_templates._kfp import client
from kfp_templates._records import asdict, record
from kfp_templates.submission.polling import PollSettings
from kfp_templates.submission.protocol import Outcome, Scheduled, Submitted
from kfp_templates.submission.spec import JobSpec, ScheduleSpec


@record
class KfpEngine:
    """A KFP API server; plain http only to loopback unless `insecure` (`--insecure`)."""

    config: Mapping[str, Any]
    insecure: bool = False

    def target(self) -> client.KfpTarget:
        """The host, namespace and experiment to use, checked."""
        return client.kfp_target(self.config, insecure=self.insecure)

    def check_target(self) -> None:
        """Refuse an unset `run.kfp.host`, and plain http unless allowed."""
        client.kfp_target(self.config)

    def submit(self, job: JobSpec) -> Submitted:
        """Create a run in the target experiment."""
        created = client.submit_run(self.target(), job)
        return Submitted("run", created.run_id, created.url)

    def wait(
        self, submitted: Submitted, on_state: Callable[[str], None], settings: PollSettings
    ) -> Outcome:
        """Poll the run until it ends."""
        outcome = client.wait_for_run(self.target(), submitted.name, on_state, settings)
        return Outcome(outcome.state, outcome.error, outcome.succeeded)

    def schedule(self, job: JobSpec, schedule: ScheduleSpec) -> Scheduled:
        """Create a recurring run; its five-field cron becomes KFP's six fields in the client."""
        created_id = client.create_recurring_run(self.target(), job, schedule)
        return Scheduled("recurring run", created_id, schedule.cron)

    def list_schedules(self) -> list[dict[str, Any]]:
        """The recurring runs in the target namespace, newest first."""
        return [asdict(item) for item in client.list_recurring_runs(self.target())]

    def delete_schedule(self, name: str) -> str:
        """Delete one recurring run by id."""
        client.delete_recurring_run(self.target(), name)
        return name
