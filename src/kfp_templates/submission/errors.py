"""Turn Google Cloud, KFP server and registry failures into errors that say what to do.

Every engine (Vertex AI, a KFP API server, Artifact Registry) answers with an HTTP status in the
end, so one table of fixes per service maps a status to a message and a hint. Messages carry the
server's own explanation but never request headers, so no token can leak into output.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

import requests  # type: ignore[import-untyped]  # no stubs installed; only exception classes used
from google.api_core import exceptions as api_exceptions
from google.auth import exceptions as auth_exceptions

from kfp_templates._errors import ConsumerError, ExternalServiceError, KfpTemplatesError
from kfp_templates._records import field, record

_LOGIN_HINT = (
    "run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to the "
    "path of a service-account key file (never put credentials in config.yaml)"
)
_RETRY_HINT = "the service failed on its side; retry in a few minutes"
_QUOTA_HINT = "wait a minute and retry; if it persists, request a quota increase for the project"
_UNREACHABLE_HINT = "check the endpoint address, your network, proxy settings and firewall"

#: Statuses that the consumer can fix in their own config or environment.
_CONSUMER_STATUSES = frozenset({400, 401, 404})


class TransientServiceError(ExternalServiceError):
    """A 429, a 5xx or an unreachable service: worth retrying an idempotent read."""


@record
class ServiceHints:
    """What to do about each HTTP status, for one service.

    Attributes:
        service: The service's name in messages ("Vertex AI").
        by_status: Status code -> hint; statuses not listed fall back to generic hints.
    """

    service: str
    by_status: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))

    def hint(self, status: int) -> str:
        """The fix for `status`, falling back to generic advice by status class."""
        if status in self.by_status:
            return self.by_status[status]
        if status == 401:
            return _LOGIN_HINT
        if status == 429:
            return _QUOTA_HINT
        return _RETRY_HINT if status >= 500 else "check the request's values in config.yaml"


VERTEX = ServiceHints(
    "Vertex AI",
    MappingProxyType(
        {
            403: "grant your account roles/aiplatform.user on gcp.project and "
            "roles/iam.serviceAccountUser on gcp.service_account; the service account needs "
            "roles/storage.objectAdmin on the pipeline-root bucket",
            404: "check gcp.project and gcp.region in config.yaml (Vertex AI Pipelines must be "
            "available in that region) and that the job or schedule name is right",
            409: "a job or schedule with this name already exists; change run.display_name or "
            "delete the old one with `kfp-templates schedules delete`",
            429: "Vertex AI quota or rate limit reached; wait and retry, or request more "
            "aiplatform.googleapis.com quota for gcp.project",
        }
    ),
)

STORAGE = ServiceHints(
    "Cloud Storage",
    MappingProxyType(
        {
            403: "grant your account and gcp.service_account roles/storage.objectAdmin on the "
            "pipeline-root bucket",
            404: "create the bucket named in run.pipeline_root (in gcp.region) or fix the name",
        }
    ),
)


def error_for_status(
    hints: ServiceHints, action: str, status: int, detail: str
) -> KfpTemplatesError:
    """The error to raise when `action` got HTTP `status` from `hints.service`."""
    reason = _REASONS.get(status, "server error" if status >= 500 else "request rejected")
    message = f"{action}: {hints.service} answered {status} {reason}"
    if detail:
        message += f": {_one_line(detail)}"
    kind: type[KfpTemplatesError] = ExternalServiceError
    if status in _CONSUMER_STATUSES:
        kind = ConsumerError
    elif status == 429 or status >= 500:
        kind = TransientServiceError
    return kind(message, hint=hints.hint(status))


def unreachable(hints: ServiceHints, action: str, detail: str) -> TransientServiceError:
    """The error to raise when `hints.service` could not be reached at all."""
    return TransientServiceError(
        f"{action}: cannot reach {hints.service}: {_one_line(detail)}", hint=_UNREACHABLE_HINT
    )


def bad_credentials(action: str, detail: str) -> ConsumerError:
    """The error to raise when Google credentials are missing, unreadable or rejected."""
    return ConsumerError(
        f"{action}: no usable Google credentials: {_one_line(detail)}", hint=_LOGIN_HINT
    )


@contextmanager
def google_errors(hints: ServiceHints, action: str) -> Iterator[None]:
    """Translate google-api-core, google-auth and connection errors raised inside the block.

    Args:
        hints: The service being called, and what to do about each status.
        action: What the block does, such as "submit the pipeline job", for the message.
    """
    try:
        yield
    except api_exceptions.RetryError as error:
        cause = error.cause
        if isinstance(cause, api_exceptions.GoogleAPICallError) and cause.code:
            raise error_for_status(hints, action, int(cause.code), str(cause.message)) from None
        raise unreachable(hints, action, str(cause or error)) from None
    except api_exceptions.GoogleAPICallError as error:
        raise error_for_status(hints, action, int(error.code or 500), str(error.message)) from None
    except (auth_exceptions.DefaultCredentialsError, auth_exceptions.RefreshError) as error:
        raise bad_credentials(action, str(error)) from None
    except (auth_exceptions.TransportError, requests.ConnectionError) as error:
        raise unreachable(hints, action, str(error)) from None


def _one_line(text: str, limit: int = 300) -> str:
    """Server messages can be long and multi-line; keep the first part on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


_REASONS: Mapping[int, str] = MappingProxyType(
    {
        400: "bad request",
        401: "unauthenticated",
        403: "permission denied",
        404: "not found",
        409: "already exists",
        429: "too many requests",
    }
)
