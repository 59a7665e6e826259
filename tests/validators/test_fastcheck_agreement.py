"""fastcheck decides every valid config without jsonschema: wherever it says "valid", the
defaulting jsonschema validator finds no error and fills in the very same defaults.

Inputs: every config of the case trees and bundled templates under its contract's schema, and
mutations of the base config (values of other types, out of range, unknown keys).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from referencing.exceptions import Unresolvable

from kfp_templates._yamlio import YamlLoadError, load_yaml
from kfp_templates.contract._fastcheck import is_valid
from kfp_templates.contract._schemas import bundled_documents, bundled_registry
from kfp_templates.validators._config_defaults import defaulting_validator

from helpers import CASES

ROOT = Path(__file__).resolve().parents[2]
BASE_CONTRACT = CASES / "base" / "template_pipeline" / "contract.yaml"


def _load(path: Path) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8")).data
    except (OSError, YamlLoadError, UnicodeDecodeError, ValueError):
        return None


def _pairs() -> list[tuple[str, Any, Any]]:
    """(id, config schema, config data) for each tree holding a readable config and contract."""
    trees = [p.parent for p in sorted(CASES.glob("*/*/config.yaml"))]
    trees += [CASES / "base"]
    trees += [p / "reference" for p in sorted((ROOT / "producer_templates").iterdir())]
    found = []
    for tree in trees:
        contract_path = tree / "template_pipeline" / "contract.yaml"
        if tree.name == "reference":
            contract_path = tree.parent / "contract.yaml"
        if not contract_path.is_file():
            contract_path = BASE_CONTRACT
        contract, config = _load(contract_path), _load(tree / "config.yaml")
        schema = contract.get("config", {}).get("schema") if isinstance(contract, dict) else None
        if isinstance(schema, dict) and isinstance(config, dict):
            found.append((str(tree.relative_to(ROOT)), schema, config))
    return found


PAIRS = _pairs()


def _agree(schema: Any, config: Any) -> bool:
    """Assert the agreement for one input; return fastcheck's verdict."""
    fast = copy.deepcopy(config)
    verdict = is_valid(schema, fast, schema, documents=bundled_documents(), fill=True)
    slow = copy.deepcopy(config)
    try:
        errors = list(defaulting_validator(schema, bundled_registry()).iter_errors(slow))
    except (RecursionError, Unresolvable):  # a broken schema: config.py reports it
        assert not verdict
        return verdict
    if verdict:
        assert errors == []
        assert fast == slow
    return verdict


@pytest.mark.parametrize(("tree", "schema", "config"), PAIRS, ids=[p[0] for p in PAIRS])
def test_fastcheck_agrees_on_case_trees(tree: str, schema: Any, config: Any) -> None:
    _agree(schema, config)


def test_fastcheck_decides_the_valid_trees() -> None:
    valid = [(t, s, c) for t, s, c in PAIRS if "/invalid/" not in t]
    assert valid
    assert [t for t, s, c in valid if not _agree(s, c)] == []


VALUES = st.none() | st.booleans() | st.integers(-3, 200) | st.floats(-1, 2) | st.text(max_size=3)
BASE_SCHEMA = _load(BASE_CONTRACT)["config"]["schema"]
BASE_CONFIG = _load(CASES / "base" / "config.yaml")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["parameters", "steps", "gcp", "extra"]),
    st.sampled_from(["target_column", "test_fraction", "train", "project", "region", "cpu"]),
    VALUES | st.dictionaries(st.sampled_from(["cpu", "memory", "x"]), VALUES, max_size=2),
)
def test_fastcheck_agrees_on_mutated_base_configs(section: str, key: str, value: Any) -> None:
    config = copy.deepcopy(BASE_CONFIG)
    config.setdefault(section, {})
    if isinstance(config[section], dict):
        config[section][key] = value
    _agree(BASE_SCHEMA, config)
