"""CFG118: credentials in config.yaml are found by their shape and reported without the value."""

from __future__ import annotations

import pytest

from kfp_templates._yamlio import load_yaml
from kfp_templates.validators._config_secrets import credential_findings

SA_KEY = '{"type": "service_account", "private_key_id": "abc", "client_email": "x@y"}'


def _found(text: str) -> list[tuple[str, int | None]]:
    findings = credential_findings(load_yaml(text), "config.yaml")
    return [(f.message.split(" holds ")[0], f.location.line) for f in findings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("steps:\n  t:\n    env:\n      DB_PASSWORD: hunter2\n", [("steps.t.env.DB_PASSWORD", 4)]),
        ("a:\n  api_key: k-123\n", [("a.api_key", 2)]),
        ("a:\n  github-token: ghp_x\n", [("a.github-token", 2)]),
        (f"a:\n  key_json: '{SA_KEY}'\n", [("a.key_json", 2)]),
        ("a: [ok, 'ya29.a0AfH6SMBxxxxxxxxxxxxxxxxxxxxxxx']\n", [("a.1", 1)]),
        ("k: AIzaSyA1234567890abcdefghijklmnopqrstuv\n", [("k", 1)]),
    ],
)
def test_credentials_are_found_where_they_are(
    text: str, expected: list[tuple[str, int | None]]
) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "steps:\n  t:\n    secrets:\n      - {secret_name: db-password, mount_path: /s}\n",
        "a:\n  password: ''\n",  # empty: nothing to leak
        "a:\n  token_uri: https://oauth2.example/token\n",
        "a:\n  tokenizer: bert-base\n",
        "a:\n  max_tokens: '512'\n",
        "gcp:\n  service_account: runner@p.iam.gserviceaccount.com\n",
    ],
)
def test_references_and_look_alikes_are_not_credentials(text: str) -> None:
    assert _found(text) == []


def test_the_value_is_never_shown() -> None:
    [finding] = credential_findings(load_yaml("a:\n  password: hunter2\n"), "config.yaml")
    assert "hunter2" not in finding.message + finding.fix
    assert finding.rule.id == "CFG118" and finding.is_error
