"""One parsed `user/` module: what its top-level statements bind, and its functions as JSON.

Only module-level statements are looked at (plus the bodies of top-level `if`/`try`, whose
definitions are recorded as conditional): that is all an `import user.x` caller can see.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from kfp_templates.validators.annotations import AnnotationError, ImportMap, canonical, unparse

_MAX_BLOCK_DEPTH = 50  # deeper `if`/`try` nesting at module level is not scanned
if sys.version_info >= (3, 11):
    _TRIES: tuple[type[ast.stmt], ...] = (ast.Try, ast.TryStar)
else:  # pragma: no cover - `except*` is new in 3.11
    _TRIES = (ast.Try,)


@dataclass(frozen=True)
class Binding:
    """How a module binds a top-level name.

    Attributes:
        kind: `function`, `class`, `import` (from another module), `assignment`.
        node: The statement (a def, class, import or assignment).
        conditional: Whether it sits inside a top-level `if` or `try`.
        source: For `import`: the dotted module and the name imported from it (`""` for
            `import x` itself).
    """

    kind: str
    node: ast.stmt
    conditional: bool = False
    source: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class StarImport:
    """`from MODULE import *`: every name it might bind is unknown to static analysis."""

    module: str
    line: int
    column: int


@dataclass(frozen=True)
class ModuleScan:
    """A parsed module: its bindings, imports and star imports.

    Attributes:
        name: Dotted module name, `user.train`.
        path: File relative to the project root, `user/train.py`.
        source: The module's text (for byte-to-character column conversion).
    """

    name: str
    path: str
    source: str
    bindings: dict[str, Binding] = field(default_factory=dict)
    stars: tuple[StarImport, ...] = ()
    imports: ImportMap = field(default_factory=ImportMap)
    canonical_cache: dict[str, str | None] = field(default_factory=dict, compare=False)

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
            "conditional": binding.conditional,
        }
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            entry.update(_Signature(self).of(node))
        return entry


def scan_module(name: str, path: str, source: str, tree: ast.Module) -> ModuleScan:
    """Collect what the module's top-level statements bind."""
    collector = _Collector(package_of(name, path))
    collector.block(tree.body, conditional=False, depth=0)
    classes = frozenset(k for k, b in collector.bindings.items() if b.kind == "class")
    imports = _with_aliases(ImportMap(dict(collector.imports), name, classes), collector.aliases)
    return ModuleScan(name, path, source, collector.bindings, tuple(collector.stars), imports)


def _with_aliases(imports: ImportMap, aliases: dict[str, ast.expr]) -> ImportMap:
    """Add `Frame = pd.DataFrame` style aliases, so `df: Frame` means `pandas.DataFrame`."""
    if not aliases:
        return imports
    names = dict(imports.names)
    for alias, value in aliases.items():
        try:
            names[alias] = canonical(value, imports) or alias
        except AnnotationError:
            continue
    return ImportMap(names, imports.module, imports.local)


def package_of(module: str, path: str) -> str:
    """The package relative imports start from: the module itself for `__init__.py`."""
    return module if path.endswith("__init__.py") else module.rpartition(".")[0]


def absolute_module(package: str, level: int, module: str | None) -> str:
    """`from ..x import y` inside `package`, as an absolute dotted module name."""
    if level == 0:
        return module or ""
    parts = package.split(".") if package else []
    base = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    return ".".join([*base, module] if module else base)


@dataclass
class _Collector:
    """Walks module-level statements; lives only for one `scan_module` call."""

    package: str
    bindings: dict[str, Binding] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)
    stars: list[StarImport] = field(default_factory=list)
    aliases: dict[str, ast.expr] = field(default_factory=dict)

    def block(self, body: list[ast.stmt], *, conditional: bool, depth: int) -> None:
        if depth > _MAX_BLOCK_DEPTH:
            return
        for statement in body:
            self.statement(statement, conditional=conditional, depth=depth)

    def statement(self, node: ast.stmt, *, conditional: bool, depth: int) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.bindings[node.name] = Binding("function", node, conditional)
        elif isinstance(node, ast.ClassDef):
            self.bindings[node.name] = Binding("class", node, conditional)
        elif isinstance(node, ast.ImportFrom):
            self.import_from(node, conditional)
        elif isinstance(node, ast.Import):
            self.import_(node, conditional)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            self.assignment(node, conditional)
        else:
            for inner in _nested_blocks(node):
                self.block(inner, conditional=True, depth=depth + 1)

    def import_from(self, node: ast.ImportFrom, conditional: bool) -> None:
        module = absolute_module(self.package, node.level, node.module)
        for alias in node.names:
            if alias.name == "*":
                self.stars.append(StarImport(module, node.lineno, node.col_offset))
                continue
            local = alias.asname or alias.name
            self.imports[local] = f"{module}.{alias.name}"
            self.bindings[local] = Binding("import", node, conditional, (module, alias.name))

    def import_(self, node: ast.Import, conditional: bool) -> None:
        for alias in node.names:
            local = alias.asname or alias.name.partition(".")[0]
            target = alias.name if alias.asname else local
            self.imports[local] = target
            self.bindings[local] = Binding("import", node, conditional, (target, ""))

    def assignment(self, node: ast.Assign | ast.AnnAssign, conditional: bool) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                self.bindings[target.id] = Binding("assignment", node, conditional)
                if isinstance(node.value, (ast.Name, ast.Attribute)):
                    self.aliases[target.id] = node.value


def _nested_blocks(node: ast.stmt) -> list[list[ast.stmt]]:
    """Statement lists inside a top-level `if`/`try`/`with` whose bindings reach module level."""
    if isinstance(node, ast.If):
        return [node.body, node.orelse]
    if isinstance(node, _TRIES):
        handlers = [handler.body for handler in node.handlers]  # type: ignore[attr-defined]
        return [node.body, *handlers, node.orelse, node.finalbody]  # type: ignore[attr-defined]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [node.body]
    return []


_POSITIONAL = ("positional_only", "positional_or_keyword")


@dataclass(frozen=True)
class _Signature:
    """Turns a def node into the interface entry's signature fields."""

    scan: ModuleScan

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
            return canonical(target, self.scan.imports) or ""
        except AnnotationError:
            return unparse(target, self.scan.source)

    def annotation(self, node: ast.expr | None) -> str | None:
        """Canonical text; the same text in one module always means the same type."""
        if node is None:
            return None
        key = self.scan.segment(node)
        cache = self.scan.canonical_cache
        if key is not None and key in cache:
            return cache[key]
        try:
            found = canonical(node, self.scan.imports)
        except AnnotationError:
            found = unparse(node, self.scan.source)
        if key is not None:
            cache[key] = found
        return found

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
