"""Turn jsonschema errors about a config into `CFG` findings that point into the YAML.

jsonschema's messages name Python reprs and schema keywords; consumers edit YAML. So each error
is mapped to a rule by its keyword, its message names the dotted config path (`steps.train.cpu`),
its location is the line and column of the offending value (or key, for key problems) and its fix
says what to write instead. For `anyOf`/`oneOf`, `best_match` picks the most relevant sub-error.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match

from kfp_templates._findings import Finding, Location
from kfp_templates._records import replace
from kfp_templates._rules import cfg as rules
from kfp_templates._yamlio import JsonPath, LoadedYaml

_MAX_SHOWN = 60
_TYPE_NAMES = {
    "null": "null",
    "boolean": "a boolean (true/false)",
    "integer": "an integer",
    "number": "a number",
    "string": "text",
    "array": "a list",
    "object": "a mapping",
}

_NAMING_KEYWORDS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
_LIMITS = {
    "minimum": "use a value of at least {}",
    "maximum": "use a value of at most {}",
    "exclusiveMinimum": "use a value greater than {}",
    "exclusiveMaximum": "use a value less than {}",
    "minLength": "use at least {} character(s)",
    "maxLength": "use at most {} character(s)",
    "minItems": "give at least {} item(s)",
    "maxItems": "give at most {} item(s)",
    "multipleOf": "use a multiple of {}",
}


def schema_findings(
    errors: Iterable[ValidationError], loaded: LoadedYaml, display: str
) -> Iterator[Finding]:
    """One or more findings per top-level error, most relevant sub-error first."""
    for error in errors:
        best = best_match([error])
        if best is None:
            continue
        for finding in _findings_for(best, loaded, display):
            yield _blame_default(finding, best, loaded)


def _blame_default(finding: Finding, error: ValidationError, loaded: LoadedYaml) -> Finding:
    """Say so when the failing value is not in the file but is the template's own default."""
    path = tuple(error.absolute_path)
    if not path or error.validator == "required" or path in loaded.value_marks:
        return finding
    return replace(
        finding,
        message=f"{finding.message} (the value is the template's default)",
        fix=f"set `{dotted(path)}` yourself, and tell the template's producer: {finding.fix}",
    )


def dotted(path: JsonPath) -> str:
    """`steps.train.tolerations[0].key`: how messages name a place in the config."""
    text = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
    return text.lstrip(".") or "the top level"


def _findings_for(error: ValidationError, loaded: LoadedYaml, display: str) -> Iterator[Finding]:
    path: JsonPath = tuple(error.absolute_path)
    if _about_a_key(error):
        yield _bad_key_name(error, path, loaded, display)
    elif error.validator in ("additionalProperties", "unevaluatedProperties") and (
        error.validator_value is False
    ):
        yield from _unknown_keys(error, path, loaded, display)
    elif error.validator == "required":
        yield _missing(error, path, loaded, display)
    elif error.validator == "type":
        yield _wrong_type(error, path, loaded, display)
    else:
        yield _invalid_value(error, path, loaded, display)


def _about_a_key(error: ValidationError) -> bool:
    """Whether the error came from a `propertyNames` keyword (not a property of that name)."""
    schema_path = list(error.relative_schema_path)
    return any(
        part == "propertyNames" and (index == 0 or schema_path[index - 1] not in _NAMING_KEYWORDS)
        for index, part in enumerate(schema_path)
    )


def _location(loaded: LoadedYaml, display: str, path: JsonPath, *, key: bool = False) -> Location:
    mark = loaded.mark_for(path, prefer_key=key)
    pointer = "/" + "/".join(str(part) for part in path) if path else ""
    if mark is None:
        return Location(display, json_path=pointer)
    return Location(display, mark.line, mark.column, pointer)


def _unknown_keys(
    error: ValidationError, path: JsonPath, loaded: LoadedYaml, display: str
) -> Iterator[Finding]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance if isinstance(error.instance, dict) else {}
    allowed = sorted(_declared_keys(schema))
    for key in _extra_keys(error, instance, schema):
        where = f"under `{dotted(path)}`" if path else "at the top level"
        message = f"unknown key `{key}` {where}"
        suggestion = _closest(key, allowed)
        if suggestion:
            message += f"; did you mean `{suggestion}`?"
        fix = f"rename `{key}` to `{suggestion}`" if suggestion else f"delete `{key}`"
        if allowed:
            fix += f" (allowed here: {', '.join(allowed)})"
        location = _location(loaded, display, (*path, key), key=True)
        yield Finding(rules.CONFIG_UNKNOWN_KEY, message, location, fix)


def _extra_keys(
    error: ValidationError, instance: dict[str, Any], schema: dict[str, Any]
) -> list[str]:
    """The keys the error is about, in the order the config has them."""
    if error.validator == "unevaluatedProperties":
        # Only jsonschema knows which keys no subschema evaluated; its message lists their reprs.
        return [key for key in instance if repr(key) in error.message]
    patterns = schema.get("patternProperties", {})
    return [
        key
        for key in instance
        if key not in schema.get("properties", {})
        and not any(re.search(pattern, key) for pattern in patterns)
    ]


def _declared_keys(schema: dict[str, Any]) -> set[str]:
    """Keys named by `properties` here and in directly combined subschemas, for suggestions."""
    keys = set(schema.get("properties", {}))
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword, []):
            if isinstance(branch, dict):
                keys.update(branch.get("properties", {}))
    return keys


def _closest(key: str, allowed: list[str]) -> str:
    """The allowed key `key` was most likely meant to be, or "" when none is close."""
    by_case = [name for name in allowed if name.lower() == key.lower()]
    if by_case:
        return by_case[0]
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return close[0] if close else ""


def _missing(error: ValidationError, path: JsonPath, loaded: LoadedYaml, display: str) -> Finding:
    instance = error.instance if isinstance(error.instance, dict) else {}
    required = error.validator_value if isinstance(error.validator_value, list) else []
    missing = [key for key in required if key not in instance]
    names = ", ".join(f"`{key}`" for key in missing)
    where = f"`{dotted(path)}`" if path else "the config"
    message = f"{where} is missing required key(s) {names}"
    fix = f"add {names} under `{dotted(path)}`" if path else f"add {names} at the top level"
    return Finding(
        rules.CONFIG_MISSING_KEY,
        message,
        _location(loaded, display, path, key=True),
        fix + _described(error),
    )


def _wrong_type(
    error: ValidationError, path: JsonPath, loaded: LoadedYaml, display: str
) -> Finding:
    value = error.validator_value
    expected = value if isinstance(value, list) else [value]
    wanted = " or ".join(_TYPE_NAMES.get(str(name), str(name)) for name in expected)
    got = (
        "null"
        if error.instance is None
        else f"{_yaml_type(error.instance)} {_shown(error.instance)}"
    )
    message = f"`{dotted(path)}` must be {wanted}, not {got}"
    if "string" in expected and isinstance(error.instance, (bool, int, float)):
        fix = "put the value in quotes so YAML reads it as text"
    elif error.instance is None:
        fix = f"write a value after the colon ({wanted}), or delete the key to use the default"
    else:
        fix = f"write {wanted} here"
    return Finding(
        rules.CONFIG_WRONG_TYPE, message, _location(loaded, display, path), fix + _described(error)
    )


def _invalid_value(
    error: ValidationError, path: JsonPath, loaded: LoadedYaml, display: str
) -> Finding:
    location = _location(loaded, display, path)
    description = _description(error)
    if error.validator == "pattern" and description:
        # The schema says in words what the value must look like: no raw regex for people.
        message = f"`{dotted(path)}`: {_shown(error.instance)} is not valid here"
        fix = f"write the value as described: {description}"
        return Finding(rules.CONFIG_INVALID_VALUE, message, location, fix)
    message = f"`{dotted(path)}`: {_clip(error.message)}"
    return Finding(
        rules.CONFIG_INVALID_VALUE, message, location, _value_fix(error) + _described(error)
    )


def _value_fix(error: ValidationError) -> str:
    value = error.validator_value
    if error.validator == "pattern":
        return f"change the value to match the regular expression `{value}`"
    if error.validator == "enum":
        choices = value if isinstance(value, list) else []
        return "use one of: " + ", ".join(_shown(item) for item in choices)
    if error.validator == "const":
        return f"use {_shown(value)}"
    if error.validator in ("anyOf", "oneOf"):
        return "change the value to match exactly one of the forms the template documents"
    if error.validator in _LIMITS:
        return _LIMITS[error.validator].format(_shown(value))
    return f"change the value so that it meets `{error.validator}: {_shown(value)}`"


def _bad_key_name(
    error: ValidationError, path: JsonPath, loaded: LoadedYaml, display: str
) -> Finding:
    key = str(error.instance)
    message = f"key `{key}` under `{dotted(path)}` is not allowed: {_clip(error.message)}"
    pattern = error.schema.get("pattern") if isinstance(error.schema, dict) else None
    fix = f"rename `{key}` to match `{pattern}`" if pattern else f"rename `{key}`"
    location = _location(loaded, display, (*path, key), key=True)
    return Finding(rules.CONFIG_BAD_KEY_NAME, message, location, fix)


def _described(error: ValidationError) -> str:
    description = _description(error)
    return f" ({description})" if description else ""


def _description(error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    description = schema.get("description")
    return description if isinstance(description, str) else ""


def _yaml_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    names = {int: "integer", float: "number", str: "text", list: "list", dict: "mapping"}
    return names.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    return _clip(json.dumps(value, default=str), _MAX_SHOWN)


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
