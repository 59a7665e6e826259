"""Runs and recurring runs on a Kubeflow Pipelines API server, through `kfp.Client`.

`kfp.Client` is the SDK's supported client for the v2beta1 API: it reads the compiled YAML,
creates or finds the experiment, and builds the run's runtime config, so this module only maps
the consumer's config onto it. The client prints links and warns on construction; both are kept
off the terminal here because commands report outcomes themselves.
"""

from __future__ import annotations

import contextlib
import io
import json
import warnings
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import kfp
import kfp_server_api
import urllib3

from kfp_templates import _cron
from kfp_templates._errors import ConsumerError
from kfp_templates._records import record
from kfp_templates.submission.errors import ServiceHints, error_for_status, unreachable
from kfp_templates.submission.polling import Observed, PollSettings, poll_until_done
from kfp_templates.submission.spec import JobSpec, ScheduleSpec, is_loopback_url

SUCCEEDED = "SUCCEEDED"
TERMINAL_STATES = frozenset({SUCCEEDED, "FAILED", "SKIPPED", "CANCELED"})

KFP = ServiceHints(
    "the KFP API server",
    MappingProxyType(
        {
            401: "the server needs credentials: for IAP set KF_PIPELINES_IAP_OAUTH2_CLIENT_ID, "
            "otherwise port-forward the API server and use its local address as run.kfp.host",
            403: "your identity has no access to run.kfp.namespace; ask for a contributor role on "
            "that Kubeflow profile, or fix the namespace",
            404: "check run.kfp.host (the API server's base URL, without /pipeline paths) and "
            "run.kfp.namespace; for a delete, check the id with `kfp-templates schedules list`",
            409: "a run or recurring run with this name already exists; change run.display_name",
        }
    ),
)


@record
class KfpTarget:
    """Which KFP server, namespace and experiment to use (from `run.kfp` in config)."""

    host: str
    namespace: str = ""
    experiment: str = "Default"


@record
class RunInfo:
    """A created run and the UI page that shows it."""

    run_id: str
    url: str


@record
class RunOutcome:
    """How a run ended, with the server's error message when it failed."""

    state: str
    error: str = ""

    @property
    def succeeded(self) -> bool:
        """Whether the run reached SUCCEEDED."""
        return self.state == SUCCEEDED


@record
class RecurringRunInfo:
    """One recurring run as `schedules list` shows it."""

    recurring_run_id: str
    display_name: str
    cron: str
    status: str
    max_concurrency: int


def kfp_target(config: Mapping[str, Any], *, insecure: bool = False) -> KfpTarget:
    """The target from `run.kfp`, refusing an empty host and, unless `insecure`, plain http.

    kfp.Client sends service-account or IAP tokens with every request, so plain http is allowed
    only to loopback (a port-forwarded server) or when the user passed `--insecure`. A host
    without a scheme counts as http: that is what kfp.Client makes of it.

    Raises:
        ConsumerError: when `run.kfp.host` is empty, or plain http to another host.
    """
    settings = config.get("run", {}).get("kfp", {})
    if not settings.get("host"):
        raise ConsumerError(
            "run.kfp.host must be set to submit to a Kubeflow Pipelines server",
            hint="set run.kfp.host in config.yaml to the KFP API server URL",
        )
    host = str(settings["host"])
    if not insecure and _is_plain_http(host):
        raise ConsumerError(
            f"refusing plain-http run.kfp.host {host}: credentials would travel unencrypted",
            hint="use the server's https:// URL, port-forward it to 127.0.0.1, or pass "
            "--insecure if this network is trusted",
        )
    return KfpTarget(
        settings["host"], settings.get("namespace", ""), settings.get("experiment") or "Default"
    )


def _is_plain_http(host: str) -> bool:
    """Plain http to a non-loopback host; `HOST:PORT` without a scheme is http."""
    url = host if "://" in host else f"http://{host}"
    return not url.lower().startswith("https://") and not is_loopback_url(url)


def submit_run(target: KfpTarget, spec: JobSpec) -> RunInfo:
    """Create a run of the compiled pipeline at `spec.template_path` in the target experiment."""
    client = _client(target)
    with _kfp_errors("submit the run"), _silenced():
        result = client.create_run_from_pipeline_package(
            pipeline_file=spec.template_path,
            arguments=dict(spec.parameters),
            run_name=spec.display_name,
            experiment_name=target.experiment,
            namespace=target.namespace or None,
            pipeline_root=spec.pipeline_root or None,
            enable_caching=spec.enable_caching,
        )
    run_id = str(result.run_id)
    return RunInfo(run_id, f"{target.host.rstrip('/')}/#/runs/details/{run_id}")


def wait_for_run(
    target: KfpTarget, run_id: str, on_state: Callable[[str], None], settings: PollSettings
) -> RunOutcome:
    """Poll the run until it ends, calling `on_state` whenever its state changes.

    Raises:
        ExternalServiceError: when the run has not ended in time, or the server keeps failing.
    """
    client = _client(target)

    def read() -> Observed:
        with _kfp_errors("follow the run"):
            run = client.get_run(run_id)
        return Observed(str(run.state or "PENDING"), str(getattr(run.error, "message", "") or ""))

    final = poll_until_done(read, TERMINAL_STATES, on_state, settings)
    return RunOutcome(final.state, final.error)


def create_recurring_run(target: KfpTarget, spec: JobSpec, schedule: ScheduleSpec) -> str:
    """Create a recurring run of `spec` on `schedule.cron`; returns its id."""
    client = _client(target)
    with _kfp_errors("create the recurring run"), _silenced():
        experiment = client.create_experiment(target.experiment, namespace=target.namespace or None)
        created = client.create_recurring_run(
            experiment_id=experiment.experiment_id,
            job_name=schedule.display_name,
            cron_expression=_cron.kfp_cron(schedule.cron),
            max_concurrency=schedule.max_concurrent_runs,
            params=dict(spec.parameters),
            pipeline_package_path=spec.template_path,
            pipeline_root=spec.pipeline_root or None,
            enable_caching=spec.enable_caching,
        )
    return str(created.recurring_run_id)


def list_recurring_runs(target: KfpTarget, page_size: int = 100) -> tuple[RecurringRunInfo, ...]:
    """The recurring runs in the target namespace (first `page_size`, newest first)."""
    client = _client(target)
    with _kfp_errors("list recurring runs"):
        response = client.list_recurring_runs(
            page_size=page_size, sort_by="created_at desc", namespace=target.namespace or None
        )
    return tuple(_recurring_info(item) for item in response.recurring_runs or ())


def delete_recurring_run(target: KfpTarget, recurring_run_id: str) -> None:
    """Delete one recurring run by id."""
    client = _client(target)
    with _kfp_errors(f"delete recurring run {recurring_run_id}"):
        client.delete_recurring_run(recurring_run_id)


def _recurring_info(item: Any) -> RecurringRunInfo:
    cron_schedule = getattr(item.trigger, "cron_schedule", None) if item.trigger else None
    return RecurringRunInfo(
        recurring_run_id=str(item.recurring_run_id),
        display_name=str(item.display_name or ""),
        cron=str(getattr(cron_schedule, "cron", "") or ""),
        status=str(item.status or ""),
        max_concurrency=int(item.max_concurrency or 0),
    )


def _client(target: KfpTarget) -> Any:
    with _kfp_errors("connect to the KFP API server"), _silenced():
        return kfp.Client(host=target.host, namespace=target.namespace or "kubeflow")


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    """kfp.Client prints run links and warns about server versions; commands report instead."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


@contextlib.contextmanager
def _kfp_errors(action: str) -> Iterator[None]:
    """Translate kfp_server_api and urllib3 failures into errors that say what to do."""
    try:
        yield
    except kfp_server_api.ApiException as error:
        status = int(error.status or 0)
        if status == 0:
            raise unreachable(KFP, action, str(error.reason)) from None
        raise error_for_status(KFP, action, status, _server_message(error.body)) from None
    except (urllib3.exceptions.HTTPError, TimeoutError, OSError) as error:
        raise unreachable(KFP, action, str(error)) from None
    except ValueError as error:
        raise ConsumerError(
            f"{action}: {error}", hint="check run.kfp and the compiled pipeline file"
        ) from None


def _server_message(body: Any) -> str:
    """The `message` of a KFP error body, or the body itself when it is not that JSON."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
    try:
        document = json.loads(text)
    except ValueError:
        return text
    if isinstance(document, dict):
        return str(document.get("message") or document.get("error_message") or text)
    return text
