"""Canonical text for type annotations, so the consumer's spelling does not matter.

Both sides go through `canonical`: the contract's dotted text (no imports) and the consumer's
annotation nodes (resolved through the module's imports). Equal types then compare equal as
strings, which lets a JSON Schema `const` check them: `pd.DataFrame` and `DataFrame` (after
`from pandas import DataFrame`) both become `pandas.DataFrame`, `Dict[str, Any]` becomes
`dict[str, typing.Any]`, `Optional[X]` becomes `X | None`, `Annotated[X, ...]` becomes `X`, and
union members are sorted.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from kfp_templates._records import field, record

# Aliases that name the same type; applied after names are resolved through imports.
_BUILTIN_ALIASES = {
    "typing.List": "list",
    "typing.Dict": "dict",
    "typing.Set": "set",
    "typing.FrozenSet": "frozenset",
    "typing.Tuple": "tuple",
    "typing.Type": "type",
    "typing.Text": "str",
    "typing.DefaultDict": "collections.defaultdict",
    "typing.OrderedDict": "collections.OrderedDict",
    "typing.Deque": "collections.deque",
    "typing.Counter": "collections.Counter",
    "typing.AbstractSet": "collections.abc.Set",
    "builtins.NoneType": "None",
    "types.NoneType": "None",
    "kfp.v2.dsl": "kfp.dsl",
}
_ABC_NAMES = frozenset(
    {
        "Awaitable",
        "AsyncGenerator",
        "AsyncIterable",
        "AsyncIterator",
        "Callable",
        "Collection",
        "Container",
        "Coroutine",
        "Generator",
        "Hashable",
        "ItemsView",
        "Iterable",
        "Iterator",
        "KeysView",
        "Mapping",
        "MappingView",
        "MutableMapping",
        "MutableSequence",
        "MutableSet",
        "Reversible",
        "Sequence",
        "Sized",
        "ValuesView",
    }
)
_UNION_HEADS = frozenset({"typing.Union"})
_LITERAL_HEADS = frozenset({"typing.Literal"})
_MAX_DEPTH = 40
# ast.unparse recurses a few frames per level; past this it could exhaust the stack
_UNPARSE_DEPTH = 100


class AnnotationError(ValueError):
    """An annotation that is not a type expression (bad string annotation, too deep)."""


@record
class ImportMap:
    """Local names a module binds by import, each to the dotted name it stands for.

    Attributes:
        names: `pd` -> `pandas`, `DataFrame` -> `pandas.DataFrame`, `dsl` -> `kfp.dsl`.
        module: Dotted name of the module itself; its own top-level classes resolve to it.
        local: Names the module defines itself (classes), resolved to `module.name`.
    """

    names: Mapping[str, str] = field(default_factory=dict)
    module: str = ""
    local: frozenset[str] = frozenset()

    def resolve(self, name: str) -> str:
        """The dotted name a bare name in the module refers to."""
        if name in self.names:
            return self.names[name]
        if name in self.local and self.module:
            return f"{self.module}.{name}"
        return name


def canonical(node: ast.expr | None, imports: ImportMap) -> str | None:
    """Canonical text of an annotation node, or None when there is no annotation.

    Raises:
        AnnotationError: for string annotations that do not parse, or absurd nesting.
    """
    if node is None:
        return None
    return _Canon(imports).render(node, 0)


def unparse(node: ast.AST, source: str | None = None) -> str:
    """`ast.unparse`, except for expressions nested too deeply for it (hundreds of lambdas, say),
    which would raise RecursionError: those show as their source text, or as a placeholder."""
    if _nesting(node) <= _UNPARSE_DEPTH:
        return ast.unparse(node)
    text = ast.get_source_segment(source, node) if source is not None else None
    return " ".join(text.split()) if text else "<expression nested too deeply to show>"


def _nesting(node: ast.AST) -> int:
    """How deeply `node` nests, measured with a stack so that measuring never recurses."""
    deepest, pending = 0, [(node, 1)]
    while pending:
        current, depth = pending.pop()
        deepest = max(deepest, depth)
        if depth <= _UNPARSE_DEPTH:
            pending += [(child, depth + 1) for child in ast.iter_child_nodes(current)]
    return deepest


def canonical_text(text: str, imports: ImportMap | None = None) -> str:
    """Canonical text of an annotation written as source text (the contract's side).

    Raises:
        AnnotationError: when `text` is not a Python expression.
    """
    return _Canon(imports or ImportMap()).render(_parse(text), 0)


def _parse(text: str) -> ast.expr:
    try:
        return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        raise AnnotationError(f"{text!r} is not a type expression") from error


def canonical_name(dotted: str) -> str:
    """Apply the alias table: `typing.List` -> `list`, `typing_extensions.X` -> `typing.X`."""
    if dotted.startswith("typing_extensions."):
        dotted = "typing." + dotted.removeprefix("typing_extensions.")
    if dotted.startswith("kfp.v2.dsl."):
        dotted = "kfp.dsl." + dotted.removeprefix("kfp.v2.dsl.")
    if dotted in _BUILTIN_ALIASES:
        return _BUILTIN_ALIASES[dotted]
    head, _, last = dotted.rpartition(".")
    if head == "typing" and last in _ABC_NAMES:
        return f"collections.abc.{last}"
    return dotted


@record
class _Canon:
    imports: ImportMap

    def render(self, node: ast.expr, depth: int) -> str:
        if depth > _MAX_DEPTH:
            raise AnnotationError("annotation nested too deeply")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return _union(self._members(node, depth))
        method = _RENDERERS.get(type(node).__name__)
        if method is None:
            return unparse(node)
        text: str = getattr(self, method)(node, depth)
        return text

    def _sequence(self, node: ast.List | ast.Tuple, depth: int) -> str:
        inner = ", ".join(self.render(item, depth + 1) for item in node.elts)
        return f"[{inner}]" if isinstance(node, ast.List) else f"({inner})"

    def _constant(self, node: ast.Constant, depth: int) -> str:
        if isinstance(node.value, str):  # a forward reference: the text is the annotation
            return self.render(_parse(node.value), depth + 1)
        if node.value is None:
            return "None"
        if node.value is Ellipsis:
            return "..."
        return repr(node.value)

    def _dotted(self, node: ast.expr, depth: int) -> str:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return ".".join([self.render(node, depth + 1), *reversed(parts)])
        parts.append(self.imports.resolve(node.id))
        return canonical_name(".".join(reversed(parts)))

    def _subscript(self, node: ast.Subscript, depth: int) -> str:
        head = self.render(node.value, depth + 1)
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if head in _LITERAL_HEADS:
            return f"{head}[{', '.join(unparse(item) for item in items)}]"
        if head == "typing.Annotated":  # `Annotated[X, meta]` is X to Python and to callers
            return self.render(items[0], depth + 1)
        args = [self.render(item, depth + 1) for item in items]
        if head in _UNION_HEADS:
            return _union(_flatten(args))
        if head == "typing.Optional" and len(args) == 1:
            return _union([*_flatten(args), "None"])
        return f"{head}[{', '.join(args)}]"

    def _members(self, node: ast.expr, depth: int) -> list[str]:
        """The members of an `A | B | ...` chain, in order; a loop, not recursion, because a
        union of hundreds of members is one level of nesting for Python."""
        members: list[str] = []
        pending = [node]
        while pending:
            current = pending.pop()
            if isinstance(current, ast.BinOp) and isinstance(current.op, ast.BitOr):
                pending += [current.right, current.left]
            else:
                members += _flatten([self.render(current, depth + 1)])
        return members

    def _call(self, node: ast.Call, depth: int) -> str:
        """`OutputPath('Model')`: call arguments are values, so strings stay strings."""
        args = [self._argument(arg, depth) for arg in node.args]
        args += [f"{kw.arg}={self._argument(kw.value, depth)}" for kw in node.keywords]
        return f"{self.render(node.func, depth + 1)}({', '.join(args)})"

    def _argument(self, node: ast.expr, depth: int) -> str:
        if isinstance(node, ast.Constant):
            return repr(node.value)
        return self.render(node, depth + 1)


_RENDERERS = {
    "Constant": "_constant",
    "Name": "_dotted",
    "Attribute": "_dotted",
    "Subscript": "_subscript",
    "List": "_sequence",
    "Tuple": "_sequence",
    "Call": "_call",
}


def _flatten(members: list[str]) -> list[str]:
    """Split already-canonical unions so `Union[A, B | C]` equals `A | B | C`."""
    return [part for member in members for part in _split_union(member)]


def _split_union(text: str) -> list[str]:
    """Top-level `|` parts of canonical text, skipping brackets and quoted literals."""
    parts, level, start, quote = [], 0, 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote and text[index - 1] != "\\" else quote
        elif char in "'\"":
            quote = char
        elif char in "[(":
            level += 1
        elif char in "])":
            level -= 1
        elif char == "|" and level == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return parts


def _union(members: list[str]) -> str:
    """Members without repeats, sorted, `None` last: the order of a union does not matter."""
    unique = sorted(set(members), key=lambda member: (member == "None", member))
    return " | ".join(unique)
