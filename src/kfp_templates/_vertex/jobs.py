"""Submit a compiled pipeline to Vertex AI Pipelines with `aiplatform.PipelineJob`, and wait on it.

`PipelineJob` is the supported client: it reads the compiled YAML, fills the runtime config
(pipeline root, parameter values), applies the caching override and sends everything in one
create request, so our code only maps config onto its arguments. Waiting is our own bounded poll
of the job's state (aiplatform's `wait()` starts at five-second sleeps and cannot be tuned), so
commands can stream each state change and tests can poll every few milliseconds.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from google.auth.credentials import AnonymousCredentials
from google.cloud import aiplatform, storage  # type: ignore[attr-defined]  # untyped namespace

from kfp_templates._errors import ConsumerError
from kfp_templates._records import record
from kfp_templates._vertex._quiet import quiet_aiplatform
from kfp_templates.submission.errors import STORAGE, VERTEX, google_errors
from kfp_templates.submission.polling import Observed, PollSettings, poll_until_done
from kfp_templates.submission.spec import JobSpec, VertexTarget

SUCCEEDED = "PIPELINE_STATE_SUCCEEDED"
TERMINAL_STATES = frozenset({SUCCEEDED, "PIPELINE_STATE_FAILED", "PIPELINE_STATE_CANCELLED"})
_CONSOLE = "https://console.cloud.google.com/vertex-ai/locations/{location}/pipelines/runs/{job}"


@record
class SubmittedJob:
    """A created pipeline job: its resource name and where to look at it."""

    resource_name: str
    console_url: str


@record
class JobOutcome:
    """How a job ended: its final state and, when it failed, the service's error message."""

    state: str
    error: str = ""

    @property
    def succeeded(self) -> bool:
        """Whether the job reached PIPELINE_STATE_SUCCEEDED."""
        return self.state == SUCCEEDED


def connect(target: VertexTarget) -> None:
    """Point aiplatform at `target`; loopback emulators get anonymous credentials over REST."""
    options: dict[str, Any] = {"project": target.project, "location": target.region}
    if target.api_endpoint:
        options["api_endpoint"] = target.api_endpoint
    if target.is_loopback:
        options.update(credentials=_anonymous(), api_transport="rest")
    with google_errors(VERTEX, "set up the Vertex AI client"):
        aiplatform.init(**options)


def submit_job(target: VertexTarget, spec: JobSpec) -> SubmittedJob:
    """Check the pipeline-root bucket, then create the pipeline job.

    Raises:
        ConsumerError: for a bad pipeline root, parameters or labels, or a 400/401/404.
        ExternalServiceError: for 403, 409, 429, 5xx and unreachable endpoints.
    """
    check_pipeline_root(target, spec.pipeline_root)
    connect(target)
    with quiet_aiplatform(), google_errors(VERTEX, "submit the pipeline job"):
        job = _pipeline_job(spec)
        job.submit(service_account=spec.service_account or None, network=spec.network or None)
        name = str(job.resource_name)
    return SubmittedJob(name, console_url(name))


def pipeline_job(spec: JobSpec) -> Any:
    """The configured, not yet submitted, `PipelineJob` (schedules are made from it too)."""
    with quiet_aiplatform(), google_errors(VERTEX, "prepare the pipeline job"):
        return _pipeline_job(spec)


def _pipeline_job(spec: JobSpec) -> Any:
    with _bad_values("the pipeline job"):
        return aiplatform.PipelineJob(
            display_name=spec.display_name,
            template_path=spec.template_path,
            job_id=job_id(spec.display_name),
            pipeline_root=spec.pipeline_root or None,
            parameter_values=dict(spec.parameters),
            enable_caching=spec.enable_caching,
            encryption_spec_key_name=spec.encryption_key or None,
            labels=dict(spec.labels),
        )


def job_id(display_name: str) -> str:
    """`NAME-YYYYMMDDHHMMSS-XXXXXX`: aiplatform's default id collides for two runs in a second."""
    stem = re.sub(r"[^a-z0-9-]+", "-", display_name.lower()).strip("-")[:100] or "run"
    if not stem[0].isalnum():
        stem = "run-" + stem
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d%H%M%S")
    return f"{stem}-{stamp}-{secrets.token_hex(3)}"


def wait_for_job(
    resource_name: str, on_state: Callable[[str], None], settings: PollSettings
) -> JobOutcome:
    """Poll the job until it ends, calling `on_state` whenever its state changes.

    Raises:
        ExternalServiceError: when the job has not ended in time, or the service keeps failing.
    """
    found: list[Any] = []  # the job, fetched by the first successful read

    def read() -> Observed:
        with quiet_aiplatform(), google_errors(VERTEX, "follow the pipeline job"):
            if found:
                found[0].state  # noqa: B018 - reading `state` refreshes the job from the service
            else:
                found.append(aiplatform.PipelineJob.get(resource_name))
            resource = found[0].gca_resource
        return Observed(_state_name(resource.state), str(resource.error.message))

    final = poll_until_done(read, TERMINAL_STATES, on_state, settings)
    return JobOutcome(final.state, final.error)


def check_pipeline_root(target: VertexTarget, pipeline_root: str) -> None:
    """Fail early, with a fix, when the pipeline root is not an existing Cloud Storage bucket.

    aiplatform would otherwise try to create the bucket itself (in the job's region, possibly in
    the wrong project) and only log a traceback when that fails.
    """
    if not pipeline_root.startswith("gs://") or len(pipeline_root) <= len("gs://"):
        raise ConsumerError(
            f"run.pipeline_root must be a gs:// URI for Vertex AI, not {pipeline_root!r}",
            hint="set run.pipeline_root to gs://BUCKET/pipeline-root in config.yaml",
        )
    bucket = pipeline_root.removeprefix("gs://").split("/", 1)[0]
    with google_errors(STORAGE, f"check the pipeline-root bucket gs://{bucket}"):
        exists = _storage_client(target).bucket(bucket).exists()
    if not exists:
        raise ConsumerError(
            f"the pipeline-root bucket gs://{bucket} does not exist",
            hint=f"create it in {target.region} (`gcloud storage buckets create gs://{bucket} "
            f"--location {target.region}`) or fix run.pipeline_root",
        )


def console_url(resource_name: str) -> str:
    """The Cloud console page of a job named `projects/P/locations/L/pipelineJobs/J`."""
    parts = resource_name.split("/")
    if len(parts) != 6:
        return resource_name
    url = _CONSOLE.format(location=parts[3], job=parts[5])
    return f"{url}?project={parts[1]}"


def _storage_client(target: VertexTarget) -> Any:
    if target.is_loopback:
        return storage.Client(project=target.project, credentials=_anonymous())
    return storage.Client(project=target.project)


def _anonymous() -> Any:
    """Credentials for loopback emulators only, which must never receive a real token."""
    return AnonymousCredentials()  # type: ignore[no-untyped-call]  # google-auth leaves it untyped


def _state_name(state: Any) -> str:
    return str(state.name) if state is not None else "PIPELINE_STATE_UNSPECIFIED"


@contextmanager
def _bad_values(what: str) -> Iterator[None]:
    """aiplatform raises ValueError for unknown parameters, bad labels or a bad job id."""
    try:
        yield
    except (ValueError, KeyError, TypeError) as error:
        raise ConsumerError(
            f"cannot build {what}: {error}",
            hint="check parameters, labels and run.display_name in config.yaml against the "
            "template's pipeline",
        ) from None
