"""Publish compiled template pipelines to an Artifact Registry KFP repository, and fetch them.

`kfp.registry.RegistryClient` speaks the repository's upload and download protocol and handles
Google credentials for Artifact Registry hosts, so producers publish with the same client that
Vertex AI and KFP users already know. A version is the upload's `sha256:` digest; tags (the
release tag, such as `v1.2.0`) point at versions, and consumers run a template by either.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import requests  # type: ignore[import-untyped]  # no stubs installed; only exception classes used
from google.auth import exceptions as auth_exceptions
from kfp.registry import RegistryClient

from kfp_templates._errors import ConsumerError, UsageError
from kfp_templates._records import record
from kfp_templates.submission.errors import (
    ServiceHints,
    bad_credentials,
    error_for_status,
    unreachable,
)
from kfp_templates.submission.spec import is_loopback_url

DIGEST_PREFIX = "sha256:"

PUBLISH = ServiceHints(
    "the pipeline registry",
    MappingProxyType(
        {
            403: "grant the publishing identity roles/artifactregistry.writer on the repository",
            404: "check --host: the KFP repository's URL as the Cloud console shows it, ending "
            "in /PROJECT/REPOSITORY, and that the repository exists in that region",
            409: "this tag already points at another version; release a new tag instead of "
            "moving a published one",
        }
    ),
)
FETCH = ServiceHints(
    "the pipeline registry",
    MappingProxyType(
        {
            403: "grant your identity roles/artifactregistry.reader on the repository",
            404: "check the registry URL, the package (template) name and the tag or digest; "
            "list what exists in the Cloud console",
        }
    ),
)


@record
class Published:
    """What an upload created: the package, its digest version, and the tags pointing at it."""

    package: str
    version: str
    tags: tuple[str, ...]


def publish(host: str, pipeline_path: Path, tags: Sequence[str]) -> Published:
    """Upload a compiled pipeline YAML with `tags`; the package name comes from the pipeline.

    Raises:
        UsageError: for a bad host or tag.
        ConsumerError: for missing credentials and 400/401/404 answers.
        ExternalServiceError: for 403, 409, 429, 5xx and an unreachable registry.
    """
    for tag in tags:
        check_tag(tag)
    client = _client(host, "publish the pipeline")
    with registry_errors(PUBLISH, "publish the pipeline"):
        package, version = client.upload_pipeline(str(pipeline_path), tags=list(tags))
    return Published(str(package), str(version), tuple(tags))


def download(host: str, package: str, reference: str, destination: Path) -> Path:
    """Download one version of `package`, by tag or by `sha256:` digest, to `destination`."""
    client = _client(host, f"download {package}")
    is_digest = reference.startswith(DIGEST_PREFIX)
    with registry_errors(FETCH, f"download {package}@{reference}"):
        client.download_pipeline(
            package,
            version=reference if is_digest else None,
            tag=None if is_digest else reference,
            file_name=str(destination),
        )
    return destination


def split_reference(reference: str) -> tuple[str, str]:
    """`HOST/PROJECT/REPO/PACKAGE` as (`HOST/PROJECT/REPO`, `PACKAGE`).

    Raises:
        UsageError: when there is no package part.
    """
    host, _, package = reference.rstrip("/").rpartition("/")
    if not host or "://" not in host or not package:
        raise UsageError(
            f"--from-registry {reference!r} does not name a package",
            hint="pass the repository URL followed by /PACKAGE, such as "
            "https://REGION-REGISTRY/PROJECT/REPOSITORY/my-template",
        )
    return host, package


def check_tag(tag: str) -> str:
    """Refuse empty tags and digests passed as tags, before any upload happens."""
    if not tag or tag.startswith(DIGEST_PREFIX) or any(c.isspace() or c == "/" for c in tag):
        raise UsageError(f"{tag!r} is not a usable tag", hint="use the release tag, such as v1.2.0")
    return tag


def _client(host: str, action: str) -> Any:
    if host.startswith("http://") and not is_loopback_url(host):
        raise UsageError(
            f"refusing plain-http registry {host}", hint="use the https:// URL of the repository"
        )
    if not host.startswith(("https://", "http://")):
        raise UsageError(
            f"{host!r} is not a registry URL", hint="pass the repository's https:// URL"
        )
    with registry_errors(FETCH, action):
        return RegistryClient(host=host)


@contextlib.contextmanager
def registry_errors(hints: ServiceHints, action: str) -> Iterator[None]:
    """Translate requests and google-auth failures from RegistryClient into our errors."""
    try:
        yield
    except requests.HTTPError as error:
        response = error.response
        status = response.status_code if response is not None else 500
        detail = response.text[:300] if response is not None else str(error)
        raise error_for_status(hints, action, status, detail) from None
    except requests.ConnectionError as error:
        raise unreachable(hints, action, str(error)) from None
    except (auth_exceptions.DefaultCredentialsError, auth_exceptions.RefreshError) as error:
        raise bad_credentials(action, str(error)) from None
    except OSError as error:
        raise ConsumerError(
            f"{action}: {error}", hint="check the file path and permissions"
        ) from None
    except ValueError as error:
        raise UsageError(f"{action}: {error}", hint="check --host, --tag and --digest") from None
