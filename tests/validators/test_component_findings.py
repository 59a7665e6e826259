"""validate on custom_component: kfp's verdict on the component, before compile or a step."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

import kfp_templates
from kfp_templates._cli.main import main
from kfp_templates._layout import find_layout
from kfp_templates.validators._extract_module import scan_module
from kfp_templates.validators.component import component_requirements, read_component
from kfp_templates.validators.whole_project import validate_project

TEMPLATE = Path(__file__).resolve().parents[2] / "producer_templates" / "custom_component"
IMPORTS = "from typing import NamedTuple, Optional\nfrom kfp import dsl\nfrom kfp.dsl import *\n"
INJECTION = "factor: dsl.Output[__import__('os').system('touch F') or dsl.Metrics]"

# (component file after IMPORTS, rule, line, column, text in the message); line 4 is the def.
FINDINGS = {
    "final status outside an exit handler": (
        "def component(status: dsl.PipelineTaskFinalStatus):\n    pass\n",
        "USR121", 4, 23, "has no exit handler",
    ),
    "annotation that is code": (
        f"def component({INJECTION}):\n    pass\n",
        "USR121", 4, 34, "is not a KFP type",
    ),
    "union": (
        "def component(x: int | str):\n    pass\n", "USR121", 4, 18, "accepts only Optional",
    ),
    "X | None under @dsl.component": (
        "@dsl.component\ndef component(x: str | None = None):\n    pass\n",
        "USR121", 5, 15, "write `Optional[str]`",
    ),
    "output list of artifacts": (
        "def component(x: Output[list[Dataset]]):\n    pass\n",
        "USR121", 4, 25, "Output lists of artifacts are only supported for pipelines",
    ),
    "parameter named Output": (
        "def component(Output: str):\n    pass\n", "USR121", 4, 15, '"Output" is an invalid',
    ),
    "NamedTuple field kfp refuses": (
        "def component() -> NamedTuple('O', [('m', Output[Model])]):\n    pass\n",
        "USR121", 4, 43, "Input/Output/InputPath/OutputPath mark parameters",
    ),
    "another base image": (
        "@dsl.component(base_image='python:3.12')\ndef component(x: int):\n    pass\n",
        "USR130", 4, 16, "python:3.11-slim",
    ),
    "container component image": (
        "@dsl.component(target_image='gcr.io/x/y')\ndef component(x: int):\n    pass\n",
        "USR130", 4, 16, "target_image",
    ),
    "package index in the decorator": (
        "@dsl.component(pip_index_urls=['https://example.invalid/simple'])\n"
        "def component(x: int):\n    pass\n",
        "USR130", 4, 16, "pip config set",
    ),
    "async def, reported once": (
        "async def component(x: int):\n    pass\n", "USR120", 4, 1, "async def",
    ),
    "decorator that is not kfp's": (
        "import functools\n@functools.cache\ndef component(x: int):\n    pass\n",
        "USR124", 5, 2, "not kfp's dsl.component",
    ),
}  # fmt: skip


def _project(tmp_path: Path, main_py: str) -> Path:
    project = tmp_path / "custom_component"
    shutil.copytree(TEMPLATE, project, ignore=shutil.ignore_patterns("local_outputs", "build"))
    (project / "reference" / "user" / "main.py").write_text(IMPORTS + main_py, encoding="utf-8")
    return project


@pytest.mark.parametrize("case", FINDINGS, ids=list(FINDINGS))
def test_validate_refuses_what_kfp_refuses(tmp_path: Path, case: str) -> None:
    code, rule, line, column, text = FINDINGS[case]
    result = kfp_templates.validate_project(_project(tmp_path, code))
    found = [f for f in result.findings if f.rule.id.startswith("USR")]
    assert [(f.rule.id, f.location.line, f.location.column) for f in found] == [
        (rule, line, column)
    ], [f.message for f in found]
    assert text in found[0].message + found[0].fix


ACCEPTED = {
    "kfp decorator with the project's image": (
        "@dsl.component(base_image='python:3.11-slim', packages_to_install=['six'])\n"
        "def component(x: int) -> int:\n    return x\n"
    ),
    "NamedTuple outputs": (
        "def component(x: Optional[int] = None) -> NamedTuple('O', [('a', int), ('m', Model)]):\n"
        "    pass\n"
    ),
    "NamedTuple class outputs": (
        "class Out(NamedTuple):\n    a: int\n    m: Metrics\n\n"
        "@dsl.component()\ndef component(x: Input[Dataset]) -> Out:\n    pass\n"
    ),
    "paths and pythonic artifacts": (
        "def component(a: InputPath('Dataset'), b: OutputPath(str), c: Dataset) -> Model:\n"
        "    pass\n"
    ),
}


@pytest.mark.parametrize("case", ACCEPTED, ids=list(ACCEPTED))
def test_validate_passes_what_kfp_accepts(tmp_path: Path, case: str) -> None:
    result = kfp_templates.validate_project(_project(tmp_path, ACCEPTED[case]))
    assert [f.message for f in result.findings if f.rule.id.startswith("USR")] == []


def test_an_annotation_that_is_code_is_never_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 15.3: compile (which validates first) refuses it and nothing creates `F`."""
    project = _project(tmp_path, f"def component({INJECTION}):\n    pass\n")
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "out.yaml"
    assert main(["compile", str(project), "--output", str(output)]) == 1
    assert "USR121" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["custom_component"]
    assert not list(project.rglob("F"))


def test_packages_to_install_become_image_requirements(tmp_path: Path) -> None:
    """kfp installs them when the step starts; build puts them into the image instead."""
    code = "@dsl.component(packages_to_install=['six>=1.16', 'toolz'])\ndef component():\n"
    code += "    pass\n"
    layout = find_layout(_project(tmp_path, code))
    result = validate_project(layout)
    assert result.contract is not None
    assert component_requirements(layout.root, result.contract) == ("six>=1.16", "toolz")


WIDE_UNION = " | ".join(f"T{i}" for i in range(400))
DEEP_DECORATOR = "@" + ".".join(f"a{i}" for i in range(400))


@pytest.mark.parametrize(
    "code",
    [
        f"def component(x: {WIDE_UNION}):\n    pass\n",
        f"{DEEP_DECORATOR}\ndef component(x: int):\n    pass\n",
    ],
    ids=["400-member union", "400-part decorator"],
)
def test_huge_annotations_are_problems_not_crashes(code: str) -> None:
    """The component reader's own messages never crash (validate's extraction is issue 15.8)."""
    scan = scan_module("user.main", "user/main.py", code, ast.parse(code))
    node = scan.bindings["component"].node
    assert isinstance(node, ast.FunctionDef)
    _, problems = read_component(scan, node)
    assert [p.kind for p in problems] in (["type"], ["decorator"])
    assert "nested too deeply to print" in problems[0].message
