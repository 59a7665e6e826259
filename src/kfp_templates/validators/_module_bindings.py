"""Walk a module's top-level statements in order and record what each name ends up bound to.

Python runs them top to bottom and the last binding wins, so this does the same: a later `del`,
loop target or import replaces the def. Annotations are evaluated when their `def` runs (unless
`from __future__ import annotations`), so each def keeps a `Scope`: the names bound so far and
the types they stand for at that moment.
"""

from __future__ import annotations

import ast

from kfp_templates._records import field, record
from kfp_templates.contract import AnnotationError, ImportMap, canonical
from kfp_templates.validators._module_names import header_parts, nested_blocks, stored_names

_MAX_BLOCK_DEPTH = 50  # deeper nesting of blocks at module level is not scanned


@record
class Scope:
    """What a module has bound when a statement runs.

    Attributes:
        imports: Names that stand for types or modules (`pd` -> `pandas`, a local class ->
            `user.m.Cls`), for resolving annotations.
        defined: Every name bound so far, whatever to.
        open: A star import ran before: any name may be bound, so none is known to be missing.
    """

    imports: ImportMap
    defined: frozenset[str]
    open: bool


@record
class Binding:
    """How a module binds a top-level name, at its last binding.

    Attributes:
        kind: `function`, `class`, `import` (from another module), `assignment`, `rebound`
            (a loop, `with ... as`, `:=` or match target) or `deleted` (`del`).
        node: The statement (a def, class, import, assignment, loop, del ...).
        block: The module-level compound statement it sits in (`if`, `try`, `for`, `while`,
            `match`, `with`), or "" when it runs unconditionally.
        source: For `import`: the dotted module and the name imported from it (`""` for
            `import x` itself). For `rebound`: the statement keyword.
        scope: For a def: the module's bindings when it ran.
    """

    kind: str
    node: ast.stmt
    block: str = ""
    source: tuple[str, str] = ("", "")
    scope: Scope | None = field(default=None, compare=False)


@record
class StarImport:
    """`from MODULE import *`: every name it might bind is unknown to static analysis."""

    module: str
    line: int
    column: int


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


@record
class ImportedPackage:
    """An unconditional module-level `import X...` of an absolute module: X must be installed."""

    top: str
    line: int
    col_offset: int


@record(frozen=False)
class Collector:
    """Walks module-level statements in order; lives only for one module."""

    module: str
    package: str
    bindings: dict[str, Binding] = field(default_factory=dict)
    stars: list[StarImport] = field(default_factory=list)
    defs: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, Scope]] = field(default_factory=list)
    imports: dict[str, str] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)
    packages: list[ImportedPackage] = field(default_factory=list)
    open: bool = False
    _scope: Scope | None = None
    _imports: ImportMap | None = None

    def scope(self) -> Scope:
        """The bindings now; shared by every def until the next binding changes them.

        The import map is shared further, until an import or type name changes: annotation
        texts are cached by it, and a def binding its own name changes none.
        """
        if self._imports is None:
            self._imports = ImportMap(dict(self.imports), self.module)
        if self._scope is None:
            self._scope = Scope(self._imports, frozenset(self.defined), self.open)
        return self._scope

    def block(self, body: list[ast.stmt], *, block: str, depth: int) -> None:
        if depth > _MAX_BLOCK_DEPTH:
            return
        for statement in body:
            self.statement(statement, block=block, depth=depth)

    def statement(self, node: ast.stmt, *, block: str, depth: int) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scope = self.scope()
            self.defs.append((node, scope))
            self.bind(node.name, Binding("function", node, block, scope=scope), None)
        elif isinstance(node, ast.ClassDef):
            self.bind(node.name, Binding("class", node, block), f"{self.module}.{node.name}")
        elif isinstance(node, ast.ImportFrom):
            self.import_from(node, block)
        elif isinstance(node, ast.Import):
            self.import_(node, block)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            self.assignment(node, block)
        else:
            self.other(node, block, depth)

    def bind(self, name: str, binding: Binding, stands_for: str | None) -> None:
        """Record the latest binding of `name`; `stands_for` is the type or module it names."""
        self._scope = None
        self.bindings[name] = binding
        self.defined.add(name)
        if self.imports.get(name) != stands_for:
            self._imports = None
            if stands_for is None:
                del self.imports[name]
            else:
                self.imports[name] = stands_for

    def import_from(self, node: ast.ImportFrom, block: str) -> None:
        module = absolute_module(self.package, node.level, node.module)
        if node.level == 0 and not block:
            self.packages.append(ImportedPackage(module.partition(".")[0], *_at(node)))
        for alias in node.names:
            if alias.name == "*":
                self.stars.append(StarImport(module, node.lineno, node.col_offset))
                self.open, self._scope = True, None
                continue
            binding = Binding("import", node, block, (module, alias.name))
            self.bind(alias.asname or alias.name, binding, f"{module}.{alias.name}")

    def import_(self, node: ast.Import, block: str) -> None:
        for alias in node.names:
            if not block:
                self.packages.append(ImportedPackage(alias.name.partition(".")[0], *_at(node)))
            local = alias.asname or alias.name.partition(".")[0]
            target = alias.name if alias.asname else local
            self.bind(local, Binding("import", node, block, (target, "")), target)

    def assignment(self, node: ast.Assign | ast.AnnAssign, block: str) -> None:
        if isinstance(node, ast.AnnAssign) and node.value is None:
            return  # `x: int` alone binds nothing
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        alias = self.alias_of(node.value) if len(targets) == 1 else None
        for name, deleted in stored_names(list(targets)):
            if not deleted:
                self.bind(name, Binding("assignment", node, block), alias)
        self.other_parts([node.value] if node.value else [], node, block)

    def alias_of(self, value: ast.expr | None) -> str | None:
        """`Frame = pd.DataFrame`: the dotted name `Frame` stands for from now on."""
        if not isinstance(value, (ast.Name, ast.Attribute)):
            return None
        try:
            return canonical(value, ImportMap(self.imports, self.module))
        except AnnotationError:
            return None

    def other(self, node: ast.stmt, block: str, depth: int) -> None:
        keyword, blocks = nested_blocks(node)
        self.other_parts(header_parts(node), node, block, keyword or _keyword(node))
        for inner in blocks:
            self.block(inner, block=block or keyword, depth=depth + 1)

    def other_parts(
        self, parts: list[ast.AST], node: ast.stmt, block: str, how: str = ":="
    ) -> None:
        for name, deleted in stored_names(parts):
            if not deleted:
                self.bind(name, Binding("rebound", node, block, (how, "")), None)
            elif block:  # a conditional `del` may leave the name bound
                self.bindings[name] = Binding("deleted", node, block)
            else:
                self.bind(name, Binding("deleted", node, block), None)
                self.defined.discard(name)


def _at(node: ast.stmt) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _keyword(node: ast.stmt) -> str:
    if isinstance(node, ast.AugAssign):
        return "augmented assignment"
    if isinstance(node, ast.Delete):
        return "del"
    return ":="
