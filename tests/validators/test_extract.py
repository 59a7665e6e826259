"""Static interface extraction: what `user/` offers, read with `ast` only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kfp_templates.validators.extract import MAX_FILE_BYTES, extract_interface

from helpers import build_file_tree


def _extract(tmp_path: Path, files: dict[str, str | bytes], wanted: dict[str, list[str]]) -> Any:
    build_file_tree(tmp_path, {"user/__init__.py": "", **files})
    return extract_interface(tmp_path, wanted)["modules"]


def _name(tmp_path: Path, source: str | bytes, name: str = "f", **extra: str) -> Any:
    modules = _extract(tmp_path, {"user/m.py": source, **extra}, {"user.m": [name]})
    return modules["user.m"]["names"].get(name)


def test_signature_kinds_defaults_annotations_and_positions(tmp_path: Path) -> None:
    source = (
        "import pandas as pd\n"
        "def f(a: pd.DataFrame, /, b, c: int = 1, *args: str, d: 'pd.Series', e=2, **kw) -> None:\n"
        "    pass\n"
    )
    entry = _name(tmp_path, source)
    parameters = entry["parameters"]
    assert [(p["name"], p["kind"], p["has_default"]) for p in parameters.values()] == [
        ("a", "positional_only", False),
        ("b", "positional_or_keyword", False),
        ("c", "positional_or_keyword", True),
        ("args", "var_positional", False),
        ("d", "keyword_only", False),
        ("e", "keyword_only", True),
        ("kw", "var_keyword", False),
    ]
    assert [p.get("position") for p in parameters.values()] == [0, 1, 2, None, None, None, None]
    assert parameters["a"]["annotation"] == "pandas.DataFrame"
    assert parameters["d"]["annotation"] == "pandas.Series"
    assert parameters["b"]["annotation"] is None
    assert (parameters["a"]["line"], parameters["a"]["column"]) == (2, 7)
    assert (parameters["a"]["annotation_line"], parameters["a"]["annotation_column"]) == (2, 10)
    assert (entry["line"], entry["column"], entry["returns"]) == (2, 1, "None")


@pytest.mark.parametrize(
    ("source", "field", "expected"),
    [
        ("async def f(): pass\n", "async", True),
        ("def f(): pass\n", "async", False),
        (
            "import functools\n@functools.lru_cache(maxsize=2)\ndef f(): pass\n",
            "decorators",
            ["functools.lru_cache"],
        ),
        ("from x import deco as d\n@d\ndef f(): pass\n", "decorators", ["x.deco"]),
        ("if True:\n    def f(): pass\n", "conditional", "if"),
        ("try:\n    import x\nexcept ImportError:\n    def f(): pass\n", "conditional", "try"),
        ("for _ in range(1):\n    def f(): pass\n", "conditional", "for"),
        ("while True:\n    def f(): pass\n    break\n", "conditional", "while"),
        ("match 1:\n    case _:\n        def f(): pass\n", "conditional", "match"),
        ("import os\nwith os.scandir() as it:\n    def f(): pass\n", "conditional", "with"),
        ("def f(): pass\nfor f in []: pass\n", "kind", "rebound"),
        ("def f(): pass\nx = (f := 1)\n", "kind", "rebound"),
        ("def f(): pass\ndel f\n", "kind", "deleted"),
        ("def f(): pass\nimport json as f\n", "kind", "module"),
        ("def g(): pass\nf = g\n", "kind", "function"),
        ("for f in []: pass\ndef f(): pass\n", "kind", "function"),
        ("def f(): pass\nif False:\n    pass\n", "conditional", False),
        ("class f:\n    pass\n", "kind", "class"),
        ("f = print\n", "kind", "assignment"),
        ("from sklearn import f\n", "kind", "external"),
        ("from os.path import *\n", "kind", "star_import"),
        ("def f(): pass\n", "returns", None),
        ("def f() -> 'dict[str, int]': pass\n", "returns", "dict[str, int]"),
        ("from typing import Dict\ndef f() -> Dict[str, int]: pass\n", "returns", "dict[str, int]"),
    ],
)
def test_entry_fields(tmp_path: Path, source: str, field: str, expected: object) -> None:
    assert _name(tmp_path, source)[field] == expected


IMPL_F = {"user/impl.py": "def f(): pass\n"}
REEXPORTS = [
    ("from .impl import f\n", IMPL_F, ("function", "user/impl.py", None)),
    ("from user.impl import f\n", IMPL_F, ("function", "user/impl.py", None)),
    (
        "from .impl import g as f\n",
        {"user/impl.py": "def g(): pass\n"},
        ("function", "user/impl.py", None),
    ),
    (
        "from .pkg import f\n",
        {"user/pkg/__init__.py": "from .deep import f\n", "user/pkg/deep.py": "def f(): pass\n"},
        ("function", "user/pkg/deep.py", None),
    ),
    ("from .impl import *\n", IMPL_F, ("function", "user/impl.py", None)),
    (
        "from .impl import f\n",
        {"user/impl.py": "def g(): pass\n"},
        ("reexport_missing", "user/m.py", "user.impl.f"),
    ),
    ("from .nothere import f\n", {}, ("reexport_missing", "user/m.py", "user.nothere.f")),
    (
        "from .impl import f\n",
        {"user/impl.py": "def f(:\n"},
        ("reexport_missing", "user/m.py", "user.impl.f"),
    ),
    (
        "from .other import f\n",
        {"user/other.py": "from .m import f\n"},
        ("cycle", "user/other.py", "user.m.f -> user.other.f -> user.m.f"),
    ),
    ("from . import f\n", {"user/f.py": "def f(): pass\n"}, ("module", "user/m.py", "user.f")),
    ("import user.f as f\n", {"user/f.py": ""}, ("module", "user/m.py", "user.f")),
]


@pytest.mark.parametrize(("source", "files", "expected"), REEXPORTS)
def test_reexports_are_followed(
    tmp_path: Path, source: str, files: dict[str, str], expected: tuple[str, str, str | None]
) -> None:
    entry = _name(tmp_path, source, **files)
    assert (entry["kind"], entry["path"], entry.get("source")) == expected


def test_reexport_through_star_import_cycle_terminates(tmp_path: Path) -> None:
    files = {"user/a.py": "from .b import *\n", "user/b.py": "from .a import *\n"}
    assert _extract(tmp_path, files, {"user.a": ["f"]})["user.a"]["names"] == {}


@pytest.mark.parametrize(
    ("content", "status", "line"),
    [
        ("def f(:\n    pass\n", "syntax_error", 1),
        ("x = 1\n\ndef f(\n", "syntax_error", 3),
        ("x = 1\0\n", "syntax_error", 1),
        (b"x = 1\ny = '\xff\xfe'\n", "not_utf8", 2),
        (b"\xef\xbb\xbfx = 1\n\ny = '\xff'\n", "not_utf8", 3),
        ("x = " + "-" * 200_000 + "1\n", "too_deep", None),
        ("x = " + "1+" * 100_000 + "1\n", "too_deep", None),
        ("# " + "x" * MAX_FILE_BYTES + "\n", "too_large", None),
    ],
)
def test_unreadable_modules(
    tmp_path: Path, content: str | bytes, status: str, line: int | None
) -> None:
    entry = _extract(tmp_path, {"user/m.py": content}, {"user.m": ["f"]})["user.m"]
    assert (entry["status"], entry["error"]["line"], "names" in entry) == (status, line, False)
    assert entry["error"]["message"]


def test_missing_module_is_absent(tmp_path: Path) -> None:
    assert _extract(tmp_path, {}, {"user.nope": ["f"]}) == {}


def test_package_wins_over_plain_module(tmp_path: Path) -> None:
    files = {"user/m/__init__.py": "def f(): pass\n", "user/m.py": "def g(): pass\n"}
    assert _extract(tmp_path, files, {"user.m": ["f"]})["user.m"]["path"] == "user/m/__init__.py"


def test_only_wanted_modules_are_read(tmp_path: Path) -> None:
    files = {"user/m.py": "def f(): pass\n", "user/broken.py": "def (\n"}
    assert list(_extract(tmp_path, files, {"user.m": ["f"]})) == ["user.m"]


def test_everything_when_nothing_is_wanted(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "user/__init__.py": "",
            "user/a.py": "def f(): pass\n",
            "user/sub/__init__.py": "",
            "user/sub/b.py": "class C: pass\n",
        },
    )
    modules = extract_interface(tmp_path)["modules"]
    assert sorted(modules) == ["user", "user.a", "user.sub", "user.sub.b"]
    assert modules["user.sub.b"]["names"]["C"]["kind"] == "class"


def test_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    entry = _name(tmp_path, "def f(é, x: int): pass  # ü\n")
    assert entry["parameters"]["x"]["column"] == 10
    assert entry["parameters"]["x"]["annotation_column"] == 13


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert _name(tmp_path, "\ufeffdef f(): pass\n".encode())["kind"] == "function"


def test_bad_string_annotation_is_kept_as_written(tmp_path: Path) -> None:
    entry = _name(tmp_path, "def f(x: 'pd.DataFrame['): pass\n")
    assert entry["parameters"]["x"]["annotation"] == "'pd.DataFrame['"


def test_last_top_level_definition_wins(tmp_path: Path) -> None:
    entry = _name(tmp_path, "def f(a): pass\ndef f(b): pass\n")
    assert list(entry["parameters"]) == ["b"]


def test_unreadable_file_is_a_module_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    build_file_tree(tmp_path, {"user/__init__.py": "", "user/m.py": "def f(): pass\n"})
    monkeypatch.setattr(Path, "read_bytes", refuse)
    entry = extract_interface(tmp_path, {"user.m": ["f"]})["modules"]["user.m"]
    assert (entry["status"], entry["error"]["message"]) == (
        "unreadable",
        "cannot read it: Permission denied",
    )


def test_star_imports_are_listed(tmp_path: Path) -> None:
    files = {"user/m.py": "import os\nfrom os.path import *\nfrom .x import *\n", "user/x.py": ""}
    entry = _extract(tmp_path, files, {"user.m": []})["user.m"]
    assert entry["star_imports"] == [
        {"module": "os.path", "line": 2, "column": 1},
        {"module": "user.x", "line": 3, "column": 1},
    ]


@pytest.mark.parametrize(
    "source",
    [
        "import pandas as pd\nFrame = pd.DataFrame\ndef f(x: Frame): pass\n",
        "import pandas as pd\nfrom typing import TypeAlias\nFrame: TypeAlias = pd.DataFrame\n"
        "def f(x: 'Frame'): pass\n",
        "from pandas import DataFrame\nFrame = DataFrame\ndef f(x: Frame): pass\n",
    ],
)
def test_module_level_type_aliases_are_followed(tmp_path: Path, source: str) -> None:
    assert _name(tmp_path, source)["parameters"]["x"]["annotation"] == "pandas.DataFrame"
