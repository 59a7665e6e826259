"""Canonical annotation text: equal types spelled differently compare equal."""

from __future__ import annotations

import ast

import pytest

from kfp_templates.contract import (
    AnnotationError,
    ImportMap,
    canonical,
    canonical_name,
    canonical_text,
    unparse,
)

IMPORTS = ImportMap(
    {
        "pd": "pandas",
        "DataFrame": "pandas.DataFrame",
        "t": "typing",
        "Dict": "typing.Dict",
        "List": "typing.List",
        "Any": "typing.Any",
        "Optional": "typing.Optional",
        "Union": "typing.Union",
        "te": "typing_extensions",
        "dsl": "kfp.dsl",
        "Input": "kfp.dsl.Input",
        "Dataset": "kfp.dsl.Dataset",
        "abc": "collections.abc",
        "Callable": "typing.Callable",
        "Literal": "typing.Literal",
        "Model": "user.models.Model",
    },
    module="user.train",
    local=frozenset({"Local"}),
)


def _canon(source: str) -> str | None:
    return canonical(ast.parse(source, mode="eval").body, IMPORTS)


@pytest.mark.parametrize(
    ("consumer", "contract"),
    [
        ("pd.DataFrame", "pandas.DataFrame"),
        ("DataFrame", "pandas.DataFrame"),
        ("'pd.DataFrame'", "pandas.DataFrame"),
        ("Dict[str, Any]", "dict[str, typing.Any]"),
        ("t.Dict[str, t.Any]", "dict[str, typing.Any]"),
        ("List[DataFrame]", "list[pandas.DataFrame]"),
        ("Optional[int]", "int | None"),
        ("Optional[int]", "typing.Optional[int]"),
        ("Union[int, str]", "str | int"),
        ("Union[int, Union[str, None]]", "None | str | int"),
        ("int | None", "typing.Union[None, int]"),
        ("Optional[Union[int, str]]", "str | int | None"),
        ("te.Literal['a', 'b']", "typing.Literal['a', 'b']"),
        ("Literal['pd.DataFrame']", "typing.Literal['pd.DataFrame']"),
        ("Callable[[int], str]", "collections.abc.Callable[[int], str]"),
        ("abc.Mapping[str, int]", "typing.Mapping[str, int]"),
        ("t.Sequence[int]", "collections.abc.Sequence[int]"),
        ("t.Tuple[int, ...]", "tuple[int, ...]"),
        ("t.Type[int]", "type[int]"),
        ("t.FrozenSet[int]", "frozenset[int]"),
        ("dsl.Input[dsl.Dataset]", "kfp.dsl.Input[kfp.dsl.Dataset]"),
        ("Input[Dataset]", "kfp.dsl.Input[kfp.dsl.Dataset]"),
        ("dsl.OutputPath('Model')", "kfp.dsl.OutputPath('Model')"),
        ("Model", "user.models.Model"),
        ("Local", "user.train.Local"),
        ("list['DataFrame']", "list[pandas.DataFrame]"),
        ("None", "None"),
        ("'None'", "None"),
        ("str", "str"),
    ],
)
def test_equal_types_have_equal_text(consumer: str, contract: str) -> None:
    assert _canon(consumer) == canonical_text(contract)


@pytest.mark.parametrize(
    ("consumer", "contract"),
    [
        ("pd.Series", "pandas.DataFrame"),
        ("Dict[str, int]", "dict[str, typing.Any]"),
        ("Optional[int]", "int"),
        ("Union[int, str]", "int | bytes"),
        ("List[int]", "tuple[int]"),
        ("Literal['a']", "typing.Literal['b']"),
        ("dsl.Output[dsl.Dataset]", "kfp.dsl.Input[kfp.dsl.Dataset]"),
    ],
)
def test_different_types_have_different_text(consumer: str, contract: str) -> None:
    assert _canon(consumer) != canonical_text(contract)


@pytest.mark.parametrize(
    ("dotted", "expected"),
    [
        ("typing.List", "list"),
        ("typing_extensions.Annotated", "typing.Annotated"),
        ("typing.Iterable", "collections.abc.Iterable"),
        ("kfp.v2.dsl.Input", "kfp.dsl.Input"),
        ("typing.Any", "typing.Any"),
        ("pandas.DataFrame", "pandas.DataFrame"),
    ],
)
def test_canonical_name(dotted: str, expected: str) -> None:
    assert canonical_name(dotted) == expected


def test_no_annotation_is_none() -> None:
    assert canonical(None, IMPORTS) is None


@pytest.mark.parametrize("text", ["'pd.DataFrame['", "list['1 +']", "int[", "x y"])
def test_unparsable_string_annotation_raises(text: str) -> None:
    with pytest.raises(AnnotationError):
        canonical_text(text)


def test_deep_nesting_raises_instead_of_recursing() -> None:
    text = "list[" * 60 + "int" + "]" * 60
    with pytest.raises(AnnotationError):
        canonical_text(text)


def test_contract_text_without_imports_keeps_names() -> None:
    assert canonical_text("dict[str, typing.Any] | None") == "dict[str, typing.Any] | None"


@pytest.mark.parametrize(
    ("consumer", "contract"),
    [
        ("Optional[Literal['a]', 'b|c']]", "None | typing.Literal['a]', 'b|c']"),
        ("Union[Literal['x|y'], int]", "int | typing.Literal['x|y']"),
    ],
)
def test_literals_with_brackets_and_bars_stay_whole(consumer: str, contract: str) -> None:
    assert _canon(consumer) == canonical_text(contract)


@pytest.mark.parametrize("members", [400, 2000])
def test_a_wide_union_is_flat_not_deep(members: int) -> None:
    """`A | B | ...` is one level of nesting to Python, however many members it has."""
    names = [f"T{index}" for index in range(members)]
    node = ast.parse(" | ".join(names), mode="eval").body
    assert set(canonical(node, ImportMap()).split(" | ")) == set(names)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("lambda: " * 400 + "0", "<expression nested too deeply to show>"),
        ("x | y", "x | y"),
    ],
)
def test_unparse_never_exhausts_the_stack(text: str, shown: str) -> None:
    node = ast.parse(text, mode="eval").body
    assert unparse(node) == shown


def test_unparse_shows_the_source_of_a_deep_expression_when_it_has_it() -> None:
    source = "x = (" + "lambda: " * 400 + "0)\n"
    node = ast.parse(source).body[0].value  # type: ignore[attr-defined]
    assert unparse(node, source) == "lambda: " * 399 + "lambda: 0"
