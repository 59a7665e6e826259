"""The `Engine` protocol: what `submit` and `schedules` need of Vertex AI Pipelines or KFP.

Commands hold an `Engine` and never ask which one it is; `_dispatch.engines.engine_for` picks
it. The two implementations live beside their clients (`_vertex.engine`, `_kfp.engine`), so
aiplatform and kfp stay each in its one package. The results are plain data the command prints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from kfp_templates._records import record

if TYPE_CHECKING:
    from kfp_templates.submission.polling import PollSettings
    from kfp_templates.submission.spec import JobSpec, ScheduleSpec


@record
class Submitted:
    """A created run: what the engine calls it ("pipeline job", "run"), its name and its page."""

    kind: str
    name: str
    url: str


@record
class Scheduled:
    """A created schedule: its kind, name, cron as the service keeps it, and a page ("" if none)."""

    kind: str
    name: str
    cron: str
    url: str = ""


@record
class Outcome:
    """How a followed run ended, with the service's error message when it failed."""

    state: str
    error: str
    succeeded: bool


class Engine(Protocol):
    """One place that runs pipelines: target checks, runs, schedules and following a run."""

    def check_target(self) -> None:
        """The checks made of the target before contacting it (all a `--dry-run` does)."""

    def submit(self, job: JobSpec) -> Submitted:
        """Create one run of `job`."""

    def wait(
        self, submitted: Submitted, on_state: Callable[[str], None], settings: PollSettings
    ) -> Outcome:
        """Follow a created run until it ends, calling `on_state` at each change of state."""

    def schedule(self, job: JobSpec, schedule: ScheduleSpec) -> Scheduled:
        """Create a recurring run of `job` on `schedule.cron` (a five-field cron as given)."""

    def list_schedules(self) -> list[dict[str, Any]]:
        """The recurring runs at the target, one mapping of column to value each."""

    def delete_schedule(self, name: str) -> str:
        """Delete one recurring run by name or id; returns the name as the service knows it."""
