"""Property tests: configs generated from the base contract's schema load as the schema says.

Valid documents (drawn from the schema itself) must pass with their values kept; one mutation
must produce exactly the CFG finding it implies; and no text at all may make loading raise.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Resource
from referencing.jsonschema import DRAFT202012

from kfp_templates._layout import ProjectLayout, find_layout
from kfp_templates.contract import Contract, bundled_registry, load_contract
from kfp_templates.validators.config import LoadedConfig, load_config

from helpers import CASES, materialise_case

Strategy = st.SearchStrategy[Any]
Resolver = Any  # referencing keeps its Resolver class private
ROOT_ID = "urn:test:config"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[ProjectLayout, Contract]:
    """The base case project, shared by every example (each example rewrites config.yaml)."""
    root = materialise_case(CASES / "valid" / "__none__", tmp_path_factory.mktemp("p") / "p")
    layout = find_layout(root)
    contract, findings = load_contract(layout.contract_path, "contract.yaml")
    assert contract is not None, findings
    return layout, contract


def _load(project: tuple[ProjectLayout, Contract], text: str | bytes) -> LoadedConfig:
    layout, contract = project
    path = layout.root / contract.config_path
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return load_config(layout, contract)


def from_schema(schema: Any, resolver: Resolver) -> Strategy:
    """Instances of the subset of JSON Schema that template config schemas use."""
    if isinstance(schema, dict) and "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        return from_schema(resolved.contents, resolved.resolver)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    makers: dict[str, Callable[[dict[str, Any], Resolver], Strategy]] = {
        "object": _objects,
        "array": lambda s, r: st.lists(from_schema(s.get("items", {}), r), max_size=3),
        "string": _strings,
        "integer": lambda s, r: st.integers(s.get("minimum"), s.get("maximum")),
        "number": _numbers,
        "boolean": lambda s, r: st.booleans(),
    }
    kind = schema.get("type", "object" if "properties" in schema else "string")
    return makers[kind](schema, resolver)


def _objects(schema: dict[str, Any], resolver: Resolver) -> Strategy:
    properties = {
        name: from_schema(sub, resolver) for name, sub in schema.get("properties", {}).items()
    }
    required = {name: properties.pop(name) for name in schema.get("required", [])}
    fixed = st.fixed_dictionaries(required, optional=properties)
    extra = schema.get("additionalProperties", True)
    if not isinstance(extra, dict):
        return fixed
    names = schema.get("propertyNames", {}).get("pattern")
    keys = st.from_regex(names, fullmatch=True) if names else st.text(max_size=10)
    keys = keys.filter(lambda key: key not in schema.get("properties", {}))
    more = st.dictionaries(keys, from_schema(extra, resolver), max_size=3)
    return st.tuples(fixed, more).map(lambda pair: {**pair[1], **pair[0]})


def _strings(schema: dict[str, Any], resolver: Resolver) -> Strategy:
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True)
    return st.text(min_size=schema.get("minLength", 0), max_size=20)


def _numbers(schema: dict[str, Any], resolver: Resolver) -> Strategy:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    return st.floats(
        low,
        high,
        exclude_min="exclusiveMinimum" in schema,
        exclude_max="exclusiveMaximum" in schema,
        allow_nan=False,
        allow_infinity=False,
    )


def _valid_configs(contract: Contract) -> Strategy:
    resource = Resource.from_contents(contract.config_schema, default_specification=DRAFT202012)
    resolver = bundled_registry().with_resource(ROOT_ID, resource).resolver(ROOT_ID)
    return from_schema(contract.config_schema, resolver)


def _base_contract() -> Contract:
    path = CASES / "base" / "template_pipeline" / "contract.yaml"
    contract, findings = load_contract(path, "contract.yaml")
    assert contract is not None, findings
    return contract


VALID_CONFIGS = _valid_configs(_base_contract())


def _contains(data: Any, subset: Any) -> bool:
    """Whether every value of `subset` is kept in `data` (defaults only add)."""
    if isinstance(subset, dict):
        return isinstance(data, dict) and all(
            key in data and _contains(data[key], value) for key, value in subset.items()
        )
    return bool(data == subset)


@SETTINGS
@given(document=VALID_CONFIGS)
def test_valid_configs_pass_and_keep_their_values(
    project: tuple[ProjectLayout, Contract], document: dict[str, Any]
) -> None:
    loaded = _load(project, yaml.safe_dump(document))
    assert loaded.errors == (), (document, loaded.findings)
    assert _contains(loaded.data, document)
    assert set(loaded.data) >= {"parameters", "steps", "gcp", "image", "run"}


def _set(document: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    here = changed
    for key in path[:-1]:
        here = here.setdefault(key, {})
    here[path[-1]] = value
    return changed


MUTATIONS: list[tuple[tuple[str, ...], Any, str]] = [
    (("zz_unknown",), 1, "CFG113"),
    (("steps", "train", "cpus"), "1", "CFG113"),
    (("parameters", "n_rows"), "many", "CFG115"),
    (("gcp",), [1], "CFG115"),
    (("steps", "train", "cpu"), 2, "CFG115"),
    (("parameters", "test_fraction"), 5, "CFG116"),
    (("image", "name"), "Bad Name", "CFG116"),
    (("steps", "preprocess", "accelerator"), {"count": 1}, "CFG114"),
    (("gcp", "labels", "Bad"), "x", "CFG117"),
]


@SETTINGS
@given(document=VALID_CONFIGS, mutation=st.sampled_from(MUTATIONS))
def test_one_mutation_gives_its_finding(
    project: tuple[ProjectLayout, Contract],
    document: dict[str, Any],
    mutation: tuple[tuple[str, ...], Any, str],
) -> None:
    path, value, rule = mutation
    if not isinstance(document.get(path[0], {}), dict) and len(path) > 1:
        return
    loaded = _load(project, yaml.safe_dump(_set(document, path, value)))
    assert {finding.rule.id for finding in loaded.errors} == {rule}, loaded.findings


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@SETTINGS
@given(document=JSON_VALUES)
def test_any_yaml_document_loads_without_raising(
    project: tuple[ProjectLayout, Contract], document: Any
) -> None:
    loaded = _load(project, yaml.safe_dump(document))
    assert isinstance(loaded.data, dict)
    assert all(finding.rule.id.startswith("CFG") and finding.fix for finding in loaded.findings)


@SETTINGS
@given(text=st.text() | st.binary())
def test_any_text_loads_without_raising(
    project: tuple[ProjectLayout, Contract], text: str | bytes
) -> None:
    loaded = _load(project, text)
    assert isinstance(loaded.data, dict)
    assert all(finding.rule.id.startswith("CFG") and finding.fix for finding in loaded.findings)
