"""The safe YAML loader: data, marks, and every refusal it promises."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml

from kfp_templates import _yamlio
from kfp_templates._yaml_depth import first_too_deep
from kfp_templates._yamlio import MAX_DEPTH, Mark, YamlLoadError, load_yaml, load_yaml_documents


def test_data_and_marks() -> None:
    loaded = load_yaml("a: 1\nb:\n  c: [x, y]\n")
    assert loaded.data == {"a": 1, "b": {"c": ["x", "y"]}}
    assert loaded.value_marks[("b", "c", 1)] == Mark(3, 10)
    assert loaded.key_marks[("b", "c")] == Mark(3, 3)


def test_mark_for_falls_back_to_nearest_ancestor() -> None:
    loaded = load_yaml("a:\n  b: 1\n")
    assert loaded.mark_for(("a", "b", "missing")) == Mark(2, 6)
    assert loaded.mark_for(("a", "b"), prefer_key=True) == Mark(2, 3)


def test_dates_stay_text_and_merge_keys_work() -> None:
    loaded = load_yaml("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nwhen: 2024-01-01\n")
    assert loaded.data["use"] == {"x": 1, "y": 3}
    assert loaded.data["when"] == "2024-01-01"


def test_empty_document_is_none() -> None:
    assert load_yaml("").data is None
    assert load_yaml("# only a comment\n").data is None


BOMB = "\n".join(
    [
        "a: &a [x, x, x, x, x, x, x, x, x, x]",
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
        "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
    ]
)


@pytest.mark.parametrize(
    ("text", "kind", "line"),
    [
        ("a: 1\na: 2\n", "duplicate-key", 2),
        ("a: &x [*x]\n", "recursive-alias", 1),
        ("a: [\n", "syntax", 2),
        ("a: b: c\n", "syntax", 1),
        (BOMB, "bomb", None),
        ("1: one\n", "bad-key", 1),
        ("? [a, b]\n: c\n", "bad-key", 1),
        ("a: !!python/object:os.system x\n", "bad-tag", 1),
        ("a: !custom x\n", "bad-tag", 1),
        ("a: !!python/object:os.system {b: 1}\n", "bad-tag", 1),
        ("a: !custom [1]\n", "bad-tag", 1),
        ("a: 1\nb: x\x08y\n", "syntax", 2),
        ("x: 1\n<<: [1]\n", "syntax", 2),
        ("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), "too-deep", None),
        ("a: b\n---\nc: d\n", "multi-document", 2),
    ],
)
def test_refusals(text: str, kind: str, line: int | None) -> None:
    with pytest.raises(YamlLoadError) as caught:
        load_yaml(text)
    assert caught.value.kind == kind
    if line is not None:
        assert caught.value.mark is not None
        assert caught.value.mark.line == line


def test_every_document_of_a_stream_with_its_own_marks() -> None:
    documents = load_yaml_documents("# head\na: 1\n---\nb:\n  c: [2]\n")
    assert [document.data for document in documents] == [{"a": 1}, {"b": {"c": [2]}}]
    assert documents[1].value_marks[("b", "c")] == Mark(5, 6)
    assert load_yaml_documents("") == []


@pytest.mark.parametrize(
    ("text", "kind", "line"),
    [
        ("a: 1\n---\n" + BOMB, "bomb", None),
        ("a: 1\n---\nb: 1\nb: 2\n", "duplicate-key", 4),
        ("a: 1\n---\nb: [\n", "syntax", 4),
        ("a: 1\n---\nb: !!python/object:os.system x\n", "bad-tag", 3),
    ],
)
def test_every_document_of_a_stream_has_the_same_limits(
    text: str, kind: str, line: int | None
) -> None:
    with pytest.raises(YamlLoadError) as caught:
        load_yaml_documents(text)
    assert caught.value.kind == kind
    if line is not None:  # counted from the top of the stream, not of the document
        assert caught.value.mark is not None
        assert caught.value.mark.line == line


def test_huge_document_refused_before_parsing() -> None:
    with pytest.raises(YamlLoadError) as caught:
        load_yaml("a: " + "x" * (11 * 1024 * 1024))
    assert caught.value.kind == "too-large"


def test_json_fast_path_has_the_same_data_and_lazy_marks() -> None:
    text = '{\n  "a": [1, 2],\n  "b": {"c": "x"}\n}\n'
    loaded = load_yaml(text)
    assert loaded.data == {"a": [1, 2], "b": {"c": "x"}}
    assert loaded.mark_for(("b", "c")) == Mark(3, 14)
    assert loaded.key_marks[("a",)] == Mark(2, 3)


def test_doubtful_json_goes_the_yaml_way() -> None:
    with pytest.raises(YamlLoadError) as caught:
        load_yaml('{"a": 1, "a": 2}')
    assert caught.value.kind == "duplicate-key"
    assert load_yaml('{"a": NaN}').data == {"a": "NaN"}  # YAML reads it as text, as before


def test_large_documents_without_aliases_are_not_bombs() -> None:
    rows = "".join(f"- {{name: f{i}, value: {i}}}\n" for i in range(60_000))
    assert len(load_yaml(rows).data) == 60_000


def _flow(depth: int) -> str:
    return "[" * depth + "]" * depth


def _block(depth: int) -> str:
    return "".join(f"{'  ' * level}k{level}:\n" for level in range(depth)) + "  " * depth + "v\n"


def _mixed(depth: int) -> str:
    """Block mappings whose innermost value is a deep flow sequence."""
    return _block(depth // 2).rstrip("v\n") + "[" * (depth // 2) + "]" * (depth // 2) + "\n"


LOADERS = [pytest.param(yaml.SafeLoader, id="pure-python")]
if hasattr(yaml, "CSafeLoader"):
    LOADERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))


# Past the builder's limit, past the pure-Python composer's recursion, past libyaml's own limit;
# block nesting grows quadratically in bytes, so only flow nesting goes to 10,000 levels.
DEPTHS = [
    pytest.param(shape, depth, id=f"{shape.__name__[1:]}-{depth}")
    for shape in (_flow, _block, _mixed)
    for depth in (MAX_DEPTH + 2, MAX_DEPTH + 100, 1_000, 2_000)
] + [pytest.param(_flow, 10_000, id="flow-10000")]


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(("shape", "depth"), DEPTHS)
def test_nesting_limit_is_the_tools_whatever_the_parser(
    loader: type, shape: Callable[[int], str], depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same kind, message and place whether the builder, libyaml or recursion refuses."""
    text = shape(depth)
    monkeypatch.setattr(_yamlio, "_LOADER", loader)
    with pytest.raises(YamlLoadError) as caught:
        load_yaml(text)
    # The builder's own refusal on the same shape, cut just past the limit: libyaml composes it.
    with pytest.raises(YamlLoadError) as reference:
        load_yaml(shape(MAX_DEPTH + 2))
    assert caught.value.kind == "too-deep"
    assert caught.value.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert caught.value.mark is not None
    assert caught.value.message == reference.value.message
    if shape is not _mixed:  # the mixed shape's deep node moves with depth // 2
        assert caught.value.mark == reference.value.mark


@pytest.mark.parametrize("shape", [_flow, _block, _mixed])
def test_depth_scan_names_the_node_the_builder_names(shape: Callable[[int], str]) -> None:
    text = shape(MAX_DEPTH + 50)
    with pytest.raises(YamlLoadError) as caught:
        load_yaml(text)  # composes with either loader; the builder refuses
    assert caught.value.mark is not None
    assert first_too_deep(text, MAX_DEPTH) == (caught.value.mark.line, caught.value.mark.column)


def test_depth_scan_passes_shallow_text_and_counts_values_not_keys() -> None:
    assert first_too_deep(_block(MAX_DEPTH), MAX_DEPTH) is None
    assert first_too_deep("a: [1, {b: [2]}]\n", 2) == (1, 12)
    assert first_too_deep("a: [", 5) is None  # stops parsing: the syntax error is reported
