"""Call each function in user/ on the example inputs of the template's contract.

The examples come from template_pipeline/contract.yaml at test time, so a `copier update` that
brings new examples needs no change here. A function still holding its generated stub body
(`raise NotImplementedError`) is skipped with the reason, not failed: write it and the test runs.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "template_pipeline" / "contract.yaml"


def _cases() -> list[Any]:
    contract = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    cases = []
    for function in contract.get("functions", []):
        for index, example in enumerate(function.get("examples", [])):
            label = example.get("name", str(index))
            case_id = f"{function['module']}:{function['name']}[{label}]"
            cases.append(pytest.param(function, example, id=case_id))
    return cases or [pytest.param(None, None, id="no-examples")]


def _resolve(dotted: str) -> Any:
    """`pandas.DataFrame` -> the class: import the longest importable module prefix."""
    parts = dotted.split(".")
    for end in range(len(parts) - 1, 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:end]))
        except ImportError:
            continue
        for name in parts[end:]:
            target = getattr(target, name)
        return target
    return importlib.import_module(dotted)


def _build(value: Any) -> Any:
    """JSON values as they are; {"$call": "dotted.callable", "args": [...], "kwargs": {...}} called."""
    if isinstance(value, dict) and "$call" in value:
        args = [_build(item) for item in value.get("args", [])]
        kwargs = {key: _build(item) for key, item in value.get("kwargs", {}).items()}
        return _resolve(value["$call"])(*args, **kwargs)
    if isinstance(value, dict):
        return {key: _build(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_build(item) for item in value]
    return value


def _is_stub(function: Any) -> bool:
    """Whether the body is only a docstring and `raise NotImplementedError(...)`."""
    try:
        tree = ast.parse(inspect.getsource(function).lstrip())
    except (OSError, TypeError, SyntaxError):
        return False
    body = tree.body[0].body if tree.body and hasattr(tree.body[0], "body") else []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return len(body) == 1 and isinstance(body[0], ast.Raise) and "NotImplementedError" in (
        ast.unparse(body[0].exc) if body[0].exc else ""
    )


def _call(function: Any, spec: dict[str, Any], args: dict[str, Any]) -> Any:
    """Pass positional-only parameters by position, the rest by keyword, as the contract names them."""
    positional = [
        args.pop(p["name"])
        for p in spec.get("parameters", [])
        if p.get("kind") == "positional_only" and p["name"] in args
    ]
    result = function(*positional, **args)
    return asyncio.run(result) if inspect.isawaitable(result) else result


@pytest.mark.parametrize(("spec", "example"), _cases())
def test_example(spec: dict[str, Any] | None, example: dict[str, Any] | None) -> None:
    if spec is None or example is None:
        pytest.skip("the template's contract gives no example inputs")
    module = importlib.import_module(spec["module"])
    function = getattr(module, spec["name"])
    if _is_stub(function):
        pytest.skip(
            f"{spec['module']}:{spec['name']} is still the generated stub (raises "
            f"NotImplementedError): write it in {spec['module'].replace('.', '/')}.py"
        )
    result = _call(function, spec, {k: _build(v) for k, v in example["args"].items()})
    if "returns_type" in example:
        expected = _resolve(example["returns_type"])
        assert isinstance(result, expected), f"returned {type(result)!r}, not {expected!r}"
