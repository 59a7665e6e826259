"""Load a producer's contract and check it: tool version first, then meta-schema, then our rules.

Every problem is a `CON` finding (the producer's to fix). A contract is returned only when it has
no errors, so consumer checks never run against a broken contract.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from kfp_templates._findings import Finding, Location
from kfp_templates._rules import con as rules
from kfp_templates._version import __version__
from kfp_templates._yamlio import JsonPath, LoadedYaml, YamlLoadError, load_yaml
from kfp_templates.contract._config_schema import config_schema_findings
from kfp_templates.contract._fastcheck import is_valid
from kfp_templates.contract._kfp_resolver import kfp_type_problem
from kfp_templates.contract._kfp_types import ANY_OUTPUT
from kfp_templates.contract._model import (
    PARAMETER_KINDS,
    Contract,
    contract_from_document,
)
from kfp_templates.contract._names import keyword_findings
from kfp_templates.contract._schemas import bundled_schema, schema_validator

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any


def load_contract(path: Path, display: str) -> tuple[Contract | None, list[Finding]]:
    """Read, parse and check the contract at `path`; `display` is its path in messages."""
    loaded, findings = read_contract(path, display)
    if loaded is None:
        return None, findings
    return checked_contract(loaded, path, display)


def read_contract(path: Path, display: str) -> tuple[LoadedYaml | None, list[Finding]]:
    """The contract at `path` parsed but not checked: `load_contract`'s first half, for a
    caller with work to start from the raw document meanwhile (validate's parse of a large
    `user/`). None and the finding when it is missing or cannot be parsed."""
    if not path.is_file():
        fix = "run `copier update` to restore template_pipeline/, or ask the template's producer"
        missing = Finding(
            rules.CONTRACT_MISSING, f"no contract at {display}", Location(display), fix
        )
        return None, [missing]
    return _parse(path, display)


def checked_contract(
    loaded: LoadedYaml, path: Path, display: str
) -> tuple[Contract | None, list[Finding]]:
    """`load_contract`'s second half: the parsed document checked, then typed."""
    findings = list(check_contract_document(loaded, display))
    if findings:
        return None, findings
    return contract_from_document(loaded.data, path), []


def _parse(path: Path, display: str) -> tuple[LoadedYaml | None, list[Finding]]:
    try:
        return load_yaml(path.read_text(encoding="utf-8")), []
    except OSError as error:
        where = Location(display)
        fix = "check the file's permissions, or restore it with `copier update`"
        return None, [
            Finding(rules.CONTRACT_UNREADABLE, f"cannot read: {error.strerror}", where, fix)
        ]
    except UnicodeDecodeError as error:
        where = Location(display)
        return None, [
            Finding(
                rules.CONTRACT_UNREADABLE,
                f"not UTF-8 text: {error.reason}",
                where,
                "save the contract as UTF-8",
            )
        ]
    except YamlLoadError as error:
        line, column = (error.mark.line, error.mark.column) if error.mark else (None, None)
        where = Location(display, line, column)
        return None, [
            Finding(
                rules.CONTRACT_UNREADABLE,
                f"{error.kind}: {error.message}",
                where,
                "fix the YAML at this line",
            )
        ]


def check_contract_document(loaded: LoadedYaml, display: str) -> Iterator[Finding]:
    """All `CON` findings for a parsed contract document, tool version first."""
    version_findings = list(_check_tool_version(loaded, display))
    if version_findings:
        yield from version_findings
        return  # a newer contract format may legitimately fail our older meta-schema
    schema_findings = list(_check_meta_schema(loaded, display))
    if schema_findings:
        yield from schema_findings
        return
    yield from _check_functions(loaded, display)
    yield from config_schema_findings(
        loaded.data["config"]["schema"], lambda path: _at(loaded, display, path)
    )


def _at(loaded: LoadedYaml, display: str, path: JsonPath, *, key: bool = False) -> Location:
    mark = loaded.mark_for(path, prefer_key=key)
    json_path = "/" + "/".join(str(part) for part in path) if path else ""
    if mark is None:
        return Location(display, json_path=json_path)
    return Location(display, mark.line, mark.column, json_path)


def _check_tool_version(loaded: LoadedYaml, display: str) -> Iterator[Finding]:
    data = loaded.data
    required = data.get("min_tool_version") if isinstance(data, dict) else None
    if not isinstance(required, str):
        return
    too_old = _older(__version__, required)
    if too_old:
        yield Finding(
            rules.CONTRACT_TOOL_TOO_OLD,
            f"this contract needs kfp-templates >= {required}, but {__version__} is installed",
            _at(loaded, display, ("min_tool_version",)),
            f"upgrade: pip install 'kfp-templates>={required}' (or `copier update` the project)",
        )


_RELEASE = re.compile(r"[0-9]+(\.[0-9]+)*\Z")


def _older(installed: str, required: str) -> bool | None:
    """PEP 440 `installed < required`; None for a malformed `required` (the meta-schema says).

    Plain release numbers (`1.2`, `0.1.0`) compare as padded tuples, which is what PEP 440
    says of them; only other spellings pay for importing packaging.
    """
    if _RELEASE.match(installed) and _RELEASE.match(required):
        left, right = ([int(n) for n in v.split(".")] for v in (installed, required))
        width = max(len(left), len(right))
        return left + [0] * (width - len(left)) < right + [0] * (width - len(right))
    from packaging.version import InvalidVersion, Version  # noqa: PLC0415 - rare spellings

    try:
        return Version(installed) < Version(required)
    except InvalidVersion:
        return None


def _check_meta_schema(loaded: LoadedYaml, display: str) -> Iterator[Finding]:
    meta = bundled_schema("contract")
    if is_valid(meta, loaded.data, meta):
        return  # the fast pre-check is never wrong about "valid"; jsonschema explains errors
    validator = schema_validator(meta)
    for error in sorted(validator.iter_errors(loaded.data), key=lambda e: list(e.absolute_path)):
        path = tuple(error.absolute_path)
        yield Finding(
            rules.CONTRACT_SCHEMA,
            f"{_json_path(path) or 'the contract'}: {error.message}",
            _at(loaded, display, path),
            "see docs/reference/contract.md for the contract format",
        )


def _json_path(path: JsonPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _check_functions(loaded: LoadedYaml, display: str) -> Iterator[Finding]:
    seen: set[tuple[str, str]] = set()
    for index, function in enumerate(loaded.data["functions"]):
        here: JsonPath = ("functions", index)
        key = (function["module"], function["name"])
        if key in seen:
            yield Finding(
                rules.CONTRACT_DUPLICATE_FUNCTION,
                f"{key[0]}:{key[1]} is required twice",
                _at(loaded, display, here),
                "remove one of the two entries",
            )
        seen.add(key)
        yield from keyword_findings(function, here, lambda path: _at(loaded, display, path))
        yield from _check_parameters(loaded, display, function, here)
        if "returns" in function:
            yield from _check_annotation(loaded, display, function["returns"], (*here, "returns"))
        if function.get("component"):
            yield from _check_component_types(loaded, display, function, here)


def _check_component_types(
    loaded: LoadedYaml, display: str, function: dict[str, Any], here: JsonPath
) -> Iterator[Finding]:
    """The contract's own types of a component, through the resolver validate uses on code."""
    texts: list[tuple[str, JsonPath, bool]] = [
        (p["annotation"], (*here, "parameters", i, "annotation"), False)
        for i, p in enumerate(function["parameters"])
        if "annotation" in p
    ]
    if function.get("returns", ANY_OUTPUT) != ANY_OUTPUT:
        texts.append((function["returns"], (*here, "returns"), True))
    for text, where, is_return in texts:
        problem = kfp_type_problem(text, returns=is_return)
        if problem:
            yield Finding(
                rules.CONTRACT_COMPONENT_TYPE,
                f"{function['name']} is a component, and kfp refuses `{text}`: {problem}",
                _at(loaded, display, where),
                "use a KFP type such as `str`, `list[str]` or `kfp.dsl.Input[kfp.dsl.Dataset]`",
            )


def _check_parameters(
    loaded: LoadedYaml, display: str, function: dict[str, Any], here: JsonPath
) -> Iterator[Finding]:
    names: set[str] = set()
    last_kind = 0
    for index, parameter in enumerate(function["parameters"]):
        where: JsonPath = (*here, "parameters", index)
        if parameter["name"] in names:
            yield Finding(
                rules.CONTRACT_DUPLICATE_PARAMETER,
                f"parameter {parameter['name']!r} of {function['name']} is listed twice",
                _at(loaded, display, where),
                "remove the second entry",
            )
        names.add(parameter["name"])
        yield from _check_optional(loaded, display, function, parameter, where)
        kind = PARAMETER_KINDS.index(parameter.get("kind", "positional_or_keyword"))
        if kind < last_kind:
            yield Finding(
                rules.CONTRACT_PARAMETER_ORDER,
                f"parameter {parameter['name']!r} of {function['name']} comes after "
                f"a {PARAMETER_KINDS[last_kind]} parameter",
                _at(loaded, display, where),
                "reorder the parameters as Python requires",
            )
        last_kind = max(last_kind, kind)
        if "annotation" in parameter:
            yield from _check_annotation(
                loaded, display, parameter["annotation"], (*where, "annotation")
            )


def _check_optional(
    loaded: LoadedYaml,
    display: str,
    function: dict[str, Any],
    parameter: dict[str, Any],
    where: JsonPath,
) -> Iterator[Finding]:
    """Optional parameters may be absent, so the template can only pass them by keyword."""
    if parameter.get("optional") and parameter.get("kind") != "keyword_only":
        yield Finding(
            rules.OPTIONAL_NOT_KEYWORD_ONLY,
            f"optional parameter {parameter['name']!r} of {function['name']} is not keyword-only",
            _at(loaded, display, where),
            "add `kind: keyword_only` to it",
        )


def _check_annotation(
    loaded: LoadedYaml, display: str, text: str, where: JsonPath
) -> Iterator[Finding]:
    problem = _expression_problem(text)
    if problem:
        yield Finding(
            rules.CONTRACT_BAD_ANNOTATION,
            f"{text!r} is not a Python type expression ({problem})",
            _at(loaded, display, where),
            "write a type such as `pandas.DataFrame` or `dict[str, typing.Any]`",
        )


@lru_cache(maxsize=4096)
def _expression_problem(text: str) -> str:
    """Why `text` does not parse as an expression, or "" when it does (cached: types repeat)."""
    try:
        ast.parse(text, mode="eval")
    except SyntaxError as error:
        return error.msg or "invalid syntax"
    return ""
