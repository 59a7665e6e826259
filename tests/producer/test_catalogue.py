"""`templates list` and `templates show`: the catalogue rendered from contracts alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kfp_templates._cli.main import main
from kfp_templates._producer.catalogue import config_rows, signature
from kfp_templates.contract import FunctionSpec, ParameterSpec


@pytest.fixture
def repo(template_repo: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A repository with one scaffolded template, alpha."""
    assert main(["new-template", "alpha", "--root", str(template_repo)]) == 0
    capsys.readouterr()
    return template_repo


def test_list(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "list", str(repo)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "| template | version | functions | description |"
    assert lines[2].startswith("| alpha | 0.1.0 | user.process:process | One step:")


def test_list_json_and_broken_contract(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = repo / "producer_templates" / "broken" / "contract.yaml"
    broken.parent.mkdir()
    broken.write_text("name: [\n")
    assert main(["templates", "list", str(repo), "--format", "json"]) == 2
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["alpha"]["functions"] == ["user.process:process"]
    assert rows["broken"]["broken"] is True


def test_show(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "show", "alpha", "--root", str(repo)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# alpha 0.1.0\n")
    assert (
        "| user.process:process | `def process(message: str, *, repeat: int = 1) -> str` | "
        "Turn the configured message into the text the pipeline stores. |"
    ) in out
    assert "| parameters.message | string | `hello` | Text passed to process(). |" in out
    assert "| steps.process.cpu | string |  | A Kubernetes quantity: " in out  # bundled, resolved
    assert "| gcp.region | string | `europe-west4` |  |" in out


def test_show_accepts_a_path(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "producer_templates" / "alpha"
    assert main(["templates", "show", str(path)]) == 0
    assert "# alpha 0.1.0" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "message"),
    [("gamma", "no template named 'gamma'"), ("Not A Name", "neither a template name")],
)
def test_show_unknown(
    repo: Path, name: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["templates", "show", name, "--root", str(repo)]) == 2
    assert message in capsys.readouterr().err


def test_catalogue_does_not_import_kfp(repo: Path) -> None:
    code = (
        "import sys; from kfp_templates._cli.main import main; "
        f"main(['templates', 'show', 'alpha', '--root', {str(repo)!r}]); "
        "sys.exit(3 if 'kfp' in sys.modules else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _p(name: str, kind: str = "positional_or_keyword", **kw: object) -> ParameterSpec:
    return ParameterSpec(name=name, kind=kind, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ((), "def f() -> None"),
        ((_p("a", "positional_only"), _p("b")), "def f(a, /, b) -> None"),
        ((_p("a", annotation="int"), _p("k", "keyword_only")), "def f(a: int, *, k) -> None"),
        ((_p("args", "var_positional"), _p("k", "keyword_only")), "def f(*args, k) -> None"),
        ((_p("kw", "var_keyword", annotation="str"),), "def f(**kw: str) -> None"),
        ((_p("s", default="allowed", stub_default="'x'"),), "def f(s='x') -> None"),
    ],
)
def test_signature(parameters: tuple[ParameterSpec, ...], expected: str) -> None:
    assert signature(FunctionSpec("user.m", "f", parameters, "None")) == expected


def test_shared_definition_expanded_once() -> None:
    ref = {"$ref": "urn:kfp-templates:config#/$defs/task_options"}
    schema = {"properties": {"steps": {"properties": {"a": ref, "b": ref}}}}
    rows = {row.name: row.type for row in config_rows(schema)}
    assert rows["steps.a.memory"] == "string"  # through the bundle's own #/$defs/quantity
    assert rows["steps.b"] == "task_options, as steps.a.*"
    assert not any(name.startswith("steps.b.") for name in rows)


def test_config_rows_mark_required_keys() -> None:
    schema = {
        "type": "object",
        "required": ["bucket"],
        "properties": {
            "bucket": {"type": "string", "description": "Where.\nMore."},
            "mode": {"enum": ["a", "b"], "default": "a"},
            "nested": {"$ref": "#/$defs/n"},
        },
        "$defs": {"n": {"type": "object", "properties": {"x": {"type": ["integer", "null"]}}}},
    }
    rows = [(r.name, r.type, r.default, r.description) for r in config_rows(schema)]
    assert rows == [
        ("bucket", "string", "(required)", "Where."),
        ("mode", "a | b", "`a`", ""),
        ("nested.x", "integer | null", "", ""),
    ]
