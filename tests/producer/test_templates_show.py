"""`templates show`: defaults written as in config.yaml, and `--format json` for tools.

Table-driven over the three bundled templates: every default the text shows reads back, as
YAML, to the default the JSON gives, and no Python repr (True, None, 'quoted') is left.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from kfp_templates._cli.main import main
from kfp_templates._producer.catalogue import config_rows

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = ("tabular_training", "batch_prediction", "custom_component")
ROW = re.compile(r"^\| (?P<key>[\w.]+) \| (?P<type>.*?) \| (?P<default>.*?) \| .*\|$")
PYTHON_REPRS = re.compile(r"\b(True|False|None)\b|^'[^']+'$")
TOP_KEYS = ["name", "version", "description", "functions", "config_path", "config"]


def show(capsys: pytest.CaptureFixture[str], name: str, *options: str) -> str:
    assert main(["templates", "show", name, "--root", str(REPO), *options]) == 0
    return capsys.readouterr().out


def text_defaults(out: str) -> dict[str, str]:
    """Config key -> the default cell, without its backticks (config rows only)."""
    config = out.split("## Config", 1)[1]
    rows = (ROW.match(line) for line in config.splitlines())
    return {m["key"]: m["default"] for m in rows if m and m["key"] != "key"}


@pytest.mark.parametrize("template", TEMPLATES)
def test_text_defaults_are_yaml_the_json_agrees_with(
    template: str, capsys: pytest.CaptureFixture[str]
) -> None:
    defaults = text_defaults(show(capsys, template))
    data = json.loads(show(capsys, template, "--format", "json"))
    by_key = {row["key"]: row for row in data["config"]}
    assert list(defaults) == list(by_key)
    for key, cell in defaults.items():
        row = by_key[key]
        if "default" not in row:
            assert cell in ("", "(required)"), key
            assert (cell == "(required)") == row["required"], key
            continue
        assert cell.startswith("`") and cell.endswith("`"), (key, cell)
        written = cell[1:-1]
        assert not PYTHON_REPRS.search(written), (key, written)
        assert yaml.safe_load(written) == row["default"], key


@pytest.mark.parametrize(
    ("template", "key", "cell"),
    [
        ("tabular_training", "run.enable_caching", "`true`"),
        ("tabular_training", "parameters.target_column", "`target`"),
        ("tabular_training", "parameters.threshold", "`0.7`"),
        ("tabular_training", "parameters.source", "`''`"),
        ("batch_prediction", "gcp.labels", "`{}`"),
        ("batch_prediction", "steps.ingest.accelerator.type", None),  # shared: as sample_model
        ("batch_prediction", "steps.sample_model.accelerator.type", "(required)"),
        ("custom_component", "parameters.pipeline_name", "`custom-component-test`"),
        ("custom_component", "run.local.step_timeout_seconds", "`1800`"),
    ],
)
def test_text_defaults(
    template: str, key: str, cell: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert text_defaults(show(capsys, template)).get(key) == cell


@pytest.mark.parametrize("template", TEMPLATES)
def test_json_is_stable_and_complete(template: str, capsys: pytest.CaptureFixture[str]) -> None:
    first = show(capsys, template, "--format", "json")
    assert show(capsys, template, "--format", "json") == first
    assert first.isascii()  # as validate's JSON: any stdout encoding can carry it
    data = json.loads(first)
    assert list(data) == TOP_KEYS
    assert data["name"] == template
    for function in data["functions"]:
        assert list(function) == ["function", "file", "signature", "doc"]
        assert function["signature"].startswith(("def ", "async def "))
    for row in data["config"]:
        expected = [
            "key",
            "type",
            "required",
            *(["default"] if "default" in row else []),
            "description",
        ]
        assert list(row) == expected


def test_json_names_the_same_functions_as_the_text(capsys: pytest.CaptureFixture[str]) -> None:
    text = show(capsys, "tabular_training")
    data = json.loads(show(capsys, "tabular_training", "--format", "json"))
    assert [f["function"] for f in data["functions"]] == [
        "user.preprocess:preprocess",
        "user.train:train",
        "user.evaluate:evaluate",
    ]
    for function in data["functions"]:
        assert f"| {function['function']} | `{function['signature']}` |" in text


@pytest.mark.parametrize(
    ("default", "cell"),
    [
        (True, "`true`"),
        (None, "`null`"),
        ("hello", "`hello`"),
        ("1", "`'1'`"),  # a string YAML would read as a number keeps its quotes
        ("yes", "`'yes'`"),
        (["a", 2], "`[a, 2]`"),
        ({"k": "v"}, "`{k: v}`"),
    ],
)
def test_default_cell_is_written_as_in_config_yaml(default: Any, cell: str) -> None:
    [row] = config_rows({"properties": {"x": {"default": default}}})
    assert row.default == cell
    assert (row.has_default, row.default_value) == (True, default)
    assert yaml.safe_load(cell.strip("`")) == default


def test_enum_type_is_written_as_yaml() -> None:
    [row] = config_rows({"properties": {"mode": {"enum": ["fast", "1", None, True]}}})
    assert row.type == "fast | '1' | null | true"
