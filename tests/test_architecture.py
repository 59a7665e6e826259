"""The package stays in small rooms: module and function size limits (issue 16).

No module under src/ over 320 lines and no function over 40, measured with `ast`: a function runs
from its `def` line to its last line, docstring included. docs/architecture.md states the limits.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
MAX_MODULE_LINES = 320
MAX_FUNCTION_LINES = 40

# Offenders other engineers split this round (issue 16); an entry that no longer offends fails
# `test_no_stale_exemption`, so delete it when their branch lands.
BEING_SPLIT = {
}


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _long_modules() -> dict[str, int]:
    """Module (relative to src/) -> lines, for every module over the limit."""
    counts = {
        path.relative_to(SRC).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in _modules()
    }
    return {name: count for name, count in counts.items() if count > MAX_MODULE_LINES}


def _long_functions(path: Path, root: Path = SRC) -> dict[str, str]:
    """`module function` -> `line: N lines`, for every function in `path` over the limit."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                key = f"{path.relative_to(root).as_posix()} {node.name}"
                found[key] = f"line {node.lineno}: {length} lines"
    return found


def _all_long_functions() -> dict[str, str]:
    return {key: value for path in _modules() for key, value in _long_functions(path).items()}


def test_no_module_is_over_the_limit() -> None:
    offenders = [
        f"{name}: {n} lines" for name, n in _long_modules().items() if name not in BEING_SPLIT
    ]
    assert not offenders, f"modules over {MAX_MODULE_LINES} lines; split them:\n" + "\n".join(
        offenders
    )


def test_no_function_is_over_the_limit() -> None:
    offenders = [f"{key} ({where})" for key, where in _all_long_functions().items()]
    offenders = [line for line in offenders if line.split(" (")[0] not in BEING_SPLIT]
    assert not offenders, f"functions over {MAX_FUNCTION_LINES} lines; split them:\n" + "\n".join(
        offenders
    )


def test_no_stale_exemption() -> None:
    offending = {*_long_modules(), *_all_long_functions()}
    stale = sorted(set(BEING_SPLIT) - offending)
    assert not stale, f"no longer over the limit; delete from BEING_SPLIT: {stale}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():\n" + "    x = 1\n" * 39, {}),
        ("def f():\n" + "    x = 1\n" * 40, {"m.py f": "line 1: 41 lines"}),
        (
            "class C:\n    async def g(self):\n" + "        x = 1\n" * 40,
            {"m.py g": "line 2: 41 lines"},
        ),
        ("def f():\n    def inner():\n" + "        x = 1\n" * 39, {"m.py f": "line 1: 41 lines"}),
    ],
)
def test_function_measure(tmp_path: Path, source: str, expected: dict[str, str]) -> None:
    """The measure itself: 40 lines pass, 41 fail; methods, async and nested functions count."""
    path = tmp_path / "m.py"
    path.write_text(source, encoding="utf-8")
    assert _long_functions(path, tmp_path) == expected


def _map_rows() -> set[str]:
    """The first cell of every row of docs/architecture.md's package table, as written."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("## Packages and modules", 1)[1].split("\n## ", 1)[0]
    return {line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| `")}


def test_the_map_names_every_package_and_top_level_module() -> None:
    """docs/architecture.md is the map: a new package or top-level module needs its row."""
    package = SRC / "kfp_templates"
    names = sorted(
        f"{path.name}/" if path.is_dir() else path.name
        for path in package.iterdir()
        if (path.is_dir() and (path / "__init__.py").is_file()) or path.suffix == ".py"
    )
    cells = " ".join(_map_rows())
    missing = [name for name in names if f"`{name}`" not in cells]
    assert not missing, "docs/architecture.md has no row for: " + ", ".join(missing)
