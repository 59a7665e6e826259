"""Findings for the contract's component functions: what kfp (or this template) would refuse.

The component is read by `component.read_component`, the same reader the compile-time wrapper
uses, so validate refuses exactly what compile would, with kfp's reason and the annotation's
own line and column. A `base_image` in `@dsl.component(...)` is compared with the image the
step really runs in (the contract's base image, or config's `image.base_image`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from kfp_templates._findings import Finding, Location, Severity
from kfp_templates._layout import ProjectLayout
from kfp_templates._rules import usr as rules
from kfp_templates.contract import Contract
from kfp_templates.validators._extract_module import ModuleScan
from kfp_templates.validators.component import (
    ComponentFunction,
    locate_component,
    read_component,
)
from kfp_templates.validators.component_decorator import Problem
from kfp_templates.validators.config import load_config

_RULES = {
    "type": rules.COMPONENT_TYPE,
    "decorator": rules.DECORATED,
    "setting": rules.COMPONENT_SETTING,
}


def check_components(layout: ProjectLayout, contract: Contract) -> Iterator[Finding]:
    """Findings for every `component: true` function the consumer defines."""
    for spec in contract.functions:
        if not spec.component:
            continue
        located = locate_component(layout.root, spec.module, spec.name)
        if located is None:  # missing or unreadable: the interface schema reports it
            continue
        scan, node = located
        function, problems = read_component(scan, node)
        for problem in problems:
            if problem.kind != "async":  # the interface schema reports it (USR120)
                yield _finding(scan, problem)
        yield from _base_image(layout, contract, scan, node, function)


def _finding(scan: ModuleScan, problem: Problem) -> Finding:
    rule = _RULES[problem.kind]
    severity = Severity.WARNING if rule.warning else Severity.ERROR
    return Finding(rule, problem.message, _location(scan, problem.node), problem.fix, severity)


def _location(scan: ModuleScan, node: ast.AST) -> Location:
    line = getattr(node, "lineno", None)
    if line is None:
        return Location(scan.path)
    return Location(scan.path, line, scan.column(line, getattr(node, "col_offset", 0)))


def _base_image(
    layout: ProjectLayout,
    contract: Contract,
    scan: ModuleScan,
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    function: ComponentFunction,
) -> Iterator[Finding]:
    wanted = function.settings.base_image
    if wanted is None:
        return
    image = _project_image(layout, contract)
    if wanted == image:
        return
    yield Finding(
        rules.COMPONENT_SETTING,
        f"@dsl.component(base_image={wanted!r}) asks for another image than the step's: it runs "
        f"in the project's image, built FROM {image or 'the contract base image'}",
        _location(scan, _keyword(node, "base_image") or node),
        f"set `image.base_image: {wanted}` in config.yaml, or remove base_image from the decorator",
        Severity.ERROR,
    )


def _project_image(layout: ProjectLayout, contract: Contract) -> str:
    """The image the project's Dockerfile starts FROM: config's override, else the contract's."""
    loaded = load_config(layout, contract)
    image = loaded.data.get("image", {}) if isinstance(loaded.data, dict) else {}
    override = image.get("base_image") if isinstance(image, dict) else None
    return override if isinstance(override, str) and override else contract.base_image


def _keyword(node: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> ast.keyword | None:
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg == name:
                    return keyword
    return None
