"""Static interface extraction: what `user/` offers, read with `ast`, never imported.

The result is a plain JSON document, validated against the schema compiled from the contract
(`_user_schema.py`):

    {"modules": {"user.train": {
        "path": "user/train.py", "status": "ok",
        "names": {"train": {"kind": "function", "path": "user/train.py", "line": 6, "column": 1,
                            "conditional": false, "async": false, "decorators": [],
                            "parameters": {"df": {"name": "df", "kind": "positional_or_keyword",
                                                  "annotation": "pandas.DataFrame",
                                                  "has_default": false, "position": 0, ...}},
                            "returns": "typing.Any", "returns_line": 6, ...}}}}}

A module's `status` is `ok`, `syntax_error`, `not_utf8`, `too_large`, `too_deep` or `unreadable`
(all but `ok` carry `error` with message, line and column, and no `names`); `star_imports` lists
its `from X import *` statements. A name's `kind` is `function` or
`class`, or says why it could not be followed: `module`, `external` (imported from outside
`user/`), `assignment`, `star_import`, `reexport_missing`, `cycle`. Modules are parsed only when
asked for, or when a wanted name is re-exported from them.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from kfp_templates._records import field, record
from kfp_templates.validators._extract_module import Binding, ModuleScan, StarImport
from kfp_templates.validators._parallel_extract import Ahead, extract_in_parallel, start_ahead
from kfp_templates.validators._read_module import MAX_FILE_BYTES, ModuleFailure, read_module

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "MAX_FILE_BYTES",
    "USER_PACKAGE",
    "ImportLine",
    "ModuleFailure",
    "ModuleReader",
    "extract_interface",
    "module_file",
    "module_name",
    "read_module",
    "user_modules",
    "wanted_functions",
]

USER_PACKAGE = "user"


def module_file(root: Path, module: str) -> Path | None:
    """The file defining dotted `module` under `root`: a package wins over a plain module."""
    base = root.joinpath(*module.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def module_name(root: Path, path: Path) -> str:
    """Dotted module name of a `.py` file under `root`."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def extract_interface(
    root: Path,
    wanted: Mapping[str, Collection[str]] | None = None,
    reader: ModuleReader | None = None,
    ahead: Ahead | None = None,
) -> dict[str, Any]:
    """The interface document of the `user/` package under project `root`.

    Args:
        root: The project directory holding `user/`.
        wanted: Modules to read and, for each, names to follow through re-exports. None reads
            every module under `user/` and records only what each defines.
        reader: Modules already parsed (shared with other checks); a fresh one by default.
        ahead: Extraction started earlier (`extraction_ahead`), used if it has these modules.
    """
    if wanted is None:
        wanted = {module: () for module in user_modules(root)}
    reader = reader or ModuleReader(root)
    items = list(wanted.items())
    entries = ahead.take(items, reader.entries) if ahead is not None else None
    if entries is None:
        entries = extract_in_parallel(root, items, _entries, reader.entries)
    for module, _, imports in entries or ():
        if imports is not None:
            reader.imports.setdefault(module, imports)
    entries = entries or reader.entries(items)
    return {"modules": {module: entry for module, entry, _ in entries if entry is not None}}


def extraction_ahead(root: Path, document: object) -> Ahead | None:
    """Start parsing the modules a contract document names, before the contract is checked.

    For a large `user/` only (see `start_ahead`); the document is raw, so anything unexpected
    in it means no early start: `extract_interface` then extracts as usual, and the workers'
    entries are used only for exactly the modules the checked contract wants.
    """
    wanted = _wanted_in(document)
    return None if wanted is None else start_ahead(root, list(wanted.items()), _entries)


def wanted_functions(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Module -> function names, in the contract's order: what `extract_interface` is asked for.

    One grouping for the typed contract (`check_user_code`) and the raw document
    (`extraction_ahead`), so an extraction started ahead matches exactly when both agree.
    """
    wanted: dict[str, list[str]] = {}
    for module, name in pairs:
        wanted.setdefault(module, []).append(name)
    return wanted


def _wanted_in(document: object) -> dict[str, list[str]] | None:
    """`wanted_functions` of a raw contract document; None for anything unexpected in it."""
    functions = document.get("functions") if isinstance(document, dict) else None
    if not isinstance(functions, list) or not all(
        isinstance(f, dict) and isinstance(f.get("module"), str) and isinstance(f.get("name"), str)
        for f in functions
    ):
        return None
    return wanted_functions((function["module"], function["name"]) for function in functions)


def _entries(
    root: Path, items: Sequence[tuple[str, Collection[str]]]
) -> list[tuple[str, dict[str, Any] | None, tuple[ImportLine, ...] | None]]:
    """A worker's share: entries of `items` read by a reader of its own, with their imports."""
    return ModuleReader(root).entries(items)


def user_modules(root: Path) -> list[str]:
    """Dotted names of every `.py` file under `user/`, sorted."""
    files = sorted((root / USER_PACKAGE).rglob("*.py"))
    return [module_name(root, path) for path in files]


@record
class ImportLine:
    """A module-level import kept after its tree is released: the package and where it is."""

    top: str
    path: str
    line: int
    column: int


@record(frozen=False)
class ModuleReader:
    """Parses modules on demand, each at most once; lives for one `validate`.

    The dependency check needs only each module's imports, which are kept in `imports` when
    `release` drops the parsed trees: keeping millions of AST nodes alive made every later
    garbage collection walk them.
    """

    root: Path
    parsed: dict[str, ModuleScan | ModuleFailure | None] = field(default_factory=dict)
    imports: dict[str, tuple[ImportLine, ...]] = field(default_factory=dict)

    def release(self) -> None:
        """Drop the parsed modules, keeping what their imports are."""
        self.parsed.clear()

    def imports_of(self, module: str) -> tuple[ImportLine, ...]:
        """The module's unconditional module-level imports (none if it cannot be parsed)."""
        if module not in self.imports:
            self.load(module)
        return self.imports.get(module, ())

    def load(self, module: str) -> ModuleScan | ModuleFailure | None:
        if module not in self.parsed:
            path = module_file(self.root, module)
            scan = None if path is None else read_module(self.root, module, path)
            self.parsed[module] = scan
            if isinstance(scan, ModuleScan):
                self.imports[module] = tuple(
                    ImportLine(p.top, scan.path, p.line, scan.column(p.line, p.col_offset))
                    for p in scan.packages
                )
        return self.parsed[module]

    def entries(
        self, items: Sequence[tuple[str, Collection[str]]]
    ) -> list[tuple[str, dict[str, Any] | None, tuple[ImportLine, ...] | None]]:
        """`entry` of each (module, names), with the module's imports, in order."""
        found = [(module, self.entry(module, names)) for module, names in items]
        return [(module, entry, self.imports.get(module)) for module, entry in found]

    def entry(self, module: str, names: Collection[str]) -> dict[str, Any] | None:
        scan = self.load(module)
        if not isinstance(scan, ModuleScan):
            return scan.entry() if scan is not None else None
        defined = {
            name: scan.function(name)
            for name, binding in scan.bindings.items()
            if binding.kind in ("function", "class")
        }
        for name in names:
            if name not in defined:
                found = _Resolver(self).resolve(scan, name, ())
                if found is not None:
                    defined[name] = found
        stars = [
            {"module": s.module, "line": s.line, "column": scan.column(s.line, s.column)}
            for s in scan.stars
        ]
        return {
            "path": scan.path,
            "status": "ok",
            "names": defined,
            "star_imports": stars,
            "name_errors": scan.name_errors(),
        }


_Chain = tuple[tuple[str, str], ...]


@record
class _Resolver:
    """Follows a name through `from ... import` re-exports and star imports within `user/`."""

    reader: ModuleReader

    def resolve(self, scan: ModuleScan, name: str, chain: _Chain) -> dict[str, Any] | None:
        binding = scan.bindings.get(name)
        if binding is None:
            return self.through_stars(scan, name, chain)
        if binding.kind in ("function", "class"):
            return scan.function(name)
        at = _where(scan, binding)
        if binding.kind == "assignment":
            return self.alias(scan, name, binding, chain) or {"kind": "assignment", **at}
        return self.imported(scan, name, binding, chain, at)

    def imported(
        self, scan: ModuleScan, name: str, binding: Binding, chain: _Chain, at: dict[str, Any]
    ) -> dict[str, Any]:
        """The entry for a name bound by an import, loop, `del` and the like."""
        if binding.kind in ("rebound", "deleted"):
            return {"kind": binding.kind, "source": binding.source[0], **at}
        module, imported = binding.source
        if not imported:  # `import json as train`: the name is a module, wherever it comes from
            return {"kind": "module", "source": module, **at}
        if not _is_user(module):
            return {"kind": "external", "source": f"{module}.{imported}", **at}
        return self.follow(module, imported, (*chain, (scan.name, name)), at)

    def alias(
        self, scan: ModuleScan, name: str, binding: Binding, chain: _Chain
    ) -> dict[str, Any] | None:
        """`train = other` with `other` bound earlier in the module: callers get `other`."""
        value = getattr(binding.node, "value", None)
        if not isinstance(value, ast.Name) or (scan.name, value.id) in chain:
            return None
        target = scan.bindings.get(value.id)
        if target is None or target.node.lineno > binding.node.lineno:
            return None
        found = self.resolve(scan, value.id, (*chain, (scan.name, name)))
        return found if found is not None and found.get("kind") == "function" else None

    def follow(self, module: str, name: str, chain: _Chain, at: dict[str, Any]) -> dict[str, Any]:
        """The entry for `name` in `module`, reached by a re-export at `at`."""
        source = f"{module}.{name}"
        if (module, name) in chain:
            loop = " -> ".join(f"{m}.{n}" for m, n in (*chain, (module, name)))
            return {"kind": "cycle", "source": loop, **at}
        target = self.reader.load(module)
        found = self.resolve(target, name, chain) if isinstance(target, ModuleScan) else None
        if found is not None:
            return found
        if module_file(self.reader.root, source) is not None:
            return {"kind": "module", "source": source, **at}
        reason = "not defined there" if isinstance(target, ModuleScan) else "module missing"
        if isinstance(target, ModuleFailure):
            reason = f"module unreadable ({target.status})"
        return {"kind": "reexport_missing", "source": source, "reason": reason, **at}

    def through_stars(self, scan: ModuleScan, name: str, chain: _Chain) -> dict[str, Any] | None:
        external: StarImport | None = None
        for star in scan.stars:
            if not _is_user(star.module):
                external = external or star
                continue
            target = self.reader.load(star.module)
            link = (*chain, (scan.name, name))
            if isinstance(target, ModuleScan) and (star.module, name) not in link:
                found = self.resolve(target, name, link)
                if found is not None:
                    return found
        if external is None:
            return None
        line, column = external.line, scan.column(external.line, external.column)
        where = {"path": scan.path, "line": line, "column": column}
        return {"kind": "star_import", "source": external.module, **where}


def _is_user(module: str) -> bool:
    return module == USER_PACKAGE or module.startswith(USER_PACKAGE + ".")


def _where(scan: ModuleScan, binding: Binding) -> dict[str, Any]:
    node = binding.node
    return {
        "path": scan.path,
        "line": node.lineno,
        "column": scan.column(node.lineno, node.col_offset),
        "conditional": binding.block or False,
    }
