"""The imports a stub module needs so each canonical dotted annotation resolves as written.

Contracts spell types with canonical dotted names (`pandas.DataFrame`, `kfp.dsl.Output[...]`);
the stub keeps that spelling exactly and imports the module part (`import pandas`,
`import kfp.dsl`), so the validator reads the same canonical name back from the stub.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator

from kfp_templates._errors import ContractError
from kfp_templates.contract import Contract, FunctionSpec, written_returns


def import_block(modules: set[str]) -> str:
    """Standard library first, then the rest, as isort would group them."""
    stdlib = sorted(m for m in modules if m.split(".")[0] in sys.stdlib_module_names)
    others = sorted(m for m in modules if m not in stdlib)
    groups = ["".join(f"import {name}\n" for name in group) for group in (stdlib, others) if group]
    return "\n" + "\n".join(groups) if groups else ""


def _annotations(function: FunctionSpec) -> Iterator[str]:
    returns = written_returns(function.returns, component=function.component)
    if returns is not None:
        yield returns
    yield from (p.annotation for p in function.parameters if p.annotation is not None)


def imports_of(contract: Contract, function: FunctionSpec) -> set[str]:
    """Modules to import so each canonical dotted name in the annotations resolves as written."""
    found: set[str] = set()
    for text in _annotations(function):
        found.update(_dotted_modules(_parse(contract, function, text)))
    return found


def _dotted_modules(node: ast.AST) -> Iterator[str]:
    """`pandas` for `pandas.DataFrame`, `kfp.dsl` for `kfp.dsl.Output` (all but the last part)."""
    if isinstance(node, ast.Attribute):
        chain = _chain(node)
        if chain is not None:
            yield ".".join(chain[:-1])
            return
    for child in ast.iter_child_nodes(node):
        yield from _dotted_modules(child)


def _chain(node: ast.Attribute) -> list[str] | None:
    parts: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.insert(0, current.attr)
        current = current.value
    return [current.id, *parts] if isinstance(current, ast.Name) else None


def _parse(contract: Contract, function: FunctionSpec, text: str) -> ast.Expression:
    try:
        return ast.parse(text, mode="eval")
    except SyntaxError:
        raise ContractError(
            f"{function.qualified_name}: {text!r} is not a Python type expression",
            hint="run `kfp-templates validate` on the template for the contract findings",
            location=str(contract.source),
        ) from None
