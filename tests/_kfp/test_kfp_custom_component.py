"""The custom-component wrapper: static signature reading, generated source, config matching."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from kfp_helpers import compile_without_validation, prepare_without_validation
from kfp_paths import TEMPLATES

from kfp_templates._errors import ConsumerError
from kfp_templates._kfp.custom_component import wrap, wrapper_source
from kfp_templates._kfp.local_run import LocalRunRequest, run_local
from kfp_templates._kfp.user_signature import read_signature

from helpers import build_file_tree

HEADER = "from kfp import dsl\nimport kfp\n\n"
GOOD = HEADER + (
    "def component(data: dsl.Input[dsl.Dataset], n: int, out: kfp.dsl.Output[kfp.dsl.Model],"
    " *, scale: float = 1.5, tags: list = ['a']) -> str:\n    return 'x'\n"
)


def _project(tmp_path: Path, main: str) -> Path:
    return build_file_tree(tmp_path, {"user/__init__.py": "", "user/main.py": main})


def test_signature_is_read_without_importing(tmp_path: Path) -> None:
    root = _project(tmp_path, "import not_installed_anywhere\n" + GOOD)
    signature = read_signature(root, "user.main", "component")
    rendered = [
        (p.name, p.type.render(), p.default, p.keyword_only) for p in signature.parameters
    ]
    assert rendered == [
        ("data", "dsl.Input[dsl.Dataset]", "", False),
        ("n", "int", "", False),
        ("out", "dsl.Output[dsl.Model]", "", False),
        ("scale", "float", "1.5", True),
        ("tags", "list", "['a']", True),
    ]
    assert signature.returns.render() == "str"
    assert [p.name for p in signature.parameters if p.type.is_input_artifact] == ["data"]


def test_wrapper_source_calls_the_user_function_by_name(tmp_path: Path) -> None:
    source = wrapper_source(read_signature(_project(tmp_path, GOOD), "user.main", "component"))
    function = ast.parse(source).body[-1]
    assert isinstance(function, ast.FunctionDef)
    assert "from user.main import component as _user_component" in source
    assert "_user_function(data=data, n=n, out=out, scale=scale, tags=tags)" in source
    assert [a.arg for a in function.args.kwonlyargs] == ["scale", "tags"]


def test_wrapped_component_has_the_users_interface(tmp_path: Path) -> None:
    wrapped = wrap(_project(tmp_path, GOOD), "user.main", "component", "img:1")
    spec = wrapped.component.component_spec
    assert set(spec.inputs) == {"data", "n", "scale", "tags"}
    assert set(spec.outputs) == {"out", "Output"}
    assert spec.implementation.container.image == "img:1"
    assert wrapped.artifact_classes["data"].schema_title == "system.Dataset"


BAD = {
    "no annotation": ("def component(x):\n    pass\n", "Missing type annotation"),
    "pandas annotation": ("import pandas as pd\ndef component(x: pd.DataFrame):\n    pass\n",
                          "`pandas.DataFrame` is not a KFP type"),
    "star args": ("def component(*xs: int):\n    pass\n", "*xs"),
    "call default": ("def component(x: int = len('ab')):\n    pass\n", "not a literal"),
    "missing": ("def other(x: int):\n    pass\n", "no readable top-level function `component`"),
    "async": ("async def component(x: int):\n    pass\n", "async def"),
    "bad return": ("def component(x: int) -> set:\n    pass\n", "`set` is not a KFP type"),
    "unknown dsl name": ("from kfp import dsl\ndef component(x: dsl.Nope):\n    pass\n",
                         "`kfp.dsl.Nope` is not a KFP type"),
    "final status": ("from kfp import dsl\ndef component(s: dsl.PipelineTaskFinalStatus):\n"
                     "    pass\n", "only be used in an exit task"),
    "union": ("from typing import Union\ndef component(x: Union[int, str]):\n    pass\n",
              "accepts only Optional"),
    "output list": ("from typing import List\nfrom kfp.dsl import Output, Dataset\n"
                    "def component(x: Output[List[Dataset]]):\n    pass\n",
                    "Output lists of artifacts"),
    "artifact default": ("from kfp.dsl import Input, Dataset\n"
                         "def component(x: Input[Dataset] = 'gs://b'):\n    pass\n",
                         "may only have default value None"),
    "target image": ("from kfp import dsl\n@dsl.component(target_image='x')\n"
                     "def component(x: int):\n    pass\n", "target_image"),
    "annotation that is code (issue 15.3)": (
        "from kfp import dsl\n"
        "def component(f: dsl.Output[__import__('os').system('touch F') or dsl.Metrics]):\n"
        "    pass\n", "is not a KFP type"),
    "pep604 under kfp": ("from kfp import dsl\n@dsl.component\n"
                         "def component(x: str | None = None):\n    pass\n", "Optional"),
}
@pytest.mark.parametrize(("main", "message"), BAD.values(), ids=BAD.keys())
def test_what_kfp_cannot_express_is_a_consumer_error(
    tmp_path: Path, main: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConsumerError, match=message.replace("*", r"\*")):
        wrap(_project(tmp_path, main), "user.main", "component", "img:1")
    assert not (tmp_path / "F").exists()


PLANS = {
    "unknown arg": ({"n": 1, "zzz": 2}, {"data": "d.csv"}, "parameters.args names zzz"),
    "unknown input": ({"n": 1}, {"data": "d.csv", "extra": "e"}, "parameters.inputs names extra"),
    "missing arg": ({}, {"data": "d.csv"}, "needs `n`.*parameters.args"),
    "missing input": ({"n": 1}, {}, "needs `data`.*parameters.inputs"),
}


@pytest.mark.parametrize(("args", "inputs", "message"), PLANS.values(), ids=PLANS.keys())
def test_config_must_match_the_signature(
    tmp_path: Path, args: dict[str, object], inputs: dict[str, str], message: str
) -> None:
    wrapped = wrap(_project(tmp_path, GOOD), "user.main", "component", "img:1")
    with pytest.raises(ConsumerError, match=message):
        wrapped.plan(args, inputs)


def test_plan_uses_config_and_leaves_defaults_to_the_user(tmp_path: Path) -> None:
    wrapped = wrap(_project(tmp_path, GOOD), "user.main", "component", "img:1")
    plan = wrapped.plan({"n": 3}, {"data": "gs://b/d.csv"})
    assert plan.arguments == {"n": 3}
    assert plan.imports["data"][0] == "gs://b/d.csv"


def test_test_pipeline_imports_each_input_artifact(tmp_path: Path) -> None:
    output = compile_without_validation(TEMPLATES / "custom_component", tmp_path / "p.yaml",
                                        "img:1")
    pipeline = yaml.safe_load(output.read_text())
    importer = pipeline["deploymentSpec"]["executors"]["exec-importer"]["importer"]
    assert importer["artifactUri"]["constant"] == "data/input.csv"
    assert importer["typeSchema"]["schemaTitle"] == "system.Dataset"
    tasks = pipeline["root"]["dag"]["tasks"]
    assert tasks["component"]["inputs"]["parameters"]["factor"]["runtimeValue"] == {
        "constant": 3.0}


def test_a_config_mismatch_stops_a_local_run_before_any_step(
    template_copy: Callable[[str], Path]
) -> None:
    prepared = prepare_without_validation(template_copy("custom_component"))
    config = {**prepared.config, "parameters": {**prepared.config["parameters"], "args": {}}}
    root = prepared.layout.root / "local_outputs"
    result = run_local(LocalRunRequest(prepared.ref, prepared.layout.root, "img:1", config,
                                       root, 60, root / "log.txt"))
    assert (result.status, result.exit_code) == ("error", ConsumerError.exit_code)
    assert "needs `column`" in result.message
    assert "parameters.args" in result.message
