"""A draft 2020-12 validator that fills in the schema's `default`s while it validates.

This is jsonschema's documented "extend the validator with defaults" recipe: the `properties`
keyword sets missing properties to their defaults before validating them, so `$ref`, `allOf` and
nested `default: {}` sections are followed by the validator itself (a defaulted `{}` is then
validated, which fills its own properties in turn). Three refinements over the recipe:

- Defaults are deep-copied, so the schema is never mutated through the data.
- A default written at the target of a `$ref` (such as a shared `labels` definition) counts too.
- Keywords that only *test* a subschema (`anyOf`, `oneOf`, `if`, `not`) test a copy of the
  instance, so a branch that does not match cannot leave its defaults behind; only the branch
  that matches fills in defaults.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cache
from typing import Any, cast

import jsonschema
from jsonschema import ValidationError
from jsonschema.protocols import Validator
from referencing import Registry
from referencing.exceptions import Unresolvable

_BASE = jsonschema.Draft202012Validator
_MAX_REF_HOPS = 32
# Keyword functions below take `validator: Any`: the protocol type lacks `descend`, which every
# concrete jsonschema validator has.


def defaulting_validator(schema: dict[str, Any], registry: Registry[Any]) -> Validator:
    """A validator for `schema` whose `iter_errors` also fills defaults into the instance."""
    return _defaulting_class()(schema, registry=registry)


@cache
def _defaulting_class() -> type[Validator]:
    """Built once: `validators.extend` makes a new class on every call."""
    keywords = {
        "properties": _properties,
        "anyOf": _first_match_fills("anyOf"),
        "oneOf": _first_match_fills("oneOf"),
        "if": _if,
        "not": _on_copy("not"),
    }
    # types-jsonschema leaves `extend` untyped; it returns a Validator class by its documentation.
    extended = jsonschema.validators.extend(_BASE, keywords)  # type: ignore[no-untyped-call]
    return cast("type[Validator]", extended)


def _properties(
    validator: Any, properties: dict[str, Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if isinstance(instance, dict):
        for name, subschema in properties.items():
            if name not in instance:
                found, value = _default_of(validator, subschema)
                if found:
                    instance[name] = copy.deepcopy(value)
    yield from _BASE.VALIDATORS["properties"](validator, properties, instance, schema)


def _default_of(validator: Any, subschema: Any) -> tuple[bool, Any]:
    """`(True, default)` of a property schema, following `$ref`s; `(False, None)` if none."""
    # jsonschema keeps the dynamic-scope resolver private; without it, only inline defaults work.
    resolver = getattr(validator, "_resolver", None)
    for _ in range(_MAX_REF_HOPS):
        if not isinstance(subschema, dict):
            return False, None
        if "default" in subschema:
            return True, subschema["default"]
        if resolver is None or not isinstance(subschema.get("$ref"), str):
            return False, None
        try:
            resolved = resolver.lookup(subschema["$ref"])
        except Unresolvable:
            return False, None  # reported as a validation error by `$ref` itself
        subschema, resolver = resolved.contents, resolved.resolver
    return False, None


def _first_match_fills(keyword: str) -> Any:
    """`anyOf`/`oneOf` judged on a copy; then the first matching branch fills the instance."""
    original = _BASE.VALIDATORS[keyword]

    def check(
        validator: Any, branches: list[Any], instance: Any, schema: dict[str, Any]
    ) -> Iterator[ValidationError]:
        errors = list(original(validator, branches, copy.deepcopy(instance), schema))
        if errors:
            yield from errors
            return
        for index, branch in enumerate(branches):
            if not any(True for _ in validator.descend(copy.deepcopy(instance), branch)):
                yield from validator.descend(instance, branch, schema_path=index)
                return

    return check


def _on_copy(keyword: str) -> Any:
    """A keyword that only tests its subschema, run on a copy of the instance."""
    original = _BASE.VALIDATORS[keyword]

    def check(
        validator: Any, value: Any, instance: Any, schema: dict[str, Any]
    ) -> Iterator[ValidationError]:
        yield from original(validator, value, copy.deepcopy(instance), schema)

    return check


def _if(
    validator: Any, if_schema: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """jsonschema's `if`, except that the condition is tested on a copy."""
    if validator.evolve(schema=if_schema).is_valid(copy.deepcopy(instance)):
        if "then" in schema:
            yield from validator.descend(instance, schema["then"], schema_path="then")
    elif "else" in schema:
        yield from validator.descend(instance, schema["else"], schema_path="else")
