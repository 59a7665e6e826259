"""Loading contracts: tool version first, meta-schema, then the contract rules."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from kfp_templates.contract import bundled_schema, is_valid, load_contract

from helpers import CASES

BASE = yaml.safe_load((CASES / "base/template_pipeline/contract.yaml").read_text())


def _load(tmp_path: Path, document: object) -> tuple[object, list[tuple[str, int | None]]]:
    path = tmp_path / "contract.yaml"
    path.write_text(document if isinstance(document, str) else yaml.safe_dump(document))
    contract, findings = load_contract(path, "contract.yaml")
    return contract, [(f.rule.id, f.location.line) for f in findings]


def _with(**changes: object) -> dict[str, object]:
    return {**BASE, **changes}


def test_base_contract_loads(tmp_path: Path) -> None:
    contract, findings = _load(tmp_path, BASE)
    assert findings == []
    assert contract is not None
    assert [f.qualified_name for f in contract.functions] == [
        "user.preprocess:preprocess",
        "user.train:train",
    ]
    assert contract.modules == ("user.preprocess", "user.train")
    assert contract.functions[1].parameters[2].kind == "keyword_only"


def _function(**changes: object) -> dict[str, object]:
    return {**BASE["functions"][0], **changes}  # type: ignore[index]


def _schema(schema: object) -> dict[str, object]:
    return _with(config={"schema": schema})


@pytest.mark.parametrize(
    ("document", "rule"),
    [
        ("a: [\n", "CON101"),
        (_with(min_tool_version="999.0"), "CON103"),
        (_with(min_tool_version="999.0", functions="not a list"), "CON103"),
        (_with(version="1.0"), "CON102"),
        (_with(contract_format=2), "CON102"),
        (_with(surprise=True), "CON102"),
        (_with(functions=[_function(module="preprocess")]), "CON102"),
        (_with(functions=[_function(), _function()]), "CON106"),
        (_with(functions=[_function(parameters=[{"name": "a"}, {"name": "a"}])]), "CON107"),
        (_with(functions=[_function(returns="dict[str")]), "CON108"),
        (_with(functions=[_function(module="user.class")]), "CON112"),
        (_with(functions=[_function(name="def")]), "CON112"),
        (_with(functions=[_function(parameters=[{"name": "lambda"}])]), "CON112"),
        (
            _with(
                functions=[
                    _function(parameters=[{"name": "a", "kind": "keyword_only"}, {"name": "b"}])
                ]
            ),
            "CON109",
        ),
        (_schema({"$ref": "https://example.invalid/schema.json"}), "CON105"),
        (_schema({"type": "objekt"}), "CON104"),
        (_schema({"properties": {"a": {"$ref": "#/$defs/missing"}}}), "CON110"),
        (
            _schema({"properties": {"a": {"$ref": "urn:kfp-templates:config#/$defs/nope"}}}),
            "CON110",
        ),
        (
            _schema(
                {
                    "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
                    "$ref": "#/$defs/a",
                }
            ),
            "CON110",
        ),
    ],
)
def test_broken_contracts(tmp_path: Path, document: object, rule: str) -> None:
    contract, findings = _load(tmp_path, document)
    assert contract is None
    assert rule in [found for found, _ in findings]


def test_ref_loop_below_the_root(tmp_path: Path) -> None:
    loop = {"$defs": {"a": {"$ref": "#/$defs/a"}}, "properties": {"x": {"$ref": "#/$defs/a"}}}
    _, findings = _load(tmp_path, _schema(loop))
    assert [rule for rule, _ in findings] == ["CON110"]


def test_recursive_schema_that_descends_is_fine(tmp_path: Path) -> None:
    tree = {
        "$defs": {
            "t": {"type": "object", "properties": {"kids": {"items": {"$ref": "#/$defs/t"}}}}
        },
        "$ref": "#/$defs/t",
    }
    contract, findings = _load(tmp_path, _schema(tree))
    assert (contract is not None, findings) == (True, [])


@pytest.mark.parametrize("path", ["../config.yaml", "/etc/config.yaml", "a/../../b.yaml", "c.txt"])
def test_config_path_stays_inside_the_project(tmp_path: Path, path: str) -> None:
    _, findings = _load(tmp_path, _with(config={"schema": {}, "path": path}))
    assert [rule for rule, _ in findings] == ["CON102"]


def test_unreadable_contract(tmp_path: Path) -> None:
    (tmp_path / "contract.yaml").mkdir()
    contract, findings = load_contract(tmp_path / "contract.yaml", "contract.yaml")
    assert contract is None
    assert [f.rule.id for f in findings] == ["CON100"]


def _parse_or_none(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8", errors="replace"))
    except yaml.YAMLError:
        return None


def _documents() -> list[object]:
    files = [*Path("producer_templates").glob("*/contract.yaml"), *CASES.rglob("contract.yaml")]
    loaded = [_parse_or_none(path) for path in files if "bomb" not in path.parent.parent.name]
    mutated = [_with(**{key: value}) for key in BASE for value in (None, 1, "x", [], {})]
    return [*loaded, *mutated, *(_function(**{k: None}) for k in BASE["functions"][0])]


def test_fast_meta_schema_check_never_passes_what_jsonschema_fails() -> None:
    meta = bundled_schema("contract")
    validator = jsonschema.Draft202012Validator(meta)
    for document in _documents():
        if is_valid(meta, document, meta):
            assert list(validator.iter_errors(document)) == [], document


def test_missing_contract(tmp_path: Path) -> None:
    contract, findings = load_contract(tmp_path / "nope.yaml", "nope.yaml")
    assert contract is None
    assert [f.rule.id for f in findings] == ["CON100"]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "contract.yaml"
    path.write_bytes(b"name: \xff\xfe\n")
    _, findings = load_contract(path, "contract.yaml")
    assert [f.rule.id for f in findings] == ["CON101"]


def test_meta_schema_finding_points_at_the_line(tmp_path: Path) -> None:
    text = yaml.safe_dump(BASE, sort_keys=False).replace("version: 1.0.0", "version: one")
    _, findings = _load(tmp_path, text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("version:"))
    assert ("CON102", line) in findings
