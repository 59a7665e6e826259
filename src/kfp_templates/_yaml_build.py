"""Build plain data from a composed YAML node graph, enforcing the loader's limits.

`_yamlio` composes nodes with PyYAML; this builder turns them into dicts, lists and scalars by
hand so it can count alias expansions (alias bombs), refuse duplicate keys, recursive aliases,
non-text keys and unknown tags, keep dates as written, and record where every key and value is.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import yaml

from kfp_templates._yaml_limits import (
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    TOO_DEEP,
    JsonPath,
    Mark,
    YamlLoadError,
)

_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_COLLECTION_TAGS = frozenset(
    {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:set"}
)


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class NodeBuilder:
    """Turns a node graph into data, enforcing the limits described in the module docstring."""

    def __init__(self, value_marks: dict[JsonPath, Mark], key_marks: dict[JsonPath, Mark]) -> None:
        self._value_marks = value_marks
        self._key_marks = key_marks
        self._constructor = yaml.SafeLoader("")
        self._expanded = 0
        self._built: set[int] = set()
        self._active: set[int] = set()

    def build(self, node: yaml.Node, path: JsonPath) -> Any:
        """The data of `node` at `path`, recording its mark (and its keys' marks)."""
        if id(node) in self._built:  # reached again through an alias: an expanded copy
            self._expanded += 1
            if self._expanded > MAX_ALIAS_EXPANSION:
                message = f"aliases expand to more than {MAX_ALIAS_EXPANSION} extra values"
                raise YamlLoadError("bomb", message, _mark(node))
        self._built.add(id(node))
        if len(path) > MAX_DEPTH:
            raise YamlLoadError("too-deep", TOO_DEEP, _mark(node))
        if id(node) in self._active:
            raise YamlLoadError("recursive-alias", "an alias refers to itself", _mark(node))
        self._value_marks.setdefault(path, _mark(node))
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
            self._key_marks[(*path, key)] = _mark(key_node)
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
