"""The yes/no pre-check must never pass what jsonschema fails."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfp_templates.validators._fastcheck import is_valid, json_equal

SCHEMA = {
    "type": "object",
    "x-usr": {"rule": "USR100"},
    "allOf": [{"required": ["a"]}, {"required": ["b"]}],
    "properties": {
        "a": {"const": "x"},
        "b": {"enum": ["p", "q"]},
        "c": {"const": False},
        "d": {"maxItems": 0},
        "e": {"type": "string", "pattern": "^kfp\\."},
        "f": {
            "anyOf": [
                {"required": ["g"], "properties": {"g": {"const": True}}},
                {"properties": {"h": {"enum": [1, 2]}}, "required": ["h"]},
            ]
        },
    },
    "additionalProperties": {"not": {}},
}

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 3) | st.sampled_from(["x", "p", "q", "kfp.a", "z"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]), inner, max_size=5
        )
    ),
    max_leaves=12,
)


@given(JSON)
def test_never_more_lenient_than_jsonschema(instance: Any) -> None:
    if is_valid(SCHEMA, instance):
        assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(instance)) == []


@given(
    st.fixed_dictionaries(
        {"a": st.just("x"), "b": st.sampled_from(["p", "q"])},
        optional={
            "c": st.booleans(),
            "d": st.lists(st.integers(), max_size=1),
            "e": st.sampled_from(["kfp.x", "int"]),
        },
    )
)
def test_agrees_with_jsonschema_on_near_valid_documents(instance: dict[str, Any]) -> None:
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(instance))
    assert is_valid(SCHEMA, instance) == (errors == [])


@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [
        (True, 1, False),
        (0, False, False),
        (1, 1, True),
        ("a", "a", True),
        ([1, True], [1, True], True),
        ({"a": [1]}, {"a": [1]}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        (None, None, True),
    ],
)
def test_json_equal(left: Any, right: Any, equal: bool) -> None:
    assert json_equal(left, right) is equal


@pytest.mark.parametrize("schema", [{"minimum": 1}, {"$ref": "#/x"}, {"type": "number"}, False])
def test_unknown_keywords_are_not_passed(schema: Any) -> None:
    assert is_valid(schema, 5) is False
