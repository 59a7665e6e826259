"""Contract change classification and version bump rules, table-driven on edits of one contract."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kfp_templates._producer.compat import compare_contracts, contract_from_text
from kfp_templates._producer.semver import check_version_bump, is_major_bump, suggest_version
from kfp_templates.contract import Contract, contract_from_document

BASE = Path(__file__).parents[1] / "cases" / "base" / "template_pipeline" / "contract.yaml"
Edit = Callable[[dict[str, Any]], None]


def _document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(BASE.read_text())
    return document


def _contract(document: dict[str, Any]) -> Contract:
    return contract_from_document(document, BASE)


def _edited(edit: Edit) -> Contract:
    document = copy.deepcopy(_document())
    edit(document)
    return _contract(document)


def _train(d: dict[str, Any]) -> dict[str, Any]:
    function: dict[str, Any] = d["functions"][1]
    return function


def _params(d: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = d["config"]["schema"]["properties"]["parameters"]["properties"]
    return properties


def _new_function(d: dict[str, Any]) -> None:
    d["functions"].append(
        {"module": "user.evaluate", "name": "evaluate", "parameters": [], "returns": "float"}
    )


def _new_function_same_module(d: dict[str, Any]) -> None:
    d["functions"].append(
        {"module": "user.train", "name": "score", "parameters": [], "returns": "float"}
    )


def _require_config_key(d: dict[str, Any]) -> None:
    parameters = d["config"]["schema"]["properties"]["parameters"]
    parameters["properties"]["bucket"] = {"type": "string"}
    parameters["required"] = ["bucket"]


def _require_existing_key(d: dict[str, Any]) -> None:
    parameters = d["config"]["schema"]["properties"]["parameters"]
    del parameters["properties"]["n_rows"]["default"]
    parameters["required"] = ["n_rows"]


CASES: list[tuple[str, Edit, list[str]]] = [
    ("no change", lambda d: None, []),
    ("new function in a new module", _new_function, ["VER201", "VER200"]),
    ("new function in an existing module", _new_function_same_module, ["VER200"]),
    ("function dropped", lambda d: d["functions"].pop(0), ["VER300"]),
    (
        "new parameter without default",
        lambda d: _train(d)["parameters"].insert(2, {"name": "folds", "annotation": "int"}),
        ["VER202"],
    ),
    (
        "new optional parameter",
        lambda d: _train(d)["parameters"].append(
            {
                "name": "verbose",
                "annotation": "bool",
                "default": "allowed",
                "stub_default": False,
                "kind": "keyword_only",
                "optional": True,
            }
        ),
        ["VER301"],
    ),
    (
        "new parameter with a default allowed is still passed: breaking",
        lambda d: _train(d)["parameters"].append(
            {"name": "verbose", "annotation": "bool", "default": "allowed", "kind": "keyword_only"}
        ),
        ["VER202"],
    ),
    (
        "new **kwargs parameter",
        lambda d: _train(d)["parameters"].append(
            {"name": "kw", "kind": "var_keyword", "default": "allowed"}
        ),
        ["VER202"],
    ),
    (
        "default forbidden now",
        lambda d: _train(d)["parameters"][2].update(default="forbidden"),
        ["VER203"],
    ),
    (
        "default required now",
        lambda d: _train(d)["parameters"][1].update(default="required", stub_default="y"),
        ["VER203", "VER304"],
    ),
    (
        "default allowed now",
        lambda d: _train(d)["parameters"][1].update(default="allowed"),
        ["VER302"],
    ),
    (
        "annotation changed",
        lambda d: _train(d)["parameters"][1].update(annotation="int"),
        ["VER204"],
    ),
    (
        "annotation respelled, same type",
        lambda d: _train(d)["parameters"][1].update(annotation=" str "),
        [],
    ),
    (
        "annotation dropped (any accepted)",
        lambda d: _train(d)["parameters"][1].pop("annotation"),
        ["VER302"],
    ),
    ("return annotation changed", lambda d: _train(d).update(returns="dict"), ["VER205"]),
    ("return annotation left open", lambda d: _train(d).pop("returns"), ["VER302"]),
    ("kind changed", lambda d: _train(d)["parameters"][1].update(kind="keyword_only"), ["VER206"]),
    (
        "order changed",
        lambda d: _train(d)["parameters"].insert(0, _train(d)["parameters"].pop(1)),
        ["VER206"],
    ),
    ("parameter without default removed", lambda d: _train(d)["parameters"].pop(1), ["VER207"]),
    (
        "parameter with allowed default removed",
        lambda d: _train(d)["parameters"].pop(2),
        ["VER302"],
    ),
    (
        "extra parameters forbidden",
        lambda d: _train(d).update(extra_parameters="forbidden"),
        ["VER208"],
    ),
    ("doc changed", lambda d: _train(d).update(doc="Fit it."), ["VER304"]),
    ("description changed", lambda d: d.update(description="Other."), ["VER304"]),
    ("config key removed", lambda d: _params(d).pop("n_rows"), ["VER210"]),
    (
        "new optional config key",
        lambda d: _params(d).update(seed={"type": "integer", "default": 0}),
        ["VER303"],
    ),
    ("new required config key", _require_config_key, ["VER211"]),
    ("existing key required now", _require_existing_key, ["VER211", "VER304"]),
    ("config type narrowed", lambda d: _params(d)["n_rows"].update(type="string"), ["VER212"]),
    ("config type widened", lambda d: _params(d)["n_rows"].update(type=["integer", "string"]), []),
    ("config bound narrowed", lambda d: _params(d)["n_rows"].update(minimum=10), ["VER212"]),
    ("config bound relaxed", lambda d: _params(d)["n_rows"].update(minimum=0), []),
    (
        "config enum narrowed",
        lambda d: _params(d).update(mode={"enum": ["a", "b"], "default": "a"}),
        ["VER303"],
    ),
    ("config default changed", lambda d: _params(d)["n_rows"].update(default=5), ["VER304"]),
    ("config file moved", lambda d: d["config"].update(path="settings.yaml"), ["VER213"]),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_classification(edit: Edit, expected: list[str]) -> None:
    changes = compare_contracts(_contract(_document()), _edited(edit))
    assert sorted(change.rule.id for change in changes) == sorted(expected)


def test_breaking_changes_come_first_and_say_what_to_do() -> None:
    def edit(d: dict[str, Any]) -> None:
        _train(d).update(doc="Fit it.")
        _train(d)["parameters"][1].update(annotation="int")

    changes = compare_contracts(_contract(_document()), _edited(edit))
    assert [change.breaking for change in changes] == [True, False]
    assert "annotate it as int" in changes[0].message
    assert changes[0].json_path == "/functions/1/parameters/1/annotation"


def test_enum_narrowing_of_existing_key() -> None:
    def before(d: dict[str, Any]) -> None:
        _params(d).update(mode={"enum": ["a", "b"], "default": "a"})

    def after(d: dict[str, Any]) -> None:
        _params(d).update(mode={"enum": ["a"], "default": "a"})

    changes = compare_contracts(_edited(before), _edited(after))
    assert [change.rule.id for change in changes] == ["VER212"]


def test_bundled_ref_followed() -> None:
    """`gcp` is a $ref to the bundled schema: keys dropped from it are seen through the ref."""

    def edit(d: dict[str, Any]) -> None:
        d["config"]["schema"]["properties"]["gcp"] = {
            "type": "object",
            "additionalProperties": False,
            "default": {},
            "properties": {"project": {"type": "string", "default": ""}},
        }

    changes = compare_contracts(_contract(_document()), _edited(edit))
    removed = sorted(c.message for c in changes if c.rule.id == "VER210")
    assert any("gcp.region" in message for message in removed)
    assert not any("gcp.project" in message for message in removed)


@pytest.mark.parametrize(
    ("old", "new", "major"),
    [
        ("1.2.3", "2.0.0", True),
        ("1.2.3", "1.3.0", False),
        ("0.2.1", "0.3.0", True),
        ("0.2.1", "0.2.2", False),
        ("0.9.0", "1.0.0", True),
        ("1.0.0", "1.0.0", False),
        ("2.0.0-rc.1", "2.0.0", False),
    ],
)
def test_is_major_bump(old: str, new: str, major: bool) -> None:
    assert is_major_bump(old, new) is major


def _bumped(edit: Edit, version: str) -> list[str]:
    old = _contract(_document())

    def with_version(d: dict[str, Any]) -> None:
        edit(d)
        d["version"] = version

    new = _edited(with_version)
    return [f.rule.id for f in check_version_bump(old, new, compare_contracts(old, new), "c.yaml")]


@pytest.mark.parametrize(
    ("edit", "version", "expected"),
    [
        (_new_function, "1.1.0", ["VER100"]),
        (_new_function, "2.0.0", []),
        (lambda d: _train(d).update(doc="x"), "1.0.1", []),
        (lambda d: _train(d).update(doc="x"), "1.0.0", ["VER101"]),
        (lambda d: None, "1.0.0", []),
        (lambda d: None, "0.9.0", ["VER102"]),
    ],
)
def test_version_bump(edit: Edit, version: str, expected: list[str]) -> None:
    assert _bumped(edit, version) == expected


def test_breaking_without_bump_message_names_the_version_to_use() -> None:
    old = _contract(_document())
    new = _edited(_new_function)
    new_doc = copy.deepcopy(new.raw)
    new_doc["version"] = "1.1.0"
    new = _contract(new_doc)
    [finding] = check_version_bump(old, new, compare_contracts(old, new), "c.yaml")
    assert "VER200" in finding.message
    assert finding.fix == "set version to 2.0.0"


@pytest.mark.parametrize(
    ("old", "breaking", "compatible", "expected"),
    [
        ("1.2.3", True, False, "2.0.0"),
        ("0.2.3", True, False, "0.3.0"),
        ("1.2.3", False, True, "1.3.0"),
        ("1.2.3", False, False, "1.2.4"),
    ],
)
def test_suggest_version(old: str, breaking: bool, compatible: bool, expected: str) -> None:
    edits: list[Edit] = []
    if breaking:
        edits.append(_new_function)
    if compatible:
        edits.append(lambda d: _params(d).update(seed={"type": "integer", "default": 0}))
    if not edits:
        edits.append(lambda d: _train(d).update(doc="x"))

    def edit(d: dict[str, Any]) -> None:
        for one in edits:
            one(d)

    changes = compare_contracts(_contract(_document()), _edited(edit))
    assert suggest_version(old, changes) == expected


def test_contract_from_text_reports_broken_contracts() -> None:
    contract, findings = contract_from_text(BASE.read_text(), "at-tag.yaml")
    assert contract is not None and not findings
    contract, findings = contract_from_text("functions: [", "at-tag.yaml")
    assert contract is None and findings[0].rule.id == "VER103"
    contract, findings = contract_from_text("name: x\n", "at-tag.yaml")
    assert contract is None and findings[0].rule.id.startswith("CON")


def test_refs_inside_bundled_definitions_resolve_against_the_bundle() -> None:
    """`task_options.cpu` is `#/$defs/quantity` of the bundle: a plain string is no narrowing."""

    def before(d: dict[str, Any]) -> None:
        d["config"]["schema"]["properties"]["steps"]["properties"]["train"] = {
            "$ref": "urn:kfp-templates:config#/$defs/task_options"
        }

    def after(d: dict[str, Any]) -> None:
        d["config"]["schema"]["properties"]["steps"]["properties"]["train"] = {
            "type": "object",
            "properties": {"cpu": {"type": "string"}, "memory": {"type": "integer"}},
        }

    changes = compare_contracts(_edited(before), _edited(after))
    narrowed = [c.message for c in changes if c.rule.id == "VER212"]
    assert len(narrowed) == 1 and "steps.train.memory" in narrowed[0]
