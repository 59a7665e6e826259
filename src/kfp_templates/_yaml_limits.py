"""The loader's limits, its error and its marks: what every YAML path shares, PyYAML or not.

Kept apart from the node builder so that the fast paths (`_yamlio`'s JSON one and
`_yaml_simple`) can raise and describe without importing PyYAML.
"""

from __future__ import annotations

from kfp_templates._records import record

JsonPath = tuple[str | int, ...]

MAX_ALIAS_EXPANSION = 100_000
MAX_DEPTH = 200
TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"


@record
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
