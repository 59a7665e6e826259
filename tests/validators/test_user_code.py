"""User code against the contract: one table row per way of breaking (or keeping) it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kfp_templates._findings import Finding, Severity, sort_findings
from kfp_templates._layout import ProjectLayout, find_layout
from kfp_templates._rules import all_rules
from kfp_templates.contract import Contract, contract_from_document, load_contract
from kfp_templates.validators.user_code import check_user_code

from helpers import build_file_tree, materialise_case

TRAIN = {
    "module": "user.train",
    "name": "train",
    "parameters": [
        {"name": "df", "annotation": "pandas.DataFrame"},
        {"name": "target", "annotation": "str"},
        {
            "name": "seed",
            "annotation": "int",
            "default": "allowed",
            "kind": "keyword_only",
            "stub_default": 0,
        },
    ],
    "returns": "typing.Any",
}
GOOD = "import typing\nimport pandas as pd\n\ndef train(df: pd.DataFrame, target: str, *, seed: int = 0) -> typing.Any:\n    pass\n"  # noqa: E501


def _contract(**changes: Any) -> Contract:
    function = {**TRAIN, **changes}
    document = {
        "contract_format": 1,
        "name": "t",
        "version": "1.0.0",
        "min_tool_version": "0.1",
        "functions": [function],
        "config": {"schema": {}},
    }
    return contract_from_document(document, Path("contract.yaml"))


def _check(tmp_path: Path, files: dict[str, str | bytes], **changes: Any) -> list[Finding]:
    build_file_tree(tmp_path, {"user/__init__.py": "", **files})
    layout = ProjectLayout(tmp_path, tmp_path / "contract.yaml", tmp_path)
    return list(check_user_code(layout, _contract(**changes)))


def _signature(line: str) -> str:
    return f"import typing\nimport pandas as pd\n\n{line}\n    pass\n"


VALID = [
    pytest.param({"user/train.py": GOOD}, {}, id="as-stubbed"),
    pytest.param(
        {
            "user/train.py": _signature(
                "def train(df: 'pd.DataFrame', target: 'str', *, seed: int = 1) -> 'typing.Any':"
            )
        },
        {},
        id="string-annotations",
    ),
    pytest.param(
        {
            "user/train.py": "from __future__ import annotations\nfrom typing import Any\n"
            "from pandas import DataFrame\n\ndef train(df: DataFrame, target: str, *, "
            "seed: int = 0) -> Any:\n    pass\n"
        },
        {},
        id="future-and-from-imports",
    ),
    pytest.param(
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, target: str, seed: int = 0) -> typing.Any:"
            )
        },
        {},
        id="keyword-only-may-be-positional-or-keyword",
    ),
    pytest.param(
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, target: str, extra: int = 3, *, seed: int = 0, "
                "**kw: typing.Any) -> typing.Any:"
            )
        },
        {},
        id="extras-with-defaults",
    ),
    pytest.param(
        {"user/train.py": "from ._impl import train\n", "user/_impl.py": GOOD}, {}, id="re-export"
    ),
    pytest.param(
        {
            "user/train.py": _signature(
                "async def train(df: pd.DataFrame, target: str, *, seed: int = 0) -> typing.Any:"
            )
        },
        {"allow_async": True},
        id="async-allowed",
    ),
    pytest.param(
        {
            "user/train.py": "from typing import Optional\n\ndef train(x: Optional[int] "
            "= None) -> None:\n    pass\n"
        },
        {
            "parameters": [{"name": "x", "annotation": "int | None", "default": "required"}],
            "returns": "None",
        },
        id="optional-vs-pipe-none",
    ),
    pytest.param(
        {
            "user/train.py": "from kfp import dsl\nfrom kfp.dsl import Output, Model\n\n"
            "def train(data: dsl.Input[dsl.Dataset], model: Output[Model], n: int = 1, "
            "tag: str | None = None) -> None:\n    pass\n"
        },
        {
            "component": True,
            "returns": "None",
            "parameters": [
                {"name": "data", "annotation": "kfp.dsl.Input[kfp.dsl.Dataset]"},
                {"name": "model"},
            ],
        },
        id="component-kfp-types",
    ),
    pytest.param(
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, target: str, *, seed: int = 0):"
            )
        },
        {"returns": None},
        id="returns-omitted-accepts-none",
    ),
    pytest.param(
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, target: str, *, seed: int = 0) -> int:"
            )
        },
        {"returns": None},
        id="returns-omitted-accepts-any",
    ),
    pytest.param(
        {
            "user/train.py": "import typing\nfrom typing import Annotated\nimport pandas as pd\n\n"
            "def train(df: Annotated[pd.DataFrame, 'raw'], target: str, *, seed: int = 0)"
            " -> Annotated[typing.Any, object()]:\n    pass\n"
        },
        {},
        id="annotated-unwrapped",
    ),
    pytest.param(
        {
            "user/train.py": _signature(
                "def train(frame: pd.DataFrame, label: str, /, *, seed: int = 0) -> typing.Any:"
            )
        },
        {
            "parameters": [
                {"name": "df", "annotation": "pandas.DataFrame", "kind": "positional_only"},
                {"name": "target", "annotation": "str", "kind": "positional_only"},
            ]
        },
        id="positional-only-names-not-compared",
    ),
    pytest.param(
        {"user/train.py": b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + GOOD.encode()},
        {},
        id="latin-1-coding-cookie",
    ),
    pytest.param(
        {
            "user/train.py": "from __future__ import annotations\nimport typing\n\n"
            "def train(df: pandas.DataFrame, target: str, *, seed: int = 0) -> typing.Any:\n"
            "    pass\n\nimport pandas\n"
        },
        {},
        id="postponed-annotation-resolved-after-the-def",
    ),
]


@pytest.mark.parametrize(("files", "changes"), VALID)
def test_valid(tmp_path: Path, files: dict[str, str], changes: dict[str, Any]) -> None:
    assert _check(tmp_path, files, **changes) == []


INVALID = [
    # (files, contract changes, rule, path, line, column)
    ({}, {}, "USR100", "user/train.py", None, None),
    ({"user/train.py": "def other(): pass\n"}, {}, "USR101", "user/train.py", None, None),
    ({"user/train.py": "x = 1\ndef train(:\n"}, {}, "USR102", "user/train.py", 2, 11),
    ({"user/train.py": b"# \xff\n"}, {}, "USR103", "user/train.py", 1, 3),
    ({"user/train.py": "# " + "x" * (1 << 20)}, {}, "USR104", "user/train.py", None, None),
    ({"user/train.py": "x = " + "-" * 200_000 + "1\n"}, {}, "USR105", "user/train.py", None, None),
    ({"user/train.py": "\nclass train:\n    pass\n"}, {}, "USR106", "user/train.py", 2, 1),
    ({"user/train.py": "from sklearn import train\n"}, {}, "USR107", "user/train.py", 1, 1),
    (
        {"user/train.py": "from .a import train\n", "user/a.py": "from .train import train\n"},
        {},
        "USR108",
        "user/a.py",
        1,
        1,
    ),
    (
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, *, seed: int = 0) -> typing.Any:"
            )
        },
        {},
        "USR109",
        "user/train.py",
        4,
        1,
    ),
    (
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, *, target: str, seed: int = 0) -> typing.Any:"
            )
        },
        {},
        "USR110",
        "user/train.py",
        4,
        32,
    ),
    (
        {
            "user/train.py": _signature(
                "def train(target: str, df: pd.DataFrame, *, seed: int = 0) -> typing.Any:"
            )
        },
        {},
        "USR111",
        "user/train.py",
        4,
        11,
    ),
    (
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, target: str = 'y', *, seed: int = 0) -> typing.Any:"
            )
        },
        {},
        "USR112",
        "user/train.py",
        4,
        29,
    ),
    (
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, target: str, *, seed: int) -> typing.Any:"
            )
        },
        {
            "parameters": [
                *TRAIN["parameters"][:2],
                {**TRAIN["parameters"][2], "default": "required"},
            ]
        },
        "USR113",
        "user/train.py",
        4,
        45,
    ),
    (
        {
            "user/train.py": _signature(
                "def train(df: pd.Series, target: str, *, seed: int = 0) -> typing.Any:"
            )
        },
        {},
        "USR114",
        "user/train.py",
        4,
        15,
    ),
    (
        {
            "user/train.py": _signature(
                "def train(df, target: str, *, seed: int = 0) -> typing.Any:"
            )
        },
        {},
        "USR115",
        "user/train.py",
        4,
        11,
    ),
    (
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, target: str, *, seed: int = 0) -> int:"
            )
        },
        {},
        "USR116",
        "user/train.py",
        4,
        63,
    ),
    (
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, target: str, *, seed: int = 0):"
            )
        },
        {},
        "USR117",
        "user/train.py",
        4,
        1,
    ),
    (
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, target: str, extra, *, seed: int = 0) -> typing.Any:"
            )
        },
        {},
        "USR118",
        "user/train.py",
        4,
        42,
    ),
    (
        {
            "user/train.py": _signature(
                "def train(df: pd.DataFrame, target: str, *, seed: int = 0, x: int = 1)"
                " -> typing.Any:"
            )
        },
        {"extra_parameters": "forbidden"},
        "USR119",
        "user/train.py",
        4,
        60,
    ),
    (
        {
            "user/train.py": _signature(
                "async def train(df: pd.DataFrame, target: str, *, seed: int = 0) -> typing.Any:"
            )
        },
        {},
        "USR120",
        "user/train.py",
        4,
        1,
    ),
    (
        {
            "user/train.py": "import pandas as pd\n\n"
            "def train(df: pd.DataFrame) -> None:\n    pass\n"
        },
        {"component": True, "returns": "None", "parameters": [{"name": "df"}]},
        "USR121",
        "user/train.py",
        3,
        15,
    ),
    ({"user/train.py": "from pandas import *\n"}, {}, "USR122", "user/train.py", 1, 1),
    (
        {
            "user/train.py": "import typing\nimport pandas as pd\nif True:\n    def train(df: "
            "pd.DataFrame, target: str, *, seed: int = 0) -> typing.Any:\n        pass\n"
        },
        {},
        "USR123",
        "user/train.py",
        4,
        5,
    ),
    (
        {
            "user/train.py": "import functools, typing\nimport pandas as pd\n@functools.cache\ndef "
            "train(df: pd.DataFrame, target: str, *, seed: int = 0) -> typing.Any:\n    pass\n"
        },
        {},
        "USR124",
        "user/train.py",
        4,
        1,
    ),
    ({"user/train.py": "from .impl import train\n"}, {}, "USR125", "user/train.py", 1, 1),
    # Python's semantics: what the def means once the module has run (issue 13)
    (
        {
            "user/train.py": "import typing\nimport pandas as pd\n\nfor _ in range(1):\n"
            "    def train(df: pd.DataFrame, target: str, *, seed: int = 0) -> typing.Any:\n"
            "        pass\n"
        },
        {},
        "USR123",
        "user/train.py",
        5,
        5,
    ),
    (
        {
            "user/train.py": "import typing\n\ndef train(df: pandas.DataFrame, target: str, *, "
            "seed: int = 0) -> typing.Any:\n    pass\n"
        },
        {},
        "USR127",
        "user/train.py",
        3,
        15,
    ),
    (
        {"user/train.py": GOOD + "for train in range(2):\n    pass\n"},
        {},
        "USR128",
        "user/train.py",
        6,
        1,
    ),
    ({"user/train.py": GOOD + "del train\n"}, {}, "USR101", "user/train.py", 6, 1),
    ({"user/train.py": GOOD + "import json as train\n"}, {}, "USR106", "user/train.py", 6, 1),
    (
        {
            "user/train.py": "from __future__ import annotations\nimport typing\n"
            "from pandas import DataFrame\n\n"
            "def train(df: DataFrame, target: str, *, seed: int = 0) -> typing.Any:\n"
            "    pass\n\nclass DataFrame:\n    pass\n"
        },
        {},
        "USR114",
        "user/train.py",
        5,
        15,
    ),
    (
        {"user/train.py": b"# coding: utf-16\n" + GOOD.encode()},
        {},
        "USR103",
        "user/train.py",
        6,
        9,
    ),
    (
        {"user/train.py": b"# coding: ascii\n" + GOOD.encode()[:-5] + b"'\xe9'\n"},
        {},
        "USR103",
        "user/train.py",
        6,
        6,
    ),
]


@pytest.mark.parametrize("row", INVALID, ids=[row[2] for row in INVALID])
def test_invalid(tmp_path: Path, row: tuple[Any, ...]) -> None:
    files, changes, rule, path, line, column = row
    found = sort_findings(_check(tmp_path, files, **changes))
    assert {f.rule.id for f in found} == {rule}, [f.message for f in found]
    finding = found[0]
    where = finding.location
    assert (where.path, where.line, where.column) == (path, line, column)
    assert finding.fix and finding.message
    assert finding.is_error is not finding.rule.warning
    assert (finding.severity is Severity.WARNING) is finding.rule.warning


def test_unreadable_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name != "train.py":
            return original(self)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    (finding,) = _check(tmp_path, {"user/train.py": GOOD})
    assert (finding.rule.id, finding.location.path) == ("USR126", "user/train.py")
    assert "Permission denied" in finding.message


def test_unannotated_component_parameter_says_so(tmp_path: Path) -> None:
    files = {"user/train.py": "def train(df) -> None:\n    pass\n"}
    changes = {"component": True, "returns": "None", "parameters": [{"name": "df"}]}
    (finding,) = _check(tmp_path, files, **changes)
    assert finding.rule.id == "USR121"
    assert "has no annotation" in finding.message


def test_missing_function_fix_is_the_full_signature(tmp_path: Path) -> None:
    (finding,) = _check(tmp_path, {"user/train.py": "\n"})
    assert finding.fix == (
        "add `def train(df: pandas.DataFrame, target: str, *, seed: int = 0) -> typing.Any` "
        "to user/train.py"
    )


def test_every_usr_rule_is_exercised() -> None:
    ids = {rule.id for rule in all_rules() if rule.id.startswith("USR")}
    # USR126: test_unreadable_module; USR130: tests/validators/test_component_findings.py;
    # USR129 and USR131: tests/validators/test_dependencies.py
    assert ids == {row[2] for row in INVALID} | {"USR126", "USR129", "USR130", "USR131"}


def test_all_findings_of_a_broken_signature_are_reported(tmp_path: Path) -> None:
    files = {"user/train.py": _signature("async def train(target: int, df, x) -> None:")}
    rules = sorted(f.rule.id for f in _check(tmp_path, files))
    assert rules == ["USR109", "USR111", "USR111", "USR114", "USR115", "USR116", "USR118", "USR120"]


def test_position_message_names_both_positions(tmp_path: Path) -> None:
    files = {
        "user/train.py": _signature(
            "def train(x: int = 0, df: pd.DataFrame = None, target: str = '', *, seed: int = 0)"
            " -> typing.Any:"
        )
    }
    messages = {f.message for f in _check(tmp_path, files) if f.rule.id == "USR111"}
    assert (
        "parameter `df` of `train` is positional parameter 2; the contract has it at 1" in messages
    )


def test_optional_parameter_may_be_left_out_but_is_checked_when_present(tmp_path: Path) -> None:
    """`optional: true` parameters are passed only to functions that accept them."""
    project = materialise_case(tmp_path / "none", tmp_path / "p")
    contract_path = project / "template_pipeline" / "contract.yaml"
    seed = "stub_default: 0}"
    verbose = (
        "\n      - {name: verbose, annotation: bool, kind: keyword_only, optional: true,"
        " default: allowed}"
    )
    text = contract_path.read_text().replace(seed, seed + verbose, 1)
    contract_path.write_text(text)
    layout = find_layout(project)
    contract, problems = load_contract(layout.contract_path, "contract.yaml")
    assert contract is not None, problems
    assert [f.rule.id for f in check_user_code(layout, contract)] == []
    train = project / "user" / "train.py"
    train.write_text(
        train.read_text().replace("seed: int = 0)", "seed: int = 0, verbose: str = 'x')")
    )
    assert [f.rule.id for f in check_user_code(layout, contract)] == ["USR114"]


def test_broken_package_init_is_reported_once_at_its_line(tmp_path: Path) -> None:
    """Importing user.train runs user/__init__.py first; a syntax error there breaks it."""
    files = {"user/train.py": GOOD, "user/__init__.py": "import os\nfrom . import (\n"}
    found = _check(tmp_path, files)
    assert [(f.rule.id, f.location.path, f.location.line) for f in found] == [
        ("USR102", "user/__init__.py", 2)
    ]
    assert "runs this file first" in found[0].message
