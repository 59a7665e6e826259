"""Problems found reading a component, and what its `@dsl.component(...)` decorator asks for.

kfp's decorator arguments are read statically (literals only): `packages_to_install` go into
the image, `base_image` is compared with the project's image (`component_findings.py`), and
what the template cannot honour is a `setting` problem rather than silently dropped.
"""

from __future__ import annotations

import ast

from kfp_templates._records import record
from kfp_templates.contract import Resolver, shown

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any, Literal

    ProblemKind = Literal["type", "decorator", "setting", "async"]
_KFP_DECORATOR = "kfp.dsl.component"
# Decorator keywords that only shape how kfp installs or names things; the image decides those.
_IGNORED_SETTINGS = frozenset(
    {
        "install_kfp_package",
        "kfp_package_path",
        "output_component_file",
        "use_venv",
        "pip_trusted_hosts",
        "embedded_artifact_path",
    }
)
_READ_SETTINGS = frozenset({"base_image", "packages_to_install"})


@record
class Problem:
    """Something kfp refuses or the template cannot honour, with where it is and the fix."""

    kind: ProblemKind
    message: str
    node: ast.AST
    fix: str


@record
class DecoratorSettings:
    """What `@dsl.component(...)` asks for (empty when the function is not decorated by kfp)."""

    decorated: bool = False
    base_image: str | None = None
    packages_to_install: tuple[str, ...] = ()


def read_settings(
    resolver: Resolver, node: ast.FunctionDef | ast.AsyncFunctionDef, problems: list[Problem]
) -> DecoratorSettings:
    settings = DecoratorSettings()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if resolver.name_of(target) != _KFP_DECORATOR:
            problems.append(
                Problem(
                    "decorator",
                    f"{node.name} is decorated with `@{shown(target)}`, which is not "
                    "kfp's dsl.component; its signature is read as written",
                    decorator,
                    "make sure the decorator keeps the signature (for example functools.wraps)",
                )
            )
            continue
        keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
        settings = _kfp_settings(keywords, problems)
    return settings


def _kfp_settings(keywords: list[ast.keyword], problems: list[Problem]) -> DecoratorSettings:
    values: dict[str, Any] = {}
    for keyword in keywords:
        if keyword.arg in _IGNORED_SETTINGS:
            continue
        if keyword.arg not in _READ_SETTINGS:
            problems.append(_unsupported_setting(keyword))
            continue
        try:
            values[keyword.arg] = ast.literal_eval(keyword.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            problems.append(_unreadable_setting(keyword))
    if not _is_texts(values.get("packages_to_install", [])):
        problems.append(
            Problem(
                "setting",
                "packages_to_install must be a list of strings",
                keywords[0],
                "write them as literal lists of strings",
            )
        )
        values.pop("packages_to_install", None)
    image = values.get("base_image")
    return DecoratorSettings(
        True,
        image if isinstance(image, str) else None,
        tuple(values.get("packages_to_install") or ()),
    )


def _is_texts(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _unsupported_setting(keyword: ast.keyword) -> Problem:
    name = keyword.arg or "**"
    if name == "pip_index_urls":
        return Problem(
            "setting",
            "@dsl.component(pip_index_urls=...) is not honoured: `kfp-templates build` resolves "
            "the image's wheels on this machine with pip's own index settings",
            keyword,
            "remove pip_index_urls and give the index to pip (`pip config set "
            "global.extra-index-url URL`, or PIP_EXTRA_INDEX_URL) before building",
        )
    return Problem(
        "setting",
        f"@dsl.component({name}=...) cannot be honoured: this template builds the step's image "
        "and runs the function as a lightweight step in it",
        keyword,
        f"remove `{name}`",
    )


def _unreadable_setting(keyword: ast.keyword) -> Problem:
    return Problem(
        "setting",
        f"@dsl.component({keyword.arg}=...) is not a literal, so it cannot be read without "
        "running your code",
        keyword,
        f"write `{keyword.arg}` as a literal (a string or a list of strings)",
    )
