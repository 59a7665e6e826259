"""A consumer's component function, read statically: its KFP interface and decorator settings.

One reader for validate (problems become USR findings) and for compile (the wrapper is rendered
from `ComponentFunction`, and any problem is a consumer error), so whatever validate passes
compiles. Types are resolved by `kfp_templates.contract.Resolver`; nothing is imported or evaluated.
"""

from __future__ import annotations

import ast
from pathlib import Path

from kfp_templates._records import field, record, replace
from kfp_templates.contract import Contract, KfpType, KfpTypeError, Resolver
from kfp_templates.validators._extract_module import ModuleScan
from kfp_templates.validators.component_decorator import (
    DecoratorSettings,
    Problem,
    read_settings,
)
from kfp_templates.validators.extract import extract_interface, module_name, read_module

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

_SINGLE_OUTPUT_NAME = "Output"


@record
class ComponentParameter:
    """One parameter: its resolved type and its literal default (as `repr` text, or "")."""

    name: str
    type: KfpType
    default: str = ""
    has_default: bool = False
    keyword_only: bool = False


@record
class ComponentFunction:
    """The consumer's component, as the wrapper needs it."""

    module: str
    name: str
    file: str
    parameters: tuple[ComponentParameter, ...]
    returns: KfpType
    settings: DecoratorSettings = field(default_factory=DecoratorSettings)


def resolver_for(scan: ModuleScan) -> Resolver:
    """The annotation resolver of a scanned module (its imports, classes and star imports)."""
    classes = {
        name: binding.node
        for name, binding in scan.bindings.items()
        if binding.kind == "class" and isinstance(binding.node, ast.ClassDef)
    }
    # The scan maps the module's own classes to `user.x.Name` (for the interface check);
    # here a class is the NamedTuple definition the resolver reads.
    names = {name: target for name, target in scan.imports.names.items() if name not in classes}
    imports = replace(scan.imports, names=names)
    return Resolver(imports, classes, frozenset(star.module for star in scan.stars))


def read_component(
    scan: ModuleScan, node: ast.FunctionDef | ast.AsyncFunctionDef
) -> tuple[ComponentFunction, list[Problem]]:
    """The component `node` defines in `scan`, and every problem found on the way."""
    resolver = resolver_for(scan)
    problems: list[Problem] = []
    settings = read_settings(resolver, node, problems)
    parameters = _parameters(resolver, node, problems)
    returns = _guard(problems, lambda: resolver.returns(node.returns), KfpType("none"))
    if isinstance(node, ast.AsyncFunctionDef):
        problems.append(Problem("async", f"{node.name} is `async def`", node, "use a plain def"))
    if settings.decorated:
        problems += _pep604_under_kfp(node, parameters)
    function = ComponentFunction(
        scan.name, node.name, scan.path, tuple(parameters), returns, settings
    )
    return function, problems


def _guard(problems: list[Problem], resolve: Any, fallback: KfpType) -> KfpType:
    try:
        found: KfpType = resolve()
    except KfpTypeError as error:
        fix = error.fix or _TYPE_FIX
        problems.append(Problem("type", str(error), error.node or ast.Pass(), fix))
        return fallback
    return found


_TYPE_FIX = (
    "annotate it with str, int, float, bool, list, dict (List[str], Dict[str, int], "
    "Optional[...]) or a kfp.dsl artifact such as Input[Dataset] or Output[Model]"
)


def _parameters(
    resolver: Resolver, node: ast.FunctionDef | ast.AsyncFunctionDef, problems: list[Problem]
) -> list[ComponentParameter]:
    args = node.args
    for star in (args.vararg, args.kwarg):
        if star is not None:
            problems.append(
                Problem("type", f"`*{star.arg}` cannot be a KFP input", star, "name each input")
            )
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    pairs = list(zip(positional, defaults + list(args.defaults), strict=True))
    pairs += list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
    first_keyword = len(positional)
    return [
        _parameter(resolver, arg, default, problems, keyword_only=index >= first_keyword)
        for index, (arg, default) in enumerate(pairs)
    ]


def _parameter(
    resolver: Resolver,
    arg: ast.arg,
    default: ast.expr | None,
    problems: list[Problem],
    *,
    keyword_only: bool,
) -> ComponentParameter:
    if arg.arg == _SINGLE_OUTPUT_NAME:
        problems.append(
            Problem("type", '"Output" is an invalid parameter name (kfp)', arg, "rename it")
        )
    if arg.annotation is None:
        problems.append(
            Problem(
                "type",
                f"parameter `{arg.arg}` has no annotation (kfp: Missing type annotation for "
                f"argument: {arg.arg})",
                arg,
                _TYPE_FIX,
            )
        )
        kind = KfpType("any")
    else:
        annotation = arg.annotation
        kind = _guard(problems, lambda: resolver.parameter(annotation), KfpType("any"))
    text = _default(arg, default, kind, problems)
    return ComponentParameter(arg.arg, kind, text, default is not None, keyword_only)


def _default(arg: ast.arg, node: ast.expr | None, kind: KfpType, problems: list[Problem]) -> str:
    if node is None:
        return ""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        problems.append(
            Problem(
                "type",
                f"the default of `{arg.arg}` is not a literal: the wrapper repeats defaults "
                "as values, never as code",
                node,
                "use a literal default (number, string, bool, None, list or dict)",
            )
        )
        return "None"
    if kind.is_input_artifact and value is not None:
        problems.append(
            Problem(
                "type",
                f"Optional Input artifacts may only have default value None. Got: {value!r}. (kfp)",
                node,
                f"write `{arg.arg}: Optional[...] = None`",
            )
        )
    return repr(value)


def _pep604_under_kfp(
    node: ast.FunctionDef | ast.AsyncFunctionDef, parameters: list[ComponentParameter]
) -> list[Problem]:
    """`@dsl.component` runs kfp on import, and kfp strips only `Optional[X]`, not `X | None`."""
    annotated = {
        arg.arg: arg for arg in node.args.posonlyargs + node.args.args + node.args.kwonlyargs
    }
    return [
        Problem(
            "type",
            f"`{parameter.name}` is annotated `X | None`; @dsl.component runs when user/ is "
            "imported in the step, and kfp refuses that spelling (it accepts only Optional[X])",
            annotated[parameter.name],
            f"write `Optional[{parameter.type.core.render().removeprefix('dsl.')}]`",
        )
        for parameter in parameters
        if parameter.type.kind == "optional" and parameter.type.pep604
    ]


def locate_component(
    root: Path, module: str, name: str
) -> tuple[ModuleScan, ast.FunctionDef | ast.AsyncFunctionDef] | None:
    """The scanned module defining `module:name` (through re-exports) and the `def`, or None.

    None means the function is missing or unreadable; validate reports that through the
    interface schema, and compile says so itself.
    """
    entry = extract_interface(root, {module: [name]})["modules"].get(module, {})
    found = entry.get("names", {}).get(name, {})
    if found.get("kind") != "function" or "path" not in found:
        return None
    path = root / found["path"]
    scan = read_module(root, module_name(root, path), path)
    if not isinstance(scan, ModuleScan):
        return None
    for binding in scan.bindings.values():
        node = binding.node
        if (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.lineno == found["line"]
        ):
            return scan, node
    return None


def component_requirements(root: Path, contract: Contract) -> tuple[str, ...]:
    """`packages_to_install` of every component function's `@dsl.component(...)`.

    kfp installs them when the step starts; this template installs them into the image
    instead (with the contract's and the consumer's requirements), so steps start ready and
    need no index. Unreadable settings are validate's findings; here they add nothing.
    """
    found: list[str] = []
    for spec in contract.functions:
        located = locate_component(root, spec.module, spec.name) if spec.component else None
        if located is not None:
            found += read_component(*located)[0].settings.packages_to_install
    return tuple(found)
