"""Safe YAML loading that remembers where every value came from.

PyYAML's `safe_load` loses line numbers, accepts duplicate keys silently and expands alias bombs
("billion laughs") without limit. Here the document is composed into nodes with `SafeLoader`, then
built into plain Python data by hand, which lets us count nodes, refuse duplicate keys and cycles,
and record the line and column of each key and value by JSON path.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

JsonPath = tuple[str | int, ...]

MAX_NODES = 100_000
MAX_DEPTH = 200
MAX_BYTES = 10 * 1024 * 1024

_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_COLLECTION_TAGS = frozenset(
    {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:set"}
)
_MULTI_DOCUMENT = "the file holds more than one YAML document (a second `---`); keep one"


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column in the source text."""

    line: int
    column: int


class YamlLoadError(Exception):
    """The text is not YAML we accept; `kind` names why (syntax, duplicate-key, bomb, ...)."""

    def __init__(self, kind: str, message: str, mark: Mark | None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.mark = mark


@dataclass
class LoadedYaml:
    """Plain data plus where each value and mapping key sits in the source."""

    data: Any
    value_marks: dict[JsonPath, Mark] = field(default_factory=dict)
    key_marks: dict[JsonPath, Mark] = field(default_factory=dict)

    def mark_for(self, path: JsonPath, *, prefer_key: bool = False) -> Mark | None:
        """The mark of `path`, or of its nearest ancestor that has one."""
        marks = (self.key_marks, self.value_marks) if prefer_key else (self.value_marks,)
        for end in range(len(path), -1, -1):
            for table in marks:
                if path[:end] in table:
                    return table[path[:end]]
        return None


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def load_yaml(text: str) -> LoadedYaml:
    """Parse one YAML (or JSON) document safely.

    Raises:
        YamlLoadError: on syntax errors, duplicate keys, recursive aliases, alias bombs, nesting
            deeper than MAX_DEPTH, or documents larger than MAX_BYTES.
    """
    if len(text) > MAX_BYTES:
        raise YamlLoadError("too-large", f"document is larger than {MAX_BYTES} bytes", None)
    node = _compose(text)
    loaded = LoadedYaml(None)
    if node is not None:
        loaded.data = _Builder(loaded).build(node, ())
    return loaded


def _compose(text: str) -> yaml.Node | None:
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:  # a control character: refused before parsing
        where = _position_mark(text, error.position)
        code = error.character if isinstance(error.character, int) else ord(error.character)
        message = f"unprintable character U+{code:04X}; remove it or write it as an escape"
        raise YamlLoadError("syntax", message, where) from None
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        place = Mark(mark.line + 1, mark.column + 1) if mark else None
        problem = error.problem or error.context or "invalid YAML"
        if "another document" in problem:
            raise YamlLoadError("multi-document", _MULTI_DOCUMENT, place) from None
        raise YamlLoadError("syntax", problem, place) from None
    except yaml.YAMLError as error:
        raise YamlLoadError("syntax", str(error), None) from None
    except RecursionError:
        raise YamlLoadError("too-deep", "nesting is too deep to parse", None) from None
    finally:
        loader.dispose()


def _position_mark(text: str, position: int) -> Mark:
    before = text[:position]
    return Mark(before.count("\n") + 1, len(before) - before.rfind("\n"))


class _Builder:
    """Turns a node graph into data, enforcing the limits described in the module docstring."""

    def __init__(self, loaded: LoadedYaml) -> None:
        self._loaded = loaded
        self._constructor = yaml.SafeLoader("")
        self._count = 0
        self._active: set[int] = set()

    def build(self, node: yaml.Node, path: JsonPath) -> Any:
        self._count += 1
        if self._count > MAX_NODES:
            raise YamlLoadError(
                "bomb", f"more than {MAX_NODES} values after expanding aliases", _mark(node)
            )
        if len(path) > MAX_DEPTH:
            raise YamlLoadError("too-deep", f"nesting deeper than {MAX_DEPTH} levels", _mark(node))
        if id(node) in self._active:
            raise YamlLoadError("recursive-alias", "an alias refers to itself", _mark(node))
        self._loaded.value_marks.setdefault(path, _mark(node))
        self._active.add(id(node))
        try:
            return self._build_node(node, path)
        finally:
            self._active.discard(id(node))

    def _build_node(self, node: yaml.Node, path: JsonPath) -> Any:
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
            raise YamlLoadError("bad-tag", f"tag {node.tag!r} is not allowed here", _mark(node))
        if isinstance(node, yaml.MappingNode):
            return self._build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._build_scalar(node)

    def _build_scalar(self, node: yaml.Node) -> Any:
        if node.tag == _TIMESTAMP_TAG:
            return str(node.value)  # keep dates as written; JSON Schema has no date type
        try:
            value = self._constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            raise YamlLoadError("bad-tag", str(error.problem), _mark(node)) from None
        if isinstance(value, (datetime.date, bytes)):
            return str(node.value)
        return value

    def _build_mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in self._pairs(node):
            key = self._build_key(key_node)
            if key in result:
                raise YamlLoadError(
                    "duplicate-key", f"duplicate key {key!r} in a mapping", _mark(key_node)
                )
            self._loaded.key_marks[(*path, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _pairs(self, node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
        """Key/value node pairs with `<<` merge keys expanded (explicit keys win)."""
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        explicit: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged.extend(self._merge_sources(value_node))
            else:
                explicit.append((key_node, value_node))
        explicit_keys = {k.value for k, _ in explicit if isinstance(k, yaml.ScalarNode)}
        seen: set[str] = set()
        for key_node, value_node in merged:
            if key_node.value not in explicit_keys and key_node.value not in seen:
                seen.add(key_node.value)
                yield key_node, value_node
        yield from explicit

    def _merge_sources(self, node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise YamlLoadError("syntax", "`<<` merges only mappings", _mark(source))
            pairs.extend(source.value)
        return pairs

    def _build_key(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise YamlLoadError("bad-key", "mapping keys must be plain scalars", _mark(node))
        value = self._build_scalar(node)
        if not isinstance(value, str):
            raise YamlLoadError(
                "bad-key",
                f"key {node.value!r} is read as {type(value).__name__}, not text; quote it",
                _mark(node),
            )
        return value
