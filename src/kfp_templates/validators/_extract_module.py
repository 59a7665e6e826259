"""One parsed `user/` module: what its top-level statements bind, and its functions as JSON.

Only module-level statements are looked at (plus the blocks of top-level `if`, `try`, `for`,
`while`, `match` and `with`, whose definitions are recorded as conditional): that is all an
`import user.x` caller can see.
"""

from __future__ import annotations

import ast
from functools import cached_property

from kfp_templates._records import field, record
from kfp_templates.contract import AnnotationError, ImportMap, canonical, unparse
from kfp_templates.validators._module_bindings import (
    Binding,
    Collector,
    ImportedPackage,
    Scope,
    StarImport,
    package_of,
)
from kfp_templates.validators._module_names import (
    PREDEFINED,
    loaded_names,
    postpones_annotations,
)

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Binding", "ModuleScan", "StarImport", "scan_module"]


@record
class ModuleScan:
    """A parsed module: its bindings, imports and star imports.

    Attributes:
        name: Dotted module name, `user.train`.
        path: File relative to the project root, `user/train.py`.
        source: The module's text (for byte-to-character column conversion).
        imports: What names stand for once the whole module has run (string and postponed
            annotations are resolved against it).
        final: The scope after the last statement.
        defs: Every module-level def, with the scope its annotations are evaluated in.
        postponed: `from __future__ import annotations`: no annotation is evaluated on import.
        packages: The absolute imports its module-level statements always run.
    """

    name: str
    path: str
    source: str
    bindings: dict[str, Binding] = field(default_factory=dict)
    stars: tuple[StarImport, ...] = ()
    imports: ImportMap = field(default_factory=ImportMap)
    final: Scope | None = None
    defs: tuple[tuple[ast.FunctionDef | ast.AsyncFunctionDef, Scope], ...] = ()
    postponed: bool = False
    packages: tuple[ImportedPackage, ...] = ()
    canonical_cache: dict[tuple[int, str], str | None] = field(default_factory=dict, compare=False)

    @cached_property
    def _lines(self) -> list[str]:
        return self.source.splitlines()

    def column(self, line: int, col_offset: int) -> int:
        """1-based character column from `ast`'s 0-based UTF-8 byte offset."""
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        if text.isascii():
            return col_offset + 1
        return len(text.encode()[:col_offset].decode(errors="ignore")) + 1

    def segment(self, node: ast.expr) -> str | None:
        """The source text of a one-line ASCII node, or None (then it is not worth caching)."""
        if node.lineno != node.end_lineno or not 0 < node.lineno <= len(self._lines):
            return None
        text = self._lines[node.lineno - 1]
        return text[node.col_offset : node.end_col_offset] if text.isascii() else None

    def function(self, name: str) -> dict[str, Any]:
        """The interface entry of a function or class bound by `name` (which must be one)."""
        binding = self.bindings[name]
        node = binding.node
        entry: dict[str, Any] = {
            "kind": binding.kind,
            "path": self.path,
            "line": node.lineno,
            "column": self.column(node.lineno, node.col_offset),
            "conditional": binding.block or False,
        }
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            entry.update(_Signature(self, binding.scope or self.final).of(node))
        return entry

    def name_errors(self) -> list[dict[str, Any]]:
        """Names in eagerly evaluated annotations that are not bound when their def runs.

        Python evaluates them as the `def` statement runs and raises NameError, so importing
        the module fails, whichever function the pipeline wanted.
        """
        if self.postponed:
            return []
        return [error for node, scope in self.defs for error in self._undefined(node, scope)]

    def _undefined(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope
    ) -> list[dict[str, Any]]:
        if scope.open:
            return []
        args = node.args
        every = [*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg]
        annotated = [(f"parameter `{a.arg}`", a.annotation) for a in every if a and a.annotation]
        if node.returns is not None:
            annotated.append(("the return annotation", node.returns))
        return [
            {
                "name": name.id,
                "function": node.name,
                "what": what,
                "line": name.lineno,
                "column": self.column(name.lineno, name.col_offset),
            }
            for what, annotation in annotated
            if not self._all_defined(annotation, scope)
            for name in loaded_names(annotation)
            if name.id not in scope.defined and name.id not in PREDEFINED
        ]

    @staticmethod
    def _all_defined(annotation: ast.expr, scope: Scope) -> bool:
        """Whether every name the annotation loads is bound when its def runs."""
        defined = scope.defined
        return all(n.id in defined or n.id in PREDEFINED for n in loaded_names(annotation))


def scan_module(name: str, path: str, source: str, tree: ast.Module) -> ModuleScan:
    """Collect what the module's top-level statements bind, in the order Python runs them."""
    collector = Collector(name, package_of(name, path))
    collector.block(tree.body, block="", depth=0)
    final = collector.scope()
    return ModuleScan(
        name,
        path,
        source,
        collector.bindings,
        tuple(collector.stars),
        final.imports,
        final=final,
        defs=tuple(collector.defs),
        postponed=postpones_annotations(tree),
        packages=tuple(collector.packages),
    )


_POSITIONAL = ("positional_only", "positional_or_keyword")


@record
class _Signature:
    """Turns a def node into the interface entry's signature fields.

    `scope` is the module's bindings when the def ran: eager annotations were evaluated then.
    Postponed and string annotations are looked up later, when the whole module has run.
    """

    scan: ModuleScan
    scope: Scope | None

    def of(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, Any]:
        returns_at = node.returns or node
        return {
            "async": isinstance(node, ast.AsyncFunctionDef),
            "decorators": [self.decorator(d) for d in node.decorator_list],
            "parameters": self.parameters(node.args),
            "returns": self.annotation(node.returns),
            "returns_line": returns_at.lineno,
            "returns_column": self.scan.column(returns_at.lineno, returns_at.col_offset),
        }

    def decorator(self, node: ast.expr) -> str:
        target = node.func if isinstance(node, ast.Call) else node
        try:
            return canonical(target, self.imports_for(target)) or ""
        except AnnotationError:
            return unparse(target, self.scan.source)

    def annotation(self, node: ast.expr | None) -> str | None:
        """Canonical text; the same text in one module always means the same type."""
        if node is None:
            return None
        imports = self.imports_for(node)
        segment = self.scan.segment(node)
        key = (id(imports), segment or "")
        cache = self.scan.canonical_cache
        if segment is not None and key in cache:
            return cache[key]
        try:
            found = canonical(node, imports)
        except AnnotationError:
            found = unparse(node, self.scan.source)
        if segment is not None:
            cache[key] = found
        return found

    def imports_for(self, node: ast.expr) -> ImportMap:
        """The bindings an annotation is resolved against: the def's, unless it is postponed."""
        if self.scope is None or self.scan.postponed:
            return self.scan.imports
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self.scan.imports
        return self.scope.imports

    def parameters(self, args: ast.arguments) -> dict[str, dict[str, Any]]:
        positional = [*args.posonlyargs, *args.args]
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        rows: list[tuple[ast.arg, str, bool]] = [
            (arg, _POSITIONAL[index >= len(args.posonlyargs)], defaults[index] is not None)
            for index, arg in enumerate(positional)
        ]
        if args.vararg:
            rows.append((args.vararg, "var_positional", False))
        rows += [
            (arg, "keyword_only", default is not None)
            for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
        ]
        if args.kwarg:
            rows.append((args.kwarg, "var_keyword", False))
        return {
            arg.arg: self.parameter(arg, kind, has, index)
            for index, (arg, kind, has) in enumerate(rows)
        }

    def parameter(self, arg: ast.arg, kind: str, has_default: bool, index: int) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "name": arg.arg,
            "kind": kind,
            "annotation": self.annotation(arg.annotation),
            "has_default": has_default,
            "line": arg.lineno,
            "column": self.scan.column(arg.lineno, arg.col_offset),
        }
        if kind in _POSITIONAL:
            entry["position"] = index
        if arg.annotation is not None:
            at = arg.annotation
            entry["annotation_line"] = at.lineno
            entry["annotation_column"] = self.scan.column(at.lineno, at.col_offset)
        return entry
