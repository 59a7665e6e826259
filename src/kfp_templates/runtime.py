"""Helpers for template components at run time, inside the consumer's image.

Component bodies import this module (the tool is installed in every image) to call the
consumer's functions the way the contract promises.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def call_user_function(
    function: Callable[..., T],
    arguments: Mapping[str, Any],
    optional: Mapping[str, Any] | None = None,
) -> T:
    """Call `function` with `arguments`, plus each `optional` one it accepts.

    Contracts may mark keyword-only parameters `optional: true`, so that adding one to a new
    template release does not break consumers whose functions predate it: the template passes
    an optional argument only when the function names it or takes `**kwargs`.
    """
    accepted = dict(arguments)
    parameters = inspect.signature(function).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    for name, value in (optional or {}).items():
        if takes_any or name in parameters:
            accepted[name] = value
    return function(**accepted)
