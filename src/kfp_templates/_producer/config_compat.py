"""Compare two config JSON Schemas key by key: which keys a consumer's config.yaml must change.

Only what consumers write matters: object properties (following `$ref`s into `$defs` and the
bundled `urn:kfp-templates:config` schema), whether they are required without a default, and
whether the values they accept got narrower (types, enums, bounds, patterns).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from referencing import Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from kfp_templates._records import record
from kfp_templates._rules import ver as rules
from kfp_templates._rules._model import Rule
from kfp_templates.contract import bundled_registry

_ROOT_ID = "urn:kfp-templates:compared-config"
_MAX_DEPTH = 24
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_DOC_KEYWORDS = ("default", "description", "title", "examples")


@record
class SchemaChange:
    """One config key that changed: the rule classifies it, `json_path` is under the schema."""

    rule: Rule
    message: str
    json_path: str


def _root_resolver(schema: dict[str, Any]) -> Any:
    """A resolver for one schema's own `$defs` and the bundled schemas, nothing remote."""
    resource = Resource.from_contents(schema, default_specification=DRAFT202012)
    return bundled_registry().with_resource(_ROOT_ID, resource).resolver(_ROOT_ID)


def _follow(resolver: Any, schema: Any) -> tuple[dict[str, Any], Any]:
    """`schema` with `$ref`s followed (siblings win), and the resolver of the target document."""
    for _ in range(_MAX_DEPTH):
        if not isinstance(schema, dict) or "$ref" not in schema:
            break
        try:
            resolved = resolver.lookup(schema["$ref"])
        except Unresolvable:
            break  # the contract loader reports unresolvable refs; compare what is here
        resolver = resolved.resolver
        schema = {**resolved.contents, **{k: v for k, v in schema.items() if k != "$ref"}}
    return (schema if isinstance(schema, dict) else {}), resolver


def compare_schemas(old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    """Every consumer-visible difference between two config schemas."""
    resolvers = (_root_resolver(old), _root_resolver(new))
    return list(_compare(resolvers, (old, new), "", 0))


def _compare(
    resolvers: tuple[Any, Any], schemas: tuple[Any, Any], path: str, depth: int
) -> Iterator[SchemaChange]:
    old, old_r = _follow(resolvers[0], schemas[0])
    new, new_r = _follow(resolvers[1], schemas[1])
    if depth > _MAX_DEPTH:
        return
    yield from _narrowing(old, new, path)
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for key in old_props:
        if key not in new_props:
            yield _removed(new, key, path)
    for key, value in new_props.items():
        here = f"{path}/properties/{key}"
        node = _follow(new_r, value)[0]
        if key not in old_props:
            yield _added(new, key, node, here)
            continue
        yield from _newly_required(old, new, key, node, here)
        yield from _compare((old_r, new_r), (old_props[key], value), here, depth + 1)


def _key_name(path: str) -> str:
    return ".".join(part for part in path.split("/properties/") if part) or "config"


def _removed(new: dict[str, Any], key: str, path: str) -> SchemaChange:
    name = _key_name(f"{path}/properties/{key}")
    if new.get("additionalProperties", True) is False:
        return SchemaChange(
            rules.CONFIG_KEY_REMOVED, f"config key {name} is gone: delete it from your config", path
        )
    return SchemaChange(rules.DOC_CHANGED, f"config key {name} is no longer used", path)


def _added(new: dict[str, Any], key: str, value: dict[str, Any], here: str) -> SchemaChange:
    name = _key_name(here)
    if key in new.get("required", ()) and "default" not in value:
        return SchemaChange(rules.CONFIG_KEY_REQUIRED, f"set new config key {name}", here)
    default = f" (default {value['default']!r})" if "default" in value else ""
    return SchemaChange(rules.OPTIONAL_CONFIG_KEY, f"new optional config key {name}{default}", here)


def _newly_required(
    old: dict[str, Any], new: dict[str, Any], key: str, value: dict[str, Any], here: str
) -> Iterator[SchemaChange]:
    was = key in old.get("required", ())
    if not was and key in new.get("required", ()) and "default" not in value:
        yield SchemaChange(
            rules.CONFIG_KEY_REQUIRED, f"config key {_key_name(here)} is required now: set it", here
        )


def _narrowing(old: dict[str, Any], new: dict[str, Any], path: str) -> Iterator[SchemaChange]:
    reasons = [*_type_narrowing(old, new), *_bound_narrowing(old, new)]
    name = _key_name(path)
    if reasons:
        yield SchemaChange(
            rules.CONFIG_TYPE_NARROWED,
            f"config key {name} accepts less now ({'; '.join(reasons)}): check your value",
            path,
        )
    elif any(old.get(k) != new.get(k) for k in _DOC_KEYWORDS) and path:
        yield SchemaChange(
            rules.DOC_CHANGED, f"config key {name}: default or description changed", path
        )


def _type_narrowing(old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
    old_types, new_types = _types(old), _types(new)
    if new_types is not None and (old_types is None or not old_types <= _widen(new_types)):
        yield f"type {sorted(old_types or ['any'])} -> {sorted(new_types)}"
    old_enum, new_enum = _enum(old), _enum(new)
    if new_enum is not None and (old_enum is None or any(v not in new_enum for v in old_enum)):
        yield "fewer allowed values"
    closed_now = new.get("additionalProperties") is False
    if closed_now and old.get("additionalProperties", True) is not False:
        yield "unknown keys rejected"


def _bound_narrowing(old: dict[str, Any], new: dict[str, Any]) -> Iterator[str]:
    for keyword in _LOWER_BOUNDS:
        if _number(new.get(keyword), float("-inf")) > _number(old.get(keyword), float("-inf")):
            yield f"{keyword} {old.get(keyword)} -> {new.get(keyword)}"
    for keyword in _UPPER_BOUNDS:
        if _number(new.get(keyword), float("inf")) < _number(old.get(keyword), float("inf")):
            yield f"{keyword} {old.get(keyword)} -> {new.get(keyword)}"
    if new.get("pattern") not in (None, old.get("pattern")):
        yield f"pattern {new['pattern']!r}"


def _number(value: Any, missing: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return missing
    return float(value)


def _types(schema: dict[str, Any]) -> set[str] | None:
    declared = schema.get("type")
    if declared is None:
        return None
    return {declared} if isinstance(declared, str) else set(declared)


def _widen(types: set[str]) -> set[str]:
    return types | {"integer"} if "number" in types else types


def _enum(schema: dict[str, Any]) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    enum = schema.get("enum")
    return list(enum) if isinstance(enum, list) else None
