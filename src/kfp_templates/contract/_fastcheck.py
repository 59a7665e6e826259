"""A yes/no pre-check for a small JSON Schema subset: what the interface compiler emits.

jsonschema stays the reference: it produces every error and message. But walking its generic
machinery over 10,000 functions costs seconds, while nearly all of them are valid. `is_valid`
answers "would jsonschema find no error?" for the keywords `_user_schema.py` emits, about thirty
times faster, and says False (so the caller asks jsonschema) for any keyword it does not know.
It must never say True where jsonschema would report an error; tests compare the two.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

# Keywords that never affect validity (annotations, including our own `x-usr` tags).
_IGNORED = frozenset(
    {"x-usr", "$schema", "$id", "$defs", "$comment", "title", "description", "default"}
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


def is_valid(schema: Any, instance: Any, root: Any = None) -> bool:
    """Whether `instance` certainly satisfies `schema`; False also means "not sure".

    Args:
        schema: A schema (or subschema) using the supported keywords.
        instance: The JSON value to check.
        root: The whole schema, for `$ref`s to `#/...`; None when there are none.
    """
    if schema is True:
        return True
    if not isinstance(schema, dict):
        return False
    for keyword, value in schema.items():
        if keyword in _IGNORED:
            continue
        if keyword == "additionalProperties":
            if not _additional(value, instance, schema.get("properties", {}), root):
                return False
            continue
        check = _KEYWORDS.get(keyword)
        if check is None or not check(value, instance, root):
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


def _properties(value: dict[str, Any], instance: Any, root: Any) -> bool:
    if not isinstance(instance, dict):
        return True
    for key, sub in value.items():  # a plain loop: this is the hot path
        if key in instance and not is_valid(sub, instance[key], root):
            return False
    return True


def _additional(value: Any, instance: Any, known: dict[str, Any], root: Any) -> bool:
    if not isinstance(instance, dict):
        return True
    return all(is_valid(value, item, root) for key, item in instance.items() if key not in known)


def _ref(value: str, instance: Any, root: Any) -> bool:
    """A `$ref` to `#/a/b` inside `root`; anything else is "not sure"."""
    if root is None or not value.startswith("#/"):
        return False
    target = root
    for escaped in value[2:].split("/"):
        part = escaped.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or part not in target:
            return False
        target = target[part]
    return is_valid(target, instance, root)


def _required(value: list[str], instance: Any, root: Any) -> bool:
    return not isinstance(instance, dict) or all(key in instance for key in value)


def _max_items(value: int, instance: Any, root: Any) -> bool:
    return not isinstance(instance, list) or len(instance) <= value


def _min_length(value: int, instance: Any, root: Any) -> bool:
    return not isinstance(instance, str) or len(instance) >= value


def _unique(value: bool, instance: Any, root: Any) -> bool:
    if not value or not isinstance(instance, list):
        return True
    if not all(type(item) is str for item in instance):
        return False  # equality of mixed JSON values is jsonschema's business
    return len(set(instance)) == len(instance)


def _items(value: Any, instance: Any, root: Any) -> bool:
    return not isinstance(instance, list) or all(is_valid(value, item, root) for item in instance)


def _pattern(value: str, instance: Any, root: Any) -> bool:
    return not isinstance(instance, str) or _compiled(value).search(instance) is not None


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _type(value: str | list[str], instance: Any, root: Any) -> bool:
    names = [value] if isinstance(value, str) else value
    return any(name in _TYPES and _TYPES[name](instance) for name in names)


_KEYWORDS: dict[str, Callable[[Any, Any, Any], bool]] = {
    "type": _type,
    "const": lambda value, instance, root: json_equal(value, instance),
    "enum": lambda value, instance, root: any(json_equal(v, instance) for v in value),
    "required": _required,
    "properties": _properties,
    "allOf": lambda value, instance, root: all(is_valid(s, instance, root) for s in value),
    "anyOf": lambda value, instance, root: any(is_valid(s, instance, root) for s in value),
    "not": lambda value, instance, root: False,  # only `{"not": {}}` is emitted: always fails
    "maxItems": _max_items,
    "minLength": _min_length,
    "uniqueItems": _unique,
    "items": _items,
    "pattern": _pattern,
    "$ref": _ref,
}
