"""Bundled JSON Schemas and the only `$ref` registry validators use.

Remote references are never fetched: the registry knows the bundled `urn:kfp-templates:` schemas
and nothing else, so a `$ref` to http(s) fails to resolve instead of reaching the network.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BUNDLED_PREFIX = "urn:kfp-templates:"


@cache
def bundled_schema(name: str) -> dict[str, Any]:
    """A schema shipped in `kfp_templates/schemas/`, such as `contract` or `config`."""
    text = resources.files("kfp_templates.schemas").joinpath(f"{name}.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def bundled_registry() -> Registry[Any]:
    """A registry holding the bundled schemas under their `urn:kfp-templates:` ids."""
    resources_by_id = [
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema in (bundled_schema("config"), bundled_schema("contract"))
    ]
    return Registry().with_resources(resources_by_id)


def schema_validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A draft 2020-12 validator for `schema` that can never fetch a `$ref`.

    Built without a registry, jsonschema falls back to one that downloads unknown `$ref` URLs
    (with only a deprecation warning); every validator the tool builds comes from here instead.
    """
    return jsonschema.Draft202012Validator(schema, registry=bundled_registry())


def all_refs(schema: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """JSON paths of every `$ref`/`$dynamicRef` in a schema (values under `const`/`enum` too)."""
    found: list[tuple[str | int, ...]] = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                found.append((*path, key))
            else:
                found.extend(all_refs(value, (*path, key)))
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            found.extend(all_refs(item, (*path, index)))
    return found


def remote_refs(schema: Any) -> list[tuple[str | int, ...]]:
    """JSON paths of the `$ref`s that point outside the document and the bundle."""
    return [path for path in all_refs(schema) if _is_remote(_value_at(schema, path))]


def _value_at(document: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


def _is_remote(ref: str) -> bool:
    return not (ref.startswith("#") or ref.startswith(BUNDLED_PREFIX))
