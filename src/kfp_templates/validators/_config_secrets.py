"""Credentials written into config.yaml (rule CFG118), found by their shape, never echoed.

config.yaml is committed to git, copied into the image and printed by `submit --dry-run`, so a
credential there leaks three ways. The checks look for what credentials look like: PEM private
keys, service-account key JSON, Google API keys, OAuth access tokens, and non-empty strings
under keys named like secrets. Only the location and the kind are reported, never the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kfp_templates._findings import Finding, Location, Severity
from kfp_templates._rules import cfg as rules
from kfp_templates._yamlio import JsonPath, LoadedYaml, leaves

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

_VALUE_SHAPES = (
    (re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----"), "a PEM private key"),
    (re.compile(r'"private_key_id"\s*:|"type"\s*:\s*"service_account"'), "a service-account key"),
    (re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"), "a Google API key"),
    (re.compile(r"\bya29\.[0-9A-Za-z_\-]{20,}"), "an OAuth access token"),
)
_SECRET_KEY = re.compile(
    r"(?:^|[_\-.])(?:password|passwd|secret|token|api[_\-]?key|private[_\-]?key|credentials?)$",
    re.IGNORECASE,
)
# Keys that name where a secret lives rather than holding one (steps.NAME.secrets, a secret's
# name in Secret Manager), so their values are references, not credentials.
_REFERENCE_KEYS = frozenset({"secrets", "secret_name", "secret_id", "token_uri"})
_FIX = (
    "remove it from config.yaml (and from git history if committed); let the platform supply it: "
    "Workload Identity or `gcloud auth application-default login` for GCP, a Kubernetes secret "
    "through steps.NAME.secrets for steps"
)


def credential_findings(loaded: LoadedYaml, display: str) -> Iterator[Finding]:
    """One CFG118 error per value that looks like a credential."""
    for path, kind in _credentials(loaded.data):
        mark = loaded.mark_for(path)
        where = Location(display, mark.line, mark.column) if mark else Location(display)
        dotted = ".".join(str(part) for part in path) or "(top level)"
        yield Finding(
            rules.CONFIG_CREDENTIAL,
            f"{dotted} holds what looks like {kind} (value not shown)",
            where,
            _FIX,
            Severity.ERROR,
        )


def _credentials(data: Any) -> Iterator[tuple[JsonPath, str]]:
    for path, value in leaves(data):
        if isinstance(value, str) and value:
            kind = _shape(value) or _named_secret(path)
            if kind:
                yield path, kind


def _shape(text: str) -> str:
    for pattern, kind in _VALUE_SHAPES:
        if pattern.search(text):
            return kind
    return ""


def _named_secret(path: JsonPath) -> str:
    key = next((part for part in reversed(path) if isinstance(part, str)), "")
    if key in _REFERENCE_KEYS or any(part in _REFERENCE_KEYS for part in path):
        return ""
    return f"a secret (the key is named {key!r})" if _SECRET_KEY.search(key) else ""
