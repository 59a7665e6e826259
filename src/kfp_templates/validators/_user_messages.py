"""Messages and fixes of `USR` findings, written only for the failures that happen.

Each writer gets the failure's context and returns `(message, fix)`; the fix says exactly what
to type, usually with the contract's signature for the function.
"""

from __future__ import annotations

from collections.abc import Callable

from kfp_templates._records import record
from kfp_templates._rules import usr as rules
from kfp_templates.contract import (
    FunctionSpec,
    ParameterSpec,
    canon,
    render_parameter,
    render_signature,
)

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any


@record
class Failure:
    """What failed: the contract function and parameter, the value found, where it was found.

    Attributes:
        spec: The contract function the failing subschema belongs to, if any.
        param: The contract parameter, if the failure is about one.
        found: The failing value in the interface document.
        entry: The nearest interface object with a `path` (module or name entry).
        item: The nearest interface object with a `line` (name or parameter entry).
        is_async: Whether the consumer's function is an `async def`.
    """

    spec: FunctionSpec | None
    param: ParameterSpec | None
    found: Any
    entry: dict[str, Any]
    item: dict[str, Any]
    is_async: bool = False

    @property
    def name(self) -> str:
        """The contract function's name in backticks, for messages."""
        return f"`{self.spec.name}`" if self.spec else "the function"

    @property
    def signature(self) -> str:
        """The contract's `def` line for the function; `async def` where the code has it and the
        contract allows it, so a fix never asks to drop an allowed `async`."""
        if self.spec is None:
            return "the function the contract lists"
        return render_signature(self.spec, is_async=self.is_async and self.spec.allow_async)

    @property
    def what(self) -> str:
        """`parameter `x` of `f``, for messages about a contract parameter."""
        param = self.param.name if self.param else self.item.get("name", "?")
        return f"parameter `{param}` of {self.name}"

    @property
    def contract_position(self) -> str:
        """1-based position of the contract parameter, for messages."""
        if self.spec is None or self.param is None:
            return "another position"
        return str(self.spec.parameters.index(self.param) + 1)

    @property
    def returns(self) -> str:
        """The contract function's canonical return annotation."""
        return canon(self.spec.returns) if self.spec and self.spec.returns is not None else "?"

    @property
    def wanted(self) -> str:
        """The contract parameter's canonical annotation."""
        return canon(self.param.annotation) if self.param and self.param.annotation else "?"


_Writer = Callable[[Failure], tuple[str, str]]


def _module_missing(f: Failure) -> tuple[str, str]:
    file = f.spec.file if f.spec else "the module"
    module = f.spec.module if f.spec else "?"
    return f"module {module} is missing: no {file}", f"create {file} with `{f.signature}`"


def _function_missing(f: Failure) -> tuple[str, str]:
    path = f.entry.get("path", "the module")
    if f.found == "deleted":
        return (
            f"{f.name} is deleted by the `del` at line {f.item.get('line')}, so importing "
            f"{path} leaves no such name",
            f"remove the `del`, or define `{f.signature}` after it",
        )
    return f"{path} does not define {f.name}", f"add `{f.signature}` to {path}"


def _rebound(f: Failure) -> tuple[str, str]:
    how = f.item.get("source") or "assignment"
    what = {":=": "an `:=` expression", "augmented assignment": "an augmented assignment"}.get(
        how, f"the `{how}` statement"
    )
    return (
        f"{f.name} is bound again by {what} at line {f.item.get('line')}; Python keeps the "
        "last binding, so the pipeline would not get the function",
        f"rename the other variable, so `{f.signature}` is the last binding of the name",
    )


def _name_error(f: Failure) -> tuple[str, str]:
    found = f.found if isinstance(f.found, dict) else {}
    name = found.get("name", "?")
    return (
        f"`{name}` in {found.get('what', 'an annotation')} of `{found.get('function', '?')}` is "
        "not defined when the def runs: Python evaluates the annotation then and raises "
        "NameError, so importing the module fails",
        f"import `{name}` above the def, or add `from __future__ import annotations` at the top",
    )


# What to do about a module file that cannot be read or parsed, by its extraction status.
UNREADABLE_FIXES = {
    "syntax_error": "fix the syntax at this line and column",
    "not_utf8": "re-save the file as UTF-8",
    "too_large": "move data out of the module or split it below 1 MiB",
    "too_deep": "flatten the deeply nested expression or block",
    "unreadable": "make the file readable (check its permissions)",
}


def _unreadable(f: Failure) -> tuple[str, str]:
    error = f.entry.get("error", {})
    status = f.entry.get("status", "syntax_error")
    message = f"{error.get('message', status)}; nothing in this module can be checked"
    return message, UNREADABLE_FIXES.get(status, "fix the file")


def _not_function(f: Failure) -> tuple[str, str]:
    if f.found == "module":
        return (
            f"{f.name} is the module {f.item.get('source')}, not a function",
            f"import the function instead, or define `{f.signature}`",
        )
    return (
        f"{f.name} is a {f.found}; the contract needs a function",
        f"rename the {f.found} and add `{f.signature}`",
    )


def _unverifiable(f: Failure) -> tuple[str, str]:
    if f.found == "external":
        how = f"imported from {f.item.get('source')}, outside user/"
    else:
        how = "bound by assignment"
    return (
        f"{f.name} is {how}; its signature cannot be checked",
        f"define it with `{f.signature}` (it may call the other function)",
    )


_WRITERS: dict[str, _Writer] = {
    rules.MODULE_MISSING.id: _module_missing,
    rules.FUNCTION_MISSING.id: _function_missing,
    rules.SYNTAX_ERROR.id: _unreadable,
    rules.NOT_UTF8.id: _unreadable,
    rules.FILE_TOO_LARGE.id: _unreadable,
    rules.TOO_DEEP.id: _unreadable,
    rules.UNREADABLE.id: _unreadable,
    rules.NOT_A_FUNCTION.id: _not_function,
    rules.UNVERIFIABLE_BINDING.id: _unverifiable,
    rules.REEXPORT_CYCLE.id: lambda f: (
        f"re-exports of {f.name} loop: {f.item.get('source')}",
        f"define `{f.signature}` in one module and import it from there",
    ),
    rules.PARAMETER_MISSING.id: lambda f: (
        f"{f.name} has no parameter `{f.param.name if f.param else '?'}`",
        f"add the parameter `{render_parameter(f.param) if f.param else '?'}` to {f.name}: "
        f"`{f.signature}`",
    ),
    rules.PARAMETER_KIND.id: lambda f: (
        f"{f.what} is {f.found}, the contract needs {f.param.kind if f.param else '?'}",
        f"move it to the right side of `*` or `/`: `{f.signature}`",
    ),
    rules.PARAMETER_POSITION.id: lambda f: (
        f"{f.what} is positional parameter {int(f.found) + 1}; the contract has it at "
        f"{f.contract_position}",
        f"reorder the parameters as in `{f.signature}`",
    ),
    rules.DEFAULT_FORBIDDEN.id: lambda f: (
        f"{f.what} has a default, but the pipeline always passes it",
        f"remove the default: `{render_parameter(f.param) if f.param else '?'}`",
    ),
    rules.DEFAULT_REQUIRED.id: lambda f: (
        f"{f.what} needs a default: the pipeline may leave it out",
        f"add a default: `{render_parameter(f.param) if f.param else '?'}`",
    ),
    rules.ANNOTATION_MISMATCH.id: lambda f: (
        f"{f.what} is annotated `{f.found}`, the contract needs `{f.wanted}`",
        f"change the annotation to `{f.wanted}`",
    ),
    rules.ANNOTATION_MISSING.id: lambda f: (
        f"{f.what} has no annotation; the contract needs `{f.wanted}`",
        f"annotate it: `{render_parameter(f.param) if f.param else '?'}`",
    ),
    rules.RETURNS_MISMATCH.id: lambda f: (
        f"{f.name} returns `{f.found}`, the contract needs `{f.returns}`",
        f"change the return annotation to `-> {f.returns}`",
    ),
    rules.RETURNS_MISSING.id: lambda f: (
        f"{f.name} has no return annotation",
        f"add `-> {f.returns}`: `{f.signature}`",
    ),
    rules.EXTRA_WITHOUT_DEFAULT.id: lambda f: (
        f"extra {f.what} has no default; the pipeline does not pass it",
        f"give `{f.item.get('name')}` a default or remove it",
    ),
    rules.EXTRA_FORBIDDEN.id: lambda f: (
        f"extra {f.what} is not in the contract, which allows no others",
        f"remove `{f.item.get('name')}`: `{f.signature}`",
    ),
    rules.ASYNC_NOT_ALLOWED.id: lambda f: (
        f"{f.name} is `async def`; the pipeline calls it without awaiting",
        f"make it a plain `{f.signature}`",
    ),
    rules.STAR_IMPORT.id: lambda f: (
        f"{f.name} is not defined here; it may come from `from {f.item.get('source')} import *`,"
        " which cannot be checked",
        f"import {f.name} by name, or define `{f.signature}` here",
    ),
    rules.REBOUND.id: _rebound,
    rules.ANNOTATION_NAME_ERROR.id: _name_error,
    rules.CONDITIONAL_DEFINITION.id: lambda f: (
        f"{f.name} is defined inside a module-level `{f.found}`",
        "define it unconditionally at module level",
    ),
    rules.DECORATED.id: lambda f: (
        f"{f.name} is decorated with `@{', @'.join(f.found)}`; its signature is checked as written",
        "make sure the decorator keeps the signature (for example functools.wraps)",
    ),
    rules.REEXPORT_MISSING.id: lambda f: (
        f"{f.name} is imported from {f.item.get('source')}, which is "
        f"{f.item.get('reason', 'missing')}",
        f"fix the import, or define `{f.signature}` in the module it imports from",
    ),
}


def describe(rule_id: str, failure: Failure) -> tuple[str, str]:
    """The message and fix for a failure of rule `rule_id`."""
    return _WRITERS[rule_id](failure)
