"""Property tests: any valid signature, rendered to source, round-trips through extraction and
passes the contract generated from it."""

from __future__ import annotations

import json
import keyword
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kfp_templates._layout import ProjectLayout
from kfp_templates.contract import contract_from_document
from kfp_templates.validators.extract import extract_interface
from kfp_templates.validators.user_code import check_user_code

from helpers import build_file_tree

HEADER = (
    "import typing\nimport pandas as pd\nfrom pandas import DataFrame\n"
    "from typing import Any, Dict, Optional, Union\n\n"
)
# (as the consumer writes it, as the contract writes it, canonical)
POOL = [
    ("pd.DataFrame", "pandas.DataFrame", "pandas.DataFrame"),
    ("DataFrame", "pandas.DataFrame", "pandas.DataFrame"),
    ("'pd.Series'", "pandas.Series", "pandas.Series"),
    ("Dict[str, Any]", "dict[str, typing.Any]", "dict[str, typing.Any]"),
    ("Optional[int]", "int | None", "int | None"),
    ("Union[str, int]", "typing.Union[int, str]", "int | str"),
    ("typing.List[float]", "list[float]", "list[float]"),
    ("int", "int", "int"),
    ("None", "None", "None"),
]
ANNOTATIONS = st.none() | st.sampled_from(POOL)
NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
)


@dataclass(frozen=True)
class Param:
    """One generated parameter."""

    name: str
    kind: str
    annotation: tuple[str, str, str] | None
    has_default: bool

    def source(self) -> str:
        star = {"var_positional": "*", "var_keyword": "**"}.get(self.kind, "")
        text = star + self.name + (f": {self.annotation[0]}" if self.annotation else "")
        return text + (" = None" if self.has_default else "")

    def contract(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.annotation:
            entry["annotation"] = self.annotation[1]
        entry["default"] = "required" if self.has_default else "forbidden"
        return entry


@st.composite
def signatures(draw: st.DrawFn) -> tuple[list[Param], tuple[str, str, str]]:
    """Parameters in a legal order with legal defaults, and a return annotation."""
    counts = [
        draw(st.integers(0, 3)),
        draw(st.integers(0, 3)),
        draw(st.integers(0, 1)),
        draw(st.integers(0, 3)),
        draw(st.integers(0, 1)),
    ]
    names = draw(st.lists(NAMES, min_size=sum(counts), max_size=sum(counts), unique=True))
    kinds = [
        kind
        for kind, count in zip(
            [
                "positional_only",
                "positional_or_keyword",
                "var_positional",
                "keyword_only",
                "var_keyword",
            ],
            counts,
            strict=True,
        )
        for _ in range(count)
    ]
    positional = counts[0] + counts[1]
    first_default = draw(st.integers(0, positional))
    params = []
    for index, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        if kind in ("var_positional", "var_keyword"):
            default = False
        elif kind == "keyword_only":
            default = draw(st.booleans())
        else:
            default = index >= first_default
        params.append(Param(name, kind, draw(ANNOTATIONS), default))
    return params, draw(st.sampled_from(POOL))


def _source(params: list[Param], returns: tuple[str, str, str]) -> str:
    parts: list[str] = []
    for index, param in enumerate(params):
        previous = params[index - 1].kind if index else None
        if param.kind == "keyword_only" and previous not in ("keyword_only", "var_positional"):
            parts.append("*")
        parts.append(param.source())
        following = params[index + 1].kind if index + 1 < len(params) else None
        if param.kind == "positional_only" and following != "positional_only":
            parts.append("/")
    return f"{HEADER}def step({', '.join(parts)}) -> {returns[0]}:\n    pass\n"


@settings(max_examples=60, deadline=None)
@given(signatures())
def test_signature_round_trips(signature: tuple[list[Param], tuple[str, str, str]]) -> None:
    params, returns = signature
    with tempfile.TemporaryDirectory() as tmp:
        root = build_file_tree(
            Path(tmp), {"user/__init__.py": "", "user/m.py": _source(params, returns)}
        )
        entry = extract_interface(root, {"user.m": ["step"]})["modules"]["user.m"]["names"]["step"]
    extracted = [
        (p["name"], p["kind"], p["annotation"], p["has_default"])
        for p in entry["parameters"].values()
    ]
    expected = [
        (p.name, p.kind, p.annotation[2] if p.annotation else None, p.has_default) for p in params
    ]
    assert extracted == expected
    assert entry["returns"] == returns[2]


@settings(max_examples=60, deadline=None)
@given(signatures())
def test_signature_passes_its_own_contract(
    signature: tuple[list[Param], tuple[str, str, str]],
) -> None:
    params, returns = signature
    document = {
        "contract_format": 1,
        "name": "p",
        "version": "1.0.0",
        "min_tool_version": "0.1",
        "config": {"schema": {}},
        "functions": [
            {
                "module": "user.m",
                "name": "step",
                "returns": returns[1],
                "parameters": [p.contract() for p in params],
                "extra_parameters": "forbidden",
            }
        ],
    }
    contract = contract_from_document(document, Path("contract.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        root = build_file_tree(
            Path(tmp), {"user/__init__.py": "", "user/m.py": _source(params, returns)}
        )
        layout = ProjectLayout(root, root / "contract.yaml", root)
        assert [f.message for f in check_user_code(layout, contract)] == []


@settings(max_examples=40, deadline=None)
@given(signatures(), st.data())
def test_changed_annotation_is_found_where_it_is_written(
    signature: tuple[list[Param], tuple[str, str, str]], data: st.DataObject
) -> None:
    params, returns = signature
    annotated = [i for i, p in enumerate(params) if p.annotation]
    if not annotated:
        return
    index = data.draw(st.sampled_from(annotated))
    written = params[index].annotation
    assert written is not None
    other = data.draw(st.sampled_from([item for item in POOL if item[2] != written[2]]))
    changed = [*params[:index], replace(params[index], annotation=other), *params[index + 1 :]]
    document = {
        "contract_format": 1,
        "name": "p",
        "version": "1.0.0",
        "min_tool_version": "0.1",
        "config": {"schema": {}},
        "functions": [
            {
                "module": "user.m",
                "name": "step",
                "returns": returns[1],
                "parameters": [p.contract() for p in params],
            }
        ],
    }
    contract = contract_from_document(document, Path("contract.yaml"))
    source = _source(changed, returns)
    with tempfile.TemporaryDirectory() as tmp:
        root = build_file_tree(Path(tmp), {"user/__init__.py": "", "user/m.py": source})
        layout = ProjectLayout(root, root / "contract.yaml", root)
        found = list(check_user_code(layout, contract))
    assert [f.rule.id for f in found] == ["USR114"]
    line = source.splitlines()[found[0].location.line - 1]
    column = found[0].location.column
    assert line[column - 1 :].startswith(other[0])


def test_interface_document_is_plain_json(tmp_path: Path) -> None:
    source = _source([Param("a", "positional_or_keyword", POOL[0], False)], POOL[1])
    root = build_file_tree(tmp_path, {"user/__init__.py": "", "user/m.py": source})
    document = extract_interface(root)
    assert json.loads(json.dumps(document)) == document
