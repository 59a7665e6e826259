"""The consumer's declared dependencies: pip requirement lines, read without running pip.

`requirements.txt` at the project root holds what the consumer's `user/` code needs beyond the
template; the contract's `requirements` hold what the template needs. Only distribution names
matter here (versions, markers and URLs are the image builder's business).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

REQUIREMENTS_FILE = "requirements.txt"
_MAX_INCLUDES = 10  # `-r` nesting deeper than this is not followed
_COMMENT = re.compile(r"(^|\s)#.*$")
_INCLUDE = re.compile(r"^(-r|--requirement)(\s+|=)(?P<file>\S+)")
_EGG = re.compile(r"#egg=(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)")
# PEP 508: a requirement starts with its name; only the name matters here, and reading it
# this way keeps `packaging` (and the logging and subprocess it imports) off validate's path.
_NAME = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:[\[(;<>=!~@,]|$)"
)
_SEPARATORS = re.compile(r"[-_.]+")


def canonical_name(name: str) -> str:
    """A distribution name normalised as PEP 503 says (`Scikit_Learn` -> `scikit-learn`)."""
    return _SEPARATORS.sub("-", name).lower()


def declared_names(root: Path, contract_requirements: Iterable[str]) -> frozenset[str]:
    """Canonical distribution names from `root/requirements.txt` (and the files it `-r`
    includes, inside the project) and from the contract."""
    lines = [*_file_lines(root, root / REQUIREMENTS_FILE, 0), *contract_requirements]
    return frozenset(name for line in lines for name in _names(line))


def _file_lines(root: Path, path: Path, depth: int) -> Iterator[str]:
    if depth > _MAX_INCLUDES or not _inside(root, path) or not path.is_file():
        return
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    for line in _logical_lines(text):
        include = _INCLUDE.match(line)
        if include:
            yield from _file_lines(root, path.parent / include.group("file"), depth + 1)
        elif not line.startswith("-"):  # other pip options name no distribution
            yield line


def _logical_lines(text: str) -> Iterator[str]:
    """Lines without comments, with `\\` continuations joined, as pip reads them."""
    pending = ""
    for raw in text.splitlines():
        line = _COMMENT.sub("", raw).rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = (pending + line).strip(), ""
        if line:
            yield line


def _names(line: str) -> Iterator[str]:
    found = _NAME.match(line)
    if found and "://" not in line.partition("@")[0]:
        yield canonical_name(found.group("name"))
        return
    egg = _EGG.search(line)  # `git+https://...#egg=name` and local paths with an egg name
    if egg:
        yield canonical_name(egg.group("name"))


def _inside(root: Path, path: Path) -> bool:
    """Whether `path` (links resolved) stays inside the project: links are never followed out."""
    try:
        path.resolve().relative_to(root.resolve())
    except (OSError, ValueError):
        return False
    return True
