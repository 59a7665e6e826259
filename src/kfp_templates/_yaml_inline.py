"""The nodes of plain YAML that sit on one line: flow collections, quoted and plain scalars.

`_yaml_simple` reads the block structure and hands each one-line node here. Anything outside
the subset raises `NotSimple`, and the whole document then goes to PyYAML (decision 61).
"""

from __future__ import annotations

# The spellings PyYAML resolves to booleans and null; every other word is a string.
_WORDS: dict[str, object] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("~", "null", "Null", "NULL"), None),
}
# First characters that make a plain scalar an error or something other than a string.
_REFUSED_FIRST = frozenset("#&*!|>'\"%@`,[]{}?:<=~")
# Every character an int, float or timestamp can hold; a scalar starting like a number with
# any other character (`4G`, `3.11-slim`) is a string.
_NUMBER_CHARACTERS = frozenset("0123456789_.+-: abcdefABCDEFxinINTtZ")


class NotSimple(Exception):
    """The document leaves the subset: PyYAML reads it instead."""


def starts_entry(text: str) -> bool:
    """Whether the text after a `- ` begins a mapping entry (`key: value`)."""
    if text[0] in "[{|>":
        return False
    if text[0] in "'\"":
        return quoted(text, 0)[1].startswith(":")
    colon, comment = text.find(": "), text.find(" #")
    if colon < 0 and text.endswith(":"):
        colon = len(text) - 1
    return colon >= 0 and (comment < 0 or colon < comment)


def expect_end(tail: str) -> None:
    """Only a comment, set off by a space, may follow a node on its line."""
    rest = tail.lstrip(" ")
    if rest and (not rest.startswith("#") or len(rest) == len(tail)):
        raise NotSimple


def inline(text: str, at: int) -> tuple[object, str]:
    """The node starting at `text[at]` on a block line, and what follows it."""
    if text[at] in "[{":
        value, end = _flow_collection(text, at)
        return value, text[end:]
    if text[at] in "'\"":
        return quoted(text, at)
    plain = text[at:]
    comment = plain.find(" #")
    if comment >= 0:
        plain, tail = plain[:comment].rstrip(" "), plain[comment:]
    else:
        tail = ""
    if ": " in plain or plain.endswith(":"):
        raise NotSimple
    return resolved(plain), tail


def quoted(text: str, at: int) -> tuple[str, str]:
    """A one-line quoted scalar starting at `text[at]`, and the text after its closing quote."""
    quote = text[at]
    if quote == '"':
        end = text.find('"', at + 1)
        body = text[at + 1 : end]
        if end < 0 or "\\" in body:
            raise NotSimple
        return body, text[end + 1 :]
    pieces, start = [], at + 1
    while True:
        end = text.find("'", start)
        if end < 0:
            raise NotSimple
        if text.startswith("''", end):
            pieces.append(text[start : end + 1])
            start = end + 2
            continue
        pieces.append(text[start:end])
        return "".join(pieces), text[end + 1 :]


def _flow_collection(text: str, at: int) -> tuple[object, int]:
    """A `[...]` or `{...}` closed on the same line, and the index after it."""
    closing, is_mapping = ("}", True) if text[at] == "{" else ("]", False)
    mapping: dict[str, object] = {}
    sequence: list[object] = []
    at = _skip_spaces(text, at + 1)
    if text.startswith(closing, at):
        return (mapping if is_mapping else sequence), at + 1
    while True:
        if is_mapping:
            key, at = _flow_node(text, at, key=True)
            if not text.startswith(": ", at) or key in mapping or not isinstance(key, str):
                raise NotSimple
            mapping[key], at = _flow_node(text, _skip_spaces(text, at + 1), key=False)
        else:
            value, at = _flow_node(text, at, key=False)
            sequence.append(value)
        at = _skip_spaces(text, at)
        if text.startswith(closing, at):
            return (mapping if is_mapping else sequence), at + 1
        at = _skip_spaces(text, at + 1) if text.startswith(",", at) else -1
        if at < 0 or at >= len(text) or text[at] in "]}":
            raise NotSimple  # a trailing comma, or the collection goes on past the line


def _flow_node(text: str, at: int, *, key: bool) -> tuple[object, int]:
    if at >= len(text):
        raise NotSimple
    if text[at] in "[{":
        if key:
            raise NotSimple
        return _flow_collection(text, at)
    if text[at] in "'\"":
        value, tail = quoted(text, at)
        return value, len(text) - len(tail)
    end = at
    while end < len(text):
        character = text[end]
        if character in ",[]{}" or (character == ":" and text[end + 1 : end + 2] in " ,[]{}"):
            break
        if character == "?" or (character == "#" and text[end - 1] == " "):
            raise NotSimple
        end += 1
    if text[end : end + 1] in ("[", "{"):
        raise NotSimple
    return resolved(text[at:end].rstrip(" ")), end


def _skip_spaces(text: str, at: int) -> int:
    while text.startswith(" ", at):
        at += 1
    return at


def resolved(plain: str) -> object:
    """A plain scalar's value by PyYAML's implicit types, or `NotSimple` when in doubt."""
    if not plain or (plain[0] in _REFUSED_FIRST and plain != "~"):
        raise NotSimple
    if plain[0] == "-" and (len(plain) == 1 or plain[1] == " "):
        raise NotSimple
    if plain in _WORDS:
        return _WORDS[plain]
    if plain[0] in "-+.0123456789":
        return _number_or_text(plain)
    return plain


def _number_or_text(plain: str) -> object:
    unsigned = plain[1:] if plain[0] == "-" else plain
    if _digits(unsigned) and (unsigned == "0" or unsigned[0] != "0"):
        return int(plain)
    whole, dot, fraction = unsigned.partition(".")
    if dot and _digits(whole) and _digits(fraction):
        return float(plain)
    if not set(plain) <= _NUMBER_CHARACTERS:
        return plain
    parts = plain.split(".")
    if len(parts) > 2 and all(map(_digits, parts)):
        return plain  # a version such as 1.0.0: no number or date has two dots
    raise NotSimple


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()
