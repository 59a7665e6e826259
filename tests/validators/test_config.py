"""validators/config.py: loading, schema findings pointing into the YAML, defaults."""

from __future__ import annotations

import copy
import socket
from pathlib import Path
from typing import Any

import pytest

from kfp_templates._errors import ConsumerError, ContractError
from kfp_templates._findings import Severity
from kfp_templates._layout import ProjectLayout, find_layout
from kfp_templates._records import replace
from kfp_templates.contract import Contract, load_contract
from kfp_templates.validators.config import (
    LoadedConfig,
    check_config,
    load_config,
    require_valid_config,
)

from helpers import CASES, materialise_case

BOMB = "".join(
    f"{name}: &{name} [{', '.join([prev] * 10)}]\n"
    for name, prev in zip("abcdef", ['"x"', "*a", "*b", "*c", "*d", "*e"], strict=True)
)


@pytest.fixture
def project(tmp_path: Path) -> tuple[ProjectLayout, Contract]:
    """A copy of the base case project and its loaded contract."""
    layout = find_layout(materialise_case(CASES / "valid" / "__none__", tmp_path / "p"))
    contract, findings = load_contract(layout.contract_path, "contract.yaml")
    assert contract is not None, findings
    return layout, contract


def _load(project: tuple[ProjectLayout, Contract], content: str | bytes | None) -> LoadedConfig:
    layout, contract = project
    path = layout.root / contract.config_path
    if content is None:
        path.unlink()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return load_config(layout, contract)


def _only(loaded: LoadedConfig) -> tuple[str, int | None, int | None]:
    assert len(loaded.findings) == 1, loaded.findings
    finding = loaded.findings[0]
    assert finding.fix, "every finding says what to do"
    assert finding.location.path == "config.yaml"
    return finding.rule.id, finding.location.line, finding.location.column


@pytest.mark.parametrize(
    ("content", "rule", "line", "column"),
    [
        pytest.param(None, "CFG100", None, None, id="missing"),
        pytest.param(b"parameters:\n  target_column: \xff\n", "CFG102", 2, 18, id="not-utf8"),
        pytest.param("parameters:\n  target_column: [label\n", "CFG103", 3, 1, id="syntax"),
        pytest.param("parameters:\n\ttarget_column: x\n", "CFG103", 2, 1, id="tab"),
        pytest.param("gcp: {}\n---\nimage: {}\n", "CFG103", 2, 1, id="two-documents"),
        pytest.param("parameters:\n  n_rows: 1\x08\n", "CFG103", 2, 12, id="control-char"),
        pytest.param("gcp: {}\nimage: {}\ngcp: {}\n", "CFG104", 3, 1, id="duplicate-key"),
        pytest.param(BOMB, "CFG105", None, None, id="alias-bomb"),
        pytest.param("gcp: &a\n  labels: *a\n", "CFG106", 1, 6, id="recursive-alias"),
        pytest.param("x: " + "[" * 300 + "]" * 300 + "\n", "CFG107", 1, 204, id="too-deep"),
        pytest.param("gcp: !secret x\n", "CFG109", 1, 6, id="custom-tag"),
        pytest.param("gcp: !!python/name:os.system x\n", "CFG109", 1, 6, id="python-tag"),
        pytest.param(
            "gcp: !!python/object:os.system {}\n",
            "CFG109",
            1,
            6,
            id="tag-on-mapping",
        ),
        pytest.param(
            "steps: !custom [1]\n",
            "CFG109",
            1,
            8,
            id="tag-on-sequence",
        ),
        pytest.param("parameters:\n  1: x\n", "CFG110", 2, 3, id="int-key"),
        pytest.param("parameters:\n  ~: x\n", "CFG110", 2, 3, id="null-key"),
        pytest.param("? [a]\n: 1\n", "CFG110", 1, 3, id="list-key"),
        pytest.param("- parameters\n", "CFG111", 1, 1, id="list-root"),
        pytest.param("just text\n", "CFG111", 1, 1, id="scalar-root"),
    ],
)
def test_unusable_files(
    project: tuple[ProjectLayout, Contract],
    content: str | bytes | None,
    rule: str,
    line: int | None,
    column: int | None,
) -> None:
    loaded = _load(project, content)
    found = _only(loaded)
    assert found[0] == rule
    if line is not None:
        assert found[1:] == (line, column)
    assert loaded.data == {}


def test_config_path_is_a_directory(project: tuple[ProjectLayout, Contract]) -> None:
    layout, contract = project
    (layout.root / contract.config_path).unlink()
    (layout.root / contract.config_path).mkdir()
    assert _only(load_config(layout, contract))[0] == "CFG101"


def test_too_large_file_is_not_read(
    project: tuple[ProjectLayout, Contract], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kfp_templates.validators.config.MAX_BYTES", 10)
    assert _only(_load(project, "parameters: {}\n"))[0] == "CFG108"


@pytest.mark.parametrize("content", ["", "# only a comment\n", "---\n"])
def test_empty_file_is_a_warning_and_takes_defaults(
    project: tuple[ProjectLayout, Contract], content: str
) -> None:
    loaded = _load(project, content)
    assert [f.rule.id for f in loaded.findings] == ["CFG112"]
    assert loaded.findings[0].severity is Severity.WARNING
    assert loaded.errors == ()
    assert loaded.data["parameters"]["target_column"] == "y"


def test_utf8_bom_is_accepted(project: tuple[ProjectLayout, Contract]) -> None:
    loaded = _load(project, "\ufeffparameters:\n  n_rows: 5\n".encode())
    assert loaded.findings == ()
    assert loaded.data["parameters"]["n_rows"] == 5


@pytest.mark.parametrize(
    ("content", "expected", "words"),
    [
        pytest.param("paramters: {}\n", ("CFG113", 1, 1), "did you mean `parameters`?", id="top"),
        pytest.param(
            "steps:\n  train:\n    cpus: '2'\n",
            ("CFG113", 3, 5),
            "did you mean `cpu`?",
            id="nested",
        ),
        pytest.param("Image: {}\n", ("CFG113", 1, 1), "did you mean `image`?", id="case"),
        pytest.param("zzz: 1\n", ("CFG113", 1, 1), "unknown key `zzz` at the top level", id="far"),
        pytest.param(
            "steps:\n  train:\n    accelerator: {count: 2}\n",
            ("CFG114", 3, 5),
            "`steps.train.accelerator` is missing required key(s) `type`",
            id="required",
        ),
        pytest.param(
            "parameters:\n  n_rows: '5'\n",
            ("CFG115", 2, 11),
            "must be an integer, not text",
            id="string-for-int",
        ),
        pytest.param(
            "steps:\n  train:\n    cpu: 2\n",
            ("CFG115", 3, 10),
            "`steps.train.cpu` must be text",
            id="int-for-string",
        ),
        pytest.param("gcp:\n", ("CFG115", 1, 5), "must be a mapping, not null", id="null-section"),
        pytest.param(
            "parameters:\n  test_fraction: 1.5\n",
            ("CFG116", 2, 18),
            "parameters.test_fraction",
            id="range",
        ),
        pytest.param("gcp:\n  region: Europe\n", ("CFG116", 2, 11), "does not match", id="pattern"),
        pytest.param(
            "steps:\n  train:\n    cpu: two\n",
            ("CFG116", 3, 10),
            '`steps.train.cpu`: "two" is not valid here',
            id="pattern-described-in-words",
        ),
        pytest.param(
            'image:\n  base_image: "python:3.11\\nRUN touch /pwned"\n',
            ("CFG116", 2, 15),
            "`image.base_image`",
            id="base-image-injection",
        ),
        pytest.param(
            "steps:\n  train:\n    tolerations:\n      - {key: a, effect: Never}\n",
            ("CFG116", 4, 26),
            "`steps.train.tolerations[0].effect`",
            id="enum-in-list",
        ),
        pytest.param(
            "gcp:\n  labels:\n    Team: ml\n",
            ("CFG117", 3, 5),
            "key `Team` under `gcp.labels`",
            id="label-key",
        ),
    ],
)
def test_schema_findings_point_into_the_yaml(
    project: tuple[ProjectLayout, Contract],
    content: str,
    expected: tuple[str, int, int],
    words: str,
) -> None:
    loaded = _load(project, content)
    assert _only(loaded) == expected
    assert words in loaded.findings[0].message


def test_a_described_pattern_is_explained_without_the_regex(
    project: tuple[ProjectLayout, Contract],
) -> None:
    (finding,) = _load(project, "steps:\n  train:\n    cpu: 2 cores\n").findings
    assert "^" not in finding.message + finding.fix and "500m (half a CPU)" in finding.fix


def test_every_problem_is_reported_once(project: tuple[ProjectLayout, Contract]) -> None:
    text = "paramters: {}\nsteps:\n  train:\n    cpu: 2\n    accelerator: {count: 0}\n"
    loaded = _load(project, text)
    rules = sorted(f.rule.id for f in loaded.findings)
    assert rules == ["CFG113", "CFG114", "CFG115", "CFG116"]


def test_quoting_hint_for_numbers_where_text_is_expected(
    project: tuple[ProjectLayout, Contract],
) -> None:
    loaded = _load(project, "steps:\n  train:\n    memory: 4\n")
    assert "quotes" in loaded.findings[0].fix


def test_defaults_fill_missing_sections(project: tuple[ProjectLayout, Contract]) -> None:
    loaded = _load(project, "{}\n")
    assert loaded.findings == ()
    data = loaded.data
    assert data["parameters"] == {"target_column": "y", "test_fraction": 0.2, "n_rows": 100}
    assert data["steps"] == {}
    assert data["gcp"]["labels"] == {}  # default written at the target of a $ref
    assert data["run"]["local"] == {"pipeline_root": "local_outputs", "step_timeout_seconds": 1800}
    assert data["image"]["name"] == "kfp-project"


def test_user_values_win_over_defaults(project: tuple[ProjectLayout, Contract]) -> None:
    loaded = _load(project, "run:\n  local: {step_timeout_seconds: 5}\n")
    assert loaded.data["run"]["local"] == {
        "pipeline_root": "local_outputs",
        "step_timeout_seconds": 5,
    }


def test_defaults_never_mutate_the_schema(project: tuple[ProjectLayout, Contract]) -> None:
    layout, contract = project
    before = copy.deepcopy(contract.config_schema)
    first = _load(project, "{}\n")
    first.data["run"]["local"]["pipeline_root"] = "changed"
    first.data["gcp"]["labels"]["team"] = "changed"
    second = load_config(layout, contract)
    assert contract.config_schema == before
    assert second.data["run"]["local"]["pipeline_root"] == "local_outputs"
    assert second.data["gcp"]["labels"] == {}


def _with_schema(
    project: tuple[ProjectLayout, Contract], schema: dict[str, Any], text: str
) -> LoadedConfig:
    layout, contract = project
    custom = replace(contract, config_schema=schema)
    (layout.root / contract.config_path).write_text(text, encoding="utf-8")
    return load_config(layout, custom)


def test_any_of_reports_the_best_sub_error(project: tuple[ProjectLayout, Contract]) -> None:
    closed = {"type": "object", "additionalProperties": False, "properties": {"name": {}}}
    schema = {"properties": {"x": {"anyOf": [{"type": "string"}, closed]}}}
    loaded = _with_schema(project, schema, "x:\n  nmae: a\n")
    assert _only(loaded) == ("CFG113", 2, 3)
    assert "did you mean `name`?" in loaded.findings[0].message


def test_unevaluated_properties_names_only_the_extra_keys(
    project: tuple[ProjectLayout, Contract],
) -> None:
    schema = {"unevaluatedProperties": False, "allOf": [{"properties": {"alpha": {}}}]}
    loaded = _with_schema(project, schema, "alpha: 1\nalpah: 2\n")
    assert _only(loaded) == ("CFG113", 2, 1)
    assert "did you mean `alpha`?" in loaded.findings[0].message


def test_a_property_named_property_names_is_an_ordinary_value(
    project: tuple[ProjectLayout, Contract],
) -> None:
    schema = {"properties": {"propertyNames": {"type": "string"}}}
    loaded = _with_schema(project, schema, "propertyNames: 3\n")
    assert _only(loaded) == ("CFG115", 1, 16)


def test_a_bad_default_is_blamed_on_the_template(project: tuple[ProjectLayout, Contract]) -> None:
    schema = {"properties": {"region": {"type": "string", "pattern": "^[a-z]+$", "default": "EU"}}}
    loaded = _with_schema(project, schema, "{}\n")
    [finding] = loaded.findings
    assert finding.rule.id == "CFG116"
    assert "the template's default" in finding.message
    assert finding.fix.startswith("set `region` yourself")


def test_failed_branches_leave_no_defaults(project: tuple[ProjectLayout, Contract]) -> None:
    first = {"required": ["b"], "properties": {"a": {"default": 1}}}
    second = {"properties": {"c": {"default": 2}}}
    condition = {"required": ["q"], "properties": {"k": {"default": 3}}}
    schema = {
        "properties": {
            "x": {"type": "object", "anyOf": [first, second], "default": {}},
            "y": {"oneOf": [first, second], "default": {}},
            "z": {"if": condition, "then": {}, "not": first, "default": {}},
        }
    }
    loaded = _with_schema(project, schema, "{}\n")
    assert loaded.findings == ()
    assert loaded.data == {"x": {"c": 2}, "y": {"c": 2}, "z": {}}


def test_ref_loop_is_the_producers_problem(project: tuple[ProjectLayout, Contract]) -> None:
    schema = {"$defs": {"a": {"$ref": "#/$defs/a"}}, "properties": {"x": {"$ref": "#/$defs/a"}}}
    loaded = _with_schema(project, schema, "x: 1\n")
    assert [f.rule.id for f in loaded.findings] == ["CON110"]
    assert loaded.findings[0].is_producer_problem


def test_remote_ref_is_never_fetched(
    project: tuple[ProjectLayout, Contract], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    schema = {"properties": {"x": {"$ref": "https://example.invalid/schema.json"}}}
    loaded = _with_schema(project, schema, "x: 1\n")
    assert [f.rule.id for f in loaded.findings] == ["CON110"]


def test_producer_template_reads_its_reference_config(tmp_path: Path) -> None:
    contract_text = (CASES / "base" / "template_pipeline" / "contract.yaml").read_text()
    template = tmp_path / "producer_templates" / "case_base"
    (template / "reference").mkdir(parents=True)
    (template / "contract.yaml").write_text(contract_text, encoding="utf-8")
    (template / "reference" / "config.yaml").write_text("paramters: {}\n", encoding="utf-8")
    layout = find_layout(template)
    contract, _ = load_contract(layout.contract_path, "contract.yaml")
    assert contract is not None
    findings = list(check_config(layout, contract))
    assert [(f.rule.id, f.location.path) for f in findings] == [("CFG113", "config.yaml")]


def test_custom_config_path(project: tuple[ProjectLayout, Contract]) -> None:
    layout, contract = project
    custom = replace(contract, config_path="conf/settings.yaml")
    (layout.root / "conf").mkdir()
    (layout.root / "conf" / "settings.yaml").write_text("paramters: {}\n", encoding="utf-8")
    findings = list(check_config(layout, custom))
    assert [(f.rule.id, f.location.path) for f in findings] == [("CFG113", "conf/settings.yaml")]


def test_check_config_reports_what_load_config_finds(
    project: tuple[ProjectLayout, Contract],
) -> None:
    layout, contract = project
    loaded = _load(project, "paramters: {}\nzzz: 2\n")
    assert tuple(check_config(layout, contract)) == loaded.findings


def test_require_valid_config_returns_data_with_defaults(
    project: tuple[ProjectLayout, Contract],
) -> None:
    layout, contract = project
    data = require_valid_config(layout, contract)
    assert data["parameters"]["target_column"] == "label"
    assert data["parameters"]["n_rows"] == 100


def test_require_valid_config_names_the_findings(project: tuple[ProjectLayout, Contract]) -> None:
    layout, contract = project
    _load(project, "a: 1\nb: 2\nc: 3\nd: 4\nparameters:\n  n_rows: x\n")
    with pytest.raises(ConsumerError) as raised:
        require_valid_config(layout, contract)
    message = raised.value.message
    assert "CFG113" in message
    assert "config.yaml:1:1" in message
    assert "and 2 more" in message
    assert "run `kfp-templates validate`" in message
    assert raised.value.hint


def test_require_valid_config_blames_a_broken_schema_on_the_producer(
    project: tuple[ProjectLayout, Contract],
) -> None:
    layout, contract = project
    schema = {"$defs": {"a": {"$ref": "#/$defs/a"}}, "properties": {"x": {"$ref": "#/$defs/a"}}}
    (layout.root / "config.yaml").write_text("x: 1\n", encoding="utf-8")
    with pytest.raises(ContractError):
        require_valid_config(layout, replace(contract, config_schema=schema))


def test_require_valid_config_ignores_warnings(project: tuple[ProjectLayout, Contract]) -> None:
    layout, contract = project
    _load(project, "")
    assert require_valid_config(layout, contract)["image"]["name"] == "kfp-project"
