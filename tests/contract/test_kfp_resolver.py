"""The annotation resolver: kfp's verdict, names followed through imports, wrapper text."""

from __future__ import annotations

import ast

import pytest

from kfp_templates.contract import Resolver, kfp_type_problem
from kfp_templates.validators._extract_module import scan_module
from kfp_templates.validators.component import resolver_for

IMPORTS = (
    "import typing\nfrom typing import Dict, List, NamedTuple, Optional, Union\n"
    "import kfp\nfrom kfp import dsl\nfrom kfp.dsl import Input, Output, Dataset as DS, Model\n"
    "from kfp.dsl import InputPath, OutputPath, Metrics\nimport kfp.dsl as k\n"
    "class Out(NamedTuple):\n    a: int\n    m: Model\n"
)
# annotation -> the wrapper's text for it (parameter position)
RENDERED = {
    "int": "int",
    "typing.Text": "str",
    "'float'": "float",
    "Optional[str]": "Optional[str]",
    "Union[str, None]": "Optional[str]",
    "str | None": "Optional[str]",
    "List[str]": "List[str]",
    "list[int]": "List[int]",
    "typing.Dict[str, typing.Any]": "Dict[str, Any]",
    "Input[DS]": "dsl.Input[dsl.Dataset]",
    "dsl.Input[dsl.Dataset]": "dsl.Input[dsl.Dataset]",
    "kfp.dsl.Output[kfp.dsl.Model]": "dsl.Output[dsl.Model]",
    "k.Output[k.HTML]": "dsl.Output[dsl.HTML]",
    "Optional[Input[dsl.Artifact]]": "Optional[dsl.Input[dsl.Artifact]]",
    "Input[List[DS]]": "dsl.Input[List[dsl.Dataset]]",
    "DS": "dsl.Dataset",
    "InputPath('Dataset')": "dsl.InputPath('Dataset')",
    "OutputPath(Dict[str, int])": "dsl.OutputPath(Dict[str, int])",
    "'Input[Metrics]'": "dsl.Input[dsl.Metrics]",
}
# annotation -> part of kfp's (or our) reason for refusing it
REFUSED = {
    "bytes": "`bytes` is not a KFP type",
    "typing.Any": "`typing.Any` is not a KFP type",
    "Union[int, str]": "accepts only Optional",
    "Union[None, str]": "accepts only Optional",
    "Output[List[DS]]": "Output lists of artifacts",
    "Input[str]": "takes a kfp.dsl artifact class",
    "dsl.PipelineTaskFinalStatus": "exit task",
    "List[str, int]": "wrong number",
    "List[Input[DS]]": "cannot be an item",
    "__import__('os').system('x') or int": "is not a KFP type",
    "InputPath(open('x'))": "is not a KFP type",
    "'List['": "is not a type",
}
RETURNS = {
    "None": "None",
    "Model": "dsl.Model",
    "Out": "NamedTuple('Out', [('a', int), ('m', dsl.Model)])",
    "NamedTuple('O', [('x', str)])": "NamedTuple('O', [('x', str)])",
    "NamedTuple('O', x=List[str])": "NamedTuple('O', [('x', List[str])])",
}


def _resolver() -> Resolver:
    source = IMPORTS
    return resolver_for(scan_module("user.main", "user/main.py", source, ast.parse(source)))


def _node(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


@pytest.mark.parametrize(("annotation", "rendered"), RENDERED.items(), ids=list(RENDERED))
def test_accepted_annotation_is_rendered_from_kfp_names(annotation: str, rendered: str) -> None:
    assert _resolver().parameter(_node(annotation)).render() == rendered


@pytest.mark.parametrize(("annotation", "reason"), REFUSED.items(), ids=list(REFUSED))
def test_refused_annotation_gives_the_reason(annotation: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason.replace("[", r"\[").replace("(", r"\(")):
        _resolver().parameter(_node(annotation))


@pytest.mark.parametrize(("annotation", "rendered"), RETURNS.items(), ids=list(RETURNS))
def test_return_annotations(annotation: str, rendered: str) -> None:
    assert _resolver().returns(_node(annotation)).render() == rendered


def test_input_path_of_a_parameter_type_is_not_an_artifact() -> None:
    resolver = _resolver()
    assert not resolver.parameter(_node("InputPath(str)")).is_input_artifact
    assert resolver.parameter(_node("InputPath('Dataset')")).artifact_class == "Dataset"
    assert resolver.parameter(_node("Optional[Input[Model]]")).artifact_class == "Model"


def test_contract_text_goes_through_the_same_resolver() -> None:
    assert kfp_type_problem("kfp.dsl.Input[kfp.dsl.Dataset]") == ""
    assert "is not a KFP type" in kfp_type_problem("pandas.DataFrame")
    assert kfp_type_problem("kfp.dsl.Model", returns=True) == ""
