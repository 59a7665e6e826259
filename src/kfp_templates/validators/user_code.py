"""Check the consumer's `user/` code against the contract, statically.

The interface of `user/` is extracted with `ast` (`extract.py`), the contract is compiled into a
JSON Schema (`_user_schema.py`), and every jsonschema error becomes a `USR` finding: the failing
subschema's `x-usr` tag says which rule, message and fix, and the error's path into the
interface document says which file, line and column.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from kfp_templates._errors import InternalError
from kfp_templates._findings import Finding, Location, Severity
from kfp_templates._layout import ProjectLayout
from kfp_templates._rules import usr as rules
from kfp_templates._rules._model import Rule
from kfp_templates.contract import Contract, FunctionSpec, ParameterSpec, is_valid, schema_validator
from kfp_templates.validators._parallel_extract import Ahead
from kfp_templates.validators._user_messages import UNREADABLE_FIXES, Failure, describe
from kfp_templates.validators._user_schema import STATUS_RULES, compile_schema
from kfp_templates.validators.extract import (
    ModuleFailure,
    ModuleReader,
    extract_interface,
    read_module,
    wanted_functions,
)

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

    import jsonschema

_RULES: dict[str, Rule] = {
    value.id: value for value in vars(rules).values() if isinstance(value, Rule)
}


def check_user_code(
    layout: ProjectLayout,
    contract: Contract,
    reader: ModuleReader | None = None,
    ahead: Ahead | None = None,
) -> Iterator[Finding]:
    """Findings for every way `user/` fails to provide what `contract` requires.

    `reader` keeps the parsed modules for later checks (`dependencies.py`) to reuse; `ahead` is
    the parse of a large `user/` started while the contract was checked.
    """
    wanted = wanted_functions((function.module, function.name) for function in contract.functions)
    with gc_paused():
        document = extract_interface(layout.root, wanted, reader, ahead)
        if reader is not None:
            reader.release()
        align_positional_only(document, contract)
        findings = list(check_interface(document, contract))
    yield from findings
    yield from package_init_findings(layout, wanted)
    if any(function.component for function in contract.functions):
        # the component checks' modules (KFP's type rules) load only for a contract that has one
        from kfp_templates.validators.component_findings import check_components  # noqa: PLC0415

        yield from check_components(layout, contract)


def package_init_findings(layout: ProjectLayout, modules: Iterable[str]) -> Iterator[Finding]:
    """Importing `user.a.b` first runs `user/__init__.py` and `user/a/__init__.py`: a file there
    that cannot be parsed breaks every step, so it is reported like the module's own file."""
    packages = sorted(
        {".".join(m.split(".")[:i]) for m in modules for i in range(1, m.count(".") + 1)}
    )
    for package in packages:
        init = layout.root.joinpath(*package.split("."), "__init__.py")
        if not init.is_file():
            continue
        failure = read_module(layout.root, package, init)
        if isinstance(failure, ModuleFailure):
            yield Finding(
                STATUS_RULES[failure.status],
                f"{failure.message}; importing any module of {package} runs this file first",
                Location(failure.path, failure.line, failure.column),
                UNREADABLE_FIXES.get(failure.status, "fix the file"),
            )


def align_positional_only(document: dict[str, Any], contract: Contract) -> None:
    """Key the consumer's positional-only parameters by the contract's names, in place.

    A caller passes them by position and can never use their names, so `def f(frame, /)`
    meets a contract's positional-only `df`: only the position (and kind, type, default) count.
    """
    modules = document.get("modules", {})
    for spec in contract.functions:
        if not any(p.kind == "positional_only" for p in spec.parameters):
            continue
        entry = modules.get(spec.module, {}).get("names", {}).get(spec.name, {})
        parameters = entry.get("parameters")
        if not isinstance(parameters, dict):
            continue
        by_position = {p.get("position"): name for name, p in parameters.items()}
        for index, wanted in enumerate(spec.parameters):
            found = by_position.get(index)
            if wanted.kind != "positional_only" or found is None or wanted.name in parameters:
                continue
            if parameters[found]["kind"] == "positional_only":
                parameters[wanted.name] = parameters.pop(found)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small, acyclic objects.

    Parsing 1,000 modules creates millions of AST nodes; each one counts towards a collection,
    and every collection walks all the trees kept so far, which tripled extraction time.
    Nothing built here is cyclic, so nothing waits for the collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_interface(document: dict[str, Any], contract: Contract) -> Iterator[Finding]:
    """Findings for an already extracted interface document.

    jsonschema reports every error; the `is_valid` pre-check only spares it the modules that
    certainly pass, which in a healthy project is all of them (then jsonschema is not even
    imported).
    """
    schema = compile_schema(contract)
    by_module: dict[str, list[FunctionSpec]] = {}
    for spec in contract.functions:
        by_module.setdefault(spec.module, []).append(spec)
    per_module = schema["properties"]["modules"].pop("properties")
    if not is_valid(schema, document):
        for error in schema_validator(schema).iter_errors(document):
            yield finding_for(error, document, by_module)
    modules = document.get("modules", {})
    for module, module_schema in per_module.items():
        entry = modules.get(module)
        if entry is None or is_valid(module_schema, entry):
            continue
        for error in schema_validator(module_schema).iter_errors(entry):
            yield finding_for(error, document, by_module, ("modules", module))


def finding_for(
    error: jsonschema.ValidationError,
    document: dict[str, Any],
    by_module: Mapping[str, list[FunctionSpec]],
    prefix: tuple[str, ...] = (),
) -> Finding:
    """Turn one jsonschema error into a finding, using the failing subschema's `x-usr` tag.

    Args:
        error: The error; its path is relative to `document` after `prefix`.
        document: The whole interface document.
        by_module: The contract's functions by module.
        prefix: Where in `document` the validated instance sits.
    """
    schema = error.schema if isinstance(error.schema, dict) else {}
    tag = schema.get("x-usr")
    if not isinstance(tag, dict):  # every failing subschema is tagged: this is our bug
        raise InternalError(f"untagged interface schema error: {error.message}")
    tag = {**tag, **tag.get("when", {}).get(json.dumps(error.instance), {})}
    path = [*prefix, *error.absolute_path]
    objects = _objects_along(document, path)
    entry, item = _last(objects, "path", str), _last(objects, "line", int)
    spec, param = _contract_parts(by_module, path, error)
    rule = _RULES[tag["rule"]]
    is_async = _last(objects, "async", bool).get("async", False)
    failure = Failure(spec, param, error.instance, entry, item, is_async)
    message, fix = describe(rule.id, failure)
    severity = Severity.WARNING if rule.warning else Severity.ERROR
    return Finding(rule, message, _location(tag, entry, item), fix, severity)


def _contract_parts(
    by_module: Mapping[str, list[FunctionSpec]],
    path: list[str | int],
    error: jsonschema.ValidationError,
) -> tuple[FunctionSpec | None, ParameterSpec | None]:
    """The contract function and parameter an error is about, from its document path.

    Paths run `modules/M/names/F/parameters/P/...`: each key is followed by the name it holds
    (read by key, so a rule checking something deeper needs no change here). A `required` error
    at a key names the missing M, F or P in its (one-item) list instead.
    """
    names = _names_along(path)
    missing = error.validator_value if error.validator == "required" else None
    if isinstance(missing, list) and missing and path and path[-1] in _NAME_KEYS:
        names[str(path[-1])] = missing[0]
    specs = by_module.get(str(names.get("modules")), [])
    spec = next((s for s in specs if s.name == names.get("names")), specs[0] if specs else None)
    parameter = names.get("parameters")
    if spec is None or parameter is None:
        return spec, None
    return spec, next((p for p in spec.parameters if p.name == parameter), None)


# The keys of the interface document whose values are keyed by module, function, parameter name.
_NAME_KEYS = ("modules", "names", "parameters")


def _names_along(path: Sequence[str | int]) -> dict[str, Any]:
    """`{"modules": M, "names": F, "parameters": P}` for the leading key/name pairs of `path`."""
    names: dict[str, Any] = {}
    for key, name in zip(path[::2], path[1::2], strict=False):  # a path may end on a key
        if key not in _NAME_KEYS:
            break
        names[str(key)] = name
    return names


def _objects_along(document: Any, path: Sequence[str | int]) -> list[Any]:
    """The document, every value on the way down `path`, and the value at its end."""
    found = [document]
    for part in path:
        document = document[part]
        found.append(document)
    return found


def _last(objects: list[Any], key: str, kind: type) -> dict[str, Any]:
    """The deepest object whose `key` holds a `kind` (names like `line` may be dict keys too)."""
    for value in reversed(objects):
        if isinstance(value, dict) and isinstance(value.get(key), kind):
            return value
    return {}


def _location(tag: dict[str, Any], entry: dict[str, Any], item: dict[str, Any]) -> Location:
    if "path" in tag:
        return Location(tag["path"])
    if tag.get("line") is False:
        return Location(entry.get("path", "user"))
    path = entry.get("path", "user")
    where = tag.get("where")
    if where == "error":
        error = entry.get("error", {})
        return Location(path, error.get("line"), error.get("column"))
    if where in ("annotation", "returns") and f"{where}_line" in item:
        return Location(path, item[f"{where}_line"], item[f"{where}_column"])
    return Location(path, item.get("line"), item.get("column"))
