"""Compile a contract's functions into a JSON Schema for the extracted interface document.

Each subschema that can fail carries an `x-usr` tag (validators ignore unknown keywords) naming
the rule, the contract function (`fn`, its index) and parameter (`param`), and which position
in the interface entry to point at (`where`), so a jsonschema error maps straight back to a
finding through `error.schema["x-usr"]`. `when` overrides the tag for particular failing values,
keyed by their JSON text. Messages are written only for failures (`_user_messages.py`): building
them for 10,000 valid functions would cost more than checking them.

Parameters are matched by name (the interface keys them by name), positional ones also by
`position`, since a positional argument binds by place.
"""

from __future__ import annotations

import json
from typing import Any

from kfp_templates._rules import user_code as rules
from kfp_templates._rules._model import Rule
from kfp_templates.validators._signature_text import canon
from kfp_templates.validators.contract_model import Contract, FunctionSpec, ParameterSpec

_POSITIONAL = ("positional_only", "positional_or_keyword")
# A consumer parameter may accept more ways of passing than the contract uses, never fewer.
_ACCEPTED_KINDS = {
    "positional_only": ["positional_only", "positional_or_keyword"],
    "keyword_only": ["keyword_only", "positional_or_keyword"],
}
KFP_TYPE_PATTERN = (
    r"^(kfp\.dsl\.[A-Za-z_][\w.]*(\[.*\]|\(.*\))?|(str|int|float|bool|dict|list)(\[.*\])?)"
    r"( \| None)?$"
)
_STATUS_RULES = {
    "syntax_error": rules.SYNTAX_ERROR,
    "not_utf8": rules.NOT_UTF8,
    "too_large": rules.FILE_TOO_LARGE,
    "too_deep": rules.TOO_DEEP,
}
_KIND_RULES = {
    "class": rules.NOT_A_FUNCTION,
    "module": rules.NOT_A_FUNCTION,
    "external": rules.UNVERIFIABLE_BINDING,
    "assignment": rules.UNVERIFIABLE_BINDING,
    "star_import": rules.STAR_IMPORT,
    "reexport_missing": rules.REEXPORT_MISSING,
    "cycle": rules.REEXPORT_CYCLE,
}


def tag(rule: Rule, spec: FunctionSpec | None = None, **extra: Any) -> dict[str, Any]:
    """An `x-usr` tag: what a failure of the subschema holding it means."""
    found = {"rule": rule.id, **extra}
    if spec is not None:
        found["fn"] = spec.index
    return found


def compile_schema(contract: Contract) -> dict[str, Any]:
    """The draft 2020-12 schema an interface document must satisfy to meet `contract`."""
    by_module: dict[str, list[FunctionSpec]] = {}
    for function in contract.functions:
        by_module.setdefault(function.module, []).append(function)
    compiler = _Compiler()
    modules = {
        "type": "object",
        "allOf": [
            {"required": [module], "x-usr": tag(rules.MODULE_MISSING, specs[0], path=specs[0].file)}
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
    """Builds subschemas, sharing the tables every function's subschema refers to."""

    def __init__(self) -> None:
        self.status_when = {json.dumps(k): tag(r, where="error") for k, r in _STATUS_RULES.items()}
        self.kind_when = {json.dumps(k): tag(r) for k, r in _KIND_RULES.items()}

    def module(self, specs: list[FunctionSpec]) -> dict[str, Any]:
        status = {
            "const": "ok",
            "x-usr": tag(rules.SYNTAX_ERROR, where="error", when=self.status_when),
        }
        names = {
            "allOf": [
                {"required": [spec.name], "x-usr": tag(rules.FUNCTION_MISSING, spec, line=False)}
                for spec in specs
            ],
            "properties": {spec.name: self.function(spec) for spec in specs},
        }
        return {"properties": {"status": status, "names": names}}

    def function(self, spec: FunctionSpec) -> dict[str, Any]:
        kind_tag = {**tag(rules.NOT_A_FUNCTION, spec), "when": self.kind_when}
        properties: dict[str, Any] = {
            "kind": {"const": "function", "x-usr": kind_tag},
            "conditional": {"const": False, "x-usr": tag(rules.CONDITIONAL_DEFINITION, spec)},
            "decorators": {"maxItems": 0, "x-usr": tag(rules.DECORATED, spec)},
            "parameters": self.parameters(spec),
            "returns": {
                "const": canon(spec.returns),
                "x-usr": tag(
                    rules.RETURNS_MISMATCH,
                    spec,
                    where="returns",
                    when={"null": tag(rules.RETURNS_MISSING, spec)},
                ),
            },
        }
        if not spec.allow_async:
            properties["async"] = {"const": False, "x-usr": tag(rules.ASYNC_NOT_ALLOWED, spec)}
        return {"properties": properties}

    def parameters(self, spec: FunctionSpec) -> dict[str, Any]:
        required = [
            {"required": [p.name], "x-usr": tag(rules.PARAMETER_MISSING, spec, param=p.name)}
            for p in spec.parameters
        ]
        properties = {
            p.name: self.parameter(spec, p, index) for index, p in enumerate(spec.parameters)
        }
        return {"allOf": required, "properties": properties, "additionalProperties": _extra(spec)}

    def parameter(self, spec: FunctionSpec, parameter: ParameterSpec, index: int) -> dict[str, Any]:
        def about(rule: Rule, **extra: Any) -> dict[str, Any]:
            return tag(rule, spec, param=parameter.name, **extra)

        kinds = _ACCEPTED_KINDS.get(parameter.kind, [parameter.kind])
        properties: dict[str, Any] = {"kind": {"enum": kinds, "x-usr": about(rules.PARAMETER_KIND)}}
        if parameter.kind in _POSITIONAL:
            properties["position"] = {"const": index, "x-usr": about(rules.PARAMETER_POSITION)}
        if parameter.default == "required":
            properties["has_default"] = {"const": True, "x-usr": about(rules.DEFAULT_REQUIRED)}
        elif parameter.default == "forbidden":
            properties["has_default"] = {"const": False, "x-usr": about(rules.DEFAULT_FORBIDDEN)}
        if parameter.annotation is not None:
            missing = about(rules.ANNOTATION_MISSING)
            properties["annotation"] = {
                "const": canon(parameter.annotation),
                "x-usr": about(
                    rules.ANNOTATION_MISMATCH, where="annotation", when={"null": missing}
                ),
            }
        elif spec.component:
            properties["annotation"] = _kfp_type(spec)
        return {"properties": properties}


def _kfp_type(spec: FunctionSpec) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": KFP_TYPE_PATTERN,
        "x-usr": tag(rules.COMPONENT_TYPE, spec, where="annotation"),
    }


def _extra(spec: FunctionSpec) -> dict[str, Any]:
    if spec.extra_parameters == "forbidden":
        return {"not": {}, "x-usr": tag(rules.EXTRA_FORBIDDEN, spec)}
    schema: dict[str, Any] = {
        "anyOf": [
            {"required": ["has_default"], "properties": {"has_default": {"const": True}}},
            {
                "required": ["kind"],
                "properties": {"kind": {"enum": ["var_positional", "var_keyword"]}},
            },
        ],
        "x-usr": tag(rules.EXTRA_WITHOUT_DEFAULT, spec),
    }
    if spec.component:
        schema = {"allOf": [schema, {"properties": {"annotation": _kfp_type(spec)}}]}
    return schema
