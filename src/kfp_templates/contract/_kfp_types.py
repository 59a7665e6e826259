"""A component's annotation as kfp understands it: the `KfpType` tree the resolver produces.

The compile-time wrapper renders its annotations from a `KfpType` (whitelisted kfp and typing
names only), never from the consumer's text. `_kfp_resolver.Resolver` builds them. Nothing here
imports kfp: validate must not.
"""

from __future__ import annotations

import ast

from kfp_templates._records import record

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Literal

    Kind = Literal["primitive", "any", "list", "dict", "optional", "artifact", "input",
                   "output", "input_path", "output_path", "outputs", "none"]  # fmt: skip
ARTIFACT_CLASSES = frozenset(
    {
        "Artifact",
        "ClassificationMetrics",
        "Dataset",
        "HTML",
        "Markdown",
        "Metrics",
        "Model",
        "SlicedClassificationMetrics",
    }
)
PRIMITIVES = frozenset({"str", "int", "float", "bool", "list", "dict"})


class KfpTypeError(ValueError):
    """An annotation kfp refuses, or the wrapper cannot express; `node` locates it."""

    def __init__(self, message: str, node: ast.AST | None = None, fix: str = "") -> None:
        super().__init__(message)
        self.node = node
        self.fix = fix


@record
class KfpType:
    """A resolved component annotation, as a tree of whitelisted names.

    Attributes:
        kind: What it is (`input` is `Input[...]`, `artifact` a bare, pythonic artifact class).
        name: Primitive or artifact class name; for paths, the type given to InputPath(...).
        items: Inner types (container items, the optional's type, Input/Output's argument).
        fields: NamedTuple output fields, with the tuple's own name in `name`.
        pep604: Whether an optional was written `X | None` (kfp's decorator refuses that).
    """

    kind: Kind
    name: str = ""
    items: tuple[KfpType, ...] = ()
    fields: tuple[tuple[str, KfpType], ...] = ()
    pep604: bool = False

    def render(self) -> str:
        """Python text for the wrapper, built only from whitelisted names.

        The names are those kfp binds at the top of a lightweight component's module (`dsl`,
        and `from typing import *`), so the text evaluates the same at compile time and in
        the step.
        """
        inner = ", ".join(item.render() for item in self.items)
        renderers = {
            "primitive": lambda: self.name,
            "any": lambda: "Any",
            "none": lambda: "None",
            "list": lambda: f"List[{inner}]" if self.items else "list",
            "dict": lambda: f"Dict[{inner}]" if self.items else "dict",
            "optional": lambda: f"Optional[{inner}]",
            "artifact": lambda: f"dsl.{self.name}",
            "input": lambda: f"dsl.Input[{inner}]",
            "output": lambda: f"dsl.Output[{inner}]",
            "input_path": lambda: f"dsl.InputPath({self._path_type()})",
            "output_path": lambda: f"dsl.OutputPath({self._path_type()})",
            "outputs": self._render_outputs,
        }
        return renderers[self.kind]()

    def _path_type(self) -> str:
        if not self.items:
            return repr(self.name) if self.name else ""
        return self.items[0].render()

    def _render_outputs(self) -> str:
        fields = ", ".join(f"({name!r}, {kind.render()})" for name, kind in self.fields)
        return f"NamedTuple({self.name!r}, [{fields}])"

    @property
    def core(self) -> KfpType:
        """The type without an outer Optional."""
        return self.items[0] if self.kind == "optional" else self

    @property
    def is_input_artifact(self) -> bool:
        """An artifact the step reads (`Input[...]`, a bare artifact class, `InputPath`)."""
        core = self.core
        if core.kind == "input_path":  # InputPath(str) is a parameter kfp hands over as a file
            return core.name not in PRIMITIVES and not (
                core.items and core.items[0].kind != "artifact"
            )
        return core.kind in ("input", "artifact") or core.is_artifact_list

    @property
    def is_output(self) -> bool:
        """Written by the step (`Output[...]`, `OutputPath`): no value is passed in."""
        return self.core.kind in ("output", "output_path")

    @property
    def is_artifact_list(self) -> bool:
        return self.kind == "list" and bool(self.items) and self.items[0].kind == "artifact"

    @property
    def artifact_class(self) -> str:
        """The kfp.dsl artifact class an input artifact is imported as ("Artifact" by default)."""
        core = self.core
        while core.items and core.kind != "input_path":
            core = core.items[0]
        if core.kind == "artifact":
            return core.name
        if core.kind == "input_path" and core.name in ARTIFACT_CLASSES:
            return core.name
        return "Artifact"


ANY_OUTPUT = "typing.Any"  # a component contract's `returns` meaning "any KFP output, or none"


def written_returns(returns: str | None, *, component: bool) -> str | None:
    """The return annotation a stub writes: `None` where a component's contract allows any.

    `typing.Any` itself is no KFP type, so a stub written with it would fail its own validate.
    None (the contract leaves the return open) writes no annotation at all.
    """
    if returns is None:
        return None
    return "None" if component and returns == ANY_OUTPUT else returns


_SHOWN_LIMIT = 120


def shown(node: ast.AST) -> str:
    """Source text of a node for a message: shortened, and never a RecursionError.

    `ast.unparse` recurses once per nesting level, so a 400-member union written `A | B | ...`
    would crash it; such a node is described instead of printed.
    """
    try:
        text = ast.unparse(node)
    except RecursionError:
        return "(an expression nested too deeply to print)"
    return text if len(text) <= _SHOWN_LIMIT else text[: _SHOWN_LIMIT - 3] + "..."
