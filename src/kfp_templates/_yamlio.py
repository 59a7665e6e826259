"""Safe YAML loading that remembers where every value came from.

PyYAML's `safe_load` loses line numbers, accepts duplicate keys silently and expands alias bombs
("billion laughs") without limit. Here the document is composed into nodes with `SafeLoader`, then
built into plain Python data by hand (`_yaml_build.NodeBuilder`), which lets us count nodes, refuse
duplicate keys and cycles, and record the line and column of each key and value by JSON path.
Strict JSON and the plain subset of YAML that `_yaml_simple` reads take fast paths that do not
import PyYAML; this module is the one entry point either way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from kfp_templates._yaml_limits import (
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    TOO_DEEP,
    JsonPath,
    Mark,
    YamlLoadError,
)
from kfp_templates._yaml_simple import NOT_SIMPLE, read_simple

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

    import yaml

__all__ = [
    "MAX_ALIAS_EXPANSION",
    "MAX_BYTES",
    "MAX_DEPTH",
    "JsonPath",
    "LoadedYaml",
    "Mark",
    "YamlLoadError",
    "leaves",
    "load_yaml",
    "load_yaml_documents",
]

MAX_BYTES = 10 * 1024 * 1024

# What libyaml (bundled with PyYAML 6.0.4 and later) says when it refuses deep nesting itself.
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
# The PyYAML loader class; None: libyaml's when PyYAML was built with it. Tests set each in turn.
_LOADER: Any = None
_MULTI_DOCUMENT = "the file holds more than one YAML document (a second `---`); keep one"


class LoadedYaml:
    """Plain data plus where each value and mapping key sits in the source.

    Documents read through a fast path (JSON, or the plain subset) compute their marks only when
    first asked for, by parsing the text again with PyYAML: marks are needed only to report
    findings.
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


def load_yaml(text: str) -> LoadedYaml:
    """Parse one YAML (or JSON) document safely.

    Raises:
        YamlLoadError: on syntax errors, duplicate keys, recursive aliases, alias bombs, nesting
            deeper than MAX_DEPTH, or documents larger than MAX_BYTES.
    """
    if len(text) > MAX_BYTES:
        raise YamlLoadError("too-large", f"document is larger than {MAX_BYTES} bytes", None)
    data = _try_json(text)
    if data is _NOT_JSON:
        data = read_simple(text)
        if data is not NOT_SIMPLE and _deeper_than(data, MAX_DEPTH - 1):
            data = NOT_SIMPLE  # near the limit: PyYAML's path names the node too deep
    if data is not _NOT_JSON and data is not NOT_SIMPLE:
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
    from kfp_templates._yaml_build import NodeBuilder  # noqa: PLC0415 - PyYAML only past the fast paths

    loaded = LoadedYaml(None)
    loaded.data = NodeBuilder(loaded._value_marks, loaded._key_marks).build(node, ())
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
    """Whether containers nest more than `limit` levels: one level at a time, no recursion.

    `json.loads` builds only plain dicts and lists, so exact type tests do; a level is one
    list of containers, which costs a third of a stack of (value, depth) pairs (0.03 s for a
    10,000-function contract).
    """
    level, depth = ([data] if type(data) is dict or type(data) is list else []), 0
    while level:
        if depth > limit:
            return True
        below: list[Any] = []
        for value in level:
            children = value.values() if type(value) is dict else value
            below += [child for child in children if type(child) is dict or type(child) is list]
        level, depth = below, depth + 1
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
    import yaml  # noqa: PLC0415 - PyYAML only past the fast paths

    # libyaml's parser when PyYAML was built with it (the wheels are): about 10 times faster.
    try:
        loader = (_LOADER or getattr(yaml, "CSafeLoader", yaml.SafeLoader))(text)
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
    from kfp_templates._yaml_depth import first_too_deep  # noqa: PLC0415 - imports PyYAML

    place = first_too_deep(text, MAX_DEPTH)
    return YamlLoadError("too-deep", TOO_DEEP, Mark(*place) if place else None)


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
