"""The safe YAML loader: data, marks, and every refusal it promises."""

from __future__ import annotations

import pytest

from kfp_templates._yamlio import MAX_DEPTH, Mark, YamlLoadError, load_yaml


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
