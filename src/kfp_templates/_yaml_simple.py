"""Read the plain subset of YAML that configs and contracts are written in, without PyYAML.

Importing PyYAML is a sixth of a whole `validate` run (its reader compiles a large Unicode
regex at import), yet most config.yaml and contract.yaml files use only block mappings and
sequences, flow collections on one line, one-line plain and quoted scalars, folded and literal
block scalars, and comments. This reader reads exactly that subset and answers `NOT_SIMPLE` to
anything else: anchors, tags, escapes, timestamps, a scalar or flow collection over several
lines, tabs, a second document, a duplicate key. Those go to PyYAML, which reads them or
explains them with a line. So this reader never reports an error, and a document it accepts is
one PyYAML reads to the same data (tests compare the two on every YAML file in the repository
and on generated and mutated documents). Scalars resolve as PyYAML's YAML 1.1 rules do; where
telling them apart would take a regex (`1e3`, `1_000`, `12:30`, `2001-12-14`), the document
goes to PyYAML.
"""

from __future__ import annotations

from kfp_templates._yaml_inline import (
    NotSimple,
    expect_end,
    inline,
    quoted,
    resolved,
    starts_entry,
)

NOT_SIMPLE = object()
_MAX_KEY = 1024  # PyYAML's limit on an implicit key


def read_simple(text: str) -> object:
    """The data of `text` when it is in the subset, else `NOT_SIMPLE`."""
    if not _plain_characters(text):
        return NOT_SIMPLE
    try:
        return _Reader(text).document()
    except (NotSimple, RecursionError):
        return NOT_SIMPLE


def _plain_characters(text: str) -> bool:
    """No tab, carriage return, control character, BOM or Unicode line break anywhere."""
    if text.isascii():
        return text.replace("\n", "").isprintable()
    return text.replace("\n", "").isprintable() or all(map(_printable, set(text) - {"\n"}))


def _printable(character: str) -> bool:
    code = ord(character)
    if code < 0x7F:
        return code >= 0x20
    return (0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029)) or (
        (0xE000 <= code <= 0xFFFD and code != 0xFEFF) or code >= 0x10000
    )


class _Reader:
    """A line-by-line reader of block structure; one-line nodes go to `inline`."""

    def __init__(self, text: str) -> None:
        self._lines = text.split("\n")
        self._ends_with_break = text.endswith("\n")
        self._at = 0

    def document(self) -> object:
        while self._at < len(self._lines) and self._lines[self._at].lstrip(" ")[:1] in ("", "#"):
            self._at += 1
        if self._at < len(self._lines) and self._lines[self._at].rstrip(" ") == "---":
            self._at += 1  # an explicit start of the one document
        first = self._peek()
        if first is None or first[0] != 0:
            raise NotSimple
        value = self._block(0)
        if self._peek() is not None:
            raise NotSimple
        return value

    def _peek(self) -> tuple[int, str] | None:
        """(indent, text) of the next line that is not blank or a comment."""
        while self._at < len(self._lines):
            line = self._lines[self._at]
            content = line.lstrip(" ")
            if content and not content.startswith("#"):
                if line.startswith(("---", "...", "%")):
                    raise NotSimple  # a document marker or directive
                return len(line) - len(content), content.rstrip(" ")
            self._at += 1
        return None

    def _block(self, indent: int) -> object:
        line = self._peek()
        if line is None:
            raise NotSimple
        return self._sequence(indent) if _is_item(line[1]) else self._mapping(indent)

    def _mapping(self, indent: int) -> dict[str, object]:
        result: dict[str, object] = {}
        while (line := self._peek()) is not None and line[0] >= indent:
            if line[0] > indent or _is_item(line[1]):
                raise NotSimple
            key, rest = _key(line[1])
            if key in result:
                raise NotSimple
            self._at += 1
            result[key] = self._value(rest, indent, in_mapping=True)
        return result

    def _sequence(self, indent: int) -> list[object]:
        result: list[object] = []
        while (line := self._peek()) is not None and line[0] == indent and _is_item(line[1]):
            after = line[1][1:]
            rest = after.lstrip(" ")
            if rest[:1] not in ("", "#") and (_is_item(rest) or starts_entry(rest)):
                # `- key: value` or `- - item`: read on as if the dash were a space.
                column = indent + 1 + len(after) - len(rest)
                self._lines[self._at] = " " * column + rest
                result.append(self._block(column))
            else:
                self._at += 1
                result.append(self._value(rest, indent, in_mapping=False))
        return result

    def _value(self, rest: str, indent: int, *, in_mapping: bool) -> object:
        """The value after `key:` or `-` whose line is read; `indent` is its parent's."""
        if not rest or rest.startswith("#"):
            return self._nested(indent, in_mapping=in_mapping)
        if rest[0] in "|>":
            return self._block_scalar(rest, indent)
        value, tail = inline(rest, 0)
        expect_end(tail)
        return value

    def _nested(self, indent: int, *, in_mapping: bool) -> object:
        line = self._peek()
        if line is not None and line[0] > indent:
            return self._block(line[0])
        if in_mapping and line is not None and line[0] == indent and _is_item(line[1]):
            return self._sequence(indent)  # an indentless sequence, `key:` then `- item`
        return None

    def _block_scalar(self, header: str, indent: int) -> str:
        """A `|`, `|-`, `>` or `>-` scalar whose lines all start at one column."""
        style, chomp = header[0], header[1:2] == "-"
        tail = header[1 + chomp :]
        if (tail and not tail.startswith(" ")) or tail.strip(" ")[:1] not in ("", "#"):
            raise NotSimple  # an indentation indicator, `+`, or text after the header
        lines = self._block_lines(indent, folded=style == ">")
        while lines and not lines[-1]:
            lines.pop()
        value = _folded(lines) if style == ">" else "\n".join(lines)
        return value if chomp else value + "\n"

    def _block_lines(self, indent: int, *, folded: bool) -> list[str]:
        lines = self._lines
        first = lines[self._at] if self._at < len(lines) else ""
        column = len(first) - len(first.lstrip(" "))
        if not first.strip(" ") or column <= indent:
            raise NotSimple
        taken: list[str] = []
        while self._at < len(lines):
            line = lines[self._at]
            if line and not line.strip(" "):
                raise NotSimple  # spaces only: content or not, by rules kept to PyYAML
            if line and not line.startswith(" " * column):
                break
            content = line[column:]
            if folded and content.startswith(" "):
                raise NotSimple  # a more-indented line keeps its break: PyYAML's rules
            taken.append(content)
            self._at += 1
        if self._at == len(lines) and not self._ends_with_break:
            raise NotSimple
        return taken


def _folded(lines: list[str]) -> str:
    """Folding: a line break becomes a space, n empty lines become n line breaks."""
    pieces, empty = [lines[0]], 0
    for line in lines[1:]:
        if not line:
            empty += 1
            continue
        pieces += ["\n" * empty or " ", line]
        empty = 0
    return "".join(pieces)


def _is_item(content: str) -> bool:
    return content == "-" or content.startswith("- ")


def _key(content: str) -> tuple[str, str]:
    """A block mapping line's key and the text after its `:`."""
    key: object
    if content[0] in "'\"":
        key, tail = quoted(content, 0)
        colon = len(content) - len(tail)
    else:
        colon = content.find(": ")
        if colon < 0 and content.endswith(":"):
            colon = len(content) - 1
        if colon <= 0 or " #" in content[:colon] or content[colon - 1] == " ":
            raise NotSimple
        key = resolved(content[:colon])
    if (
        not isinstance(key, str)
        or colon > _MAX_KEY
        or content[colon : colon + 2] not in (":", ": ")
    ):
        raise NotSimple
    return key, content[colon + 1 :].lstrip(" ")
