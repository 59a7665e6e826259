"""Calling consumer functions with the contract's optional parameters."""

from __future__ import annotations

from typing import Any

import pytest

from kfp_templates.runtime import call_user_function


def old(df: int) -> dict[str, Any]:
    return {"df": df}


def new(df: int, *, seed: int = 0) -> dict[str, Any]:
    return {"df": df, "seed": seed}


def anything(df: int, **kwargs: Any) -> dict[str, Any]:
    return {"df": df, **kwargs}


@pytest.mark.parametrize(
    ("function", "expected"),
    [(old, {"df": 1}), (new, {"df": 1, "seed": 7}), (anything, {"df": 1, "seed": 7})],
)
def test_optional_arguments_reach_only_functions_that_accept_them(
    function: Any, expected: dict[str, Any]
) -> None:
    assert call_user_function(function, {"df": 1}, {"seed": 7}) == expected


def test_required_arguments_are_always_passed() -> None:
    with pytest.raises(TypeError):
        call_user_function(old, {"df": 1, "unknown": 2})
