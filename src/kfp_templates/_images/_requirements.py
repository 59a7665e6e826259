"""What the image must install: the consumer's, the template's and the tool's requirements.

The consumer's own libraries are in `requirements.txt` at the project root (docs/decisions/0033):
a file `copier update` never overwrites, read by build, the nox sessions and CI alike.
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from kfp_templates._errors import ConsumerError
from kfp_templates.validators._requirements import (
    REQUIREMENTS_FILE,
    is_option_line,
    requirement_lines,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

TOOL_DISTRIBUTION = "kfp-templates"
CONSUMER_REQUIREMENTS = REQUIREMENTS_FILE


def image_requirements(root: Path, contract_requirements: tuple[str, ...]) -> tuple[str, ...]:
    """Sorted, unique requirements of the image, without the tool (installed from its own wheel).

    Raises:
        ConsumerError: when the consumer's pyproject.toml cannot be read or has a bad requirement.
    """
    found = [
        *_consumer_requirements(root),
        *consumer_requirement_lines(root),
        *contract_requirements,
        *_tool_requirements(),
    ]
    return tuple(sorted({text for text in found if not _is_tool(text)}))


def _consumer_requirements(root: Path) -> list[str]:
    path = root / "pyproject.toml"
    if not path.is_file():
        return []
    try:
        document: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConsumerError(
            f"cannot read pyproject.toml: {error}",
            hint="fix the TOML; the image's dependencies come from [project] dependencies",
            location=str(path),
        ) from error
    dependencies = document.get("project", {}).get("dependencies", [])
    if not isinstance(dependencies, list) or not all(isinstance(d, str) for d in dependencies):
        raise ConsumerError(
            "[project] dependencies is not a list of requirement strings",
            hint='write dependencies = ["pandas>=2", ...]',
            location=str(path),
        )
    return dependencies


def consumer_requirement_lines(root: Path) -> list[str]:
    """The requirements in the consumer's `requirements.txt` (none when it is absent).

    Only requirement lines and comments: an option line (`-r`, `--index-url`, `-e`) would make
    the image depend on more than this file, so it is refused with the line number.

    Raises:
        ConsumerError: for an unreadable file, an option line or a malformed requirement.
    """
    path = root / CONSUMER_REQUIREMENTS
    try:
        lines = requirement_lines(root, strict=True)
    except UnicodeDecodeError as error:
        raise ConsumerError(
            f"cannot read {CONSUMER_REQUIREMENTS}: {error}", hint="save it as UTF-8 text"
        ) from error
    return [_requirement_line(line, f"{path}:{number}") for number, line in lines]


def _requirement_line(line: str, location: str) -> str:
    if is_option_line(line):
        raise ConsumerError(
            f"{line!r}: option lines are not supported here",
            hint="write one requirement per line, such as `xgboost>=2`",
            location=location,
        )
    try:
        Requirement(line)
    except InvalidRequirement as error:
        raise ConsumerError(
            f"{line!r} is not a valid requirement: {error}",
            hint="write one PEP 508 requirement per line, such as `xgboost>=2`",
            location=location,
        ) from error
    return line


def _tool_requirements() -> list[str]:
    """The tool's own run-time requirements, without optional extras."""
    try:
        declared = requires(TOOL_DISTRIBUTION) or []
    except PackageNotFoundError:
        return []
    return [text for text in declared if "extra" not in str(Requirement(text).marker or "")]


def _is_tool(text: str) -> bool:
    try:
        name = Requirement(text).name
    except InvalidRequirement as error:
        raise ConsumerError(
            f"{text!r} is not a valid requirement: {error}",
            hint="write requirements as PEP 508 strings, such as `pandas>=2`",
        ) from error
    return canonicalize_name(name) == TOOL_DISTRIBUTION
