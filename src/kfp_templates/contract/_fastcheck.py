"""A yes/no check for a small JSON Schema subset: the one that decides every valid input.

jsonschema stays the reference: it produces every error and message. But importing it costs
more than the rest of `validate`, and walking its generic machinery over 10,000 functions costs
seconds, while nearly every input is valid. `is_valid` answers "would jsonschema find no
error?" for the keywords the tool's schemas use (the interface compiler's, the contract
meta-schema's, config schemas' and the draft 2020-12 meta-schema's), and says False (so the
caller asks jsonschema) for any keyword or value it is not sure of. It must never say True where
jsonschema would report an error; tests compare the two on every input the suite holds.

Two modes mirror the two ways the tool runs jsonschema:
- `fill=True` is the config's defaulting validator (`_config_defaults.py`): a missing property
  whose subschema (or the target of its `$ref`s) has a `default` gets a copy of it, before the
  property is checked, in the schema's keyword order; branching keywords are "not sure".
- `formats=True` is `check_schema`: the `regex` format is asserted as jsonschema's format
  checker does, `uri`/`uri-reference` only accepted where every checker would accept them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from kfp_templates._records import record, replace

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

# Keywords that never affect validity (annotations, including our own `x-usr` tags).
_IGNORED = frozenset(
    {
        "x-usr",
        "$schema",
        "$id",
        "$defs",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}
_MAX_REF_HOPS = 32  # as `_config_defaults` follows `$ref`s to a default
# URI references every checker accepts (rfc3987, rfc3986-validator): a JSON-pointer fragment,
# or a bundled schema's URN with one; anything else is left to jsonschema.
_SAFE_URI_REFERENCE = re.compile(r"(urn:kfp-templates:[a-z-]+)?(#[A-Za-z0-9._~/$-]*)?\Z")
_SAFE_URIS = frozenset({"https://json-schema.org/draft/2020-12/schema"})


@record
class _Context:
    """What every keyword needs besides its value and instance."""

    root: Any  # the document `#` refers to; None when there are no refs
    documents: Mapping[str, Any]  # other documents by URI (the bundled schemas)
    fill: bool
    formats: bool
    resolved: dict[tuple[int, str], Any]  # `$ref` targets met so far in this call, by root


def is_valid(
    schema: Any,
    instance: Any,
    root: Any = None,
    *,
    documents: Mapping[str, Any] | None = None,
    fill: bool = False,
    formats: bool = False,
) -> bool:
    """Whether `instance` certainly satisfies `schema`; False also means "not sure".

    Args:
        schema: A schema (or subschema) using the supported keywords.
        instance: The JSON value to check; with `fill`, defaults are written into it.
        root: The whole schema, for `$ref`s to `#...`; None when there are none.
        documents: Other schemas `$ref`s may name, by URI (`urn:kfp-templates:config`).
        fill: Fill in defaults as the config's defaulting validator does.
        formats: Assert formats as `check_schema` does.
    """
    try:
        return _check(schema, instance, _Context(root, documents or {}, fill, formats, {}))
    except RecursionError:  # a `$ref` loop, or a deep instance: jsonschema says which
        return False


def resolves(ref: str, root: Any, documents: Mapping[str, Any]) -> bool:
    """Whether `ref`, read in `root`, certainly points to a schema (False: not sure)."""
    return _resolve(ref, _Context(root, documents, False, False, {})) is not None


def _check(schema: Any, instance: Any, ctx: _Context) -> bool:
    if schema is True:
        return True
    if not isinstance(schema, dict):
        return False
    for keyword, value in schema.items():  # the hot loop: the common keywords looked up first
        check = _KEYWORDS.get(keyword)
        if check is not None:
            if not check(value, instance, ctx):
                return False
        elif keyword == "additionalProperties":
            if not _additional(value, instance, schema.get("properties", {}), ctx):
                return False
        elif keyword not in _IGNORED:
            return False
    return True


def json_equal(left: Any, right: Any) -> bool:
    """JSON equality: `True` is not `1`, as in jsonschema's `const`."""
    if type(left) is str and type(right) is str:  # the common case, first
        return left == right
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(json_equal, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(v, right[k]) for k, v in left.items())
    return type(left) is type(right) and bool(left == right)


def _properties(value: dict[str, Any], instance: Any, ctx: _Context) -> bool:
    if not isinstance(instance, dict):
        return True
    if ctx.fill:
        _fill(value, instance, ctx)
    for key, sub in value.items():  # a plain loop: this is the hot path
        if key in instance and not _check(sub, instance[key], ctx):
            return False
    return True


def _fill(properties: dict[str, Any], instance: dict[str, Any], ctx: _Context) -> None:
    """jsonschema's defaulting `properties`: every missing property first, then the checks."""
    for name, sub in properties.items():
        if name not in instance:
            found, default = _default_of(sub, ctx)
            if found:
                instance[name] = copy.deepcopy(default)


def _default_of(schema: Any, ctx: _Context) -> tuple[bool, Any]:
    for _ in range(_MAX_REF_HOPS):
        if not isinstance(schema, dict):
            return False, None
        if "default" in schema:
            return True, schema["default"]
        ref = schema.get("$ref")
        target = _resolve(ref, ctx) if isinstance(ref, str) else None
        if target is None:
            return False, None
        schema, ctx = target
    return False, None


def _additional(value: Any, instance: Any, known: dict[str, Any], ctx: _Context) -> bool:
    if not isinstance(instance, dict):
        return True
    return all(_check(value, item, ctx) for key, item in instance.items() if key not in known)


def _resolve(ref: str, ctx: _Context) -> tuple[Any, _Context] | None:
    """The schema `ref` points to and the context to check it in; None when not sure."""
    key = (id(ctx.root), ref)  # the roots live as long as the call: ids stay theirs
    if key not in ctx.resolved:
        ctx.resolved[key] = _lookup(ref, ctx)
    found: tuple[Any, _Context] | None = ctx.resolved[key]
    return found


def _lookup(ref: str, ctx: _Context) -> tuple[Any, _Context] | None:
    document, _, fragment = ref.partition("#")
    if document:
        root = ctx.documents.get(document)
        ctx = replace(ctx, root=root)
    if ctx.root is None or (fragment and not fragment.startswith("/")):
        return None
    target = ctx.root
    for escaped in fragment.split("/")[1:]:
        part = escaped.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or part not in target:
            return None
        target = target[part]
    return target, ctx


def _ref(value: str, instance: Any, ctx: _Context) -> bool:
    """A `$ref` to `#/a/b` in the root or a named document; anything else is "not sure"."""
    target = _resolve(value, ctx)
    return target is not None and _check(target[0], instance, target[1])


def _required(value: list[str], instance: Any, ctx: _Context) -> bool:
    return not isinstance(instance, dict) or all(key in instance for key in value)


def _max_items(value: int, instance: Any, ctx: _Context) -> bool:
    return not isinstance(instance, list) or len(instance) <= value


def _min_items(value: int, instance: Any, ctx: _Context) -> bool:
    return not isinstance(instance, list) or len(instance) >= value


def _min_length(value: int, instance: Any, ctx: _Context) -> bool:
    return not isinstance(instance, str) or len(instance) >= value


def _number(instance: Any) -> bool:
    return isinstance(instance, (int, float)) and not isinstance(instance, bool)


def _bound(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any, _Context], bool]:
    """`minimum` and its kin: only numbers are tested, as jsonschema does (NaN passes)."""
    return lambda value, instance, ctx: (
        _number(value) and (not _number(instance) or not test(instance, value))
    )


def _unique(value: bool, instance: Any, ctx: _Context) -> bool:
    if not value or not isinstance(instance, list):
        return True
    if not all(type(item) is str for item in instance):
        return False  # equality of mixed JSON values is jsonschema's business
    return len(set(instance)) == len(instance)


def _items(value: Any, instance: Any, ctx: _Context) -> bool:
    return not isinstance(instance, list) or all(_check(value, item, ctx) for item in instance)


def _property_names(value: Any, instance: Any, ctx: _Context) -> bool:
    return not isinstance(instance, dict) or all(_check(value, key, ctx) for key in instance)


def _pattern(value: str, instance: Any, ctx: _Context) -> bool:
    if not isinstance(instance, str):
        return True
    compiled = _compiled(value)
    return compiled is not None and compiled.search(instance) is not None


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None


def _format(value: str, instance: Any, ctx: _Context) -> bool:
    """Without `formats`, an annotation (jsonschema's default); with it, `check_schema`'s."""
    if not ctx.formats or not isinstance(instance, str):
        return True
    if value == "regex":
        return _compiled(instance) is not None
    if value == "uri-reference":
        return _SAFE_URI_REFERENCE.match(instance) is not None
    return value == "uri" and instance in _SAFE_URIS


def _type(value: str | list[str], instance: Any, ctx: _Context) -> bool:
    if type(value) is str:  # the common case, first
        check = _TYPES.get(value)
        return check is not None and check(instance)
    names = [value] if isinstance(value, str) else value
    return any(name in _TYPES and _TYPES[name](instance) for name in names)


def _branching(check: Callable[[Any, Any, _Context], bool]) -> Callable[[Any, Any, _Context], bool]:
    """With `fill`, jsonschema's defaulting tests branches on copies: not sure, ask it."""
    return lambda value, instance, ctx: not ctx.fill and check(value, instance, ctx)


_KEYWORDS: dict[str, Callable[[Any, Any, _Context], bool]] = {
    "type": _type,
    "const": lambda value, instance, ctx: json_equal(value, instance),
    "enum": lambda value, instance, ctx: any(json_equal(v, instance) for v in value),
    "required": _required,
    "properties": _properties,
    "propertyNames": _property_names,
    "allOf": lambda value, instance, ctx: all(_check(s, instance, ctx) for s in value),
    "anyOf": _branching(lambda value, instance, ctx: any(_check(s, instance, ctx) for s in value)),
    "not": lambda value, instance, ctx: False,  # only `{"not": {}}` is emitted: always fails
    "maxItems": _max_items,
    "minItems": _min_items,
    "minLength": _min_length,
    "minimum": _bound(lambda number, bound: number < bound),
    "maximum": _bound(lambda number, bound: number > bound),
    "exclusiveMinimum": _bound(lambda number, bound: number <= bound),
    "exclusiveMaximum": _bound(lambda number, bound: number >= bound),
    "uniqueItems": _unique,
    "items": _items,
    "pattern": _pattern,
    "format": _format,
    "$ref": _ref,
}
