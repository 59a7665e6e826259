"""Find `$ref` loops that would make validation recurse forever.

A schema may legitimately refer to itself (a tree: `items: {$ref: "#"}`), because each step goes
one level deeper into the instance. A loop is only fatal when it comes back to the same schema
without descending: through `$ref`, `allOf`/`anyOf`/`oneOf`, `not`, `if`/`then`/`else` or
`dependentSchemas`, which all apply at the same place in the instance. jsonschema would hit
RecursionError on such a loop only when a document reaches it, so we look for it statically.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any


SchemaPath = tuple[str | int, ...]

_LIST_APPLICATORS = ("allOf", "anyOf", "oneOf")
_SINGLE_APPLICATORS = ("not", "if", "then", "else")


def find_ref_loop(schema: Any) -> SchemaPath | None:
    """The path of a subschema on a same-place loop, or None when there is none."""
    state: dict[SchemaPath, str] = {}  # "active" while on the DFS stack, "done" after
    for start in _all_subschema_paths(schema):
        found = _visit(schema, start, state)
        if found is not None:
            return found
    return None


def _visit(root: Any, start: SchemaPath, state: dict[SchemaPath, str]) -> SchemaPath | None:
    """Iterative depth-first search; a node met again while active closes a loop."""
    stack: list[tuple[SchemaPath, list[SchemaPath]]] = []
    if state.get(start) is None:
        state[start] = "active"
        stack.append((start, _same_place_children(root, start)))
    while stack:
        path, pending = stack[-1]
        if not pending:
            state[path] = "done"
            stack.pop()
            continue
        child = pending.pop()
        if state.get(child) == "active":
            return child
        if state.get(child) is None:
            state[child] = "active"
            stack.append((child, _same_place_children(root, child)))
    return None


def _same_place_children(root: Any, path: SchemaPath) -> list[SchemaPath]:
    node = _at(root, path)
    if not isinstance(node, dict):
        return []
    children: list[SchemaPath] = []
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = _local_pointer(ref)
        if target is not None and _exists(root, target):
            children.append(target)
    for keyword in _LIST_APPLICATORS:
        items = node.get(keyword)
        if isinstance(items, list):
            children.extend((*path, keyword, index) for index in range(len(items)))
    children.extend((*path, kw) for kw in _SINGLE_APPLICATORS if isinstance(node.get(kw), dict))
    dependent = node.get("dependentSchemas")
    if isinstance(dependent, dict):
        children.extend((*path, "dependentSchemas", key) for key in dependent)
    return children


def _local_pointer(ref: str) -> SchemaPath | None:
    """`#/$defs/a~1b` as a path; None for anchors and references to other documents."""
    if ref == "#":
        return ()
    if not ref.startswith("#/"):
        return None
    parts = ref[2:].split("/")
    return tuple(
        int(part) if part.isdigit() else part.replace("~1", "/").replace("~0", "~")
        for part in parts
    )


def _exists(root: Any, path: SchemaPath) -> bool:
    try:
        _at(root, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def _at(root: Any, path: SchemaPath) -> Any:
    node = root
    for part in path:
        node = node[part]
    return node


def _all_subschema_paths(schema: Any, path: SchemaPath = ()) -> list[SchemaPath]:
    """Every dict in the schema document that carries a `$ref`."""
    found: list[SchemaPath] = []
    if isinstance(schema, dict):
        if "$ref" in schema:
            found.append(path)
        for key, value in schema.items():
            if key not in ("const", "enum", "default", "examples"):
                found.extend(_all_subschema_paths(value, (*path, key)))
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            found.extend(_all_subschema_paths(item, (*path, index)))
    return found
