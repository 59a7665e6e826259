"""Read the consumer's component function statically, for the custom-component wrapper.

The consumer's module is never imported at compile time: it may need packages that exist only
in the consumer's image, and importing runs arbitrary code. The function is read by the same
reader validate uses (`validators.component`), so what validate passes compiles; here any
problem it finds is a consumer error.
"""

from __future__ import annotations

from pathlib import Path

from kfp_templates._errors import ConsumerError
from kfp_templates.validators.component import (
    ComponentFunction,
    locate_component,
    read_component,
)
from kfp_templates.validators.component_decorator import Problem

# Non-kfp decorators are only warned about: the signature is read as written.
_REFUSED = frozenset({"type", "setting", "async"})


def read_signature(root: Path, module: str, name: str) -> ComponentFunction:
    """Find `module:name` under `root` (through re-exports) and resolve its KFP interface.

    Raises:
        ConsumerError: when the function is missing or uses what KFP cannot express.
    """
    relative = module.replace(".", "/") + ".py"
    located = locate_component(root, module, name)
    if located is None:
        raise ConsumerError(
            f"{relative} defines no readable top-level function `{name}`",
            hint=f"add `def {name}(...)` to {relative}; run `kfp-templates validate` for details",
        )
    scan, node = located
    function, problems = read_component(scan, node)
    refused = [problem for problem in problems if problem.kind in _REFUSED]
    if refused:
        raise ConsumerError(
            "; ".join(_describe(scan.path, problem) for problem in refused),
            hint=refused[0].fix,
        )
    return function


def _describe(path: str, problem: Problem) -> str:
    line = getattr(problem.node, "lineno", None)
    return f"{path}:{line}: {problem.message}" if line else f"{path}: {problem.message}"
