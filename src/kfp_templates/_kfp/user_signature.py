"""Read the consumer's component function statically (with `ast`) for the custom-component wrapper.

The consumer's module is never imported at compile time: it may need packages that exist only
in the consumer's image, and importing runs arbitrary code. Only what KFP can express is
accepted: KFP primitives and `kfp`/`dsl` artifact annotations, literal defaults.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from kfp_templates._errors import ConsumerError
from kfp_templates.validators.annotations import unparse

_ALLOWED_ROOTS = frozenset({"int", "float", "str", "bool", "list", "dict", "kfp", "dsl"})


@dataclass(frozen=True)
class UserParameter:
    """One parameter of the consumer's component, as written.

    Attributes:
        name: Parameter name.
        annotation: Annotation source text, such as `dsl.Input[dsl.Dataset]`.
        default: Default value source text (a Python literal), or "" when there is none.
        keyword_only: Whether it follows `*` in the signature.
    """

    name: str
    annotation: str
    default: str = ""
    keyword_only: bool = False

    @property
    def is_input_artifact(self) -> bool:
        """Whether this is an `Input[...]` artifact (fed by an importer in the test pipeline)."""
        return _head(self.annotation).split(".")[-1] == "Input"

    @property
    def is_output_artifact(self) -> bool:
        """Whether this is an `Output[...]` artifact (written by the component)."""
        return _head(self.annotation).split(".")[-1] == "Output"


@dataclass(frozen=True)
class UserSignature:
    """The consumer's component function: where it is and what it takes and returns."""

    module: str
    name: str
    file: str
    parameters: tuple[UserParameter, ...]
    returns: str


def read_signature(root: Path, module: str, name: str) -> UserSignature:
    """Find `def NAME` in `root/MODULE.py` and describe its signature.

    Raises:
        ConsumerError: when the file or function is missing or uses what KFP cannot express.
        SyntaxError: when the file does not parse (the caller names the file).
    """
    relative = module.replace(".", "/") + ".py"
    path = root / relative
    if not path.is_file():
        raise ConsumerError(f"{relative} is missing", hint=f"write `def {name}(...)` in {relative}")
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
    function = _find(tree, name, relative)
    parameters = tuple(_parameters(function, relative))
    returns = unparse(function.returns) if function.returns else "None"
    _check_annotation(returns, f"{relative}: return annotation of {name}")
    return UserSignature(module, name, relative, parameters, returns)


def _find(tree: ast.Module, name: str, relative: str) -> ast.FunctionDef:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise ConsumerError(
        f"{relative} defines no top-level function `{name}`",
        hint=f"add `def {name}(...)` (an `async def` cannot be a KFP component)",
    )


def _parameters(function: ast.FunctionDef, relative: str) -> list[UserParameter]:
    args = function.args
    if args.posonlyargs or args.vararg or args.kwarg:
        raise ConsumerError(
            f"{relative}: {function.name} uses positional-only, *args or **kwargs parameters",
            hint="KFP components take named parameters only; list each one",
        )
    defaults = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
    positional = list(zip(args.args, defaults, strict=True))
    keyword = list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
    return [
        _parameter(arg, default, relative, keyword_only=index >= len(positional))
        for index, (arg, default) in enumerate(positional + keyword)
    ]


def _parameter(
    arg: ast.arg, default: ast.expr | None, relative: str, *, keyword_only: bool
) -> UserParameter:
    where = f"{relative}: parameter `{arg.arg}`"
    if arg.annotation is None:
        raise ConsumerError(
            f"{where} has no annotation",
            hint="annotate it with a KFP primitive (int, float, str, bool, list, dict) or an "
            "artifact such as dsl.Input[dsl.Dataset]",
        )
    annotation = unparse(arg.annotation)
    _check_annotation(annotation, where)
    return UserParameter(arg.arg, annotation, _default(default, where), keyword_only)


def _default(node: ast.expr | None, where: str) -> str:
    if node is None:
        return ""
    try:
        return repr(ast.literal_eval(node))
    except ValueError as error:
        raise ConsumerError(
            f"{where} has a default that is not a literal: {unparse(node)}",
            hint="use a literal default (number, string, bool, None, list or dict)",
        ) from error


def _check_annotation(annotation: str, where: str) -> None:
    if annotation == "None" or _head(annotation).split(".")[0] in _ALLOWED_ROOTS:
        return
    raise ConsumerError(
        f"{where} is annotated `{annotation}`, which KFP cannot pass between steps",
        hint="use int, float, str, bool, list, dict, or a type starting with `kfp` or `dsl` "
        "(dsl.Input[dsl.Dataset], dsl.Output[dsl.Model], ...)",
    )


def _head(annotation: str) -> str:
    return annotation.split("[", 1)[0].strip()
