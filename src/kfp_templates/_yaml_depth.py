"""Where a YAML document first nests deeper than a limit, found from the event stream.

The nesting limit is the tool's rule, whatever parser runs: libyaml (PyYAML 6.0.4 and later
bundle one that refuses about 1,000 levels itself) and PyYAML's pure-Python composer (which runs
out of recursion) both give up before the tool's own check sees a node. This scan re-reads the
text with PyYAML's pure-Python parser, which is a state machine and has neither limit, and names
the first value node deeper than the limit: the same node the composer-based check names.
"""

from __future__ import annotations

import yaml


def first_too_deep(text: str, limit: int) -> tuple[int, int] | None:
    """1-based (line, column) of the first value node inside more than `limit` collections.

    Mapping keys are not counted as nodes of their own, as in the loader's builder, which checks
    the depth of values only. None when the text nests no deeper, or stops parsing before.
    """
    parser = yaml.SafeLoader(text)
    # One entry per open collection: whether it is a mapping, and how many nodes it has seen.
    open_collections: list[list[int]] = []
    try:
        while parser.check_event():
            event = parser.get_event()  # type: ignore[no-untyped-call]  # types-PyYAML leaves it untyped
            if isinstance(event, yaml.CollectionEndEvent):
                open_collections.pop()
            elif isinstance(event, yaml.NodeEvent):
                mark = event.start_mark
                if mark and _is_value(open_collections) and len(open_collections) > limit:
                    return mark.line + 1, mark.column + 1
                if open_collections:
                    open_collections[-1][1] += 1
                if isinstance(event, yaml.CollectionStartEvent):
                    is_mapping = isinstance(event, yaml.MappingStartEvent)
                    open_collections.append([int(is_mapping), 0])
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None


def _is_value(open_collections: list[list[int]]) -> bool:
    """Whether the next node is a value: anything but the key slot of a mapping."""
    if not open_collections:
        return True
    is_mapping, seen = open_collections[-1]
    return not (is_mapping and seen % 2 == 0)
