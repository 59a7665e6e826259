"""The committed flat draft 2020-12 meta-schema is jsonschema's own, inlined; and the fast check
of config schemas against it agrees with `check_schema`.

Run this file with Python to rewrite `schemas/draft2020-12.flat.schema.json` after a
jsonschema-specifications release changes the meta-schema.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema_specifications import REGISTRY

from kfp_templates._yamlio import YamlLoadError, load_yaml
from kfp_templates.contract._schemas import config_schema_is_valid

ROOT = Path(__file__).resolve().parents[2]
FLAT = ROOT / "src" / "kfp_templates" / "schemas" / "draft2020-12.flat.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
_BASE = "https://json-schema.org/draft/2020-12/"
_DROPPED = ("$schema", "$id", "$vocabulary", "$dynamicAnchor")


def flat_meta_schema() -> dict[str, Any]:
    """The dialect's meta-schema with each vocabulary under `$defs/NAME` and refs rewritten."""
    root = REGISTRY.contents(DIALECT)
    flat = _rewritten(root, "")
    for entry in root["allOf"]:
        name = entry["$ref"].removeprefix("meta/")
        vocabulary = REGISTRY.contents(_BASE + entry["$ref"])
        flat.setdefault("$defs", {})[name] = _rewritten(vocabulary, name)
    return flat


def _rewritten(value: Any, vocabulary: str) -> Any:
    if isinstance(value, list):
        return [_rewritten(item, vocabulary) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in _DROPPED:
            continue
        if key == "$dynamicRef" and item == "#meta":
            out["$ref"] = "#"  # the dynamic scope's outermost `meta` anchor: the dialect root
        elif key == "$ref" and item.startswith("meta/"):
            name, _, pointer = item.removeprefix("meta/").partition("#")
            out["$ref"] = f"#/$defs/{name}{pointer}"
        elif key == "$ref" and item.startswith("#/"):
            out["$ref"] = f"#/$defs/{vocabulary}/{item[2:]}" if vocabulary else item
        elif key in ("properties", "$defs"):
            out[key] = {name: _rewritten(sub, vocabulary) for name, sub in item.items()}
        elif key in ("default", "enum", "const"):
            out[key] = item
        else:
            out[key] = _rewritten(item, vocabulary)
    return out


def _text() -> str:
    return json.dumps(flat_meta_schema(), indent=1, sort_keys=False) + "\n"


def test_flat_meta_schema_is_current() -> None:
    assert FLAT.read_text(encoding="utf-8") == _text(), f"stale: run `python {__file__}`"


def test_no_dynamic_keyword_is_left() -> None:
    assert '"$dynamicRef": "' not in FLAT.read_text(encoding="utf-8")  # as a keyword, not a name


def _config_schemas() -> list[Any]:
    """Every config schema the suite's contracts hold, valid or not."""
    found = []
    for path in sorted(ROOT.glob("**/contract.yaml")):
        if ".venv" in path.parts:
            continue
        try:
            data = load_yaml(path.read_text(encoding="utf-8")).data
        except (YamlLoadError, UnicodeDecodeError):  # other tests' business
            continue
        schema = data.get("config", {}).get("schema") if isinstance(data, dict) else None
        if schema is not None:
            found.append(schema)
    return found


CONFIG_SCHEMAS = _config_schemas()
EDGES: list[Any] = [
    {"type": "object", "properties": {"a": {"pattern": "("}}},
    {"type": "objekt"},
    {"$ref": "#/$defs/a", "$defs": {"a": {"minimum": "1"}}},
    {"properties": {"a": {"$ref": "http://example.invalid/x"}}},
    {"properties": {"a": {"$ref": "urn:kfp-templates:config#/$defs/labels"}}},
    {"required": ["a", "a"]},
    {"$schema": DIALECT, "$id": "urn:x", "items": [{}]},
    {"properties": {"a": {"format": "date", "uniqueItems": 1}}},
    True,
    False,
    3,
]


@pytest.mark.parametrize("schema", [*CONFIG_SCHEMAS, *EDGES])
def test_fast_check_never_passes_what_check_schema_refuses(schema: Any) -> None:
    if config_schema_is_valid(schema):
        jsonschema.Draft202012Validator.check_schema(schema)


def test_fast_check_passes_the_bundled_templates() -> None:
    templates = sorted((ROOT / "producer_templates").glob("*/contract.yaml"))
    schemas = [load_yaml(p.read_text(encoding="utf-8")).data["config"]["schema"] for p in templates]
    assert schemas and all(map(config_schema_is_valid, schemas))


if __name__ == "__main__":
    FLAT.write_text(_text(), encoding="utf-8")
    sys.exit(0)
