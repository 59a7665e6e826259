"""Component files as KFP users write them validate, compile and run through custom_component.

Each case is a whole `user/main.py` in one style kfp itself accepts (module-level kfp imports,
`@dsl.component` with and without arguments, helpers, NamedTuple and pythonic outputs, paths,
Optional and typed containers), run end to end with `kfp-templates run --local` (validate, then
compile, then kfp.local), and the values it returns are checked in the step's output.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from kfp_helpers import cli, executor_output, run_dir_of

IMPORTED_NAMES = '''
from kfp import compiler, dsl
from kfp.dsl import Dataset, Input, Metrics, Output, component

SCALE = 2


def double(value: float) -> float:
    return value * SCALE


@dsl.component(base_image="python:3.11-slim", packages_to_install=["pandas>=2.0"])
def component(data: Input[Dataset], column: str, summary: Output[Metrics]) -> float:
    import pandas as pd

    mean = double(float(pd.read_csv(data.path)[column].mean()))
    summary.log_metric("mean", mean)
    return mean


if __name__ == "__main__":
    compiler.Compiler().compile(component, "component.yaml")
'''
BARE_DECORATOR = '''
from typing import Dict, List, NamedTuple, Optional

from kfp.dsl import component


@component
def component(
    names: List[str], weights: Dict[str, int], label: Optional[str] = None
) -> NamedTuple("Outputs", [("total", int), ("label", str)]):
    from collections import namedtuple

    total = int(sum(weights[name] for name in names))  # struct values arrive as floats
    return namedtuple("Outputs", ["total", "label"])(total, label or "none")
'''
CALLED_DECORATOR = '''
import typing

from kfp import dsl
from kfp.dsl import Dataset, Model


class Outputs(typing.NamedTuple):
    rows: int
    model: Model


@dsl.component()
def component(data: Dataset, prefix: str = "m") -> Outputs:
    with open(data.path) as handle:
        rows = len(handle.readlines()) - 1
    model = Model(uri=dsl.get_uri(suffix="model"))
    with open(model.path, "w") as handle:
        handle.write(f"{prefix}{rows}")
    return Outputs(rows, model)
'''
PATHS_AND_PEP604 = '''
from kfp.dsl import InputPath, OutputPath


def component(
    data: InputPath("Dataset"), report: OutputPath(str), note: str | None = None
) -> list:
    with open(data) as handle:
        lines = handle.read().splitlines()
    with open(report, "w") as handle:
        handle.write(f"{len(lines)} lines, {note}")
    return lines[:1]
'''
PYTHONIC_RETURN = '''
import kfp
from kfp.dsl import *


@kfp.dsl.component
def component(data: Input[Dataset], *, copies: int = 2) -> Dataset:
    out = Dataset(uri=kfp.dsl.get_uri())
    with open(data.path) as source, open(out.path, "w") as target:
        target.write(source.read() * copies)
    out.metadata["copies"] = copies
    return out
'''
STYLES: dict[str, tuple[str, dict[str, Any], dict[str, str], Callable[[dict[str, Any]], Any]]] = {
    "imported names, module-level compiler, helper, decorator arguments": (
        IMPORTED_NAMES,
        {"column": "value"},
        {"data": "data/input.csv"},
        lambda out: out["parameterValues"]["Output"],
    ),
    "bare @component, typed containers, Optional, NamedTuple call": (
        BARE_DECORATOR,
        {"names": ["a", "b"], "weights": {"a": 1, "b": 2}},
        {},
        lambda out: (out["parameterValues"]["total"], out["parameterValues"]["label"]),
    ),
    "@dsl.component(), pythonic input, NamedTuple class with an artifact": (
        CALLED_DECORATOR,
        {},
        {"data": "data/input.csv"},
        lambda out: (out["parameterValues"]["rows"], sorted(out["artifacts"])),
    ),
    "InputPath/OutputPath, X | None, undecorated": (
        PATHS_AND_PEP604,
        {"note": "hi"},
        {"data": "data/input.csv"},
        lambda out: out["parameterValues"]["Output"],
    ),
    "star import, kfp.dsl.component, pythonic artifact return": (
        PYTHONIC_RETURN,
        {},
        {"data": "data/input.csv"},
        lambda out: out["artifacts"]["Output"]["artifacts"][0]["metadata"],
    ),
}
EXPECTED = {
    "imported names, module-level compiler, helper, decorator arguments": 4.0,
    "bare @component, typed containers, Optional, NamedTuple call": (3, "none"),
    "@dsl.component(), pythonic input, NamedTuple class with an artifact": (4, ["model"]),
    "InputPath/OutputPath, X | None, undecorated": ["id,value"],
    "star import, kfp.dsl.component, pythonic artifact return": {"copies": 2},
}


def _write_case(project: Path, main: str, args: dict[str, Any], inputs: dict[str, str]) -> None:
    reference = project / "reference"
    (reference / "user" / "main.py").write_text(textwrap.dedent(main), encoding="utf-8")
    config_path = reference / "config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["parameters"] = {"args": args, "inputs": inputs, "pipeline_name": "style"}
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("style", STYLES, ids=list(STYLES))
def test_component_file_runs_as_written(
    template_copy: Callable[[str], Path], style: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main, args, inputs, pick = STYLES[style]
    project = template_copy("custom_component")
    _write_case(project, main, args, inputs)
    assert cli("validate", str(project)) == 0, capsys.readouterr()
    assert cli("run", "--local", str(project)) == 0, capsys.readouterr()
    output = executor_output(run_dir_of(project, "style"), "component")
    assert pick(output) == EXPECTED[style]
