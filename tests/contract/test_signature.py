"""The one `def` line renderer, and the four places that show a `def` line agreeing on it."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from kfp_templates._layout import ProjectLayout
from kfp_templates._producer.catalogue import signature
from kfp_templates._producer.compat import compare_contracts
from kfp_templates._stubs import render_stubs
from kfp_templates.contract import (
    Contract,
    FunctionSpec,
    contract_from_document,
    render_parameter,
    render_signature,
)
from kfp_templates.validators.user_code import check_user_code

from helpers import build_file_tree


def _contract(parameters: list[dict[str, Any]], **function: Any) -> Contract:
    entry = {"module": "user.m", "name": "f", "parameters": parameters, "returns": "None"}
    document = {
        "contract_format": 1,
        "name": "t",
        "version": "1.0.0",
        "min_tool_version": "0.1",
        "functions": [{**entry, **function}],
        "config": {"schema": {}},
    }
    return contract_from_document(document, Path("contract.yaml"))


def _function(parameters: list[dict[str, Any]], **function: Any) -> FunctionSpec:
    return _contract(parameters, **function).functions[0]


SIGNATURES = {
    "annotated default has spaces": (
        [{"name": "seed", "annotation": "int", "default": "allowed", "stub_default": 0}],
        {},
        "def f(seed: int = 0) -> None",
    ),
    "unannotated default has none": (
        [{"name": "seed", "default": "required", "stub_default": 0}],
        {},
        "def f(seed=0) -> None",
    ),
    "contract spelling of types is kept": (
        [{"name": "p", "annotation": "typing.Dict[str, typing.Any]"}],
        {"returns": "typing.Optional[int]"},
        "def f(p: typing.Dict[str, typing.Any]) -> typing.Optional[int]",
    ),
    "allowed default without stub_default writes none": (
        [{"name": "x", "annotation": "float", "default": "allowed"}],
        {},
        "def f(x: float) -> None",
    ),
    "explicit null stub_default writes None": (
        [{"name": "x", "annotation": "float | None", "default": "allowed", "stub_default": None}],
        {},
        "def f(x: float | None = None) -> None",
    ),
    "positional after a defaulted one gets None to parse": (
        [{"name": "a", "default": "required", "stub_default": 1}, {"name": "b"}],
        {},
        "def f(a=1, b=None) -> None",
    ),
    "separators and stars": (
        [
            {"name": "a", "kind": "positional_only"},
            {"name": "rest", "kind": "var_positional"},
            {"name": "k", "kind": "keyword_only", "annotation": "str"},
            {"name": "kw", "kind": "var_keyword"},
        ],
        {},
        "def f(a, /, *rest, k: str, **kw) -> None",
    ),
    "component returning anything writes None": (
        [{"name": "n", "annotation": "int"}],
        {"component": True, "returns": "typing.Any"},
        "def f(n: int) -> None",
    ),
    "open returns writes no arrow": ([], {"returns": None}, "def f()"),
}


@pytest.mark.parametrize(
    ("parameters", "function", "expected"), SIGNATURES.values(), ids=SIGNATURES
)
def test_render_signature(
    parameters: list[dict[str, Any]], function: dict[str, Any], expected: str
) -> None:
    rendered = render_signature(_function(parameters, **function))
    assert rendered == expected
    ast.parse(rendered + ": pass")  # what it shows is Python


def test_async_only_when_asked() -> None:
    spec = _function([{"name": "a"}], allow_async=True)
    assert render_signature(spec) == "def f(a) -> None"
    assert render_signature(spec, is_async=True) == "async def f(a) -> None"


def test_stub_catalogue_and_compat_show_the_same_line(tmp_path: Path) -> None:
    parameters = [
        {"name": "df", "annotation": "pandas.DataFrame"},
        {"name": "seed", "kind": "keyword_only", "default": "required", "stub_default": 0},
    ]
    contract = _contract(parameters)
    line = render_signature(contract.functions[0])
    assert line == "def f(df: pandas.DataFrame, *, seed=0) -> None"
    stub = next(s.text for s in render_stubs(contract) if s.path == "user/m.py")
    assert f"\n{line}:\n" in stub
    assert signature(contract.functions[0]) == line
    empty = _contract([])
    messages = [c.message for c in compare_contracts(empty, contract)]
    assert "f: add parameter `seed=0` (keyword_only)" in " ".join(messages)
    (missing,) = compare_contracts(_contract([], name="g"), contract)[:1]
    assert f"add `{line}` to user/m.py" in missing.message


def test_usr_fix_keeps_an_allowed_async(tmp_path: Path) -> None:
    parameters = [{"name": "a", "annotation": "int"}, {"name": "b", "annotation": "str"}]
    contract = _contract(parameters, allow_async=True)
    files = {"user/__init__.py": "", "user/m.py": "async def f(a: int) -> None:\n    pass\n"}
    build_file_tree(tmp_path, files)
    layout = ProjectLayout(tmp_path, tmp_path / "contract.yaml", tmp_path)
    (finding,) = check_user_code(layout, contract)
    assert finding.rule.id == "USR109"
    assert finding.fix == "add the parameter `b: str` to `f`: `async def f(a: int, b: str) -> None`"


def test_parameter_alone() -> None:
    spec = _function([{"name": "kw", "kind": "var_keyword", "annotation": "str"}])
    assert render_parameter(spec.parameters[0]) == "**kw: str"
