"""Stubs from contracts: exact signatures, committed stubs in sync, consumer `--missing`."""

from __future__ import annotations

import ast
import inspect
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from kfp_templates._cli.main import main
from kfp_templates._stubs import drift, render_stubs
from kfp_templates.contract import Contract, bundled_registry, load_contract

from helpers import CASES, build_file_tree

REPO = Path(__file__).resolve().parent.parent
PRODUCER_TEMPLATES = sorted(p.parent for p in (REPO / "producer_templates").glob("*/contract.yaml"))
BASE_CONTRACT = (CASES / "base" / "template_pipeline" / "contract.yaml").read_text()

SIGNATURE_CASES = {
    "all kinds": (
        """
      - {name: a, kind: positional_only, annotation: int}
      - {name: b, annotation: str, default: required, stub_default: "'x'"}
      - {name: rest, kind: var_positional}
      - {name: c, kind: keyword_only, annotation: "list[int] | None", default: allowed,
         stub_default: null}
      - {name: options, kind: var_keyword, annotation: typing.Any}
        """,
        "(a: int, /, b: str = 'x', *rest, c: list[int] | None = None, **options: Any) -> None",
    ),
    "bare star before keyword-only": (
        """
      - {name: df, annotation: pandas.DataFrame}
      - {name: seed, kind: keyword_only, annotation: int}
        """,
        "(df: pandas.DataFrame, *, seed: int) -> None",
    ),
    "allowed default without stub_default stays required": (
        """
      - {name: x, annotation: float, default: allowed}
        """,
        "(x: float) -> None",
    ),
    "nested dotted names import their module": (
        """
      - {name: m, annotation: "collections.abc.Mapping[str, pandas.DataFrame]"}
        """,
        "(m: collections.abc.Mapping[str, pandas.DataFrame]) -> None",
    ),
}


def _contract(
    tmp_path: Path, parameters: str, returns: str | None = "None", extra: str = ""
) -> Contract:
    returns_line = f"    returns: {returns}\n" if returns is not None else ""
    text = BASE_CONTRACT.replace(
        "functions:\n",
        "functions:\n  - module: user.extra.deep\n    name: special\n    doc: Special.\n"
        f"    parameters:{parameters.rstrip()}\n{returns_line}{extra}",
        1,
    )
    path = build_file_tree(tmp_path, {"contract.yaml": text}) / "contract.yaml"
    contract, findings = load_contract(path, "contract.yaml")
    assert contract is not None, findings
    return contract


def _stub_texts(contract: Contract) -> dict[str, str]:
    return {stub.path: stub.text for stub in render_stubs(contract)}


@pytest.mark.parametrize(("parameters", "expected"), SIGNATURE_CASES.values(), ids=SIGNATURE_CASES)
def test_signature_is_exact(tmp_path: Path, parameters: str, expected: str) -> None:
    texts = _stub_texts(_contract(tmp_path, parameters))
    assert "user/extra/__init__.py" in texts
    namespace: dict[str, object] = {}
    exec(
        compile(texts["user/extra/deep.py"], "deep.py", "exec", dont_inherit=True), namespace
    )  # the real thing
    assert str(inspect.signature(namespace["special"])) == expected  # type: ignore[arg-type]


def test_stub_body_and_docstring(tmp_path: Path) -> None:
    extra = "    stub_body: |\n      return None\n"
    params = "\n      - {name: df, annotation: pandas.DataFrame, description: The table.}"
    text = _stub_texts(_contract(tmp_path, params, extra=extra))["user/extra/deep.py"]
    function = ast.parse(text).body[-1]
    assert isinstance(function, ast.FunctionDef)
    doc = ast.get_docstring(function) or ""
    assert doc.startswith("Special.") and "Args:\n    df: The table." in doc
    assert ast.unparse(function.body[-1]) == "return None"


def test_omitted_returns_gives_a_def_without_return_annotation(tmp_path: Path) -> None:
    params = "\n      - {name: fn_args}"
    text = _stub_texts(_contract(tmp_path, params, returns=None))["user/extra/deep.py"]
    function = ast.parse(text).body[-1]
    assert isinstance(function, ast.FunctionDef)
    assert function.returns is None
    assert "Returns:" not in (ast.get_docstring(function) or "")


def test_default_body_raises_naming_the_function(tmp_path: Path) -> None:
    text = _stub_texts(_contract(tmp_path, " []"))["user/extra/deep.py"]
    namespace: dict[str, object] = {}
    exec(compile(text, "deep.py", "exec", dont_inherit=True), namespace)
    with pytest.raises(NotImplementedError, match=r"user\.extra\.deep:special"):
        namespace["special"]()  # type: ignore[operator]


def test_config_stub_holds_schema_defaults_and_validates(tmp_path: Path) -> None:
    contract = _contract(tmp_path, " []")
    text = _stub_texts(contract)["config.yaml"]
    config = yaml.safe_load(text)
    assert config["parameters"] == {"target_column": "y", "test_fraction": 0.2, "n_rows": 100}
    assert config["gcp"]["region"] == "europe-west4"
    assert "# GCP project id; empty for local runs." in text
    validator = jsonschema.Draft202012Validator(contract.config_schema, registry=bundled_registry())
    assert list(validator.iter_errors(config)) == []


@pytest.mark.parametrize("template", PRODUCER_TEMPLATES, ids=lambda p: p.name)
def test_committed_stubs_match_contract(template: Path) -> None:
    contract, findings = load_contract(template / "contract.yaml", "contract.yaml")
    assert contract is not None, findings
    problems = drift(render_stubs(contract), template / "stubs")
    assert problems == [], "run `kfp-templates stubs` and commit: " + "; ".join(problems)


@pytest.mark.parametrize("template", PRODUCER_TEMPLATES, ids=lambda p: p.name)
def test_stubs_pass_validate_against_their_contract(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p"
    shutil.copytree(template / "stubs" / "user", project / "user")
    shutil.copyfile(template / "stubs" / "config.yaml", project / "config.yaml")
    (project / "template_pipeline").mkdir()
    shutil.copyfile(template / "contract.yaml", project / "template_pipeline" / "contract.yaml")
    code = main(["validate", str(project)])
    assert code == 0, capsys.readouterr().out


def test_check_reports_drift_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = build_file_tree(tmp_path / "t", {"contract.yaml": BASE_CONTRACT})
    assert main(["stubs", str(template)]) == 0
    assert main(["stubs", "--check", str(template)]) == 0
    (template / "stubs" / "user" / "train.py").write_text("def train(df): ...\n")
    (template / "stubs" / "user" / "old.py").write_text("")
    capsys.readouterr()
    assert main(["stubs", "--check", str(template)]) == 1
    out = capsys.readouterr().out
    assert "stubs/user/train.py: differs from the contract" in out
    assert "stubs/user/old.py: no longer in the contract" in out
    assert main(["stubs", str(template)]) == 0
    assert not (template / "stubs" / "user" / "old.py").exists()


def test_missing_writes_only_absent_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = shutil.copytree(CASES / "base", tmp_path / "p")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    (project / "user" / "train.py").unlink()
    del before[project / "user" / "train.py"]
    assert main(["stubs", "--missing", str(project)]) == 0
    assert "user/train.py (was missing)" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in before} == before
    assert "NotImplementedError" in (project / "user" / "train.py").read_text()
    assert not (project / "config.yaml.jinja").exists()


def test_broken_contract_is_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = build_file_tree(tmp_path / "t", {"contract.yaml": "name: [unclosed\n"})
    assert main(["stubs", str(template)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not (template / "stubs").exists()


def test_stub_modules_are_importable_python(tmp_path: Path) -> None:
    for path, text in _stub_texts(_contract(tmp_path, " []")).items():
        if path.endswith(".py"):
            compile(text, path, "exec", dont_inherit=True)
    assert sys.version_info >= (3, 10)  # `X | None` annotations evaluate at import time


def test_optional_parameter_is_in_the_stub_and_says_so(tmp_path: Path) -> None:
    params = "\n      - {name: seed, kind: keyword_only, annotation: int, optional: true}"
    text = _stub_texts(_contract(tmp_path, params))["user/extra/deep.py"]
    namespace: dict[str, object] = {}
    exec(compile(text, "deep.py", "exec", dont_inherit=True), namespace)
    assert str(inspect.signature(namespace["special"])) == "(*, seed: int) -> None"  # type: ignore[arg-type]
    assert "Optional: you may remove this parameter." in text
