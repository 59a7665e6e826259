"""Check the config schema a contract carries: no remote `$ref`, valid draft 2020-12, every
`$ref` resolving inside the contract or the bundled schemas, and no `$ref` loop.

Split from `_loading.py` (which keeps the rest of the contract checks) to keep both small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kfp_templates._findings import Finding, Location
from kfp_templates._rules import con as rules
from kfp_templates._yamlio import JsonPath
from kfp_templates.contract._ref_loops import find_ref_loop
from kfp_templates.contract._schemas import (
    all_refs,
    bundled_registry,
    config_schema_is_valid,
    refs_certainly_resolve,
    remote_refs,
)

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

_CONFIG_SCHEMA_ID = "urn:kfp-templates:contract-config-schema"


def config_schema_findings(
    schema: dict[str, Any], at: Callable[[JsonPath], Location]
) -> Iterator[Finding]:
    """`CON` findings for the contract's config schema; `at` locates a path in the contract."""
    base: JsonPath = ("config", "schema")
    remote = remote_refs(schema)
    for path in remote:
        yield Finding(
            rules.CONTRACT_REMOTE_REF,
            f"$ref {_lookup(schema, path)!r} points outside the contract; it is never fetched",
            at((*base, *path)),
            "copy the referenced schema into `$defs` and use `#/$defs/...`",
        )
    if remote:
        return
    if config_schema_is_valid(schema) and refs_certainly_resolve(schema):
        yield from _check_ref_loops(schema, at)
        return  # decided without jsonschema, which runs below only to explain a failure
    import jsonschema  # noqa: PLC0415 - only for a config schema the fast check is unsure of

    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as error:
        path = (*base, *error.absolute_path)
        yield Finding(
            rules.CONTRACT_CONFIG_SCHEMA,
            f"config schema: {error.message}",
            at(path),
            "fix the config schema at this place",
        )
        return
    yield from _check_refs_resolve(schema, at)


def _lookup(document: Any, path: JsonPath) -> Any:
    for part in path:
        document = document[part]
    return document


def _check_refs_resolve(
    schema: dict[str, Any], at: Callable[[JsonPath], Location]
) -> Iterator[Finding]:
    """Resolve every `$ref` once, then look for `$ref` loops anywhere in the schema."""
    from referencing import Resource  # noqa: PLC0415 - only to explain a failure
    from referencing.exceptions import Unresolvable  # noqa: PLC0415 - likewise
    from referencing.jsonschema import DRAFT202012  # noqa: PLC0415 - likewise

    base: JsonPath = ("config", "schema")
    resolver = (
        bundled_registry()
        .with_resource(
            _CONFIG_SCHEMA_ID, Resource.from_contents(schema, default_specification=DRAFT202012)
        )
        .resolver(_CONFIG_SCHEMA_ID)
    )
    for path in all_refs(schema):
        ref = _lookup(schema, path)
        try:
            resolver.lookup(ref)
        except Unresolvable:
            yield Finding(
                rules.CONTRACT_BAD_REF,
                f"config schema: $ref {ref!r} points to nothing",
                at((*base, *path)),
                "point it at `#/$defs/NAME` or `urn:kfp-templates:config#/$defs/NAME`",
            )
            return
    yield from _check_ref_loops(schema, at)


def _check_ref_loops(
    schema: dict[str, Any], at: Callable[[JsonPath], Location]
) -> Iterator[Finding]:
    base: JsonPath = ("config", "schema")
    loop = find_ref_loop(schema)
    if loop is not None:
        yield Finding(
            rules.CONTRACT_BAD_REF,
            "config schema: $refs lead back here without going deeper into the config",
            at((*base, *loop)),
            "break the loop: one schema in it must describe a nested value, not only $ref",
        )
