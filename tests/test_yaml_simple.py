"""The plain-YAML reader agrees with PyYAML on everything it accepts, and accepts nothing PyYAML
refuses: on every YAML file of the repository, on generated documents and on mutated ones."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from kfp_templates._yaml_limits import YamlLoadError
from kfp_templates._yaml_simple import NOT_SIMPLE, read_simple
from kfp_templates._yamlio import _load_with_marks, load_yaml

ROOT = Path(__file__).resolve().parents[1]
_SKIPPED_DIRECTORIES = {".venv", ".nox", ".git", "node_modules", "site"}


def _repository_yaml() -> list[Path]:
    return sorted(
        path
        for pattern in ("*.yaml", "*.yml")
        for path in ROOT.rglob(pattern)
        if not _SKIPPED_DIRECTORIES & set(path.relative_to(ROOT).parts)
    )


def _typed(value: object) -> object:
    """`value` with each scalar's type beside it: 1, 1.0 and True compare equal in Python."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


def _verdict(text: str) -> str:
    """'fallback', 'agrees', or what went wrong when the reader accepted the text."""
    simple = read_simple(text)
    if simple is NOT_SIMPLE:
        return "fallback"
    try:
        expected = _load_with_marks(text).data
    except YamlLoadError as error:
        return "agrees" if error.kind == "too-deep" else f"accepted what PyYAML refuses: {error}"
    return "agrees" if _typed(simple) == _typed(expected) else f"read {simple!r} for {expected!r}"


def _readable(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def test_every_repository_yaml_file_agrees_or_falls_back() -> None:
    texts = {path: _readable(path) for path in _repository_yaml()}
    verdicts = {path: _verdict(text) for path, text in texts.items() if text is not None}
    wrong = {str(path): verdict for path, verdict in verdicts.items() if verdict != "fallback"}
    assert {path: verdict for path, verdict in wrong.items() if verdict != "agrees"} == {}
    assert len(wrong) >= 100  # most of them are in the subset


@pytest.mark.parametrize(
    "path",
    sorted(ROOT.glob("producer_templates/*/contract.yaml"))
    + sorted(ROOT.glob("producer_templates/*/reference/config.yaml")),
    ids=lambda path: str(path.relative_to(ROOT / "producer_templates")),
)
def test_bundled_contracts_and_configs_take_the_fast_path(path: Path) -> None:
    assert read_simple(path.read_text(encoding="utf-8")) is not NOT_SIMPLE


CASES = [
    (
        "version: 1.0.0\nmemory: 4G\nimage: python:3.11-slim\n",
        {"version": "1.0.0", "memory": "4G", "image": "python:3.11-slim"},
    ),
    (
        "a: 1\nb: -2\nc: 0.25\nd: true\ne: NO\nf: ~\ng:\n",
        {"a": 1, "b": -2, "c": 0.25, "d": True, "e": False, "f": None, "g": None},
    ),
    ("k: >-\n  one\n  two\n\n  three\nnext: x\n", {"k": "one two\nthree", "next": "x"}),
    ("k: |\n  one\n    two\n", {"k": "one\n  two\n"}),
    ("k:\n- a\n- {b: 'it''s', c: [1, \"x y\"]}\n", {"k": ["a", {"b": "it's", "c": [1, "x y"]}]}),
    ("- name: a  # comment\n  args: [x]\n- - nested\n", [{"name": "a", "args": ["x"]}, ["nested"]]),
    ("---\n# lead\nurl: http://host/a#b\n", {"url": "http://host/a#b"}),
]
FALLBACKS = [
    "on: push\n",  # a boolean key
    "n: 1e3\n",  # a string to PyYAML (its floats need a dot), decided by regex there
    "d: 2001-12-14\n",  # a timestamp
    "a: &x 1\nb: *x\n",  # anchors and aliases
    "a: 1\na: 2\n",  # a duplicate key: PyYAML's path reports it with a line
    "a:\n\tb: 1\n",  # a tab
    "a: [1,\n  2]\n",  # a flow collection over two lines
    'a: "x\\ty"\n',  # an escape
    "a: plain\n  continued\n",  # a plain scalar over two lines
    "a: |+\n  kept\n\n",  # keep chomping
    "a: 1\n---\nb: 2\n",  # a second document
    "a: !!str 1\n",  # a tag
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_subset_documents_read_as_pyyaml_reads_them(text: str, expected: object) -> None:
    assert _typed(read_simple(text)) == _typed(expected)
    assert _verdict(text) == "agrees"


@pytest.mark.parametrize("text", FALLBACKS)
def test_documents_outside_the_subset_go_to_pyyaml(text: str) -> None:
    assert read_simple(text) is NOT_SIMPLE


# Scalars chosen where YAML 1.1's implicit types are subtle; most documents use the plain ones.
# fmt: off
_TRICKY = [
    "yes", "No", "on", "OFF", "y", "n", "tRue", "nULL", "~x", "0", "-0", "007", "0o7", "0x1F",
    "0b101", "1_000", "1e3", "1.0e+3", "1.5", "-1.5", ".5", "1.", "+1", "1:30", "1:30.5",
    "2001-12-14", ".inf", "-.Inf", ".NaN", "1.0.0", "4G", "3.11-slim", "a:b", "a#b", "-a", ":a",
    "#x", "&a", "*a", "!x", "|", ">", "%x", "@x", "`x", "<<", "=", "é", "[]", "{}", "[a,b]",
    "{a:1}", "'q'", "\"q\"", "'it''s'", "\"a\\nb\"", "[a:b]", "{a}", "[a,]", "{a:b", "'open",
    "a: b", "a # b", "- a", "? a", "[a, [b, {c: d}]]", "{a: [1, 2], b: {c: null}}",
]
# fmt: on
_PLAIN = [
    "a",
    "abc def",
    "true",
    "null",
    "1",
    "-2",
    "0.5",
    "1.0.0",
    "kfp>=2",
    "'q'",
    '"q"',
    "[a, 1]",
]
_KEYS = [
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "$ref",
    "my key",
    "1",
    "on",
    "'q'",
    '"d q"',
    "k:k",
    "x#y",
    "-k",
]
_BLOCK_LINES = ["text", "more text", "", "  indented", "# hash", "tail  ", "x: y"]


def _scalar(rng: random.Random) -> str:
    return rng.choice(_TRICKY) if rng.random() < 0.15 else rng.choice(_PLAIN)


def _node(rng: random.Random, indent: int, depth: int) -> tuple[str, str]:
    """(text after `key:` or `-`, lines below it) of a random node."""
    roll = rng.random()
    if depth > 3 or roll < 0.45:
        return " " + _scalar(rng), ""
    if roll < 0.55:
        pad = " " * (indent + rng.choice([1, 2, 2, 4]))
        lines = [rng.choice(_BLOCK_LINES) for _ in range(rng.randint(1, 4))]
        header = rng.choice(["|", "|-", ">", ">-", "|+", "|2", ">-  # c"])
        return " " + header, "\n".join(pad + line if line else "" for line in lines)
    if roll < 0.78:
        return "", _mapping(rng, indent + rng.choice([2, 2, 4, 1]), depth + 1)
    return "", _sequence(rng, indent + rng.choice([0, 2, 2]), depth + 1)


def _mapping(rng: random.Random, indent: int, depth: int) -> str:
    lines = []
    for _ in range(rng.randint(1, 4)):
        key = rng.choice(_KEYS[:6] if rng.random() < 0.9 else _KEYS)
        head, below = _node(rng, indent, depth)
        line = " " * indent + key + rng.choice([":"] * 20 + [" :", ":  "]) + head
        lines.append(line + (rng.choice(["  # c", " #c", "#c"]) if rng.random() < 0.1 else ""))
        lines += [below] if below else []
        lines += [rng.choice(["", "# comment", "   # c", "  "])] if rng.random() < 0.1 else []
    return "\n".join(lines)


def _sequence(rng: random.Random, indent: int, depth: int) -> str:
    lines = []
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.3:
            compact = _mapping(rng, indent + 2, depth + 1)
            lines.append(" " * indent + "- " + compact.lstrip(" "))
            continue
        head, below = _node(rng, indent, depth)
        lines += [" " * indent + "-" + head] + ([below] if below else [])
    return "\n".join(lines)


def test_generated_documents_agree_or_fall_back() -> None:
    rng = random.Random(20261205)
    documents = [
        (_mapping(rng, 0, 0) if rng.random() < 0.8 else _sequence(rng, 0, 0))
        + rng.choice(["\n", "\n", "", "\n\n"])
        for _ in range(4000)
    ]
    verdicts = [_verdict(document) for document in documents]
    assert [v for v in verdicts if v not in ("fallback", "agrees")] == []
    assert verdicts.count("agrees") > 500  # the generator reaches the subset, not only its edges


_EDITS = [": ", ":", "-", "- ", " ", "  ", "\n", "#", " #", "'", '"', "[", "]", "{", "}", ",", "|"]
_EDITS += [">", "?", "&a", "*a", "!t", "\t", "yes", "1", "0", ".", "~", "---", "\u2028", "\x85"]


def _mutated(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text) + 1)
        roll = rng.random()
        if roll < 0.4:
            text = text[:at] + rng.choice(_EDITS) + text[at:]
        elif roll < 0.8:
            text = text[:at] + text[at + rng.randint(1, 3) :]
        else:
            lines = text.split("\n")
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
            text = "\n".join(lines)
    return text


def test_mutated_repository_documents_agree_or_fall_back() -> None:
    """Broken indentation, stray indicators and quotes: what PyYAML refuses is never accepted."""
    rng = random.Random(5)
    texts = [_readable(path) for path in _repository_yaml() if "corpus" not in path.parts]
    subset = [text for text in texts if text is not None and read_simple(text) is not NOT_SIMPLE]
    verdicts = [_verdict(_mutated(rng, rng.choice(subset))) for _ in range(4000)]
    assert [v for v in verdicts if v not in ("fallback", "agrees")] == []


def test_marks_of_a_fast_path_document_are_pyyaml_s() -> None:
    text = "a:\n  b: [1, 2]\n  c: >-\n    folded\n"
    loaded = load_yaml(text)
    assert loaded.data == {"a": {"b": [1, 2], "c": "folded"}}
    assert (loaded.value_marks[("a", "b", 1)], loaded.key_marks[("a", "c")]) == (
        _load_with_marks(text).value_marks[("a", "b", 1)],
        _load_with_marks(text).key_marks[("a", "c")],
    )


def test_a_subset_document_is_read_without_importing_pyyaml() -> None:
    script = (
        "import sys\nfrom kfp_templates._yamlio import load_yaml\n"
        "assert load_yaml('a: [1, {b: c}]\\n').data == {'a': [1, {'b': 'c'}]}\n"
        "print('yaml' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
