"""A bounded poll loop shared by Vertex AI jobs and KFP runs.

Following a run can take hours; one 503 or a dropped connection in the middle must not end
`--wait` with a failure when the run itself is fine. Transient errors are retried a few times in
a row; anything else, or too many in a row, is raised.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kfp_templates._errors import ExternalServiceError
from kfp_templates._records import record
from kfp_templates.submission.errors import TransientServiceError


@record
class PollSettings:
    """How often to look, for how long, and how many transient failures in a row to accept."""

    interval: float = 10.0
    timeout: float = 86400.0
    transient_attempts: int = 5


@record
class Observed:
    """One look at a run: its state and, once ended badly, the service's error message."""

    state: str
    error: str = ""


def poll_until_done(
    read: Callable[[], Observed],
    terminal: frozenset[str],
    on_state: Callable[[str], None],
    settings: PollSettings,
) -> Observed:
    """Call `read` every `settings.interval` seconds until it reports a terminal state.

    Raises:
        ExternalServiceError: after `settings.timeout`, or after too many transient errors.
    """
    deadline = time.monotonic() + settings.timeout
    last, failures = "", 0
    while True:
        try:
            observed, failures = read(), 0
        except TransientServiceError:
            failures += 1
            if failures >= settings.transient_attempts:
                raise
        else:
            if observed.state != last:
                on_state(observed.state)
                last = observed.state
            if observed.state in terminal:
                return observed
        if time.monotonic() > deadline:
            raise ExternalServiceError(
                f"stopped waiting after {settings.timeout:g}s: still {last or 'unknown'}",
                hint="the run goes on; follow it in the console or UI",
            )
        time.sleep(settings.interval)
