"""Bundled JSON Schemas and the only `$ref` registry validators use.

Remote references are never fetched: the registry knows the bundled `urn:kfp-templates:` schemas
and nothing else, so a `$ref` to http(s) fails to resolve instead of reaching the network.

jsonschema and referencing are imported only when a validator or registry is asked for: a valid
project is decided by `_fastcheck`, and these run only to explain a failure.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

    import jsonschema
    from referencing import Registry

BUNDLED_PREFIX = "urn:kfp-templates:"


@cache
def bundled_schema(name: str) -> dict[str, Any]:
    """A schema shipped in `kfp_templates/schemas/`, such as `contract` or `config`.

    Read beside the package when it is installed as files (importing `importlib.resources`
    costs validate about 8 ms, a tenth of its run); through it when the package is zipped.
    """
    filename = f"{name}.schema.json"
    beside = Path(__file__).resolve().parents[1] / "schemas" / filename
    if beside.is_file():
        text = beside.read_text(encoding="utf-8")
    else:
        from importlib import resources  # noqa: PLC0415 - a zipped package only

        text = resources.files("kfp_templates.schemas").joinpath(filename).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def bundled_registry() -> Registry[Any]:
    """A registry holding the bundled schemas under their `urn:kfp-templates:` ids."""
    from referencing import Registry, Resource  # noqa: PLC0415 - only to explain a failure
    from referencing.jsonschema import DRAFT202012  # noqa: PLC0415 - likewise

    resources_by_id = [
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema in (bundled_schema("config"), bundled_schema("contract"))
    ]
    return Registry().with_resources(resources_by_id)


@cache
def bundled_documents() -> dict[str, dict[str, Any]]:
    """The bundled schemas by their `urn:kfp-templates:` ids, for `_fastcheck`'s `$ref`s."""
    return {schema["$id"]: schema for schema in map(bundled_schema, ("config", "contract"))}


def config_schema_is_valid(schema: Any) -> bool:
    """Whether `check_schema` (draft 2020-12, formats asserted) certainly passes `schema`.

    The meta-schema is `draft2020-12.flat.schema.json`: jsonschema's own, its vocabularies inlined
    and `$dynamicRef: "#meta"` read as `$ref: "#"` (what it means for a plain 2020-12 schema),
    written once (`tests/validators/test_flat_meta_schema.py` regenerates and compares it).
    """
    from kfp_templates.contract._fastcheck import is_valid  # noqa: PLC0415 - a cycle otherwise

    meta = bundled_schema("draft2020-12.flat")
    return is_valid(meta, schema, meta, formats=True)


_RESOURCE_KEYWORDS = ("$id", "$anchor", "$dynamicAnchor", "$dynamicRef")


def refs_certainly_resolve(schema: dict[str, Any]) -> bool:
    """Whether every `$ref` in `schema` points into it or into a bundled schema (False: ask
    referencing). A nested `$id` or anchor changes what refs mean: then referencing decides."""
    from kfp_templates.contract._fastcheck import resolves  # noqa: PLC0415 - a cycle otherwise

    inner = [path for path in all_keywords(schema, _RESOURCE_KEYWORDS) if len(path) > 1]
    documents = bundled_documents()
    refs = (_value_at(schema, path) for path in all_refs(schema))
    return not inner and all(resolves(ref, schema, documents) for ref in refs)


def all_keywords(
    schema: Any, keywords: tuple[str, ...], path: tuple[str | int, ...] = ()
) -> list[tuple[str | int, ...]]:
    """JSON paths of every use of `keywords` in a schema (values under `const`/`enum` too)."""
    found: list[tuple[str | int, ...]] = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in keywords and isinstance(value, str):
                found.append((*path, key))
            else:
                found.extend(all_keywords(value, keywords, (*path, key)))
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            found.extend(all_keywords(item, keywords, (*path, index)))
    return found


def schema_validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A draft 2020-12 validator for `schema` that can never fetch a `$ref`.

    Built without a registry, jsonschema falls back to one that downloads unknown `$ref` URLs
    (with only a deprecation warning); every validator the tool builds comes from here instead.
    """
    import jsonschema  # noqa: PLC0415 - only to explain a failure

    return jsonschema.Draft202012Validator(schema, registry=bundled_registry())


def all_refs(schema: Any) -> list[tuple[str | int, ...]]:
    """JSON paths of every `$ref`/`$dynamicRef` in a schema (values under `const`/`enum` too)."""
    return all_keywords(schema, ("$ref", "$dynamicRef"))


def remote_refs(schema: Any) -> list[tuple[str | int, ...]]:
    """JSON paths of the `$ref`s that point outside the document and the bundle."""
    return [path for path in all_refs(schema) if _is_remote(_value_at(schema, path))]


def _value_at(document: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


def _is_remote(ref: str) -> bool:
    return not (ref.startswith("#") or ref.startswith(BUNDLED_PREFIX))
