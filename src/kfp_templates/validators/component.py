"""A consumer's component function, read statically: its KFP interface and decorator settings.

One reader for validate (problems become USR findings) and for compile (the wrapper is rendered
from `ComponentFunction`, and any problem is a consumer error), so whatever validate passes
compiles. Types are resolved by `kfp_types.Resolver`; nothing is imported or evaluated.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kfp_templates.validators._extract_module import ModuleScan
from kfp_templates.validators.contract_model import Contract
from kfp_templates.validators.extract import extract_interface, module_name, read_module
from kfp_templates.validators.kfp_types import KfpType, KfpTypeError, Resolver

ProblemKind = Literal["type", "decorator", "setting", "async"]
_KFP_DECORATOR = "kfp.dsl.component"
# Decorator keywords that only shape how kfp installs or names things; the image decides those.
_IGNORED_SETTINGS = frozenset(
    {
        "install_kfp_package",
        "kfp_package_path",
        "output_component_file",
        "use_venv",
        "pip_trusted_hosts",
        "embedded_artifact_path",
    }
)
_READ_SETTINGS = frozenset({"base_image", "packages_to_install"})
_SINGLE_OUTPUT_NAME = "Output"


@dataclass(frozen=True)
class Problem:
    """Something kfp refuses or the template cannot honour, with where it is and the fix."""

    kind: ProblemKind
    message: str
    node: ast.AST
    fix: str


@dataclass(frozen=True)
class ComponentParameter:
    """One parameter: its resolved type and its literal default (as `repr` text, or "")."""

    name: str
    type: KfpType
    default: str = ""
    has_default: bool = False
    keyword_only: bool = False


@dataclass(frozen=True)
class DecoratorSettings:
    """What `@dsl.component(...)` asks for (empty when the function is not decorated by kfp)."""

    decorated: bool = False
    base_image: str | None = None
    packages_to_install: tuple[str, ...] = ()


@dataclass(frozen=True)
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
    return Resolver(scan.imports, classes, frozenset(star.module for star in scan.stars))


def read_component(
    scan: ModuleScan, node: ast.FunctionDef | ast.AsyncFunctionDef
) -> tuple[ComponentFunction, list[Problem]]:
    """The component `node` defines in `scan`, and every problem found on the way."""
    resolver = resolver_for(scan)
    problems: list[Problem] = []
    settings = _settings(resolver, node, problems)
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
        problems.append(Problem("type", str(error), error.node or ast.Pass(), _TYPE_FIX))
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


def _settings(
    resolver: Resolver, node: ast.FunctionDef | ast.AsyncFunctionDef, problems: list[Problem]
) -> DecoratorSettings:
    settings = DecoratorSettings()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if resolver.name_of(target) != _KFP_DECORATOR:
            problems.append(
                Problem(
                    "decorator",
                    f"{node.name} is decorated with `@{ast.unparse(target)}`, which is not "
                    "kfp's dsl.component; its signature is read as written",
                    decorator,
                    "make sure the decorator keeps the signature (for example functools.wraps)",
                )
            )
            continue
        keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
        settings = _kfp_settings(keywords, problems)
    return settings


def _kfp_settings(keywords: list[ast.keyword], problems: list[Problem]) -> DecoratorSettings:
    values: dict[str, Any] = {}
    for keyword in keywords:
        if keyword.arg in _IGNORED_SETTINGS:
            continue
        if keyword.arg not in _READ_SETTINGS:
            problems.append(_unsupported_setting(keyword))
            continue
        try:
            values[keyword.arg] = ast.literal_eval(keyword.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            problems.append(_unreadable_setting(keyword))
    if not _is_texts(values.get("packages_to_install", [])):
        problems.append(
            Problem(
                "setting",
                "packages_to_install must be a list of strings",
                keywords[0],
                "write them as literal lists of strings",
            )
        )
        values.pop("packages_to_install", None)
    image = values.get("base_image")
    return DecoratorSettings(
        True,
        image if isinstance(image, str) else None,
        tuple(values.get("packages_to_install") or ()),
    )


def _is_texts(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _unsupported_setting(keyword: ast.keyword) -> Problem:
    name = keyword.arg or "**"
    if name == "pip_index_urls":
        return Problem(
            "setting",
            "@dsl.component(pip_index_urls=...) is not honoured: `kfp-templates build` resolves "
            "the image's wheels on this machine with pip's own index settings",
            keyword,
            "remove pip_index_urls and give the index to pip (`pip config set "
            "global.extra-index-url URL`, or PIP_EXTRA_INDEX_URL) before building",
        )
    return Problem(
        "setting",
        f"@dsl.component({name}=...) cannot be honoured: this template builds the step's image "
        "and runs the function as a lightweight step in it",
        keyword,
        f"remove `{name}`",
    )


def _unreadable_setting(keyword: ast.keyword) -> Problem:
    return Problem(
        "setting",
        f"@dsl.component({keyword.arg}=...) is not a literal, so it cannot be read without "
        "running your code",
        keyword,
        f"write `{keyword.arg}` as a literal (a string or a list of strings)",
    )


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
