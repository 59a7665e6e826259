"""Which `user.*` functions a compiled step calls, read from the code its executor runs.

A lightweight component's executor carries its source in the container command (KFP writes it
to `ephemeral_component.py` at run time), so the imports of `user.*` there are what the step
will call: the fact, not a guess from names. The source is parsed with `ast`, never run. A
container that runs `python -m user.MODULE` calls that module.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

USER_PACKAGE = "user"
_MAX_SOURCE = 1_000_000  # a component body larger than this is not read (nor likely real)


def user_calls(executor: Any) -> tuple[str, ...]:
    """Dotted names (`user.train.train`) the executor's code imports from the user package."""
    container = executor.get("container") if isinstance(executor, dict) else None
    if not isinstance(container, dict):
        return ()
    words = [w for key in ("command", "args") for w in _strings(container.get(key))]
    found = [*_module_runs(words)]
    for word in words:
        if USER_PACKAGE in word and len(word) <= _MAX_SOURCE:
            found.extend(_imports(word))
    return tuple(dict.fromkeys(found))


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _module_runs(words: list[str]) -> Iterator[str]:
    """`python -m user.job` runs the module `user.job`."""
    for flag, module in itertools.pairwise(words):
        if flag == "-m" and _is_user(module):
            yield module


def _imports(source: str) -> list[str]:
    """`from user.m import f` -> user.m.f; `import user.m as x` then `x.f(...)` -> user.m.f."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # a shell script or other text, not Python: it imports nothing
    names: list[str] = []
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and _is_user(node.module or ""):
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _is_user(alias.name):
                    aliases[alias.asname or alias.name] = alias.name
    names.extend(_attribute_calls(tree, aliases))
    return names


def _attribute_calls(tree: ast.AST, aliases: dict[str, str]) -> Iterable[str]:
    """Functions reached as attributes of an imported user module (`user.train.train(...)`)."""
    if not aliases:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            dotted = _dotted(node.func)
            for alias, module in aliases.items():
                if dotted.startswith(alias + ".") and dotted.count(".") == alias.count(".") + 1:
                    found.append(module + dotted[len(alias) :])
    return found


def _dotted(node: ast.expr) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _is_user(module: str) -> bool:
    return module == USER_PACKAGE or module.startswith(USER_PACKAGE + ".")
