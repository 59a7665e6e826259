"""Classify what changed between two contracts: breaking or compatible for consumers.

A change is breaking when code or config that satisfied the old contract can fail the new one
(new required function or parameter, tightened default rule, changed annotation, removed or newly
required config key, narrowed config value); compatible otherwise. Whether the version bump
covers the changes is decided in `kfp_templates._producer.semver`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kfp_templates._findings import Finding, Location, Severity
from kfp_templates._producer import config_compat
from kfp_templates._records import record
from kfp_templates._rules import ver as rules
from kfp_templates._rules._model import Rule
from kfp_templates._yamlio import YamlLoadError, load_yaml
from kfp_templates.contract import (
    AnnotationError,
    Contract,
    FunctionSpec,
    ParameterSpec,
    canonical_text,
    check_contract_document,
    contract_from_document,
    render_parameter,
    render_signature,
)

_DEFAULT_STRICTNESS = {"allowed": 0, "forbidden": 1, "required": 1}
_DOC_FIELDS = ("doc", "stub_body", "examples")


@record
class Change:
    """One difference between two contracts, from the consumer's point of view.

    Attributes:
        rule: A `VER2xx` rule (breaking) or `VER3xx` rule (compatible).
        message: What changed and what the consumer must do about it.
        json_path: Where in the new contract (or the old one, for removals).
    """

    rule: Rule
    message: str
    json_path: str = ""

    @property
    def breaking(self) -> bool:
        """Whether consumers' existing code or config may fail the new contract."""
        return not self.rule.warning

    def as_finding(self, display: str) -> Finding:
        """The change as a finding located in the contract `display`: an error when breaking
        (consumers must change code or config), a warning when compatible."""
        label = "breaking" if self.breaking else "compatible"
        return Finding(
            self.rule,
            f"{label}: {self.message}",
            Location(display, json_path=self.json_path),
            severity=Severity.ERROR if self.breaking else Severity.WARNING,
        )


def compare_contracts(old: Contract, new: Contract) -> list[Change]:
    """Every change from `old` to `new`, breaking ones first, each in contract order."""
    changes = [
        *_function_changes(old, new),
        *_config_changes(old, new),
        *_metadata_changes(old, new),
    ]
    return sorted(changes, key=lambda change: not change.breaking)


def contract_from_text(text: str, display: str) -> tuple[Contract | None, list[Finding]]:
    """Parse and check a contract held in memory (such as `git show TAG:path` output)."""
    try:
        loaded = load_yaml(text)
    except YamlLoadError as error:
        where = Location(display, error.mark.line if error.mark else None)
        return None, [Finding(rules.RELEASED_CONTRACT_UNREADABLE, error.message, where)]
    findings = list(check_contract_document(loaded, display))
    if findings:
        return None, findings
    return contract_from_document(loaded.data, Path(display)), []


def _function_changes(old: Contract, new: Contract) -> Iterator[Change]:
    old_functions = {(f.module, f.name): f for f in old.functions}
    new_functions = {(f.module, f.name): f for f in new.functions}
    for key, function in new_functions.items():
        where = f"/functions/{function.index}"
        previous = old_functions.get(key)
        if previous is None:
            yield from _new_function(old, function, where)
        else:
            yield from _changed_function(previous, function, where)
    for key, function in old_functions.items():
        if key not in new_functions:
            yield Change(
                rules.FUNCTION_DROPPED,
                f"{function.qualified_name} is no longer required; you may delete it",
            )


def _new_function(old: Contract, function: FunctionSpec, where: str) -> Iterator[Change]:
    if function.module not in old.modules:
        yield Change(
            rules.NEW_MODULE, f"new module {function.module}: create {function.file}", where
        )
    line = render_signature(function, is_async=function.allow_async)
    yield Change(
        rules.NEW_FUNCTION,
        f"new function {function.qualified_name}: add `{line}` to {function.file}",
        where,
    )


def _changed_function(old: FunctionSpec, new: FunctionSpec, where: str) -> Iterator[Change]:
    name = new.qualified_name
    if new.returns is None and old.returns is not None:
        yield Change(rules.RULES_RELAXED, f"{name}: any return annotation is accepted now", where)
    elif _annotation_key(old.returns) != _annotation_key(new.returns):
        yield Change(
            rules.RETURN_CHANGED,
            f"{name} must now return {new.returns} (was {old.returns or 'any'})",
            f"{where}/returns",
        )
    yield from _parameter_changes(old, new, where)
    yield from _function_flags(old, new, where)
    if any(getattr(old, field) != getattr(new, field) for field in _DOC_FIELDS):
        yield Change(rules.DOC_CHANGED, f"{name}: docstring, stub or examples changed", where)


# How much freedom each `extra_parameters` value leaves the consumer: less is a tightening.
_EXTRA_LEVELS = {"forbidden": 0, "with_default": 1, "any": 2}


def _function_flags(old: FunctionSpec, new: FunctionSpec, where: str) -> Iterator[Change]:
    name = new.qualified_name
    tightened = [
        text
        for text, was, now in (
            (
                f"extra parameters are {new.extra_parameters.replace('_', ' ')} now",
                True,
                _EXTRA_LEVELS[new.extra_parameters] < _EXTRA_LEVELS[old.extra_parameters],
            ),
            ("it must not be async now", old.allow_async, not new.allow_async),
            ("its component flag changed", old.component != new.component, True),
        )
        if was and now
    ]
    if tightened:
        yield Change(rules.FUNCTION_RULES_TIGHTENED, f"{name}: {'; '.join(tightened)}", where)
    elif old.extra_parameters != new.extra_parameters or old.allow_async != new.allow_async:
        yield Change(rules.RULES_RELAXED, f"{name}: extra parameters or async now allowed", where)


def _parameter_changes(old: FunctionSpec, new: FunctionSpec, where: str) -> Iterator[Change]:
    old_params = {p.name: p for p in old.parameters}
    new_params = {p.name: p for p in new.parameters}
    for index, parameter in enumerate(new.parameters):
        here = f"{where}/parameters/{index}"
        previous = old_params.get(parameter.name)
        if previous is None:
            yield _new_parameter(new, parameter, here)
        else:
            yield from _changed_parameter(new, previous, parameter, here)
    for parameter in old.parameters:
        if parameter.name not in new_params:
            yield _removed_parameter(new, parameter, where)
    common_old = [p.name for p in old.parameters if p.name in new_params]
    common_new = [p.name for p in new.parameters if p.name in old_params]
    if common_old != common_new:
        yield Change(
            rules.KIND_OR_ORDER_CHANGED,
            f"{new.qualified_name}: reorder the parameters as "
            f"({', '.join(common_new)}) (was ({', '.join(common_old)}))",
            where,
        )


def _new_parameter(function: FunctionSpec, parameter: ParameterSpec, here: str) -> Change:
    signature = render_parameter(parameter)
    if parameter.optional:  # the template passes it only to functions that accept it
        return Change(
            rules.OPTIONAL_PARAMETER,
            f"{function.qualified_name} may take new parameter `{signature}`",
            here,
        )
    return Change(
        rules.NEW_PARAMETER,
        f"{function.qualified_name}: add parameter `{signature}` ({parameter.kind})",
        here,
    )


def _removed_parameter(function: FunctionSpec, parameter: ParameterSpec, where: str) -> Change:
    name = function.qualified_name
    if parameter.default == "forbidden" or function.extra_parameters == "forbidden":
        return Change(
            rules.PARAMETER_REMOVED,
            f"{name}: the pipeline no longer passes `{parameter.name}`; remove it or give "
            "it a default",
            where,
        )
    return Change(
        rules.RULES_RELAXED, f"{name}: parameter `{parameter.name}` is no longer passed", where
    )


def _changed_parameter(
    function: FunctionSpec, old: ParameterSpec, new: ParameterSpec, here: str
) -> Iterator[Change]:
    name = f"{function.qualified_name}({new.name})"
    if old.kind != new.kind:
        yield Change(
            rules.KIND_OR_ORDER_CHANGED,
            f"{name}: make it {new.kind} (was {old.kind})",
            f"{here}/kind",
        )
    yield from _annotation_change(name, old, new, here)
    yield from _default_change(name, old, new, here)
    if (old.stub_default, old.description) != (new.stub_default, new.description):
        yield Change(rules.DOC_CHANGED, f"{name}: stub default or description changed", here)


def _annotation_change(
    name: str, old: ParameterSpec, new: ParameterSpec, here: str
) -> Iterator[Change]:
    if new.annotation is None and old.annotation is not None:
        yield Change(rules.RULES_RELAXED, f"{name}: any annotation is accepted now", here)
    elif _annotation_key(old.annotation) != _annotation_key(new.annotation):
        yield Change(
            rules.ANNOTATION_CHANGED,
            f"{name}: annotate it as {new.annotation} (was {old.annotation or 'any'})",
            f"{here}/annotation",
        )


def _default_change(
    name: str, old: ParameterSpec, new: ParameterSpec, here: str
) -> Iterator[Change]:
    if old.default == new.default:
        return
    if _DEFAULT_STRICTNESS[new.default] > _DEFAULT_STRICTNESS[old.default] or {
        old.default,
        new.default,
    } == {"forbidden", "required"}:
        todo = "remove its default value" if new.default == "forbidden" else "give it a default"
        yield Change(
            rules.DEFAULT_TIGHTENED,
            f"{name}: {todo} (default was {old.default}, is {new.default} now)",
            f"{here}/default",
        )
    else:
        yield Change(rules.RULES_RELAXED, f"{name}: a default value is allowed now", here)


def _config_changes(old: Contract, new: Contract) -> Iterator[Change]:
    if old.config_path != new.config_path:
        yield Change(
            rules.CONFIG_PATH_CHANGED,
            f"rename {old.config_path} to {new.config_path}",
            "/config/path",
        )
    for diff in config_compat.compare_schemas(old.config_schema, new.config_schema):
        yield Change(diff.rule, diff.message, "/config/schema" + diff.json_path)


def _metadata_changes(old: Contract, new: Contract) -> Iterator[Change]:
    fields = ("description", "min_tool_version", "requirements", "base_image", "pipeline")
    changed = [field for field in fields if getattr(old, field) != getattr(new, field)]
    if changed:
        yield Change(rules.DOC_CHANGED, f"contract metadata changed: {', '.join(changed)}")


def _annotation_key(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return canonical_text(text)
    except AnnotationError:
        return text.strip()
