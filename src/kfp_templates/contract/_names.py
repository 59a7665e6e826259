"""Names a contract asks consumers to write must be writable: Python keywords are not (`CON112`)."""

from __future__ import annotations

import keyword
from collections.abc import Callable, Iterator

from kfp_templates._findings import Finding, Location
from kfp_templates._rules import con as rules
from kfp_templates._yamlio import JsonPath

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any


def keyword_findings(
    function: dict[str, Any], here: JsonPath, at: Callable[[JsonPath], Location]
) -> Iterator[Finding]:
    """A finding for each module part, function or parameter name that is a Python keyword.

    `def def(lambda)` does not parse and `import user.class` neither, so `stubs --missing` would
    write code Python refuses. `here` is the function's path in the contract, `at` locates a path.
    """
    names: list[tuple[str, str, JsonPath]] = [
        *(("module", part, ("module",)) for part in function["module"].split(".")),
        ("function", function["name"], ("name",)),
        *(
            ("parameter", parameter["name"], ("parameters", index, "name"))
            for index, parameter in enumerate(function["parameters"])
        ),
    ]
    for what, name, where in names:
        if keyword.iskeyword(name):
            yield Finding(
                rules.CONTRACT_KEYWORD_NAME,
                f"{what} name {name!r} of {function['module']}:{function['name']} is a Python "
                "keyword; no consumer can define or import it",
                at((*here, *where)),
                f"rename it, for example to {name + '_'!r}",
            )
