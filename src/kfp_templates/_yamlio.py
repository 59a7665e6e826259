"""Safe YAML loading that remembers where every value came from.

PyYAML's `safe_load` loses line numbers, accepts duplicate keys silently and expands alias bombs
("billion laughs") without limit. Here the document is composed into nodes with `SafeLoader`, then
built into plain Python data by hand, which lets us count nodes, refuse duplicate keys and cycles,
and record the line and column of each key and value by JSON path.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from kfp_templates._yaml_depth import first_too_deep

JsonPath = tuple[str | int, ...]

MAX_ALIAS_EXPANSION = 100_000
MAX_DEPTH = 200
MAX_BYTES = 10 * 1024 * 1024

_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
# libyaml's parser when PyYAML was built with it (the wheels are): about 10 times faster.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_COLLECTION_TAGS = frozenset(
    {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:set"}
)
_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"
# What libyaml (bundled with PyYAML 6.0.4 and later) says when it refuses deep nesting itself.
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
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


class LoadedYaml:
    """Plain data plus where each value and mapping key sits in the source.

    Documents read through the JSON fast path compute their marks only when first asked for,
    by parsing the text again as YAML: marks are needed only to report findings.
    """

    def __init__(self, data: Any, *, source: str | None = None) -> None:
        self.data = data
        self._source = source
        self._value_marks: dict[JsonPath, Mark] = {}
        self._key_marks: dict[JsonPath, Mark] = {}

    @property
    def value_marks(self) -> dict[JsonPath, Mark]:
        """Where each value starts, by JSON path."""
        self._ensure_marks()
        return self._value_marks

    @property
    def key_marks(self) -> dict[JsonPath, Mark]:
        """Where each mapping key starts, by the JSON path of its value."""
        self._ensure_marks()
        return self._key_marks

    def _ensure_marks(self) -> None:
        if self._source is not None:
            source, self._source = self._source, None
            marked = _load_with_marks(source)
            self._value_marks, self._key_marks = marked._value_marks, marked._key_marks

    def mark_for(self, path: JsonPath, *, prefer_key: bool = False) -> Mark | None:
        """The mark of `path`, or of its nearest ancestor that has one."""
        marks = (self.key_marks, self.value_marks) if prefer_key else (self.value_marks,)
        for end in range(len(path), -1, -1):
            for table in marks:
                if path[:end] in table:
                    return table[path[:end]]
        return None


def leaves(value: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, Any]]:
    """Every scalar in loaded data with its path (the key `mark_for` takes), depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


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
    data = _try_json(text)
    if data is not _NOT_JSON:
        return LoadedYaml(data, source=text)
    return _load_with_marks(text)


def load_yaml_documents(text: str) -> list[LoadedYaml]:
    """Parse every document of a YAML stream safely (KFP writes a platform spec as a second one).

    The limits of `load_yaml` apply to each document, the size limit to the whole text.

    Raises:
        YamlLoadError: as `load_yaml` does.
    """
    if len(text) > MAX_BYTES:
        raise YamlLoadError("too-large", f"document is larger than {MAX_BYTES} bytes", None)
    return [_built(node) for node in _compose(text, _every_node)]


def _load_with_marks(text: str) -> LoadedYaml:
    nodes = _compose(text, _single_node)
    return _built(nodes[0]) if nodes else LoadedYaml(None)


def _built(node: yaml.Node) -> LoadedYaml:
    loaded = LoadedYaml(None)
    loaded.data = _Builder(loaded).build(node, ())
    return loaded


def _single_node(loader: Any) -> list[yaml.Node]:
    node = loader.get_single_node()
    return [] if node is None else [node]


def _every_node(loader: Any) -> list[yaml.Node]:
    nodes = []
    while loader.check_node():
        nodes.append(loader.get_node())
    return nodes


_NOT_JSON = object()


def _try_json(text: str) -> Any:
    """Plain data when `text` is strict JSON without duplicate keys, else `_NOT_JSON`.

    Large machine-written contracts are JSON; `json.loads` reads them a hundred times faster
    than composing YAML nodes. Anything doubtful goes the YAML way, which reports it with a line.
    """
    if text.lstrip()[:1] not in ("{", "["):
        return _NOT_JSON
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        return _NOT_JSON
    return _NOT_JSON if _deeper_than(data, MAX_DEPTH) else data


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether containers nest more than `limit` levels (iterative: no recursion limit)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, (dict, list)):
            stack.extend(
                (child, depth + 1) for child in children if isinstance(child, (dict, list))
            )
    return False


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _compose(text: str, nodes_of: Callable[[Any], list[yaml.Node]]) -> list[yaml.Node]:
    """The document nodes `nodes_of(loader)` composes, every parser error a YamlLoadError."""
    try:
        loader = _FAST_LOADER(text)
    except yaml.reader.ReaderError as error:  # the pure-Python reader checks characters first
        raise _unprintable(text, error) from None
    try:
        return nodes_of(loader)
    except yaml.reader.ReaderError as error:  # libyaml checks them while parsing
        raise _unprintable(text, error) from None
    except yaml.MarkedYAMLError as error:
        if error.problem == _LIBYAML_TOO_DEEP:
            raise _too_deep(text) from None
        raise _syntax(error) from None
    except yaml.YAMLError as error:
        raise YamlLoadError("syntax", str(error), None) from None
    except RecursionError:  # the pure-Python composer recurses once per level
        raise _too_deep(text) from None
    finally:
        loader.dispose()


def _too_deep(text: str) -> YamlLoadError:
    """The tool's own nesting refusal, naming the node its builder would, after a parser gave up."""
    place = first_too_deep(text, MAX_DEPTH)
    return YamlLoadError("too-deep", _TOO_DEEP, Mark(*place) if place else None)


def _syntax(error: yaml.MarkedYAMLError) -> YamlLoadError:
    mark = error.problem_mark or error.context_mark
    place = Mark(mark.line + 1, mark.column + 1) if mark else None
    problem = error.problem or error.context or "invalid YAML"
    if "another document" in problem:
        return YamlLoadError("multi-document", _MULTI_DOCUMENT, place)
    return YamlLoadError("syntax", problem, place)


def _unprintable(text: str, error: yaml.reader.ReaderError) -> YamlLoadError:
    where = _position_mark(text, error.position)
    code = error.character if isinstance(error.character, int) else ord(error.character)
    message = f"unprintable character U+{code:04X}; remove it or write it as an escape"
    return YamlLoadError("syntax", message, where)


def _position_mark(text: str, position: int) -> Mark:
    before = text[:position]
    return Mark(before.count("\n") + 1, len(before) - before.rfind("\n"))


class _Builder:
    """Turns a node graph into data, enforcing the limits described in the module docstring."""

    def __init__(self, loaded: LoadedYaml) -> None:
        self._loaded = loaded
        self._constructor = yaml.SafeLoader("")
        self._expanded = 0
        self._built: set[int] = set()
        self._active: set[int] = set()

    def build(self, node: yaml.Node, path: JsonPath) -> Any:
        if id(node) in self._built:  # reached again through an alias: an expanded copy
            self._expanded += 1
            if self._expanded > MAX_ALIAS_EXPANSION:
                message = f"aliases expand to more than {MAX_ALIAS_EXPANSION} extra values"
                raise YamlLoadError("bomb", message, _mark(node))
        self._built.add(id(node))
        if len(path) > MAX_DEPTH:
            raise YamlLoadError("too-deep", _TOO_DEEP, _mark(node))
        if id(node) in self._active:
            raise YamlLoadError("recursive-alias", "an alias refers to itself", _mark(node))
        self._loaded._value_marks.setdefault(path, _mark(node))
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
            self._loaded._key_marks[(*path, key)] = _mark(key_node)
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
