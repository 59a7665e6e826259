"""Which names a module-level statement binds or deletes, the way Python's compiler sees them.

`import user.train` runs every module-level statement in order, and the last binding of a name
is what callers get: a `for train in ...` loop, `del train` or `import json as train` after the
`def` replaces or removes it. Bodies of functions, classes and lambdas are their own scopes and
bind nothing at module level (only the def or class name itself), nor do comprehension targets.
"""

from __future__ import annotations

import ast
import builtins
import sys
from collections.abc import Iterator

if sys.version_info >= (3, 11):
    _TRIES: tuple[type[ast.stmt], ...] = (ast.Try, ast.TryStar)
else:  # pragma: no cover - `except*` is new in 3.11
    _TRIES = (ast.Try,)

# Names every module has before its first statement runs.
PREDEFINED = frozenset(dir(builtins)) | {
    "__file__",
    "__cached__",
    "__builtins__",
    "__path__",
    "__annotations__",
}
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def nested_blocks(node: ast.stmt) -> tuple[str, list[list[ast.stmt]]]:
    """The keyword of a compound statement and its statement lists that run at module level.

    A def inside them exists only if (and as often as) the block runs, so it is conditional.
    """
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return "with", [node.body]
    if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
        return ("while" if isinstance(node, ast.While) else "for"), [node.body, node.orelse]
    return _branches(node)


def _branches(node: ast.stmt) -> tuple[str, list[list[ast.stmt]]]:
    if isinstance(node, ast.If):
        return "if", [node.body, node.orelse]
    if isinstance(node, _TRIES):
        handlers = [handler.body for handler in node.handlers]  # type: ignore[attr-defined]
        return "try", [node.body, *handlers, node.orelse, node.finalbody]  # type: ignore[attr-defined]
    if isinstance(node, ast.Match):
        return "match", [case.body for case in node.cases]
    return "", []


def header_parts(node: ast.stmt) -> list[ast.AST]:
    """The parts of a compound statement outside its blocks: targets, tests, patterns."""
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return [node.target, node.iter]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return list(node.items)
    if isinstance(node, (ast.If, ast.While)):
        return [node.test]
    if isinstance(node, ast.Match):
        return [node.subject, *(part for case in node.cases for part in _case_parts(case))]
    if isinstance(node, _TRIES):
        return []
    return [node]


def _case_parts(case: ast.match_case) -> list[ast.AST]:
    return [case.pattern, case.guard] if case.guard is not None else [case.pattern]


def stored_names(parts: list[ast.AST]) -> Iterator[tuple[str, bool]]:
    """`(name, deleted)` for each name the parts bind (or `del`), in source order."""
    stack = list(reversed(parts))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            yield node.id, isinstance(node.ctx, ast.Del)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            yield node.name, False
        elif isinstance(node, ast.MatchMapping) and node.rest:
            yield node.rest, False
        if isinstance(node, _SCOPES):
            continue
        children = [
            child
            for child in ast.iter_child_nodes(node)
            if not isinstance(child, ast.comprehension)
        ]
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            children += [part for gen in node.generators for part in (gen.iter, *gen.ifs)]
        stack.extend(reversed(children))


def loaded_names(annotation: ast.expr) -> Iterator[ast.Name]:
    """Names Python looks up when it evaluates `annotation` (string parts are not evaluated).

    The usual shapes (`a.b[c, d] | None`) are followed by hand, which is several times faster
    than `ast.walk`; anything else is walked.
    """
    stack = [annotation]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            yield node
        elif isinstance(node, ast.Attribute):
            stack.append(node.value)
        elif isinstance(node, ast.Subscript):
            stack += (node.value, node.slice)
        elif isinstance(node, ast.BinOp):
            stack += (node.left, node.right)
        elif isinstance(node, (ast.Tuple, ast.List)):
            stack += node.elts
        elif not isinstance(node, ast.Constant):
            stack += [n for n in ast.iter_child_nodes(node) if isinstance(n, ast.expr)]


def postpones_annotations(tree: ast.Module) -> bool:
    """Whether `from __future__ import annotations` keeps annotations unevaluated (PEP 563)."""
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )
