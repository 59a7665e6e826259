"""The yes/no pre-check must never pass what jsonschema fails."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfp_templates._yamlio import load_yaml
from kfp_templates.contract import bundled_schema, is_valid, json_equal

from helpers import CASES

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


@pytest.mark.parametrize(
    "schema", [{"multipleOf": 2}, {"$ref": "#/x"}, {"type": "thing"}, {"oneOf": [True]}, False]
)
def test_unknown_keywords_are_not_passed(schema: Any) -> None:
    assert is_valid(schema, 5) is False


REF_SCHEMA = {
    "$defs": {
        "name": {"type": "string", "minLength": 1, "pattern": "^[a-z]+$"},
        "item": {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"$ref": "#/$defs/name"}},
        },
    },
    "type": "object",
    "properties": {
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        "tags": {"type": "array", "uniqueItems": True},
        "size": {"type": ["number", "null"]},
    },
}
REF_INSTANCES = st.fixed_dictionaries(
    {},
    optional={
        "items": st.lists(
            st.fixed_dictionaries({}, optional={"name": st.sampled_from(["ab", "", "A", 1])}),
            max_size=3,
        ),
        "tags": st.lists(st.sampled_from(["a", "b", 1, True, [1]]), max_size=3),
        "size": st.none()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.booleans()
        | st.text(max_size=1),
    },
)


@given(REF_INSTANCES)
def test_refs_items_and_lengths_never_more_lenient(instance: dict[str, Any]) -> None:
    errors = list(jsonschema.Draft202012Validator(REF_SCHEMA).iter_errors(instance))
    if is_valid(REF_SCHEMA, instance, REF_SCHEMA):
        assert errors == []


def test_refs_need_the_root() -> None:
    instance = {"items": [{"name": "ab"}]}
    assert is_valid(REF_SCHEMA, instance, REF_SCHEMA)
    assert not is_valid(REF_SCHEMA, instance)  # no root: "not sure"
    assert not is_valid({"$ref": "#/$defs/missing"}, 1, REF_SCHEMA)
    assert not is_valid({"$ref": "https://example.invalid/x"}, 1, REF_SCHEMA)


def test_bundled_contract_meta_schema_agrees_on_the_base_contract() -> None:
    meta = bundled_schema("contract")
    document = load_yaml((CASES / "base" / "template_pipeline" / "contract.yaml").read_text()).data
    assert is_valid(meta, document, meta)
    broken = {**document, "version": "one"}
    assert not is_valid(meta, broken, meta)
