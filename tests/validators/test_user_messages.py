"""Every `USR` rule the interface schema can tag has a message writer (docs/architecture.md,
"Adding a rule"): a rule added to the schema without one fails here, not at a consumer's run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kfp_templates._rules import usr
from kfp_templates.contract import contract_from_document
from kfp_templates.validators._user_messages import Failure, describe
from kfp_templates.validators._user_schema import compile_schema


def _contract(**function: Any) -> Any:
    entry = {
        "module": "user.m",
        "name": "f",
        "returns": "int",
        "extra_parameters": "forbidden",
        "parameters": [
            {"name": "a", "kind": "positional_only", "annotation": "int"},
            {"name": "b", "default": "required", "stub_default": 1},
            {"name": "c", "kind": "keyword_only", "default": "forbidden"},
        ],
    }
    document = {
        "contract_format": 1,
        "name": "t",
        "version": "1.0.0",
        "min_tool_version": "0.1",
        "functions": [{**entry, **function}],
        "config": {"schema": {}},
    }
    return contract_from_document(document, Path("contract.yaml"))


def _tags(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        tag = schema.get("x-usr")
        if isinstance(tag, dict):
            yield tag["rule"]
            yield from (override["rule"] for override in tag.get("when", {}).values())
        for key, value in schema.items():
            if key != "x-usr":
                yield from _tags(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _tags(item)


TAGGED = sorted(
    {
        rule
        for changes in ({}, {"extra_parameters": "with_default"}, {"component": True})
        for rule in _tags(compile_schema(_contract(**changes)))
    }
)


# The failing value each rule's subschema sees, where it is not a string.
FOUND: dict[str, Any] = {usr.DECORATED.id: ["cache"], usr.PARAMETER_POSITION.id: 2}


@pytest.mark.parametrize("rule_id", TAGGED)
def test_every_tagged_rule_has_a_message(rule_id: str) -> None:
    spec = _contract().functions[0]
    message, fix = describe(
        rule_id, Failure(spec, spec.parameters[0], FOUND.get(rule_id, "class"), {}, {})
    )
    assert message and fix


def test_the_schema_tags_the_signature_rules() -> None:
    assert {usr.PARAMETER_MISSING.id, usr.EXTRA_FORBIDDEN.id, usr.ASYNC_NOT_ALLOWED.id} <= set(
        TAGGED
    )
