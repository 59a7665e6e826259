"""Compile a contract's functions into a JSON Schema for the extracted interface document.

Each subschema that can fail carries an `x-usr` tag (validators ignore unknown keywords) naming
the rule and which position in the interface entry to point at (`where`), so a jsonschema error
maps straight back to a finding through `error.schema["x-usr"]`; the error's path into the
document (`modules/M/names/F/parameters/P`) names the contract function and parameter. `when`
overrides the tag for particular failing values, keyed by their JSON text. Messages are written
only for failures (`_user_messages.py`): building them for 10,000 valid functions would cost
more than checking them.

Parameters are matched by name (the interface keys them by name), positional ones also by
`position`, since a positional argument binds by place.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from kfp_templates._rules import usr as rules
from kfp_templates._rules._model import Rule
from kfp_templates.contract import Contract, FunctionSpec, ParameterSpec, canon

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

_POSITIONAL = ("positional_only", "positional_or_keyword")
# A consumer parameter may accept more ways of passing than the contract uses, never fewer.
ANY = "typing.Any"
_ACCEPTED_KINDS = {
    "positional_only": ["positional_only", "positional_or_keyword"],
    "keyword_only": ["keyword_only", "positional_or_keyword"],
}
STATUS_RULES = {
    "syntax_error": rules.SYNTAX_ERROR,
    "not_utf8": rules.NOT_UTF8,
    "too_large": rules.FILE_TOO_LARGE,
    "too_deep": rules.TOO_DEEP,
    "unreadable": rules.UNREADABLE,
}
_KIND_RULES = {
    "class": rules.NOT_A_FUNCTION,
    "module": rules.NOT_A_FUNCTION,
    "external": rules.UNVERIFIABLE_BINDING,
    "assignment": rules.UNVERIFIABLE_BINDING,
    "star_import": rules.STAR_IMPORT,
    "reexport_missing": rules.REEXPORT_MISSING,
    "cycle": rules.REEXPORT_CYCLE,
    "rebound": rules.REBOUND,
    "deleted": rules.FUNCTION_MISSING,
}


def tag(rule: Rule, **extra: Any) -> dict[str, Any]:
    """An `x-usr` tag: what a failure of the subschema holding it means."""
    return {"rule": rule.id, **extra}


def compile_schema(contract: Contract) -> dict[str, Any]:
    """The draft 2020-12 schema an interface document must satisfy to meet `contract`."""
    by_module: dict[str, list[FunctionSpec]] = {}
    for function in contract.functions:
        by_module.setdefault(function.module, []).append(function)
    compiler = _Compiler()
    modules = {
        "type": "object",
        "allOf": [
            {"required": [module], "x-usr": tag(rules.MODULE_MISSING, path=specs[0].file)}
            for module, specs in by_module.items()
        ],
        "properties": {module: compiler.module(specs) for module, specs in by_module.items()},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["modules"],
        "properties": {"modules": modules},
    }


class _Compiler:
    """Builds subschemas for one contract, sharing every one that does not depend on names.

    Tags name no function or parameter (the finding's path into the interface document does),
    so equal parameter shapes, return types and flags compile to one shared subschema each: a
    contract repeats `df: pandas.DataFrame` first far more often than it varies.
    """

    def __init__(self) -> None:
        status_when = {json.dumps(k): tag(r, where="error") for k, r in STATUS_RULES.items()}
        kind_when = {json.dumps(k): tag(r) for k, r in _KIND_RULES.items()}
        self.status = {
            "const": "ok",
            "x-usr": tag(rules.SYNTAX_ERROR, where="error", when=status_when),
        }
        self.flags = {
            "kind": {"const": "function", "x-usr": tag(rules.NOT_A_FUNCTION, when=kind_when)},
            "conditional": {"const": False, "x-usr": tag(rules.CONDITIONAL_DEFINITION)},
            "decorators": {"maxItems": 0, "x-usr": tag(rules.DECORATED)},
        }
        self.not_async = {"const": False, "x-usr": tag(rules.ASYNC_NOT_ALLOWED)}
        self.shared: dict[tuple[Any, ...], dict[str, Any]] = {}

    def once(self, key: tuple[Any, ...], build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The subschema for `key`, built the first time it is asked for."""
        if key not in self.shared:
            self.shared[key] = build()
        return self.shared[key]

    def module(self, specs: list[FunctionSpec]) -> dict[str, Any]:
        missing = self.once(("function-missing",), lambda: tag(rules.FUNCTION_MISSING, line=False))
        names = {
            "allOf": [{"required": [spec.name], "x-usr": missing} for spec in specs],
            "properties": {spec.name: self.function(spec) for spec in specs},
        }
        name_errors = self.once(("name-errors",), _name_errors)
        return {"properties": {"status": self.status, "names": names, "name_errors": name_errors}}

    def function(self, spec: FunctionSpec) -> dict[str, Any]:
        # A component's annotations and decorators are checked by `component_findings.py`.
        flags = {k: v for k, v in self.flags.items() if k != "decorators" or not spec.component}
        properties: dict[str, Any] = {**flags, "parameters": self.parameters(spec)}
        if spec.returns is not None:  # an omitted `returns` accepts any annotation, or none
            key = ("returns", canon(spec.returns), spec.component)
            properties["returns"] = self.once(key, lambda: _returns(spec, spec.returns or ""))
        if not spec.allow_async:
            properties["async"] = self.not_async
        return {"properties": properties}

    def parameters(self, spec: FunctionSpec) -> dict[str, Any]:
        missing = self.once(("parameter-missing",), lambda: tag(rules.PARAMETER_MISSING))
        properties = {
            p.name: self.parameter(spec, p, index) for index, p in enumerate(spec.parameters)
        }
        extra = self.once(("extra", spec.extra_parameters, spec.component), lambda: _extra(spec))
        return {
            "allOf": [
                {"required": [p.name], "x-usr": missing}
                for p in spec.parameters
                if not p.optional  # the template passes optional ones only when accepted
            ],
            "properties": properties,
            "additionalProperties": extra,
        }

    def parameter(self, spec: FunctionSpec, p: ParameterSpec, index: int) -> dict[str, Any]:
        return self.once(_parameter_key(spec, p, index), lambda: _parameter(spec, p, index))


def _parameter_key(spec: FunctionSpec, parameter: ParameterSpec, index: int) -> tuple[Any, ...]:
    """Everything `_parameter` depends on."""
    position = index if parameter.kind in _POSITIONAL else None
    annotation = canon(parameter.annotation) if parameter.annotation is not None else None
    return ("parameter", parameter.kind, position, parameter.default, annotation, spec.component)


def _parameter(spec: FunctionSpec, parameter: ParameterSpec, index: int) -> dict[str, Any]:
    kinds = _ACCEPTED_KINDS.get(parameter.kind, [parameter.kind])
    properties: dict[str, Any] = {"kind": {"enum": kinds, "x-usr": tag(rules.PARAMETER_KIND)}}
    if parameter.kind in _POSITIONAL:
        properties["position"] = {"const": index, "x-usr": tag(rules.PARAMETER_POSITION)}
    if parameter.default == "required":
        properties["has_default"] = {"const": True, "x-usr": tag(rules.DEFAULT_REQUIRED)}
    elif parameter.default == "forbidden":
        properties["has_default"] = {"const": False, "x-usr": tag(rules.DEFAULT_FORBIDDEN)}
    if parameter.annotation is not None:
        missing = tag(rules.ANNOTATION_MISSING)
        properties["annotation"] = {
            "const": canon(parameter.annotation),
            "x-usr": tag(rules.ANNOTATION_MISMATCH, where="annotation", when={"null": missing}),
        }
    return {"properties": properties}


def _returns(spec: FunctionSpec, returns: str) -> dict[str, Any]:
    if spec.component and canon(returns) == ANY:  # component_findings.py checks it
        return {}
    missing = tag(rules.RETURNS_MISSING)
    return {
        "const": canon(returns),
        "x-usr": tag(rules.RETURNS_MISMATCH, where="returns", when={"null": missing}),
    }


def _name_errors() -> dict[str, Any]:
    """Every undefined name in an eagerly evaluated annotation is a NameError at import."""
    return {"items": {"not": {}, "x-usr": tag(rules.ANNOTATION_NAME_ERROR)}}


def _extra(spec: FunctionSpec) -> dict[str, Any]:
    if spec.extra_parameters == "forbidden":
        return {"not": {}, "x-usr": tag(rules.EXTRA_FORBIDDEN)}
    if spec.extra_parameters == "any":
        return {}
    schema: dict[str, Any] = {
        "anyOf": [
            {"required": ["has_default"], "properties": {"has_default": {"const": True}}},
            {
                "required": ["kind"],
                "properties": {"kind": {"enum": ["var_positional", "var_keyword"]}},
            },
        ],
        "x-usr": tag(rules.EXTRA_WITHOUT_DEFAULT),
    }
    return schema
