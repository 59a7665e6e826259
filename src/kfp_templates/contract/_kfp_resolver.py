"""The one resolver of a component's annotations: what kfp's `dsl.component` would make of them.

validate, the stubs and the compile-time wrapper all read a component's annotations through
here, so whatever validate passes the wrapper can express. Names are followed through the
module's imports (`ImportMap`), so `Input[Dataset]` after `from kfp.dsl import Input, Dataset`,
`dsl.Input[dsl.Dataset]` and `kfp.dsl.Input[...]` are one type. Refusals carry kfp's own reason
(kfp/dsl/component_factory.py, types/type_utils.py). Nothing here imports kfp.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from kfp_templates._records import record
from kfp_templates.contract._annotations import ImportMap, canonical_name
from kfp_templates.contract._kfp_types import (
    ARTIFACT_CLASSES,
    PRIMITIVES,
    KfpType,
    KfpTypeError,
    shown,
)

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Literal

    from kfp_templates.contract._kfp_types import Kind

# Modules kfp defines its dsl names in; each spelling means the name `kfp.dsl` exports.
_KFP_MODULES = (
    "kfp.dsl.types.artifact_types.",
    "kfp.dsl.types.type_annotations.",
    "kfp.dsl.task_final_status.",
    "kfp.dsl.",
)
_KFP_STAR_NAMES = ARTIFACT_CLASSES | {
    "Input",
    "Output",
    "InputPath",
    "OutputPath",
    "PipelineTaskFinalStatus",
}
_TYPING_STAR_NAMES = frozenset({"Any", "Dict", "List", "NamedTuple", "Optional", "Text", "Union"})
_MAX_DEPTH = 20
_NOT_A_TYPE = (
    "KFP passes only str, int, float, bool, list, dict (optionally typed, such as "
    "List[str] or Dict[str, int]), Optional of those, and kfp.dsl artifacts"
)


@record
class Resolver:
    """Resolves annotation nodes of one module.

    Attributes:
        imports: The module's imports (`kfp_templates.contract.ImportMap`).
        classes: The module's own top-level classes by name, for NamedTuple output classes.
        stars: Modules the module star-imports; `from kfp.dsl import *` binds kfp's names.
    """

    imports: ImportMap
    classes: Mapping[str, ast.ClassDef]
    stars: frozenset[str] = frozenset()

    def parameter(self, node: ast.expr, depth: int = 0) -> KfpType:
        """The type of a parameter annotation.

        Raises:
            KfpTypeError: with kfp's reason, when kfp refuses it or the wrapper cannot express it.
        """
        node = self._unquote(node, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self._pep604(node, depth)
        if isinstance(node, ast.Call):
            return self._path(node)
        if isinstance(node, ast.Subscript):
            return self._subscript(node, depth)
        return self._named(node)

    def returns(self, node: ast.expr | None) -> KfpType:
        """The type of a return annotation: nothing, one output, or NamedTuple outputs."""
        if node is None:
            return KfpType("none")
        node = self._unquote(node, 0)
        if isinstance(node, ast.Constant) and node.value is None:
            return KfpType("none")
        if isinstance(node, ast.Call) and self.name_of(node.func) == "typing.NamedTuple":
            return self._namedtuple_call(node)
        dotted = self.name_of(node)
        if dotted is not None and dotted in self.classes:
            return self._namedtuple_class(self.classes[dotted], node)
        found = self.parameter(node)
        return self._single_output(found, node)

    def name_of(self, node: ast.expr) -> str | None:
        """The dotted name `node` refers to through the module's imports, or None."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        if node.id in self.imports.local and node.id in self.classes and not parts:
            return node.id
        parts.append(self._star_resolved(node.id))
        return canonical_name(".".join(reversed(parts)))

    def _star_resolved(self, name: str) -> str:
        """`Input` after `from kfp.dsl import *` is kfp.dsl.Input (and likewise for typing)."""
        resolved = self.imports.resolve(name)
        if resolved != name or name in self.imports.local:
            return resolved
        if "kfp.dsl" in self.stars and name in _KFP_STAR_NAMES:
            return f"kfp.dsl.{name}"
        if "typing" in self.stars and name in _TYPING_STAR_NAMES:
            return f"typing.{name}"
        return name

    def kfp_name(self, node: ast.expr) -> str | None:
        """The name `kfp.dsl` exports that `node` refers to, or None for other names."""
        dotted = self.name_of(node) or ""
        for prefix in _KFP_MODULES:
            if dotted.startswith(prefix) and "." not in dotted.removeprefix(prefix):
                return dotted.removeprefix(prefix)
        return None

    def _unquote(self, node: ast.expr, depth: int) -> ast.expr:
        if depth > _MAX_DEPTH:
            raise KfpTypeError("the annotation is nested too deeply", node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                parsed = ast.parse(node.value.strip(), mode="eval").body
            except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
                raise KfpTypeError(f"{node.value!r} is not a type", node) from error
            return self._unquote(ast.copy_location(parsed, node), depth + 1)
        return node

    def _named(self, node: ast.expr) -> KfpType:
        dotted = self.name_of(node)
        kfp = self.kfp_name(node)
        if dotted in PRIMITIVES or dotted == "typing.Text":
            return KfpType("primitive", "str" if dotted == "typing.Text" else dotted or "")
        if kfp in ARTIFACT_CLASSES:
            return KfpType("artifact", kfp or "")
        if kfp == "PipelineTaskFinalStatus":
            raise KfpTypeError(
                "PipelineTaskFinalStatus can only be used in an exit task (kfp); this template "
                "runs the component as a plain task, not in a dsl.ExitHandler",
                node,
                "remove the parameter: a one-component test pipeline has no exit handler",
            )
        text = dotted or shown(node)
        raise KfpTypeError(f"`{text}` is not a KFP type: {_NOT_A_TYPE}", node)

    def _subscript(self, node: ast.Subscript, depth: int) -> KfpType:
        head = self.name_of(node.value)
        kfp = self.kfp_name(node.value)
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head == "typing.Optional" and len(items) == 1:
            return KfpType("optional", items=(self.parameter(items[0], depth + 1),))
        if head == "typing.Union":
            return self._union(items, node, depth, pep604=False)
        if head in ("list", "dict"):
            return self._container(head, items, node, depth)
        if kfp in ("Input", "Output") and len(items) == 1:
            return self._marked("input" if kfp == "Input" else "output", items[0], depth)
        raise KfpTypeError(f"`{shown(node)}` is not a KFP type: {_NOT_A_TYPE}", node)

    def _pep604(self, node: ast.BinOp, depth: int) -> KfpType:
        members: list[ast.expr] = []
        stack: list[ast.expr] = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, ast.BinOp) and isinstance(item.op, ast.BitOr):
                stack += [item.right, item.left]
            else:
                members.append(item)
        return self._union(members, node, depth, pep604=True)

    def _union(
        self, members: list[ast.expr], node: ast.expr, depth: int, *, pep604: bool
    ) -> KfpType:
        """kfp strips only `Optional[X]` (`Union[X, None]`, None second); other unions fail."""
        if len(members) == 2 and _is_none(members[1]) and not _is_none(members[0]):
            inner = self.parameter(members[0], depth + 1)
            return KfpType("optional", items=(inner,), pep604=pep604)
        raise KfpTypeError(
            f"`{shown(node)}` is a union, and kfp accepts only Optional[X] (a KFP type or None)",
            node,
        )

    def _container(self, head: str, items: list[ast.expr], node: ast.expr, depth: int) -> KfpType:
        if (head == "list" and len(items) != 1) or (head == "dict" and len(items) != 2):
            raise KfpTypeError(f"`{shown(node)}` has the wrong number of item types", node)
        return KfpType(head, items=tuple(self._item(item, depth + 1) for item in items))  # type: ignore[arg-type]

    def _item(self, node: ast.expr, depth: int) -> KfpType:
        """An item of List[...]/Dict[...]: a KFP type, typing.Any, or an artifact class."""
        node = self._unquote(node, depth)
        if self.name_of(node) == "typing.Any":
            return KfpType("any")
        found = self.parameter(node, depth)
        if found.kind in ("input", "output", "input_path", "output_path", "optional"):
            raise KfpTypeError(f"`{shown(node)}` cannot be an item of a list or dict", node)
        return found

    def _marked(self, kind: Literal["input", "output"], node: ast.expr, depth: int) -> KfpType:
        inner = self.parameter(node, depth + 1)
        if inner.kind == "artifact" or (kind == "input" and inner.is_artifact_list):
            return KfpType(kind, items=(inner,))
        if inner.is_artifact_list:
            raise KfpTypeError(
                "Output lists of artifacts are only supported for pipelines (kfp)",
                node,
                "write one Output[...] parameter per artifact",
            )
        raise KfpTypeError(
            f"{kind.title()}[...] takes a kfp.dsl artifact class such as Dataset or Model, "
            f"not `{shown(node)}`",
            node,
        )

    def _path(self, node: ast.Call) -> KfpType:
        kfp = self.kfp_name(node.func)
        if kfp not in ("InputPath", "OutputPath") or node.keywords or len(node.args) > 1:
            raise KfpTypeError(
                f"`{shown(node)}` is not a KFP type: the only calls kfp accepts in a "
                "parameter annotation are InputPath(TYPE) and OutputPath(TYPE)",
                node,
            )
        kind: Kind = "input_path" if kfp == "InputPath" else "output_path"
        if not node.args:
            return KfpType(kind)
        argument = node.args[0]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            return KfpType(kind, argument.value)
        found = self.parameter(argument)
        if found.kind not in ("primitive", "artifact", "list", "dict"):
            raise KfpTypeError(f"{kfp}(...) takes a KFP type, not `{shown(argument)}`", node)
        return KfpType(kind, found.name, items=(found,))

    def _single_output(self, found: KfpType, node: ast.expr) -> KfpType:
        if found.kind in ("input", "output", "input_path", "output_path"):
            raise KfpTypeError(
                f"a component returns a KFP type or an artifact class, not `{shown(node)}`"
                " (Input/Output/InputPath/OutputPath mark parameters)",
                node,
            )
        if found.is_artifact_list:
            raise KfpTypeError(
                "Output lists of artifacts are only supported for pipelines (kfp)",
                node,
                "write one Output[...] parameter per artifact",
            )
        return found

    def _namedtuple_call(self, node: ast.Call) -> KfpType:
        name = node.args[0] if node.args else None
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            raise KfpTypeError("NamedTuple(...) needs its name as a string first", node)
        pairs: list[tuple[str, ast.expr]] = []
        if len(node.args) == 2 and isinstance(node.args[1], (ast.List, ast.Tuple)):
            for element in node.args[1].elts:
                pairs.append(_field_pair(element))
        pairs += [(kw.arg, kw.value) for kw in node.keywords if kw.arg]
        return self._outputs(name.value, pairs, node)

    def _namedtuple_class(self, klass: ast.ClassDef, node: ast.expr) -> KfpType:
        if not any(self.name_of(base) == "typing.NamedTuple" for base in klass.bases):
            raise KfpTypeError(
                f"`{klass.name}` is not a typing.NamedTuple, so kfp cannot make outputs of it",
                node,
            )
        pairs = [
            (statement.target.id, statement.annotation)
            for statement in klass.body
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
        ]
        return self._outputs(klass.name, pairs, node)

    def _outputs(self, name: str, pairs: list[tuple[str, ast.expr]], node: ast.expr) -> KfpType:
        fields = []
        for field_name, annotation in pairs:
            if not field_name.isidentifier():
                raise KfpTypeError(f"NamedTuple field {field_name!r} is not a name", node)
            fields.append((field_name, self._single_output(self.parameter(annotation), annotation)))
        return KfpType("outputs", name, fields=tuple(fields))


def _field_pair(element: ast.expr) -> tuple[str, ast.expr]:
    if (
        isinstance(element, ast.Tuple)
        and len(element.elts) == 2
        and isinstance(element.elts[0], ast.Constant)
        and isinstance(element.elts[0].value, str)
    ):
        return element.elts[0].value, element.elts[1]
    raise KfpTypeError("NamedTuple fields are written ('name', TYPE)", element)


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def kfp_type_problem(text: str, *, returns: bool = False) -> str:
    """Why kfp refuses the dotted annotation text (a contract's spelling), or "" when it accepts."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
        resolver = Resolver(ImportMap(), {})
        resolver.returns(node) if returns else resolver.parameter(node)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        return str(error)
    return ""
